package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// customJWTJWKSContentType finds custom-jwt-jwks-content-type: the customJwt
// provider's JWKS is served with a Content-Type that path refuses (it takes
// application/json and application/jwk-set+json).
func customJWTJWKSContentType(d *round) *Finding {
	if !d.failed(convexrules.ReasonJWKSContentType) || !d.customJWT() {
		return nil
	}
	p := d.customProvider()
	got := "(none)"
	for _, c := range d.trace().Checks {
		if c.Name == convexrules.CheckJWKSContentType && !c.OK {
			got = c.Actual
		}
	}
	f := d.finding("The JWKS is served with a Content-Type the customJwt path refuses")
	f.compare("Content-Type", "application/json or application/jwk-set+json", got)
	f.note("JWKS", p.JWKS)
	f.Fix = fmt.Sprintf(`Serve %s with Content-Type: application/json (or application/jwk-set+json; a charset, if any, must be utf-8), or inline the keys as jwks: "data:text/plain;charset=utf-8;base64,…" in convex/auth.config.ts.`, p.JWKS)
	return f
}
