package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/provider"
)

// workosIssuerMismatch finds workos-issuer-mismatch: WorkOS signs under two
// issuers, AuthKit's https://api.workos.com/user_management/<client ID>
// and the SSO issuer https://api.workos.com (flow/provider/SPEC.md
// "Causes"), and the deployment trusts only the other one, or the same one
// for another WorkOS environment's client ID.
func workosIssuerMismatch(d *round) *Finding {
	if d.stage != stageNoProvider {
		return nil
	}
	kind, cid, ok := provider.WorkOSIssuer(d.tok.iss)
	v := d.view()
	if !ok || !v.issuerFails() {
		return nil
	}
	if kind == "sso" && len(d.tok.aud) == 1 {
		cid = d.tok.aud[0]
	}
	var other string
	var hasKind bool
	for _, p := range v.dep.Providers {
		k, c, ok := provider.WorkOSIssuer(issuerOf(p))
		if ok && k == kind {
			hasKind = true
			if c != cid {
				other = c
			}
		}
	}
	var title string
	switch {
	case hasKind && other != "":
		title = fmt.Sprintf("The token is for WorkOS client %s; the deployment trusts AuthKit tokens of client %s (another WorkOS environment)", cid, other)
	case kind == "user_management":
		title = "The token comes from AuthKit (WorkOS User Management); the deployment does not trust its issuer"
	default:
		title = "The token comes from WorkOS's SSO issuer; the deployment does not trust it"
	}
	f := d.finding(title)
	f.compare("issuer", d.tok.iss, v.domain())
	f.note("WorkOS", "AuthKit's tokens carry iss https://api.workos.com/user_management/<client ID> and no aud; SSO tokens carry iss https://api.workos.com and aud <client ID>: the AuthKit guide trusts both")
	f.Fix = workosConfigFix(orDefault(cid, orDefault(d.App.ClientID, "<client ID>")), d.names)
	return f
}

// workosConfigFix is the AuthKit guide's two providers for a client ID.
func workosConfigFix(cid string, n appNames) string {
	return fmt.Sprintf(`List both providers of the AuthKit guide in convex/auth.config.ts: { type: "customJwt", issuer: "https://api.workos.com/", algorithm: "RS256", jwks: "%s", applicationID: clientId } and { type: "customJwt", issuer: "%s", algorithm: "RS256", jwks: "%s" }, with clientId = process.env.WORKOS_CLIENT_ID set on the deployment to the client ID the app signs in with (%s), then run %s.`,
		provider.WorkOSJWKS("${clientId}"), provider.WorkOSUserManagement("${clientId}"), provider.WorkOSJWKS("${clientId}"), n.envSet("WORKOS_CLIENT_ID", cid), n.push())
}

// projectWorkosIssuerMismatch finds a WorkOS config that trusts only the
// SSO issuer (AuthKit's tokens then match nothing), or AuthKit tokens of
// another client than the app's.
func projectWorkosIssuerMismatch(p *projectFacts) []Finding {
	var sso, um *project.ProviderInfo
	var umClient string
	for i, prov := range p.Providers {
		iss, ok := prov.Issuer()
		if !ok {
			continue
		}
		switch k, c, ok := provider.WorkOSIssuer(iss.Value); {
		case ok && k == "sso" && sso == nil:
			sso = &p.Providers[i]
		case ok && k == "user_management" && um == nil:
			um, umClient = &p.Providers[i], c
		}
	}
	app, _ := p.ClientID.Effective()
	switch {
	case sso != nil && um == nil:
		f := Finding{Title: fmt.Sprintf("%s trusts WorkOS's SSO issuer but no provider trusts AuthKit's (https://api.workos.com/user_management/<client ID>)", p.cfg)}
		f.note("WorkOS", "AuthKit's access tokens carry iss https://api.workos.com/user_management/<client ID>: with no provider for it they match nothing")
		f.Fix = workosConfigFix(orDefault(app, "<client ID>"), appNames{prod: p.DeploymentKind == "prod"})
		return []Finding{f}
	case um != nil && app != "" && umClient != "" && umClient != app:
		f := Finding{Title: fmt.Sprintf("%s trusts AuthKit tokens of client %s, the app signs in with client %s", p.providerName(*um), q(umClient), q(app))}
		f.compare("client ID", app, umClient)
		f.note("app's client ID", p.ClientID.Name+" from "+p.ClientID.Where())
		f.Fix = workosConfigFix(app, appNames{prod: p.DeploymentKind == "prod"})
		return []Finding{f}
	}
	return nil
}
