package demo

import (
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
)

// Scenarios of the deployment's auth config: what `npx convex dev` pushed
// from convex/auth.config.ts.

// clerkProvider is the provider of Convex's Clerk guide for an issuer.
func clerkProvider(domain, applicationID string) rules.AuthConfig {
	return rules.AuthConfig{Providers: []rules.Provider{{
		Kind: rules.KindOIDC, Domain: domain, ApplicationID: applicationID, HasApplicationID: true,
	}}}
}

// pushed keeps the developer's file as it is and deploys cfg.
func pushed(cfg rules.AuthConfig) func(*devinstance.Instance, rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
	return func(_ *devinstance.Instance, local rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
		return cfg, local
	}
}

// both is a file and a deployment that agree on cfg.
func both(cfg func(*devinstance.Instance) rules.AuthConfig) func(*devinstance.Instance, rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
	return func(dev *devinstance.Instance, _ rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
		c := cfg(dev)
		return c, c
	}
}

func noProviders() *Scenario {
	return &Scenario{Name: "no-providers", Cause: diagnose.CodeNoProviders,
		Title:  "auth.config.ts has no providers (the template ships the Clerk provider commented out)",
		Config: both(func(*devinstance.Instance) rules.AuthConfig { return rules.AuthConfig{} })}
}

func configNotPushed() *Scenario {
	return &Scenario{Name: "config-not-pushed", Cause: diagnose.CodeConfigNotPushed,
		Title:  "The Clerk provider was added to auth.config.ts, but npx convex dev never pushed it",
		Config: pushed(rules.AuthConfig{})}
}

func issuerEnvUnset() *Scenario {
	return &Scenario{Name: "issuer-env-unset", Cause: diagnose.CodeIssuerEnvUnset,
		Title:  "CLERK_JWT_ISSUER_DOMAIN is not set on the deployment, so the push failed",
		Config: pushed(rules.AuthConfig{}),
		App:    func(a *diagnose.App) { a.MissingEnv = []string{diagnose.DefaultDomainVar} }}
}
