package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/provider"
)

// convexAuthCustomDomain finds convex-auth-custom-domain: one of the
// token's iss and the provider's domain is the deployment's .convex.site
// URL and the other a custom domain. Convex Auth's iss is CONVEX_SITE_URL,
// which is the custom domain only once it is the deployment's canonical
// HTTP actions URL; a domain written as a literal does not follow it
// (flow/provider/SPEC.md "Convex Auth", "Causes").
func convexAuthCustomDomain(d *round) *Finding {
	dom, h, tokHost, ok := d.convexAuthMismatch()
	if !ok {
		return nil
	}
	domSite, tokSite := strings.HasSuffix(h, convexSiteHost), strings.HasSuffix(tokHost, convexSiteHost)
	custom := h
	if domSite {
		custom = tokHost
	}
	if domSite == tokSite || custom == "" || isLocalHost(custom) || strings.HasSuffix(custom, ".convex.cloud") {
		return nil
	}
	var title, why string
	if domSite {
		title = fmt.Sprintf("Convex Auth's tokens carry the custom domain %s, the deployment trusts %s", d.tok.iss, dom)
		why = "the custom domain is the deployment's canonical HTTP actions URL, so CONVEX_SITE_URL and the tokens' iss are the custom domain, while the provider's domain is the .convex.site URL written as a literal"
	} else {
		title = fmt.Sprintf("The provider's domain is the custom domain %s, but Convex Auth's tokens carry %s", dom, d.tok.iss)
		why = "CONVEX_SITE_URL, the tokens' iss, is the deployment's .convex.site URL: the custom domain is not its canonical HTTP actions URL"
	}
	f := d.finding(title)
	f.compare("domain", d.tok.iss, dom)
	f.note("Convex Auth", why)
	f.Fix = "Write domain: process.env.CONVEX_SITE_URL in convex/auth.config.ts and run " + d.names.push() + ": it follows the canonical URL (Convex evaluates the auth config again when the canonical URL changes). To issue tokens on the custom domain, make it the canonical URL for HTTP actions in the dashboard (Settings → Custom Domains)."
	return f
}

// projectConvexAuthCustomDomain finds a Convex Auth provider whose domain
// is written as a literal (a custom domain, or a .convex.site URL that
// stops matching once a custom domain becomes canonical, and on any other
// deployment), or read from CUSTOM_AUTH_SITE_URL.
func projectConvexAuthCustomDomain(p *projectFacts, prov project.ProviderInfo) *Finding {
	f, ok := prov.Field("domain")
	if !ok || f.Unknown() || p.Provider.ID != provider.ConvexAuth {
		return nil
	}
	reads := map[string]bool{}
	for _, r := range f.Reads {
		reads[r.Name] = true
	}
	h := issuerHost(f.Value)
	switch {
	case reads["CONVEX_SITE_URL"] || reads["SITE_URL"] || isLocalHost(h):
		return nil // followed, or convex-auth-site-url's
	case len(reads) > 0 && !reads["CUSTOM_AUTH_SITE_URL"]:
		return nil
	}
	dep, _ := p.DeploymentURL.Effective()
	own := siteURLOf(dep)
	if strings.HasSuffix(h, convexSiteHost) && own != "" && normIssuer(f.Value) != normIssuer(own) {
		return nil // another deployment's: convex-auth-site-url at run time
	}
	title := fmt.Sprintf("%s's domain is the literal %s: Convex Auth's tokens carry CONVEX_SITE_URL, which a custom domain replaces", p.providerName(prov), q(f.Value))
	if !strings.HasSuffix(h, convexSiteHost) {
		title = fmt.Sprintf("%s's domain is the custom domain %s: it matches only while that domain is the deployment's canonical HTTP actions URL", p.providerName(prov), q(f.Value))
	}
	out := &Finding{Title: title}
	out.note("Convex Auth", "signs its JWTs with iss = CONVEX_SITE_URL, the deployment's .convex.site URL or, once set as canonical, its custom domain")
	out.Fix = fmt.Sprintf("Write domain: process.env.CONVEX_SITE_URL at %s, then run %s.", f.Pos.Where(), pushCommand(p))
	return out
}
