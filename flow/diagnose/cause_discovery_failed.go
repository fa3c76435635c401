package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/convex/fetch"
	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// discoveryFailed finds discovery-failed: the issuer's discovery document or
// its JWKS answers 404, 5xx or a wrong content type. The backend then closes
// the socket with 1000 or 1013 AuthProviderDiscoveryFailed and sends no
// AuthError.
func discoveryFailed(d *round) *Finding {
	if d.stage != stageDiscovery {
		return nil
	}
	ff, ok := d.failedFetch()
	what := "discovery document"
	if ok && ff.Kind == fetch.JWKS {
		what = "JWKS"
	}
	answer := "an unusable answer"
	if ok && ff.Status != 0 {
		answer = convexrules.RustStatusDisplay(ff.Status)
	}
	title := fmt.Sprintf("The issuer's %s answers %s", what, answer)
	if out := d.Outcome; d.msg == "" && out != nil && out.Closed {
		title += fmt.Sprintf(": the backend closes the socket (%d %s) without an AuthError", out.CloseCode, out.CloseReason)
	}
	f := d.finding(title)
	url := d.discoveryURL()
	if ok {
		url = ff.URL
	}
	f.compare("GET "+url, "200 OK, application/json", answer)
	if out := d.Outcome; d.msg == "" && out != nil && out.Closed {
		// What the app shows: the real client treats the close as a lost
		// connection, reconnects and authenticates again, so it never settles.
		f.note("your app", "the Convex client reconnects and retries; useConvexAuth() stays isLoading: true, isAuthenticated: false")
	}
	f.noteReplay(d)
	switch {
	case ok && ff.Status == 404:
		f.Fix = "Convex fetches the token's iss + /.well-known/openid-configuration, then its jwks_uri. A Clerk Frontend API always serves both, so a 404 means the iss is not a Frontend API URL, or a proxy or custom domain in front of it does not forward /.well-known/. Make both URLs answer 200 with application/json."
		if d.convexAuthToken() {
			f.Fix = "Convex fetches the token's iss + /.well-known/openid-configuration, then its jwks_uri. Convex Auth serves both from convex/http.ts: it must call auth.addHttpRoutes(http) and be pushed (npx convex dev)."
		} else if _, other := d.other(); other {
			f.Fix = "Convex fetches the token's iss + /.well-known/openid-configuration, then its jwks_uri. A 404 means the iss does not serve them, or a proxy or custom domain in front of it does not forward /.well-known/. Make both URLs answer 200 with application/json."
		}
	case ok && ff.Status >= 500:
		f.Fix = "The issuer is failing and Convex does not retry within a request: the client reconnects and tries again. Retry later, and check the issuer's status page (Clerk: status.clerk.com)."
		if _, other := d.other(); other {
			f.Fix = "The issuer is failing and Convex does not retry within a request: the client reconnects and tries again. Retry later, and check the issuer's status page."
		}
	default:
		f.Fix = "Serve the discovery document and the JWKS with 200 and Content-Type application/json (JWKS: application/jwk-set+json also works), with issuer and jwks_uri fields."
	}
	return f
}
