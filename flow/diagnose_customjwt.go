package flow

import (
	"fmt"

	"github.com/authscope/authscope/flow/convex"
)

// The customJwt provider path (reference/convex.md §1.4): a configured
// JWKS fetched with a required Content-Type, a required kid, and one
// configured algorithm.

const customReference = "reference/convex.md §1.4, §1.10 C1–C6, §4.2 (Custom JWT)"

func (d *diag) customProvider() convex.Provider {
	if p := d.trace().Provider; p != nil {
		return *p
	}
	return convex.Provider{Kind: convex.KindCustomJWT}
}

func (d *diag) customMissingKid() *Finding {
	p := d.customProvider()
	f := d.finding(CauseCustomJWTMissingKid, "The token has no kid header; the customJwt path picks the JWKS key by kid")
	f.compare("kid", "a kid from "+p.JWKS, "")
	f.Fix = fmt.Sprintf("Make the issuer put a kid header in every token, equal to the kid of its key in %s.", p.JWKS)
	f.Reference = customReference
	return f
}

func (d *diag) customAlgorithm() *Finding {
	p := d.customProvider()
	f := d.finding(CauseCustomJWTAlgorithm, fmt.Sprintf("The token is signed with %s but the customJwt provider is configured for %s", orDefault(d.tok.alg, "(no alg)"), p.Algorithm))
	f.compare("algorithm", p.Algorithm, d.tok.alg)
	for _, k := range d.trace().Keys {
		if k.Kid == d.tok.kid && k.Alg != "" {
			f.note("JWK "+k.Kid+" alg", k.Alg)
		}
	}
	if det := d.detail(); det != "" {
		f.note("replay", det)
	}
	f.Fix = fmt.Sprintf(`Set algorithm: %q in the customJwt provider of convex/auth.config.ts (the algorithm the issuer signs with; only RS256 and ES256 are allowed), then run %s.`, d.tok.alg, d.names.push())
	f.Reference = "reference/convex.md §1.4 step 3, §1.5, §1.10 C6, §4.2 (Custom JWT)"
	return f
}

func (d *diag) customContentType() *Finding {
	p := d.customProvider()
	got := "(none)"
	for _, c := range d.trace().Checks {
		if c.Name == convex.CheckJWKSContentType && !c.OK {
			got = c.Actual
		}
	}
	f := d.finding(CauseCustomJWTContentType, "The JWKS is served with a Content-Type the customJwt path refuses")
	f.compare("Content-Type", "application/json or application/jwk-set+json", got)
	f.note("JWKS", p.JWKS)
	f.Fix = fmt.Sprintf(`Serve %s with Content-Type: application/json (or application/jwk-set+json; a charset, if any, must be utf-8), or inline the keys as jwks: "data:text/plain;charset=utf-8;base64,…" in convex/auth.config.ts.`, p.JWKS)
	f.Reference = customReference
	return f
}

func (d *diag) customJWKS() *Finding {
	p := d.customProvider()
	f := d.finding(CauseCustomJWTJWKS, "The customJwt provider's JWKS cannot be fetched or read")
	f.note("JWKS", p.JWKS)
	if det := d.detail(); det != "" {
		f.note("replay", det)
	}
	f.Fix = "Make the jwks URL in convex/auth.config.ts answer 200 with a JSON Web Key Set ({\"keys\": [...]}) reachable from the deployment, or inline it as a data: URL."
	f.Reference = customReference
	return f
}
