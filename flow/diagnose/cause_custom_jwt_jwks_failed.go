package diagnose

import convexrules "github.com/authscope/authscope/flow/convex/rules"

// customJWTJWKSFailed finds custom-jwt-jwks-failed: the customJwt provider's
// JWKS cannot be fetched or read.
func customJWTJWKSFailed(d *round) *Finding {
	if !d.failed(convexrules.ReasonJWKSTransport, convexrules.ReasonJWKSStatus, convexrules.ReasonJWKSParse, convexrules.ReasonJWKSDataURL, convexrules.ReasonJWKSURLInvalid) ||
		!d.customJWT() {
		return nil
	}
	f := d.finding("The customJwt provider's JWKS cannot be fetched or read")
	f.note("JWKS", d.customProvider().JWKS)
	f.noteReplay(d)
	f.Fix = "Make the jwks URL in convex/auth.config.ts answer 200 with a JSON Web Key Set ({\"keys\": [...]}) reachable from the deployment, or inline it as a data: URL."
	return f
}
