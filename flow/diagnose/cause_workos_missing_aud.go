package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/provider"
)

// workosMissingAud finds workos-missing-aud: AuthKit's access tokens have
// no aud claim, and the provider with their issuer has an applicationID
// (every OIDC provider has one), which matching requires in aud
// (flow/provider/SPEC.md "Causes").
func workosMissingAud(d *round) *Finding {
	if d.stage != stageNoProvider || d.tok.hasAud {
		return nil
	}
	kind, cid, ok := provider.WorkOSIssuer(d.tok.iss)
	v := d.view()
	if !ok || kind != "user_management" || !v.audienceFails() {
		return nil
	}
	f := d.finding("AuthKit's token has no aud claim, and the provider with its issuer requires applicationID " + q(v.target.ApplicationID) + " in it")
	f.compare("aud", v.target.ApplicationID, "(none)")
	f.note("WorkOS", "AuthKit access tokens carry no aud unless a JWT template adds one")
	f.Fix = workosAudFix(v.target.Kind == convexrules.KindOIDC, cid, d.names)
	return f
}

// workosAudFix says how to accept tokens without aud: a customJwt
// provider without applicationID, as the AuthKit guide writes it.
func workosAudFix(oidc bool, cid string, n appNames) string {
	guide := fmt.Sprintf(`{ type: "customJwt", issuer: "%s", algorithm: "RS256", jwks: "%s" }`, provider.WorkOSUserManagement(orDefault(cid, "<client ID>")), provider.WorkOSJWKS(orDefault(cid, "<client ID>")))
	if oidc {
		return fmt.Sprintf("An OIDC provider always checks aud, so it cannot accept AuthKit's tokens: replace it in convex/auth.config.ts with the AuthKit guide's customJwt provider without applicationID, %s, then run %s.", guide, n.push())
	}
	return fmt.Sprintf("Remove applicationID from the provider of AuthKit's issuer, as the AuthKit guide writes it: %s, then run %s. (Or add an aud claim with a JWT template in the WorkOS dashboard and keep applicationID.)", guide, n.push())
}

// projectWorkosMissingAud finds a provider of AuthKit's issuer that
// requires an aud AuthKit's tokens do not carry.
func projectWorkosMissingAud(p *projectFacts, prov project.ProviderInfo) *Finding {
	iss, ok := prov.Issuer()
	if !ok {
		return nil
	}
	kind, cid, ok := provider.WorkOSIssuer(iss.Value)
	app, has := prov.Field("applicationID")
	if !ok || kind != "user_management" || !has {
		return nil
	}
	f := &Finding{Title: fmt.Sprintf("%s trusts AuthKit's issuer with applicationID %s, but AuthKit's tokens carry no aud", p.providerName(prov), q(orDefault(app.Value, app.Expr)))}
	f.note("WorkOS", "AuthKit access tokens carry no aud unless a JWT template adds one: Convex then matches no provider")
	f.Fix = workosAudFix(prov.Kind == convexrules.KindOIDC, cid, appNames{prod: p.DeploymentKind == "prod"})
	return f
}
