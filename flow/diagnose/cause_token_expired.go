package diagnose

import (
	"fmt"
	"time"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// tokenExpired finds token-expired: the token had expired when the backend
// checked it. Convex's OIDC path allows no leeway on exp.
func tokenExpired(d *round) *Finding {
	if !d.failed(convexrules.ReasonExpired, convexrules.ReasonIdentityExpired) {
		return nil
	}
	now := d.Now
	f := d.finding("The token had already expired when the backend checked it")
	f.compare("exp", "after "+stamp(now)+" (now)", stamp(d.tok.exp))
	if d.tok.hasExp && !now.IsZero() {
		f.note("expired", now.Sub(d.tok.exp).Round(time.Second).String()+" before the check")
	}
	if c, ok := d.issuerClock(); ok && d.tok.hasIat {
		f.note("issued", fmt.Sprintf("%s before the issuer's current time (Date header)", c.Date.Sub(d.tok.iat).Round(time.Second)))
	}
	f.Fix = "Send a fresh token. The Convex client refetches one exp − iat − 10 s after each confirmation and Clerk's cache refreshes 17 s before exp; a token reused from a cache, copied from the browser or pasted with --token minutes later is already expired. Convex's OIDC path allows no leeway on exp."
	if _, other := d.other(); other {
		f.Fix = "Send a fresh token. The Convex client refetches one exp − iat − 10 s after each confirmation; a token reused from a cache, copied from the browser or pasted with --token after it expired is refused. Convex's OIDC path allows no leeway on exp."
	}
	return f
}
