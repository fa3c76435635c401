package clerk

import (
	"net/url"
	"strings"
)

// Wire constants shared by FAPIClient, the embedded dev instance and its
// scripts (clerk.browser.js, signin.js). A test in devinstance reads the
// scripts and fails when one of them drifts from these values.
const (
	// APIVersion is the Frontend API version sent as __clerk_api_version
	// (SPEC.md "Frontend API requests", SUPPORTED_FAPI_VERSION).
	APIVersion = "2026-08-20"
	// APIVersionParam and JSVersionParam are the query parameters every
	// ClerkJS request carries.
	APIVersionParam = "__clerk_api_version"
	JSVersionParam  = "_clerk_js_version"
	// ScriptVersion is what FAPIClient and the demo's clerk.browser.js
	// report as _clerk_js_version (and the script as Clerk.version). It is
	// not a ClerkJS version and does not pretend to be one.
	ScriptVersion = "6.0.0-authscope-demo"
	// ClerkJSMajor is the ClerkJS major version the landing page asks for
	// (SPEC.md "Loading ClerkJS").
	ClerkJSMajor = "6"

	// DevBrowserParam carries the dev browser of a development instance
	// (SPEC.md "Dev browser", DEV_BROWSER_KEY).
	DevBrowserParam = "__clerk_db_jwt"
	// MethodParam tunnels verbs other than GET and POST.
	MethodParam = "_method"
	// SkipCacheParam=SkipCacheValue is added to token requests made with
	// skipCache: true (SPEC.md "The two token paths").
	SkipCacheParam = "debug"
	SkipCacheValue = "skip_cache"
	// RedirectURLParam is the Account Portal's return address, sent in the
	// URL hash as "#/?redirect_url=…" by ClerkJS or in the query of a
	// direct link (SPEC.md "Account Portal and redirectToSignIn").
	RedirectURLParam = "redirect_url"

	// StrategyField and IdentifierField are the sign-in form fields.
	StrategyField   = "strategy"
	IdentifierField = "identifier"
	// DemoSignInStrategy is the sign-in strategy of the embedded demo
	// instance: the user is named by IdentifierField and signs in without
	// a secret. Real Clerk has no such strategy; the demo exists to show
	// token handling. AutoSignIn sends it.
	DemoSignInStrategy = "demo_user"
)

// Paths of the Frontend API (SPEC.md "Frontend API requests").
const (
	PathDiscovery  = "/.well-known/openid-configuration"
	PathJWKS       = "/.well-known/jwks.json"
	PathDevBrowser = "/v1/dev_browser"
	PathEnv        = "/v1/environment"
	PathClient     = "/v1/client"
	PathSignIns    = "/v1/client/sign_ins"
	PathSessions   = "/v1/client/sessions"
)

// ScriptPath is the path ClerkJS's browser bundle is loaded from on a
// Frontend API host, for a version such as "6" or "6.40.0" (SPEC.md
// "Loading ClerkJS").
func ScriptPath(version string) string {
	return "/npm/@clerk/clerk-js@" + version + "/dist/clerk.browser.js"
}

// ScriptURL is the clerk.browser.js URL of a Frontend API URL (as returned
// by PublishableKey.FrontendAPIURL), for the ClerkJS major version the
// landing page uses. It is the same URL for the demo and for real Clerk.
func ScriptURL(frontendAPIURL string) string {
	return strings.TrimRight(frontendAPIURL, "/") + ScriptPath(ClerkJSMajor)
}

// TokenPath is the Frontend API path of a session token (template "") or a
// template token (SPEC.md "The two token paths").
func TokenPath(sessionID, template string) string {
	p := PathSessions + "/" + url.PathEscape(sessionID) + "/tokens"
	if template != "" {
		p += "/" + url.PathEscape(template)
	}
	return p
}
