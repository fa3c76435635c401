package diagnose

import convexrules "github.com/authscope/authscope/flow/convex/rules"

// The customJwt provider path (the customJwt branch of validate in
// convex-backend crates/authentication/src/lib.rs): a configured JWKS
// fetched with a required Content-Type, a required kid, and one configured
// algorithm.

// customProvider is the customJwt provider the replay routed the token to.
func (d *round) customProvider() convexrules.Provider {
	if p := d.trace().Provider; p != nil {
		return *p
	}
	return convexrules.Provider{Kind: convexrules.KindCustomJWT}
}
