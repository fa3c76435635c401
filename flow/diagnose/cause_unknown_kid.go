package diagnose

import (
	"strings"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// unknownKid finds unknown-kid: the token is signed with a key the issuer's
// JWKS does not publish: the signing key was rotated, or the token comes
// from another instance.
func unknownKid(d *round) *Finding {
	if !d.failed(convexrules.ReasonNoMatchingKey, convexrules.ReasonUnknownKid) {
		return nil
	}
	kid := d.tok.kid
	if !d.tok.hasKid {
		kid = "(no kid)"
	}
	f := d.finding("The token is signed with a key the issuer's JWKS does not publish (unknown kid: key rotated or another instance's key)")
	f.compare("kid", "one of: "+d.kids(), kid)
	if u := d.trace().JWKSURL; u != "" {
		f.note("JWKS", u)
	}
	f.noteReplay(d)
	f.Fix = "Get a token signed with a published key: after a signing-key rotation (Clerk dashboard → API keys) sign out and in again so new tokens use the new key, and wait for the backend's cached JWKS to expire (its Cache-Control lifetime). A token from another instance (dev against prod) carries that instance's kid: see the issuer."
	if _, other := d.other(); other {
		f.Fix = "Get a token signed with a key the issuer publishes: after a signing-key rotation sign out and in again so new tokens use the new key, and wait for the backend's cached JWKS to expire (its Cache-Control lifetime). A token from another tenant or environment carries that one's kid: see the issuer."
	}
	return f
}

// kids lists the kids the replay's JWKS published.
func (d *round) kids() string {
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
