package demo

import (
	"time"

	"github.com/authscope/authscope/flow/convex/backend"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/issuers"
	"github.com/authscope/authscope/flow/issuers/convexauth"
)

// convexAuthFlavour is Convex Auth inside the embedded deployment,
// configured as its setup writes convex/auth.config.ts
// (https://labs.convex.dev/auth/setup).
type convexAuthFlavour struct {
	auth *convexauth.Auth
}

func newConvexAuth(now func() time.Time, sc *Scenario) (flavour, error) {
	o := convexauth.Options{Now: now}
	if sc.ConvexAuth != nil {
		sc.ConvexAuth(&o)
	}
	auth, err := convexauth.New(o)
	if err != nil {
		return nil, err
	}
	return &convexAuthFlavour{auth: auth}, nil
}

// hooks add Convex Auth's actions and HTTP routes to the deployment.
func (f *convexAuthFlavour) hooks() backend.Options {
	return backend.Options{Actions: f.auth.Actions(), Site: f.auth.Site()}
}

// started sets CONVEX_SITE_URL to the deployment's site URL.
func (f *convexAuthFlavour) started(b *backend.Backend) { f.auth.SetSiteURL(b.SiteURL()) }

func (f *convexAuthFlavour) describe() string {
	return "Convex Auth of the embedded deployment " + f.auth.SiteURL()
}
func (f *convexAuthFlavour) users() []issuers.User { return f.auth.Users() }
func (f *convexAuthFlavour) close() error          { return nil }

func (f *convexAuthFlavour) token(user string) (string, error) {
	t, err := f.auth.SignIn(user)
	return t.Token, err
}

func (f *convexAuthFlavour) signedIn(u issuers.User) string {
	return "the browser sign-in runs for Clerk only; the deployment's Convex Auth signed " + u.Name() +
		" in with the Password provider directly, as its auth:signIn action does"
}

// config is the setup's provider: the deployment's own site URL, aud
// "convex".
func (f *convexAuthFlavour) config() rules.AuthConfig {
	return rules.AuthConfig{Providers: []rules.Provider{{Kind: rules.KindOIDC, Domain: f.auth.SiteURL(),
		ApplicationID: convexauth.Audience, HasApplicationID: true}}}
}

func (f *convexAuthFlavour) app(a *diagnose.App) {}
