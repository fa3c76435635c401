package flow

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/clerk"
)

// The client side: no token reached the backend, or the backend could not
// be reached (reference/convex.md §3.3 step 1, §3.5; reference/clerk.md §0,
// §2.3).

// nullToken explains a round where ConvexProviderWithClerk got no token,
// so no Authenticate was ever sent.
func (d *diag) nullToken() *Finding {
	tr := d.st.Fetch
	switch {
	case tr.HTTPStatus == 404:
		return d.noConvexToken()
	case tr.HTTPStatus == 0 && tr.Body == "" && (tr.Err == "" || strings.HasSuffix(tr.Err, "returned null")):
		// Clerk had a session (step 4) and reported no error, yet the
		// client got nothing: nothing in a token can explain that.
		return d.clientWiring()
	}
	return d.tokenFetchFailed()
}

func (d *diag) noConvexToken() *Finding {
	tr := d.st.Fetch
	f := &Finding{Code: CauseNoConvexToken,
		Title: `Clerk's Convex integration is off and no JWT template is named "convex": getToken returns null and no Authenticate is sent`}
	aud := tr.SessionAud
	if aud == "" {
		aud = "(none)"
	}
	f.compare("session claims aud", clerk.ConvexAudience, aud)
	call := fmt.Sprintf("getToken({ template: %q })", orDefault(tr.Template, clerk.ConvexTemplateName))
	if tr.Path == TokenPathSession {
		call = "getToken()"
	}
	f.note(call, fmt.Sprintf("HTTP %d %s", tr.HTTPStatus, clerkErrorText(tr.Body)))
	f.note("Authenticate", "never sent: ConvexProviderWithClerk turns the failure into a null token")
	f.Fix = `In the Clerk dashboard, activate the Convex integration (https://dashboard.clerk.com/apps/setup/convex): it puts aud "convex" in the session token. Or create a JWT template from the Convex preset and keep its name exactly "convex" — ConvexProviderWithClerk asks for that name when the session token has no aud "convex".`
	f.Reference = "reference/convex.md §3.5; reference/clerk.md §0, §2.3, §6"
	return f
}

func (d *diag) tokenFetchFailed() *Finding {
	tr := d.st.Fetch
	f := &Finding{Code: CauseTokenFetchFailed, Title: "Clerk did not give ConvexProviderWithClerk a token"}
	if tr.HTTPStatus != 0 {
		f.note("Frontend API answered", fmt.Sprintf("HTTP %d %s", tr.HTTPStatus, clerkErrorText(tr.Body)))
	}
	if tr.Err != "" {
		f.note("error", tr.Err)
	}
	f.Fix = "Look at the error Clerk returned: a 401 or 403 means the session is gone (sign in again); 429 and 5xx are retried by ClerkJS up to 8 times; a network error means the browser cannot reach the Frontend API the publishable key names."
	f.Reference = "reference/clerk.md §2.3; reference/convex.md §3.5"
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

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// clientWiring is the cause nothing in a token can reveal: the provider
// tree. ConvexProviderWithClerk reads Clerk's session through the useAuth
// it is given, so it must sit inside ClerkProvider and get Clerk's own
// useAuth (reference/clerk.md §6 "Provider ordering"; reference/convex.md
// §3.4–§3.5).
func (d *diag) clientWiring() *Finding {
	n := d.names
	f := &Finding{Code: CauseClientWiring,
		Title: "Signed in to Clerk, but ConvexProviderWithClerk got no token: check how the providers are wired"}
	f.note("ClerkProvider", "has a signed-in session (step 4)")
	f.compare("token for Convex", "a JWT", "null, with no error from Clerk")
	f.Fix = wiringFix(n)
	f.Reference = "reference/clerk.md §6 (provider ordering); reference/convex.md §3.4, §3.5, §4.1 step 2"
	return f
}

// wiringFix says, in the framework's own files, how the providers nest.
func wiringFix(n appNames) string {
	switch n.id {
	case "nextjs":
		return fmt.Sprintf(`In %s (a "use client" file), render <ConvexProviderWithClerk client={convex} useAuth={useAuth}> with useAuth imported from %q, and in app/layout.tsx put <ClerkProvider> around it — ClerkProvider outside, ConvexProviderWithClerk inside, not the other way round. Keep a single copy of %s (npm ls %s).`,
			n.providerFile, n.clerkPackage, n.clerkPackage, n.clerkPackage)
	case "tanstack-start":
		return fmt.Sprintf(`In %s, render <ClerkProvider publishableKey={%s}> around <ConvexProviderWithClerk client={convex} useAuth={useAuth}> (not the other way round), with ClerkProvider and useAuth both imported from %q.`,
			n.providerFile, n.keyExpr, n.clerkPackage)
	case "unknown":
		return "Where your app renders ConvexProviderWithClerk: ClerkProvider must wrap it (not the other way round), and its useAuth prop must be the useAuth of the same Clerk SDK that provides ClerkProvider."
	}
	return fmt.Sprintf(`In %s, render <ClerkProvider publishableKey={%s}> around <ConvexProviderWithClerk client={convex} useAuth={useAuth}> (not the other way round), and import useAuth from %q in that file, not from convex/react or a second copy of Clerk's SDK (npm ls %s shows one).`,
		n.providerFile, n.keyExpr, n.clerkPackage, n.clerkPackage)
}

// productionKey is a pk_live_ key on authscope's loopback origin: Clerk
// accepts production keys only from the app's own domain, so the sign-in
// is refused before the flow starts (reference/clerk.md §1.4).
func (d *diag) productionKey() *Finding {
	k, err := clerk.ParsePublishableKey(strings.TrimSpace(d.st.App.PublishableKey))
	if err != nil || k.Instance != clerk.InstanceProduction {
		return nil
	}
	n := d.names
	f := &Finding{Code: CauseProductionKey,
		Title: "A production publishable key (pk_live_) cannot sign in from a loopback origin"}
	f.compare("publishable key", "pk_test_… (development instance)", "pk_live_… (production instance "+k.FrontendAPI+")")
	f.note("Clerk would answer", `Clerk: Production Keys are only allowed for domain "…" (origin_invalid)`)
	f.Fix = fmt.Sprintf("Inspect with the development instance: put its pk_test_ key in %s (%s) or pass it with --publishable-key. To check the production setup, fetch a token in your deployed app (await window.Clerk.session.getToken()) and give it to authscope with --token or on stdin.",
		n.keyVar, n.envFile)
	f.Reference = "reference/clerk.md §1.4, §6; DESIGN.md sources"
	return f
}

func (d *diag) backendUnreachable() *Finding {
	n := d.names
	f := &Finding{Code: CauseBackendUnreachable, Title: "The Convex deployment could not be reached: the token was never checked"}
	if d.st.SendErr != nil {
		f.note("error", d.st.SendErr.Error())
	}
	convexVar := strings.Replace(n.keyVar, "CLERK_PUBLISHABLE_KEY", "CONVEX_URL", 1)
	f.Fix = fmt.Sprintf("Check the deployment URL (%s in %s, https://<name>.convex.cloud) and that the deployment is running (npx convex dev).", convexVar, n.envFile)
	f.Reference = "reference/convex.md §2.1, §2.5"
	return f
}
