package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// customJWTWrongAlgorithm finds custom-jwt-wrong-algorithm: the customJwt
// provider's algorithm is not the token's alg (only RS256 and ES256 can be
// configured).
func customJWTWrongAlgorithm(d *round) *Finding {
	if !d.failed(convexrules.ReasonAlgorithm) || !d.customJWT() {
		return nil
	}
	p := d.customProvider()
	f := d.finding(fmt.Sprintf("The token is signed with %s but the customJwt provider is configured for %s", orDefault(d.tok.alg, "(no alg)"), p.Algorithm))
	f.compare("algorithm", p.Algorithm, d.tok.alg)
	for _, k := range d.trace().Keys {
		if k.Kid == d.tok.kid && k.Alg != "" {
			f.note("JWK "+k.Kid+" alg", k.Alg)
		}
	}
	f.noteReplay(d)
	f.Fix = fmt.Sprintf(`Set algorithm: %q in the customJwt provider of convex/auth.config.ts (the algorithm the issuer signs with; only RS256 and ES256 are allowed), then run %s.`, d.tok.alg, d.names.push())
	return f
}
