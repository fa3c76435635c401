package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// customJWTMissingKid finds custom-jwt-missing-kid: a customJwt provider and
// a token without a kid header; that path picks the JWKS key by kid.
func customJWTMissingKid(d *round) *Finding {
	if !d.failed(convexrules.ReasonMissingKid) {
		return nil
	}
	p := d.customProvider()
	f := d.finding("The token has no kid header; the customJwt path picks the JWKS key by kid")
	f.compare("kid", "a kid from "+p.JWKS, "")
	f.Fix = fmt.Sprintf("Make the issuer put a kid header in every token, equal to the kid of its key in %s.", p.JWKS)
	return f
}
