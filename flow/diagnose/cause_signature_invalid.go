package diagnose

import convexrules "github.com/authscope/authscope/flow/convex/rules"

// signatureInvalid finds signature-invalid: the token's signature does not
// verify with the issuer's published key of its kid.
func signatureInvalid(d *round) *Finding {
	if !d.failed(convexrules.ReasonSignature) {
		return nil
	}
	f := d.finding("The token's signature does not verify with the issuer's published key")
	f.noteReplay(d)
	f.Fix = "The token was altered after signing, or signed with a different key under the same kid. Fetch a fresh token from Clerk and send it unchanged."
	if info, other := d.other(); other {
		f.Fix = "The token was altered after signing, or signed with a different key under the same kid. Get a fresh token from " + info.Name + " and send it unchanged."
	}
	return f
}
