package flow

import (
	"fmt"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex"
)

// The audience side of provider matching: aud must contain the
// applicationID, exactly and case-sensitively (reference/convex.md §1.2
// step 4). Clerk's Convex integration and its Convex template both issue
// aud "convex" (reference/clerk.md §0, §4.1), so which side is off can
// usually be told apart.

const audienceReference = "reference/convex.md §1.2 step 4, §4.1 step 3; reference/clerk.md §0, §4.1"

func (d *diag) audience(p convex.Provider) *Finding {
	app := p.ApplicationID
	aud := d.tok.audText()
	typo := contains(d.tok.aud, clerk.ConvexAudience) && app != clerk.ConvexAudience
	for _, a := range d.tok.aud {
		if lookAlike(app, a) {
			typo = true
		}
	}
	if typo {
		f := d.finding(CauseApplicationIDTypo, fmt.Sprintf("applicationID in convex/auth.config.ts is %q, not the token's aud %q", app, aud))
		f.compare("applicationID", aud, app)
		f.Fix = fmt.Sprintf(`Set applicationID: "convex" in convex/auth.config.ts (exactly: the comparison is case-sensitive; Clerk's Convex integration and its Convex template both issue aud "convex"), then run %s.`, d.names.push())
		f.Reference = audienceReference
		return f
	}
	title := fmt.Sprintf("The token's aud is %q but the deployment expects the applicationID %q", aud, app)
	if !d.tok.hasAud {
		title = fmt.Sprintf("The token has no aud claim; the deployment expects the applicationID %q", app)
	}
	f := d.finding(CauseAudienceMismatch, title)
	f.compare("aud", app, aud)
	switch {
	case !d.tok.hasAud:
		f.Fix = fmt.Sprintf(`Issue tokens with aud %q: activate Clerk's Convex integration (it adds aud "convex" to the session token), or add the claim "aud": %q to the JWT template %q.`, app, app, clerk.ConvexTemplateName)
	case d.st.Fetch.Path == TokenPathTemplate:
		f.note("token from", fmt.Sprintf("the JWT template %q (the Convex integration is off)", d.st.Fetch.Template))
		f.Fix = fmt.Sprintf(`In the Clerk dashboard, JWT templates → %s: set the claim "aud": %q (the Convex preset does), or activate the Convex integration, which issues aud "convex" in the session token. Or, if %q is intended, set applicationID: %q in convex/auth.config.ts and run %s.`,
			d.st.Fetch.Template, app, aud, aud, d.names.push())
	default:
		f.Fix = fmt.Sprintf(`Make the two equal: issue tokens with aud %q (Clerk's Convex integration does), or set applicationID to the token's aud in convex/auth.config.ts and run %s.`, app, d.names.push())
	}
	f.Reference = audienceReference
	return f
}
