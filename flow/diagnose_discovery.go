package flow

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/convex"
)

// OIDC discovery and the JWKS fetch behind it (reference/convex.md §1.3
// steps 1–2): they are fetched from the token's iss, and a failure is
// AuthProviderDiscoveryFailed, which reaches a WebSocket client as an
// AuthError only for BadRequest, 401 and 403. A 404 closes the socket with
// 1000 and a 5xx with 1013, both without a message (§1.11).

const discoveryReference = "reference/convex.md §1.3 steps 1–2, §1.10 O1, §1.11"

var discoveryReasons = []convex.Reason{
	convex.ReasonDiscoveryTransport, convex.ReasonDiscoveryStatus, convex.ReasonDiscoveryContentType,
	convex.ReasonDiscoveryParse, convex.ReasonDiscoveryIssuer,
}

var oidcJWKSReasons = []convex.Reason{
	convex.ReasonJWKSTransport, convex.ReasonJWKSStatus, convex.ReasonJWKSContentType, convex.ReasonJWKSParse,
}

// discoveryFailure reports whether the round failed in discovery or in
// the JWKS fetch of the OIDC path, by the backend's answer or the replay.
func (d *diag) discoveryFailure() bool {
	out := d.st.Outcome
	if strings.HasPrefix(d.msg, "Auth provider discovery of ") {
		return true
	}
	if d.msg == "" && out != nil && out.Closed && out.CloseReason == convex.CodeDiscoveryFailed {
		return true
	}
	if d.customJWT() {
		return false
	}
	return d.msg == "" && (d.replayReason(discoveryReasons...) || d.replayReason(oidcJWKSReasons...))
}

// failedFetch is the replay's fetch that failed, if any.
func (d *diag) failedFetch() (convex.FetchRecord, bool) {
	fs := d.trace().Fetches
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].Err != "" || (fs[i].Status != 0 && fs[i].Status != 200) {
			return fs[i], true
		}
	}
	return convex.FetchRecord{}, false
}

func (d *diag) discovery() *Finding {
	switch {
	case d.replayReason(convex.ReasonDiscoveryIssuer):
		return d.discoveryIssuer()
	case d.replayReason(convex.ReasonDiscoveryTransport, convex.ReasonJWKSTransport):
		return d.discoveryUnreachable(false)
	case d.st.Replay != nil && d.st.Replay.Err == nil:
		// authscope reached the issuer; the deployment did not.
		return d.discoveryUnreachable(true)
	}
	return d.discoveryFailed()
}

func (d *diag) discoveryURL() string {
	if u := d.trace().DiscoveryURL; u != "" {
		return u
	}
	return strings.TrimRight(d.tok.iss, "/") + "/.well-known/openid-configuration"
}

func (d *diag) discoveryFailed() *Finding {
	ff, ok := d.failedFetch()
	what := "discovery document"
	if ok && ff.Kind == convex.FetchJWKS {
		what = "JWKS"
	}
	answer := "an unusable answer"
	if ok && ff.Status != 0 {
		answer = convex.RustStatusDisplay(ff.Status)
	}
	title := fmt.Sprintf("The issuer's %s answers %s", what, answer)
	if out := d.st.Outcome; d.msg == "" && out != nil && out.Closed {
		title += fmt.Sprintf(": the backend closes the socket (%d %s) without an AuthError", out.CloseCode, out.CloseReason)
	}
	f := d.finding(CauseDiscoveryFailed, title)
	url := d.discoveryURL()
	if ok {
		url = ff.URL
	}
	f.compare("GET "+url, "200 OK, application/json", answer)
	if det := d.detail(); det != "" {
		f.note("replay", det)
	}
	switch {
	case ok && ff.Status == 404:
		f.Fix = "Convex fetches the token's iss + /.well-known/openid-configuration, then its jwks_uri. A Clerk Frontend API always serves both, so a 404 means the iss is not a Frontend API URL, or a proxy or custom domain in front of it does not forward /.well-known/. Make both URLs answer 200 with application/json."
	case ok && ff.Status >= 500:
		f.Fix = "The issuer is failing and Convex does not retry within a request: the client reconnects and tries again. Retry later, and check the issuer's status page (Clerk: status.clerk.com)."
	default:
		f.Fix = "Serve the discovery document and the JWKS with 200 and Content-Type application/json (JWKS: application/jwk-set+json also works), with issuer and jwks_uri fields."
	}
	f.Reference = discoveryReference
	return f
}

func (d *diag) discoveryUnreachable(onlyDeployment bool) *Finding {
	url := d.discoveryURL()
	f := d.finding(CauseDiscoveryUnreachable, "The backend cannot reach the issuer to fetch its discovery document")
	if ff, ok := d.failedFetch(); ok && ff.Err != "" {
		// The fetch error usually repeats the URL; the label has it.
		f.compare("GET "+ff.URL, "a response", strings.TrimPrefix(ff.Err, "GET "+ff.URL+": "))
	} else {
		f.note("discovery URL", url)
	}
	if onlyDeployment {
		f.note("from this machine", "authscope fetched it: the deployment's network is what cannot reach it")
	}
	f.Fix = "The deployment fetches the token's iss over the network. A Convex cloud deployment reaches only public hosts: an issuer on localhost, a LAN or a VPN is invisible to it. A Clerk iss is its public Frontend API URL; for a custom Frontend API domain, check its DNS and TLS certificate."
	f.Reference = "reference/convex.md §1.3 steps 1–2, §1.7, §1.10 O1, §1.11"
	return f
}

func (d *diag) discoveryIssuer() *Finding {
	got := d.trace().DiscoveredIssuer
	f := d.finding(CauseDiscoveryIssuer, "The discovery document's issuer is not exactly the token's iss")
	f.compare("issuer", d.tok.iss, got)
	if !lookAlike(d.tok.iss, got) && !hasHidden(d.tok.iss) && !hasHidden(got) {
		// A trailing slash or a case difference is easy to miss too.
		e, a := codePointDiff(d.tok.iss, got)
		f.Evidence = append(f.Evidence, Comparison{Label: "issuer code points", Expected: e, Actual: a})
	}
	f.note("discovery URL", d.discoveryURL())
	f.Fix = "The issuer field of the discovery document must equal the token's iss as a plain string: a trailing slash or a different case counts. Clerk serves them equal; a proxy, a custom domain or a custom issuer that rewrites the document must keep them identical."
	f.Reference = "reference/convex.md §1.3 step 1, §1.10 O1"
	return f
}
