package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/provider"
)

// convexAuthSiteURL finds convex-auth-site-url: Convex Auth's tokens carry
// the deployment's CONVEX_SITE_URL as iss, and the provider's domain is
// something else that is not a custom domain: SITE_URL (the app's own URL,
// for OAuth redirects), a localhost URL, or another deployment's
// .convex.site URL (flow/provider/SPEC.md "Causes").
func convexAuthSiteURL(d *round) *Finding {
	dom, h, tokHost, ok := d.convexAuthMismatch()
	if !ok {
		return nil
	}
	siteURL := d.App.DomainVar == "SITE_URL" || isLocalHost(h) || d.App.SiteURL != "" && normIssuer(dom) == normIssuer(d.App.SiteURL)
	otherDeployment := strings.HasSuffix(h, convexSiteHost) && strings.HasSuffix(tokHost, convexSiteHost) && h != tokHost
	if !siteURL && !otherDeployment {
		return nil
	}
	title := fmt.Sprintf("The provider's domain is SITE_URL, the app's own URL (%s), not CONVEX_SITE_URL, the issuer of Convex Auth's tokens", dom)
	if !siteURL {
		title = fmt.Sprintf("The provider's domain is another deployment's HTTP actions URL (%s); Convex Auth's tokens carry this deployment's CONVEX_SITE_URL", dom)
	}
	f := d.finding(title)
	f.compare("domain", d.tok.iss, dom)
	f.note("Convex Auth", "signs its JWTs with iss = the deployment's CONVEX_SITE_URL (https://<name>.convex.site), which Convex sets on every deployment; SITE_URL is the app's URL for OAuth and magic-link redirects")
	f.Fix = "Write the provider as Convex Auth's setup does: { domain: process.env.CONVEX_SITE_URL, applicationID: \"convex\" } in convex/auth.config.ts, then run " + d.names.push() + "."
	return f
}

// projectConvexAuthSiteURL finds a Convex Auth provider whose domain reads
// SITE_URL, and a CONVEX_SITE_URL in a local file that is not the
// deployment's.
func projectConvexAuthSiteURL(p *projectFacts, prov project.ProviderInfo) *Finding {
	f, ok := prov.Field("domain")
	if !ok || p.Provider.ID != provider.ConvexAuth {
		return nil
	}
	for _, r := range f.Reads {
		switch {
		case r.Name == "SITE_URL":
			out := &Finding{Title: fmt.Sprintf("%s's domain reads SITE_URL, the app's own URL; Convex Auth's tokens carry CONVEX_SITE_URL", p.providerName(prov))}
			out.note("read at", p.readAt(f, r))
			out.note("Convex Auth", "signs its JWTs with iss = the deployment's CONVEX_SITE_URL (https://<name>.convex.site); SITE_URL is where OAuth and magic links send the user back")
			out.Fix = fmt.Sprintf("Write domain: process.env.CONVEX_SITE_URL at %s, then run %s.", f.Pos.Where(), pushCommand(p))
			return out
		case r.Name == "CONVEX_SITE_URL" && r.FromFile():
			dep, ok := p.DeploymentURL.Effective()
			own := siteURLOf(dep)
			if !ok || own == "" || normIssuer(r.Value) == normIssuer(own) {
				return nil
			}
			out := &Finding{Title: fmt.Sprintf("CONVEX_SITE_URL in %s is %s, but the deployment's own is %s", r.Source, q(r.Value), q(own))}
			out.compare("CONVEX_SITE_URL", own, r.Value)
			out.note("Convex", "sets CONVEX_SITE_URL on every deployment; the deployment evaluates auth.config.ts and signs Convex Auth's tokens with its own value, never a local file's")
			out.Fix = fmt.Sprintf("Remove CONVEX_SITE_URL from %s (or make it %s); pass --env CONVEX_SITE_URL=… only to check another deployment.", r.Source, q(own))
			return out
		}
	}
	return nil
}

// pushCommand pushes the project's auth config.
func pushCommand(p *projectFacts) string {
	return appNames{prod: p.DeploymentKind == "prod"}.push()
}
