package diagnose

import (
	"strings"

	"fmt"
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// jwksCacheStale finds jwks-cache-stale: the backend refused, with "Could
// not verify OIDC token claim", a token that passes every check of the
// replay. After a key rotation Convex keeps its cached JWKS for the
// Cache-Control lifetime and does not refetch on an unknown kid; the
// embedded backend's fetches show whether it used a cached JWKS, a real
// deployment's cache is not visible.
func jwksCacheStale(d *round) *Finding {
	if d.stage != stageReplayAccepts || d.msg != convexrules.MsgOIDCUnverified {
		return nil
	}
	cached := d.cachedJWKS()
	if cached == nil && d.Embedded {
		return nil
	}
	title := "The backend checked the token against a cached JWKS that lacks its key: the signing key was rotated after the backend cached the keys"
	if cached == nil {
		title = "The deployment refused a token that passes every check here: most likely its cached JWKS predates a rotation of the signing key"
	}
	f := d.finding(title)
	f.compare("kid in the backend's JWKS", d.tok.kid, "(missing: authscope's fresh fetch of the JWKS has it)")
	if cached != nil {
		f.note("backend's JWKS", fmt.Sprintf("served from its cache (%s, fresh for %s)", cached.URL, cached.Lifetime.Round(time.Second)))
	} else {
		f.note("deployment", "its cache is not visible; authscope's fresh fetch of the JWKS has the key. A deployment whose clock is off would look the same")
	}
	f.Fix = "Wait until the backend's cached JWKS expires (its Cache-Control lifetime: Convex refetches only then, not on an unknown kid), or restart a local backend. Before rotating Clerk's signing key in production, keep the old key published long enough."
	if _, other := d.other(); other {
		f.Fix = strings.Replace(f.Fix, "Clerk's signing key", "the issuer's signing key", 1)
	}
	return f
}

// cachedJWKS is the embedded backend's last JWKS fetch served from its
// cache, if any.
func (d *round) cachedJWKS() *fetch.Record {
	var cached *fetch.Record
	for i, f := range d.BackendFetches {
		if f.Kind == fetch.JWKS && f.FromCache {
			cached = &d.BackendFetches[i]
		}
	}
	return cached
}
