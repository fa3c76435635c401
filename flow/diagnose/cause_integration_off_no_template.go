package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/clerk"
)

// integrationOffNoTemplate finds integration-off-no-template: Clerk answered
// 404 to the token fetch. ConvexProviderWithClerk asks for the template
// "convex" when the session token has no aud "convex"; without the
// integration and without that template Clerk has nothing to give, getToken
// returns null and no Authenticate is sent.
func integrationOffNoTemplate(d *round) *Finding {
	tr := d.Fetch
	if d.stage != stageNoToken || tr.HTTPStatus != 404 {
		return nil
	}
	f := &Finding{Title: `Clerk's Convex integration is off and no JWT template is named "convex": getToken returns null and no Authenticate is sent`}
	f.compare("session claims aud", clerk.ConvexAudience, orDefault(tr.SessionAud, "(none)"))
	call := fmt.Sprintf("getToken({ template: %q })", orDefault(tr.Template, clerk.ConvexTemplateName))
	if tr.Path == PathSession {
		call = "getToken()"
	}
	f.note(call, fmt.Sprintf("HTTP %d %s", tr.HTTPStatus, clerkErrorText(tr.Body)))
	f.note("Authenticate", "never sent: ConvexProviderWithClerk turns the failure into a null token")
	f.Fix = `In the Clerk dashboard, activate the Convex integration (https://dashboard.clerk.com/apps/setup/convex): it puts aud "convex" in the session token. Or create a JWT template from the Convex preset and keep its name exactly "convex" — ConvexProviderWithClerk asks for that name when the session token has no aud "convex".`
	return f
}

// clerkErrorText is the long_message of a ClerkErrors body, or the body.
func clerkErrorText(body string) string {
	const key = `"long_message":`
	if i := strings.Index(body, key); i >= 0 {
		rest := strings.TrimSpace(body[i+len(key):])
		if s := jsonString(leadingJSONString(rest)); s != "" && !strings.HasPrefix(s, `"`) {
			return s
		}
	}
	return body
}

// leadingJSONString returns the JSON string literal at the start of s.
func leadingJSONString(s string) string {
	if !strings.HasPrefix(s, `"`) {
		return ""
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return s[:i+1]
		}
	}
	return ""
}
