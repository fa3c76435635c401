package diagnose

import convexrules "github.com/authscope/authscope/flow/convex/rules"

// tokenNotYetValid finds token-not-yet-valid: the token's nbf or iat is in
// the future (the customJwt path allows 5 s).
func tokenNotYetValid(d *round) *Finding {
	if !d.failed(convexrules.ReasonNotYetValid) {
		return nil
	}
	f := d.finding("The token is not valid yet: its nbf or iat is in the future")
	f.compare("iat", "at or before "+stamp(d.Now), stamp(d.tok.iat))
	f.Fix = "The issuer's clock runs ahead of the backend's: set it from the network (NTP). Convex allows 5 s on the customJwt path."
	return f
}
