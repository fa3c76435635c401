package diagnose

import convexrules "github.com/authscope/authscope/flow/convex/rules"

// backendDisagrees finds backend-disagrees: the embedded backend rejected a
// token that authscope's replay of the same rules accepts, with no cached
// JWKS to blame: it validated with state the replay does not share.
func backendDisagrees(d *round) *Finding {
	if d.stage != stageReplayAccepts {
		return nil
	}
	if d.msg == convexrules.MsgOIDCUnverified {
		// Provider matching passed on both sides, so the configs agree on
		// iss and aud; a later check failed on the backend only.
		f := d.finding("The backend refused a token that passes every check authscope repeats on this machine")
		f.note("authscope's own check", "accepts the token with the backend's own config and fresh fetches")
		f.Fix = "The backend validated with state that authscope's check does not share, most likely its clock (it checks exp with no leeway). Compare its clock with this machine's."
		return f
	}
	f := d.finding("The backend rejected a token that authscope's own check of the same rules accepts")
	f.note("authscope's own check", "accepts the token with the backend's own config")
	f.Fix = "The backend validated with state that authscope's check does not share: its HTTP cache of discovery and JWKS, or its clock. Restart it, or wait for the cache lifetime shown in step 7."
	return f
}
