package demo

import (
	"context"

	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/issuers"
	"github.com/authscope/authscope/flow/issuers/auth0"
	"github.com/authscope/authscope/flow/provider"
)

// auth0Flavour is the Auth0-like tenant, configured as Convex's Auth0
// guide says (https://docs.convex.dev/auth/auth0).
type auth0Flavour struct {
	t  *auth0.Tenant
	sc *Scenario
}

func newAuth0(ctx context.Context, server issuers.ServerOptions, sc *Scenario, m issuers.Mapping) (flavour, error) {
	server, err := fronted(server, auth0Host, m)
	if err != nil {
		return nil, err
	}
	o := auth0.Options{Server: server}
	if sc.Auth0 != nil {
		sc.Auth0(&o)
	}
	t, err := auth0.New(o)
	if err != nil {
		return nil, err
	}
	if err := t.Start(ctx); err != nil {
		_ = t.Close()
		return nil, err
	}
	return &auth0Flavour{t: t, sc: sc}, nil
}

func (f *auth0Flavour) describe() string {
	return "embedded Auth0-like tenant " + f.t.Issuer() + " (at " + f.t.Addr() + ")"
}
func (f *auth0Flavour) users() []issuers.User { return f.t.Users() }
func (f *auth0Flavour) close() error          { return f.t.Close() }

// token is the ID token, as ConvexProviderWithAuth0 sends it; the access
// token when the scenario's app code sends that instead.
func (f *auth0Flavour) token(user string) (string, error) {
	set, err := f.t.Tokens(user)
	if f.sc.SendsAccessToken {
		return set.AccessToken, err
	}
	return set.IDToken, err
}

func (f *auth0Flavour) signedIn(u issuers.User) string {
	return "the browser sign-in runs for Clerk only; the demo Auth0-like tenant issued " + u.Name() +
		"'s tokens directly, as /oauth/token returns them after Auth0's login page"
}

// config is the guide's provider: the tenant's domain (Auth0's own iss
// adds a slash, which matching ignores) and the application's client ID.
func (f *auth0Flavour) config() rules.AuthConfig {
	return rules.AuthConfig{Providers: []rules.Provider{{Kind: rules.KindOIDC, Domain: f.t.BaseURL(),
		ApplicationID: f.t.ClientID(), HasApplicationID: true}}}
}

func (f *auth0Flavour) app(a *diagnose.App) {
	a.Provider, a.ClientID = provider.Auth0, f.t.ClientID()
}
