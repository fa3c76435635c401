package diagnose

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/authscope/authscope/flow/clerk"
)

// issuerDevVsProd finds issuer-dev-vs-prod: a token from one kind of Clerk
// instance against a domain of the other. A development instance's Frontend
// API is <slug>.clerk.accounts.dev, a production one's clerk.<your domain>,
// and each deployment needs its own.
func issuerDevVsProd(d *round) *Finding {
	if d.stage != stageNoProvider {
		return nil
	}
	v := d.view()
	if !v.issuerFails() || v.lookAlike {
		return nil
	}
	tokenInst, domInst := instanceType(d.tok.iss), instanceType(v.domain())
	if tokenInst == "" || domInst == "" || tokenInst == domInst {
		return nil
	}
	n := d.names
	dom := v.domain()
	f := d.finding(fmt.Sprintf("The app signs in with the %s Clerk instance but the deployment trusts the %s instance",
		instanceWord(tokenInst), instanceWord(domInst)))
	f.compare("domain", d.tok.iss, dom)
	f.compare("instance", string(tokenInst), string(domInst))
	if tokenInst == clerk.InstanceDevelopment {
		f.Fix = fmt.Sprintf("%s in %s is a development key (pk_test_), so tokens come from %s; this deployment trusts the production instance %s. Point the development deployment at the development instance: %s, then run npx convex dev. Keep the production Frontend API on the production deployment only (npx convex env set --prod %s …), paired with the pk_live_ key.",
			n.keyVar, n.envFile, d.tok.iss, dom, appNames{}.envSet(n.domainVar, d.tok.iss), n.domainVar)
	} else {
		f.Fix = fmt.Sprintf("The app uses a production key (pk_live_), so tokens come from %s; this deployment trusts the development instance %s. Set the production deployment's variable to the production Frontend API: npx convex env set --prod %s %s, then run npx convex deploy; keep the development instance for the development deployment and the pk_test_ key.",
			d.tok.iss, dom, n.domainVar, shellQuote(d.tok.iss))
	}
	return f
}

// instanceType says which kind of Clerk instance an issuer URL names:
// "development" for a dev Frontend API host (or the demo's loopback one),
// "production" for a clerk.<domain> host, "" when it cannot tell.
func instanceType(issuer string) clerk.InstanceType {
	u, err := url.Parse(strings.TrimSpace(issuer))
	if err != nil || u.Host == "" {
		return ""
	}
	host := u.Hostname()
	if (clerk.PublishableKey{FrontendAPI: u.Host}).IsDevHost() || clerk.IsClerkDevSlugHost(host) {
		return clerk.InstanceDevelopment
	}
	if strings.HasPrefix(strings.ToLower(host), "clerk.") {
		return clerk.InstanceProduction
	}
	return ""
}

// instanceWord is "development" or "production" for a title.
func instanceWord(t clerk.InstanceType) string {
	if t == "" {
		return "unknown"
	}
	return string(t)
}
