package diagnose

import (
	"strings"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// discoveryUnreachable finds discovery-unreachable: the backend cannot reach
// the issuer to fetch its discovery document: the replay's fetch failed in
// transport, or the replay fetched it from here while the deployment could
// not.
func discoveryUnreachable(d *round) *Finding {
	if d.stage != stageDiscovery {
		return nil
	}
	// authscope reached the issuer; the deployment did not.
	onlyDeployment := d.Replay != nil && d.Replay.Err == nil
	if !onlyDeployment && !d.replayReason(convexrules.ReasonDiscoveryTransport, convexrules.ReasonJWKSTransport) {
		return nil
	}
	f := d.finding("The backend cannot reach the issuer to fetch its discovery document")
	if ff, ok := d.failedFetch(); ok && ff.Err != "" {
		// The fetch error usually repeats the URL; the label has it.
		f.compare("GET "+ff.URL, "a response", strings.TrimPrefix(ff.Err, "GET "+ff.URL+": "))
	} else {
		f.note("discovery URL", d.discoveryURL())
	}
	if onlyDeployment {
		f.note("from this machine", "authscope fetched it: the deployment's network is what cannot reach it")
	}
	f.Fix = "The deployment fetches the token's iss over the network. A Convex cloud deployment reaches only public hosts: an issuer on localhost, a LAN or a VPN is invisible to it. A Clerk iss is its public Frontend API URL; for a custom Frontend API domain, check its DNS and TLS certificate."
	return f
}
