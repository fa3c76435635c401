package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/clerk"
)

// applicationIDTypo finds application-id-typo: the deployment's
// applicationID is not the token's aud while aud is Clerk's "convex" (the
// integration and the Convex template both issue it) or renders like the
// applicationID. The comparison is exact and case-sensitive.
func applicationIDTypo(d *round) *Finding {
	if d.stage != stageNoProvider || !d.view().audienceFails() {
		return nil
	}
	app := d.view().target.ApplicationID
	typo := contains(d.tok.aud, clerk.ConvexAudience) && app != clerk.ConvexAudience
	for _, a := range d.tok.aud {
		if lookAlike(app, a) {
			typo = true
		}
	}
	if !typo {
		return nil
	}
	aud := d.tok.audText()
	f := d.finding(fmt.Sprintf("applicationID in convex/auth.config.ts is %q, not the token's aud %q", app, aud))
	f.compare("applicationID", aud, app)
	f.Fix = fmt.Sprintf(`Set applicationID: "convex" in convex/auth.config.ts (exactly: the comparison is case-sensitive; Clerk's Convex integration and its Convex template both issue aud "convex"), then run %s.`, d.names.push())
	if info, other := d.other(); other {
		f.Fix = fmt.Sprintf(`Set applicationID: "convex" in convex/auth.config.ts (exactly: the comparison is case-sensitive; %s's tokens carry aud "convex"), then run %s.`, info.Name, d.names.push())
	}
	return f
}
