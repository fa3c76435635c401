package demo

import (
	"context"

	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/issuers"
	"github.com/authscope/authscope/flow/issuers/custom"
	"github.com/authscope/authscope/flow/provider"
)

// customFlavour is an issuer of the app's own: an OIDC provider
// (https://docs.convex.dev/auth/advanced/custom-auth) or a customJwt token
// server (https://docs.convex.dev/auth/advanced/custom-jwt).
type customFlavour struct {
	is *custom.Issuer
}

func newCustom(ctx context.Context, server issuers.ServerOptions, sc *Scenario) (flavour, error) {
	o := custom.Options{Server: server, Kind: custom.OIDC}
	if sc.Provider == ProviderCustomJWT {
		o.Kind = custom.JWT
	}
	if sc.Custom != nil {
		sc.Custom(&o)
	}
	is, err := custom.New(o)
	if err != nil {
		return nil, err
	}
	if err := is.Start(ctx); err != nil {
		_ = is.Close()
		return nil, err
	}
	return &customFlavour{is: is}, nil
}

func (f *customFlavour) describe() string {
	if f.is.Kind() == custom.JWT {
		return "embedded customJwt token server " + f.is.Issuer()
	}
	return "embedded OIDC provider " + f.is.Issuer()
}
func (f *customFlavour) users() []issuers.User             { return f.is.Users() }
func (f *customFlavour) close() error                      { return f.is.Close() }
func (f *customFlavour) token(user string) (string, error) { return f.is.Token(user) }

func (f *customFlavour) signedIn(u issuers.User) string {
	what := "the demo OIDC provider issued " + u.Name() + "'s ID token directly, as your useAuth hook would get it"
	if f.is.Kind() == custom.JWT {
		what = "the demo token server issued " + u.Name() + "'s JWT directly, as your useAuth hook would get it"
	}
	return "the browser sign-in runs for Clerk only; " + what
}

// config is the page's provider: OIDC with the issuer as domain and the
// client ID as applicationID, or customJwt with the issuer, the JWKS URL,
// the algorithm and the audience.
func (f *customFlavour) config() rules.AuthConfig {
	if f.is.Kind() == custom.JWT {
		return rules.AuthConfig{Providers: []rules.Provider{{Kind: rules.KindCustomJWT, Issuer: f.is.Issuer(),
			JWKS: f.is.JWKSURL(), Algorithm: f.is.Algorithm(), ApplicationID: f.is.ClientID(), HasApplicationID: true}}}
	}
	return rules.AuthConfig{Providers: []rules.Provider{{Kind: rules.KindOIDC, Domain: f.is.Issuer(),
		ApplicationID: f.is.ClientID(), HasApplicationID: true}}}
}

func (f *customFlavour) app(a *diagnose.App) {
	a.Provider = provider.OIDC
	if f.is.Kind() == custom.JWT {
		a.Provider = provider.CustomJWT
	}
}
