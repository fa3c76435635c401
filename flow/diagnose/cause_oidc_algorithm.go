package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/provider"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// oidcAlgorithm finds oidc-algorithm: the token is signed with an algorithm
// Convex's OIDC path refuses: it allows RS256 and EdDSA only
// (set_allowed_algs in convex-backend crates/authentication/src/lib.rs).
func oidcAlgorithm(d *round) *Finding {
	if !d.failed(convexrules.ReasonAlgorithm) || d.customJWT() {
		return nil
	}
	f := d.finding(fmt.Sprintf("The token is signed with %s, which Convex's OIDC path refuses (RS256 and EdDSA only)", orDefault(d.tok.alg, "an unknown algorithm")))
	f.compare("alg", "RS256 or EdDSA", d.tok.alg)
	if d.Fetch.Path == PathTemplate {
		f.note("token from", fmt.Sprintf("the JWT template %q", d.Fetch.Template))
	}
	f.Fix = `In the Clerk dashboard, JWT templates → convex: remove the custom signing key and algorithm so the template signs with the instance's RS256 key (published in its JWKS), or use the Convex integration's session token.`
	if info, other := d.other(); other {
		f.Fix = fmt.Sprintf("Have %s sign its tokens with RS256, with the key published in its JWKS.", info.Name)
		if info.ID == provider.Auth0 {
			f.Fix += " In Auth0: Applications → your app → Advanced Settings → OAuth → JSON Web Token Signature Algorithm."
		}
	}
	switch alg := d.tok.alg; {
	case alg == "ES256":
		// customJwt providers allow RS256 and ES256 (rules/push.go).
		f.Fix += ` To accept ES256 tokens instead, configure a customJwt provider with algorithm: "ES256" and the key's JWKS.`
	case strings.HasPrefix(alg, "HS"):
		f.Fix += " " + alg + " signs with a shared secret, which no Convex provider accepts: Convex checks a token's signature with the issuer's public key."
	}
	return f
}
