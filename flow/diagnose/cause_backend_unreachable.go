package diagnose

import (
	"fmt"
	"strings"
)

// backendUnreachable finds backend-unreachable: the deployment did not
// answer Authenticate, so the token was never checked.
func backendUnreachable(d *round) *Finding {
	if d.stage != stageNoVerdict {
		return nil
	}
	n := d.names
	f := &Finding{Title: "The Convex deployment could not be reached: the token was never checked"}
	if d.SendErr != nil {
		f.note("error", d.SendErr.Error())
	}
	for _, u := range d.Unreached {
		f.note(u.Role, u.URL+": "+u.Failure.Text()+": "+u.Err)
	}
	convexVar := strings.Replace(n.keyVar, "CLERK_PUBLISHABLE_KEY", "CONVEX_URL", 1)
	f.Fix = fmt.Sprintf("Check the deployment URL (%s in %s, https://<name>.convex.cloud) and that the deployment is running (npx convex dev).", convexVar, n.envFile)
	return f
}
