package demo

import (
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex"
	"github.com/authscope/authscope/flow/diagnose"
)

// Scenarios of the deployment's auth config: what `npx convex dev` pushed
// from convex/auth.config.ts.

// clerkProvider is the provider of Convex's Clerk guide for an issuer.
func clerkProvider(domain, applicationID string) convex.AuthConfig {
	return convex.AuthConfig{Providers: []convex.Provider{{
		Kind: convex.KindOIDC, Domain: domain, ApplicationID: applicationID, HasApplicationID: true,
	}}}
}

// pushed keeps the developer's file as it is and deploys cfg.
func pushed(cfg convex.AuthConfig) func(*devinstance.Instance, convex.AuthConfig) (convex.AuthConfig, convex.AuthConfig) {
	return func(_ *devinstance.Instance, local convex.AuthConfig) (convex.AuthConfig, convex.AuthConfig) {
		return cfg, local
	}
}

// both is a file and a deployment that agree on cfg.
func both(cfg func(*devinstance.Instance) convex.AuthConfig) func(*devinstance.Instance, convex.AuthConfig) (convex.AuthConfig, convex.AuthConfig) {
	return func(dev *devinstance.Instance, _ convex.AuthConfig) (convex.AuthConfig, convex.AuthConfig) {
		c := cfg(dev)
		return c, c
	}
}

func noProviders() *Scenario {
	return &Scenario{Name: "no-providers", Cause: diagnose.CodeNoProviders,
		Title:  "auth.config.ts has no providers (the template ships the Clerk provider commented out)",
		Config: both(func(*devinstance.Instance) convex.AuthConfig { return convex.AuthConfig{} })}
}

func configNotPushed() *Scenario {
	return &Scenario{Name: "config-not-pushed", Cause: diagnose.CodeConfigNotPushed,
		Title:  "The Clerk provider was added to auth.config.ts, but npx convex dev never pushed it",
		Config: pushed(convex.AuthConfig{})}
}

func issuerEnvUnset() *Scenario {
	return &Scenario{Name: "issuer-env-unset", Cause: diagnose.CodeIssuerEnvUnset,
		Title:  "CLERK_JWT_ISSUER_DOMAIN is not set on the deployment, so the push failed",
		Config: pushed(convex.AuthConfig{}),
		App:    func(a *diagnose.App) { a.MissingEnv = []string{diagnose.DefaultDomainVar} }}
}
