package flow

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex"
)

// The issuer side of provider matching (reference/convex.md §1.2 step 4:
// the domain must equal the token's iss, trailing '/' aside) and its usual
// causes (reference/convex.md §4.1 step 3; reference/clerk.md §6).

const issuerReference = "reference/convex.md §1.2 step 4, §4.1 step 3; reference/clerk.md §1.2, §6"

// issuerKeyReference adds the publishable-key facts.
const issuerKeyReference = "reference/convex.md §1.2 step 4, §4.1 step 3; reference/clerk.md §1.1, §1.2, §6"

// issuerFix sets the domain variable to the token's issuer and pushes.
func (d *diag) issuerFix() string {
	n := d.names
	return fmt.Sprintf("Set the deployment's %s to exactly the token's issuer: %s, then run %s.",
		n.domainVar, n.envSet(n.domainVar, d.rightIssuer()), n.push())
}

func (d *diag) issuerMismatch(p convex.Provider, source string) *Finding {
	dom := issuerOf(p)
	m := convex.MatchProvider(p, d.tok.aud, d.tok.iss)
	title := "The token's issuer is not the domain the deployment trusts"
	fix := d.issuerFix()
	if lookAlike(m.Domain, m.Issuer) {
		title = "The deployment's domain looks like the token's issuer but is a different string (invisible or look-alike character)"
		fix = "The value holds a character that does not show (see the code points): it was probably pasted from a web page or chat. Type it again. " + fix
	}
	f := d.finding(CauseIssuerMismatch, title)
	f.compare("domain", d.tok.iss, dom)
	if source != "" {
		f.note("deployment providers from", source)
	}
	f.Fix = fix
	f.Reference = issuerReference
	return f
}

// jwksAsDomain is a domain set to the JWKS (or discovery) URL instead of
// the issuer: a common copy from Clerk's API keys page (ai-town PR #201).
func (d *diag) jwksAsDomain(p convex.Provider) *Finding {
	dom := issuerOf(p)
	f := d.finding(CauseIssuerJWKSURL, fmt.Sprintf("%s holds a well-known URL, not the issuer", d.names.domainVar))
	f.compare("domain", d.tok.iss, dom)
	f.Fix = "The domain is the issuer itself, without /.well-known/…: Convex adds /.well-known/openid-configuration and reads jwks_uri from it. " + d.issuerFix()
	f.Reference = "reference/convex.md §1.2 step 4, §1.3 step 1, §4.1 step 3; reference/clerk.md §1.2, §6"
	return f
}

// devVsProd is a token from one kind of instance against a domain of the
// other (reference/clerk.md §1.1–§1.2).
func (d *diag) devVsProd(p convex.Provider, tokenInst, domInst clerk.InstanceType) *Finding {
	n := d.names
	dom := issuerOf(p)
	f := d.finding(CauseIssuerDevVsProd, fmt.Sprintf("The app signs in with the %s Clerk instance but the deployment trusts the %s instance",
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
	f.Reference = issuerKeyReference
	return f
}

// otherInstance is two development instances: the app's publishable key
// names one, the deployment trusts another (reference/convex.md §4.1
// step 3: "the Clerk publishableKey belongs to another Clerk instance").
func (d *diag) otherInstance(p convex.Provider) *Finding {
	n := d.names
	dom := issuerOf(p)
	f := d.finding(CauseKeyOtherInstance, "The app's publishable key belongs to another Clerk instance than the one the deployment trusts")
	f.compare("domain", d.tok.iss, dom)
	if k, err := clerk.ParsePublishableKey(d.st.App.PublishableKey); err == nil {
		f.note("publishable key names", k.FrontendAPIURL())
	}
	host := strings.TrimPrefix(strings.TrimPrefix(dom, "https://"), "http://")
	f.Fix = fmt.Sprintf("Use one Clerk instance on both sides. Either put the publishable key of %s (Clerk dashboard → API keys of that instance) in %s in %s, or point the deployment at the key's instance: %s, then run %s.",
		host, n.keyVar, n.envFile, n.envSet(n.domainVar, d.tok.iss), n.push())
	f.Reference = issuerKeyReference
	return f
}
