package diagnose

import "github.com/authscope/authscope/flow/convex/wire"

// backendSilent finds backend-silent: the connection opened and the token
// was sent, but no verdict came before the deadline, whatever else the
// server sent meanwhile.
func backendSilent(d *round) *Finding {
	kind, te := d.transport()
	if kind != wire.Silent || te == nil {
		return nil
	}
	f := &Finding{Title: "The deployment never answered the token: no verdict came before the deadline"}
	f.sentNote(te)
	f.note("what came", te.Detail)
	f.Fix = "Nothing in your configuration is at fault: nothing was decided. Check that the deployment is running and not paused " +
		"(the Convex dashboard, or npx convex dev), and that no proxy holds WebSocket connections open without passing frames; then run authscope again."
	return f
}
