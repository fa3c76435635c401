package diagnose

import (
	"strings"

	"github.com/authscope/authscope/flow/convex/fetch"
	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// On the OIDC path the backend fetches discovery and then the JWKS from
// the token's iss (validate_id_token in convex-backend
// crates/authentication/src/lib.rs). A failure is
// AuthProviderDiscoveryFailed, which reaches a WebSocket client as an
// AuthError only for BadRequest, 401 and 403; a 404 closes the socket
// with 1000 and a 5xx with 1013, both without a message.

var discoveryReasons = []convexrules.Reason{
	convexrules.ReasonDiscoveryTransport, convexrules.ReasonDiscoveryStatus, convexrules.ReasonDiscoveryContentType,
	convexrules.ReasonDiscoveryParse, convexrules.ReasonDiscoveryIssuer,
}

var oidcJWKSReasons = []convexrules.Reason{
	convexrules.ReasonJWKSTransport, convexrules.ReasonJWKSStatus, convexrules.ReasonJWKSContentType, convexrules.ReasonJWKSParse,
}

// discoveryFailure reports whether the round failed in discovery or in
// the JWKS fetch of the OIDC path, by the backend's answer or the replay.
func (d *round) discoveryFailure() bool {
	out := d.Outcome
	if strings.HasPrefix(d.msg, "Auth provider discovery of ") {
		return true
	}
	if d.msg == "" && out != nil && out.Closed && out.CloseReason == convexrules.CodeDiscoveryFailed {
		return true
	}
	if d.customJWT() {
		return false
	}
	return d.msg == "" && (d.replayReason(discoveryReasons...) || d.replayReason(oidcJWKSReasons...))
}

// failedFetch is the replay's fetch that failed, if any.
func (d *round) failedFetch() (fetch.Record, bool) {
	fs := d.trace().Fetches
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].Err != "" || (fs[i].Status != 0 && fs[i].Status != 200) {
			return fs[i], true
		}
	}
	return fetch.Record{}, false
}

// discoveryURL is where the backend looks for the discovery document.
func (d *round) discoveryURL() string {
	if u := d.trace().DiscoveryURL; u != "" {
		return u
	}
	return strings.TrimRight(d.tok.iss, "/") + "/.well-known/openid-configuration"
}
