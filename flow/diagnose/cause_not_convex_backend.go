package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/convex/wire"
)

// notConvexBackend finds not-convex-backend: the peer at the deployment URL
// does not speak Convex's sync protocol (a frame that is not a sync
// message, a binary frame, a WebSocket framing error, a web page).
func notConvexBackend(d *round) *Finding {
	kind, _ := d.transport()
	if kind != wire.NotConvex {
		return nil
	}
	n := d.names
	f := &Finding{Title: "The deployment URL does not lead to a Convex backend: the server there does not speak Convex's sync protocol"}
	f.note("error", d.SendErr.Error())
	f.Fix = fmt.Sprintf("Set %s (in %s) to the deployment URL npx convex dev prints, https://<name>.convex.cloud: not your app's own dev server, "+
		"not the .convex.site URL (it serves HTTP actions), not a proxy that rewrites WebSocket traffic.", n.convexURLVar(), n.envFile)
	return f
}
