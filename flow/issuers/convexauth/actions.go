package convexauth

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/authscope/authscope/flow/convex/backend"
	"github.com/authscope/authscope/flow/convex/rules"
)

// Paths of the actions @convex-dev/auth's client calls.
const (
	PathSignIn  = "auth:signIn"
	PathSignOut = "auth:signOut"
)

// signInArgs are auth:signIn's arguments.
type signInArgs struct {
	Provider     string            `json:"provider"`
	Params       map[string]string `json:"params"`
	Verifier     string            `json:"verifier"`
	RefreshToken string            `json:"refreshToken"`
}

// Actions are the deployment's auth:signIn and auth:signOut, for
// backend.Options.Actions.
func (a *Auth) Actions() map[string]backend.ActionFunc {
	return map[string]backend.ActionFunc{PathSignIn: a.signInAction, PathSignOut: a.signOutAction}
}

// signInAction is auth:signIn (SPEC.md "Actions"): a refresh token is
// exchanged for new tokens, or the Password or Anonymous provider signs a
// user in. It answers {tokens: {token, refreshToken} | null}.
func (a *Auth) signInAction(_ context.Context, _ *rules.Identity, raw json.RawMessage) (json.RawMessage, error) {
	var args signInArgs
	if err := json.Unmarshal(raw, &args); err != nil {
		return nil, errors.New("ArgumentValidationError: the arguments do not match auth:signIn's validator")
	}
	var tokens *Tokens
	switch {
	case args.Provider == "" && args.RefreshToken != "":
		t, err := a.refreshSession(args.RefreshToken)
		if err != nil {
			return nil, err
		}
		tokens = t
	case args.Provider == "":
		//lint:ignore ST1005 the library's own words
		return nil, errors.New("Cannot sign in: Missing `provider`, `params.code` or `refreshToken`")
	case args.Provider == ProviderPassword:
		t, err := a.passwordSignIn(args.Params)
		if err != nil {
			return nil, err
		}
		tokens = &t
	case args.Provider == ProviderAnonymous:
		t, err := a.anonymousSignIn()
		if err != nil {
			return nil, err
		}
		tokens = &t
	default:
		return nil, unknownProvider(args.Provider)
	}
	return json.Marshal(map[string]*Tokens{"tokens": tokens})
}

// passwordSignIn is the Password provider's "signIn" flow for a demo
// user.
func (a *Auth) passwordSignIn(p map[string]string) (Tokens, error) {
	if p["flow"] != "signIn" {
		return Tokens{}, errors.New(`the demo's Password provider takes flow "signIn" only`)
	}
	u, ok := a.user(p["email"])
	if !ok {
		return Tokens{}, ErrInvalidAccount
	}
	if p["password"] != DefaultPassword {
		return Tokens{}, ErrInvalidSecret
	}
	return a.newSession(u)
}

// anonymousSignIn signs in a new anonymous user.
func (a *Auth) anonymousSignIn() (Tokens, error) {
	return a.newSession(anonymousUser())
}

// signOutAction is auth:signOut: the caller's session ends; null.
func (a *Auth) signOutAction(_ context.Context, identity *rules.Identity, _ json.RawMessage) (json.RawMessage, error) {
	if sub := subject(identity); sub != "" {
		a.signOut(sub)
	}
	return json.RawMessage(`null`), nil
}

// subject is the identity's subject field.
func subject(identity *rules.Identity) string {
	if identity == nil {
		return ""
	}
	for _, f := range identity.Fields {
		var s string
		if f.Key == "subject" && json.Unmarshal(f.Value, &s) == nil {
			return s
		}
	}
	return ""
}
