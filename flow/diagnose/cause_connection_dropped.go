package diagnose

import "github.com/authscope/authscope/flow/convex/wire"

// connectionDropped finds connection-dropped: the connection to the
// deployment ended without a close frame (an end of stream, a TCP reset,
// a truncated frame) before any verdict. Nothing was decided: the real
// client reconnects and sends the token again.
func connectionDropped(d *round) *Finding {
	kind, te := d.transport()
	if kind != wire.Dropped || te == nil {
		return nil
	}
	f := &Finding{Title: "The connection to the deployment dropped before any answer: nothing about the token was decided"}
	f.sentNote(te)
	f.note("how it ended", te.Detail)
	f.Fix = "Nothing in your configuration is at fault, and your app would not show false: the Convex client reconnects and sends the token again. " +
		"If it keeps happening, something between this machine and the deployment ends connections: a proxy, VPN, firewall or load balancer " +
		"(check HTTPS_PROXY and any proxy in between), or the network itself. Run authscope again, or from another network."
	return f
}
