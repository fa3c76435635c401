package demo

import (
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/issuers/convexauth"
)

// The Convex Auth flavour's script (https://labs.convex.dev/auth).
var convexAuthScript = []func() *Scenario{convexAuthHealthy, convexAuthJWKSMismatch, convexAuthSiteURL, convexAuthCustomDomain}

func convexAuthHealthy() *Scenario {
	return &Scenario{Name: "healthy",
		Title: "Convex Auth set up as its CLI leaves it: the deployment verifies its own JWT"}
}

// convexAuthDomain deploys the provider with another domain.
func convexAuthDomain(domain string) func(*Stack, rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
	return func(*Stack, rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
		c := rules.AuthConfig{Providers: []rules.Provider{{Kind: rules.KindOIDC, Domain: domain,
			ApplicationID: convexauth.Audience, HasApplicationID: true}}}
		return c, c
	}
}

func convexAuthJWKSMismatch() *Scenario {
	return &Scenario{Name: "convex-auth-jwks-mismatch", Cause: diagnose.CodeConvexAuthJWKSMismatch,
		Title:      "The JWKS variable holds another key pair's public key than JWT_PRIVATE_KEY",
		ConvexAuth: func(o *convexauth.Options) { o.Faults.JWKSFromOtherKey = true }}
}

// demoSiteURL is the app's own URL, what SITE_URL holds (Vite's dev server).
const demoSiteURL = "http://localhost:5173"

func convexAuthSiteURL() *Scenario {
	return &Scenario{Name: "convex-auth-site-url", Cause: diagnose.CodeConvexAuthSiteURL,
		Title:  "auth.config.ts reads SITE_URL (the app's URL) instead of CONVEX_SITE_URL (the deployment's)",
		Deploy: convexAuthDomain(demoSiteURL)}
}

// demoCustomDomain is a custom domain for the deployment's HTTP actions.
const demoCustomDomain = "https://api.todo-demo.example"

func convexAuthCustomDomain() *Scenario {
	return &Scenario{Name: "convex-auth-custom-domain", Cause: diagnose.CodeConvexAuthCustomDomain,
		Title:  "auth.config.ts names the deployment's custom domain; Convex Auth signs with CONVEX_SITE_URL",
		Deploy: convexAuthDomain(demoCustomDomain)}
}
