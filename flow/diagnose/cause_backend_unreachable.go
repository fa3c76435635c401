package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/convex/wire"
)

// backendUnreachable finds backend-unreachable: the deployment did not
// answer Authenticate, so the token was never checked.
func backendUnreachable(d *round) *Finding {
	if kind, _ := d.transport(); d.stage != stageNoVerdict || (kind != "" && kind != wire.Unreachable) {
		return nil // the token was sent: another rule says what failed
	}
	n := d.names
	f := &Finding{Title: "The Convex deployment could not be reached: the token was never checked"}
	if d.SendErr != nil {
		f.note("error", d.SendErr.Error())
	}
	for _, u := range d.Unreached {
		f.note(u.Role, u.URL+": "+u.Failure.Text()+": "+u.Err)
	}
	f.Fix = fmt.Sprintf("Check the deployment URL (%s in %s, https://<name>.convex.cloud) and that the deployment is running (npx convex dev).", n.convexURLVar(), n.envFile)
	return f
}
