package demo

import (
	"context"

	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/issuers"
	"github.com/authscope/authscope/flow/issuers/workos"
	"github.com/authscope/authscope/flow/provider"
)

// workosFlavour is the WorkOS-like API, configured as Convex's AuthKit
// guide says (https://docs.convex.dev/auth/authkit/).
type workosFlavour struct {
	is *workos.Issuer
}

func newWorkOS(ctx context.Context, server issuers.ServerOptions, sc *Scenario, m issuers.Mapping) (flavour, error) {
	server, err := fronted(server, provider.WorkOSHost, m)
	if err != nil {
		return nil, err
	}
	o := workos.Options{Server: server}
	if sc.WorkOS != nil {
		sc.WorkOS(&o)
	}
	is, err := workos.New(o)
	if err != nil {
		return nil, err
	}
	if err := is.Start(ctx); err != nil {
		_ = is.Close()
		return nil, err
	}
	return &workosFlavour{is: is}, nil
}

func (f *workosFlavour) describe() string                  { return "embedded WorkOS-like API " + f.is.BaseURL() }
func (f *workosFlavour) users() []issuers.User             { return f.is.Users() }
func (f *workosFlavour) close() error                      { return f.is.Close() }
func (f *workosFlavour) token(user string) (string, error) { return f.is.AccessToken(user) }

func (f *workosFlavour) signedIn(u issuers.User) string {
	return "the browser sign-in runs for Clerk only; the demo WorkOS-like API issued " + u.Name() +
		"'s AuthKit access token directly, as getAccessToken() returns it after AuthKit's sign-in"
}

// config is the guide's two customJwt providers: the SSO issuer with the
// client ID as applicationID, and the User Management issuer, whose
// tokens have no aud, without one; both read the client's key set.
func (f *workosFlavour) config() rules.AuthConfig {
	return rules.AuthConfig{Providers: []rules.Provider{
		workosProvider(f.is.SSOIssuer(), f.is.JWKSURL(), f.is.ClientID()),
		workosProvider(f.is.Issuer(), f.is.JWKSURL(), ""),
	}}
}

// workosProvider is one customJwt provider of the guide's config; an
// empty applicationID leaves it out.
func workosProvider(issuer, jwks, applicationID string) rules.Provider {
	return rules.Provider{Kind: rules.KindCustomJWT, Issuer: issuer, JWKS: jwks, Algorithm: "RS256",
		ApplicationID: applicationID, HasApplicationID: applicationID != ""}
}

func (f *workosFlavour) app(a *diagnose.App) {
	a.Provider, a.ClientID = provider.WorkOS, f.is.ClientID()
}
