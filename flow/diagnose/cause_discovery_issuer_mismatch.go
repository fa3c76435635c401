package diagnose

import (
	"strings"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// discoveryIssuerMismatch finds discovery-issuer-mismatch: the discovery
// document's issuer is not exactly the token's iss. The OIDC library Convex
// uses compares them as plain strings, so a trailing slash or a case
// difference counts.
func discoveryIssuerMismatch(d *round) *Finding {
	if d.stage != stageDiscovery || !d.replayReason(convexrules.ReasonDiscoveryIssuer) {
		return nil
	}
	got := d.trace().DiscoveredIssuer
	f := d.finding("The discovery document's issuer is not exactly the token's iss")
	f.compare("issuer", d.tok.iss, got)
	if !lookAlike(d.tok.iss, got) && !hasHidden(d.tok.iss) && !hasHidden(got) {
		// A trailing slash or a case difference is easy to miss too.
		f.codePoints("issuer", d.tok.iss, got)
	}
	f.note("discovery URL", d.discoveryURL())
	f.Fix = "The issuer field of the discovery document must equal the token's iss as a plain string: a trailing slash or a different case counts. Clerk serves them equal; a proxy, a custom domain or a custom issuer that rewrites the document must keep them identical."
	if info, other := d.other(); other {
		f.Fix = strings.Replace(f.Fix, "Clerk serves", info.Name+" serves", 1)
	}
	return f
}
