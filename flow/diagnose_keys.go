package flow

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/convex"
)

// The OIDC verifier's checks after discovery (reference/convex.md §1.3
// step 4, §1.5): audiences, algorithm, key selection, signature. The
// backend folds them all into one message; the replay says which.

func (d *diag) trace() convex.Trace {
	if d.st.Replay == nil {
		return convex.Trace{}
	}
	return d.st.Replay.Trace
}

func (d *diag) kids() string {
	var kids []string
	for _, k := range d.trace().Keys {
		if k.Kid != "" {
			kids = append(kids, k.Kid)
		}
	}
	if len(kids) == 0 {
		return "(none)"
	}
	return strings.Join(kids, ", ")
}

func (d *diag) unknownKid() *Finding {
	kid := d.tok.kid
	if !d.tok.hasKid {
		kid = "(no kid)"
	}
	f := d.finding(CauseUnknownKid, "The token is signed with a key the issuer's JWKS does not publish (unknown kid: key rotated or another instance's key)")
	f.compare("kid", "one of: "+d.kids(), kid)
	if u := d.trace().JWKSURL; u != "" {
		f.note("JWKS", u)
	}
	if det := d.detail(); det != "" {
		f.note("replay", det)
	}
	f.Fix = "Get a token signed with a published key: after a signing-key rotation (Clerk dashboard → API keys) sign out and in again so new tokens use the new key, and wait for the backend's cached JWKS to expire (its Cache-Control lifetime). A token from another instance (dev against prod) carries that instance's kid: see the issuer."
	f.Reference = "reference/convex.md §1.3 step 4, §1.7; reference/clerk.md §4.3"
	return f
}

func (d *diag) oidcAlgorithm() *Finding {
	f := d.finding(CauseOIDCAlgorithm, fmt.Sprintf("The token is signed with %s, which Convex's OIDC path refuses (RS256 and EdDSA only)", orDefault(d.tok.alg, "an unknown algorithm")))
	f.compare("alg", "RS256 or EdDSA", d.tok.alg)
	if d.st.Fetch.Path == TokenPathTemplate {
		f.note("token from", fmt.Sprintf("the JWT template %q", d.st.Fetch.Template))
	}
	f.Fix = `In the Clerk dashboard, JWT templates → convex: remove the custom signing key and algorithm so the template signs with the instance's RS256 key (published in its JWKS), or use the Convex integration's session token. To accept ES256 tokens, configure a customJwt provider with algorithm: "ES256" and the key's JWKS instead.`
	f.Reference = "reference/convex.md §1.3 step 4, §1.5; reference/clerk.md §4.3"
	return f
}

func (d *diag) multipleAudiences() *Finding {
	app := ""
	if p := d.trace().Provider; p != nil {
		app = p.ApplicationID
	}
	f := d.finding(CauseMultipleAudiences, "The token names several audiences; Convex's OIDC verifier rejects any audience besides the applicationID")
	f.compare("aud", app, d.tok.audText())
	f.Fix = fmt.Sprintf(`Issue the token for %q alone: in the Clerk dashboard, set the template's (or the session token's) "aud" claim to the string %q, not a list.`, app, app)
	f.Reference = "reference/convex.md §1.3 step 4"
	return f
}

func (d *diag) signature() *Finding {
	f := d.finding(CauseSignature, "The token's signature does not verify with the issuer's published key")
	if det := d.detail(); det != "" {
		f.note("replay", det)
	}
	f.Fix = "The token was altered after signing, or signed with a different key under the same kid. Fetch a fresh token from Clerk and send it unchanged."
	f.Reference = "reference/convex.md §1.3 step 4, §1.4 step 3"
	return f
}
