package convexauth

import (
	"fmt"

	"github.com/authscope/authscope/flow/issuers/internal/fake"
)

// Tokens are what auth:signIn returns: the JWT and the refresh token
// ("<refresh token id>|<session id>").
type Tokens struct {
	Token        string `json:"token"`
	RefreshToken string `json:"refreshToken"`
}

// maxSessions bounds the sessions one deployment keeps.
const maxSessions = 512

// SignIn signs a demo user in as the Password provider would, and returns
// the tokens auth:signIn gives the client. For the demo's direct sign-in
// and for tests; keep the tokens in memory.
func (a *Auth) SignIn(userKey string) (Tokens, error) {
	for _, u := range a.users {
		if u.Key == userKey {
			return a.newSession(u)
		}
	}
	return Tokens{}, fmt.Errorf("%w: no demo user %q", ErrInvalidAccount, userKey)
}

func (a *Auth) newSession(u fake.User) (Tokens, error) {
	sid := docID("authSessions:" + fake.RandomHex(8))
	a.mu.Lock()
	if len(a.sessions) >= maxSessions {
		clear(a.sessions)
		clear(a.refresh)
	}
	a.sessions[sid] = session{userID: UserID(u), user: u}
	a.mu.Unlock()
	return a.tokensFor(sid)
}

// tokensFor mints a JWT for the session and a fresh refresh token.
func (a *Auth) tokensFor(sid string) (Tokens, error) {
	a.mu.Lock()
	s, ok := a.sessions[sid]
	rid := docID("authRefreshTokens:" + fake.RandomHex(8))
	if ok {
		a.refresh[rid] = sid
	}
	a.mu.Unlock()
	if !ok {
		return Tokens{}, fmt.Errorf("the session %s has ended", sid)
	}
	tok, err := a.mint(s.userID + "|" + sid)
	if err != nil {
		return Tokens{}, err
	}
	return Tokens{Token: tok, RefreshToken: rid + "|" + sid}, nil
}

// mint signs a token as generateToken does: header alg only, claims sub,
// iat, iss, aud, exp in that order (SPEC.md "Tokens").
func (a *Auth) mint(sub string) (string, error) {
	f := a.currentFaults()
	iat, exp := f.Times(a.now(), TokenLifetime)
	c := fake.Claims{{Name: "sub", Value: sub}, {Name: "iat", Value: fake.Unix(iat)},
		{Name: "iss", Value: a.SiteURL()}, {Name: "aud", Value: Audience}, {Name: "exp", Value: fake.Unix(exp)}}
	return fake.Mint(c, a.key, "", f.Faults)
}

// refreshSession exchanges a refresh token for new tokens; an unknown one
// gives no tokens (null), as after a sign-out.
func (a *Auth) refreshSession(refreshToken string) (*Tokens, error) {
	rid, sid, ok := cut(refreshToken)
	if !ok {
		//lint:ignore ST1005 the library's own words
		return nil, fmt.Errorf("Can't parse refresh token: %s", refreshToken)
	}
	a.mu.Lock()
	known := a.refresh[rid] == sid
	a.mu.Unlock()
	if !known {
		return nil, nil
	}
	t, err := a.tokensFor(sid)
	if err != nil {
		return nil, nil
	}
	return &t, nil
}

// signOut ends the session of sub ("<user>|<session>").
func (a *Auth) signOut(sub string) {
	_, sid, ok := cut(sub)
	if !ok {
		return
	}
	a.mu.Lock()
	delete(a.sessions, sid)
	for rid, s := range a.refresh {
		if s == sid {
			delete(a.refresh, rid)
		}
	}
	a.mu.Unlock()
}

func cut(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '|' {
			return s[:i], s[i+1:], i > 0 && i < len(s)-1
		}
	}
	return "", "", false
}
