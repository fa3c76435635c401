package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// multipleAudiences finds multiple-audiences: the token's aud lists more
// than the applicationID; Convex's OIDC verifier rejects any audience
// besides it.
func multipleAudiences(d *round) *Finding {
	if !d.failed(convexrules.ReasonMultipleAudiences) {
		return nil
	}
	app := ""
	if p := d.trace().Provider; p != nil {
		app = p.ApplicationID
	}
	f := d.finding("The token names several audiences; Convex's OIDC verifier rejects any audience besides the applicationID")
	f.compare("aud", app, d.tok.audText())
	f.Fix = fmt.Sprintf(`Issue the token for %q alone: in the Clerk dashboard, set the template's (or the session token's) "aud" claim to the string %q, not a list.`, app, app)
	if info, other := d.other(); other {
		f.Fix = fmt.Sprintf(`Issue the token for %q alone: %s must put the string %q in aud, not a list with other audiences.`, app, info.Name, app)
	}
	return f
}
