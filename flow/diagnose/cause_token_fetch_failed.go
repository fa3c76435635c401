package diagnose

import "fmt"

// tokenFetchFailed finds token-fetch-failed: Clerk gave
// ConvexProviderWithClerk no token and said why (any answer but the
// template's 404).
func tokenFetchFailed(d *round) *Finding {
	if d.stage != stageNoToken {
		return nil
	}
	tr := d.Fetch
	f := &Finding{Title: "Clerk did not give ConvexProviderWithClerk a token"}
	if tr.HTTPStatus != 0 {
		f.note("Frontend API answered", fmt.Sprintf("HTTP %d %s", tr.HTTPStatus, clerkErrorText(tr.Body)))
	}
	if tr.Err != "" {
		f.note("error", tr.Err)
	}
	f.Fix = "Look at the error Clerk returned: a 401 or 403 means the session is gone (sign in again); 429 and 5xx are retried by ClerkJS up to 8 times; a network error means the browser cannot reach the Frontend API the publishable key names."
	return f
}
