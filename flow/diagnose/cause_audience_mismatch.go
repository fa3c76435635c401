package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/clerk"
)

// audienceMismatch finds audience-mismatch: the token's aud does not contain
// the deployment's applicationID (a JWT template whose aud claim was edited,
// or no aud).
func audienceMismatch(d *round) *Finding {
	if d.stage != stageNoProvider || !d.view().audienceFails() {
		return nil
	}
	app := d.view().target.ApplicationID
	aud := d.tok.audText()
	title := fmt.Sprintf("The token's aud is %q but the deployment expects the applicationID %q", aud, app)
	if !d.tok.hasAud {
		title = fmt.Sprintf("The token has no aud claim; the deployment expects the applicationID %q", app)
	}
	f := d.finding(title)
	f.compare("aud", app, aud)
	info, other := d.other()
	switch {
	case other && !d.tok.hasAud:
		f.Fix = fmt.Sprintf(`%s's tokens carry no aud: issue them with aud %q, or trust them with a customJwt provider without applicationID (aud is then not checked), then run %s.`, info.Name, app, d.names.push())
	case other:
		f.Fix = fmt.Sprintf(`Make the two equal: issue tokens with aud %q from %s, or set applicationID to the token's aud in convex/auth.config.ts and run %s.`, app, info.Name, d.names.push())
	case !d.tok.hasAud:
		f.Fix = fmt.Sprintf(`Issue tokens with aud %q: activate Clerk's Convex integration (it adds aud "convex" to the session token), or add the claim "aud": %q to the JWT template %q.`, app, app, clerk.ConvexTemplateName)
	case d.Fetch.Path == PathTemplate:
		f.note("token from", fmt.Sprintf("the JWT template %q (the Convex integration is off)", d.Fetch.Template))
		f.Fix = fmt.Sprintf(`In the Clerk dashboard, JWT templates → %s: set the claim "aud": %q (the Convex preset does), or activate the Convex integration, which issues aud "convex" in the session token. Or, if %q is intended, set applicationID: %q in convex/auth.config.ts and run %s.`,
			d.Fetch.Template, app, aud, aud, d.names.push())
	default:
		f.Fix = fmt.Sprintf(`Make the two equal: issue tokens with aud %q (Clerk's Convex integration does), or set applicationID to the token's aud in convex/auth.config.ts and run %s.`, app, d.names.push())
	}
	return f
}
