package demo

import (
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
)

// Scenarios of provider matching: the deployment's domain against the
// token's iss, its applicationID against the token's aud. The local file
// reads the domain from CLERK_JWT_ISSUER_DOMAIN, so it stays right while
// the deployment's variable is wrong.

// deployDomain deploys the Clerk provider with another domain.
func deployDomain(domain func(dev *devinstance.Instance) string) func(*devinstance.Instance, rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
	return func(dev *devinstance.Instance, local rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
		return clerkProvider(domain(dev), ApplicationID), local
	}
}

func issuerDevVsProd() *Scenario {
	return &Scenario{Name: "issuer-dev-vs-prod", Cause: diagnose.CodeIssuerDevVsProd,
		Title:  "The dev deployment trusts the production Clerk instance; the app signs in with development",
		Config: deployDomain(func(*devinstance.Instance) string { return "https://clerk.example.com" })}
}

func issuerJWKSURL() *Scenario {
	return &Scenario{Name: "issuer-jwks-url", Cause: diagnose.CodeIssuerIsJWKSURL,
		Title:  "CLERK_JWT_ISSUER_DOMAIN holds the JWKS URL instead of the issuer",
		Config: deployDomain(func(dev *devinstance.Instance) string { return dev.Issuer() + clerk.PathJWKS })}
}

func keyOtherInstance() *Scenario {
	return &Scenario{Name: "key-other-instance", Cause: diagnose.CodePublishableKeyOtherInstance,
		Title:  "The publishable key belongs to another Clerk instance than the one the deployment trusts",
		Config: deployDomain(func(*devinstance.Instance) string { return "https://happy-otter-42.clerk.accounts.dev" })}
}

func issuerInvisibleChar() *Scenario {
	return &Scenario{Name: "issuer-invisible-char", Cause: diagnose.CodeIssuerMismatch,
		Title:  "CLERK_JWT_ISSUER_DOMAIN was pasted with an invisible zero-width space",
		Config: deployDomain(func(dev *devinstance.Instance) string { return dev.Issuer() + "\u200b" })}
}

func applicationIDTypo() *Scenario {
	return &Scenario{Name: "application-id-typo", Cause: diagnose.CodeApplicationIDTypo,
		Title: `applicationID is "cоnvex" with a Cyrillic о: it looks right and never matches`,
		Config: both(func(dev *devinstance.Instance) rules.AuthConfig {
			return clerkProvider(dev.Issuer(), "c\u043envex")
		})}
}

func templateAudience() *Scenario {
	return &Scenario{Name: "template-aud", Cause: diagnose.CodeAudienceMismatch,
		Title: `The "convex" JWT template was edited to issue aud "my-app"`,
		Clerk: func(o *devinstance.Options) {
			o.IntegrationOn = false
			t := devinstance.ConvexTemplate()
			t.Claims["aud"] = "my-app"
			o.Templates = []devinstance.Template{t}
		}}
}
