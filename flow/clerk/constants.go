package clerk

import (
	"net/url"
	"strings"
	"time"
)

// Wire constants shared by the dev instance, FAPIClient and the embedded
// scripts (assets/clerk.browser.js, assets/signin.js). A test reads the
// scripts and fails when one of them drifts from these values.
const (
	// APIVersion is the Frontend API version ClerkJS sends as
	// __clerk_api_version (reference/clerk.md §3.1, SUPPORTED_FAPI_VERSION).
	APIVersion = "2026-05-12"
	// APIVersionParam and JSVersionParam are the query parameters every
	// ClerkJS request carries.
	APIVersionParam = "__clerk_api_version"
	JSVersionParam  = "_clerk_js_version"
	// ScriptVersion is what clerk.browser.js reports as Clerk.version and
	// _clerk_js_version. It is not a ClerkJS version and does not pretend
	// to be one.
	ScriptVersion = "6.0.0-authscope-demo"
	// ClerkJSMajor is the ClerkJS major version the landing page asks for
	// (reference/clerk.md §2.1, clerk-js v6).
	ClerkJSMajor = "6"

	// DevBrowserParam is the dev-browser query parameter of development
	// instances (reference/clerk.md §1.3, DEV_BROWSER_KEY).
	DevBrowserParam = "__clerk_db_jwt"
	// MethodParam tunnels verbs other than GET and POST (§3.1).
	MethodParam = "_method"
	// SkipCacheParam=SkipCacheValue is added to token requests made with
	// skipCache: true (§2.3).
	SkipCacheParam = "debug"
	SkipCacheValue = "skip_cache"
	// RedirectURLParam is the Account Portal's return address, sent in the
	// URL hash as "#/?redirect_url=…" by ClerkJS (§2.2) or in the query of a
	// direct link (§1.5).
	RedirectURLParam = "redirect_url"

	// DemoSignInStrategy is the sign-in strategy of the demo instance: the
	// user is named by IdentifierField and signs in without a secret. Real
	// Clerk has no such strategy; the demo exists to show token handling.
	DemoSignInStrategy = "demo_user"
	StrategyField      = "strategy"
	IdentifierField    = "identifier"

	// ConvexTemplateName and ConvexAudience are the names Convex expects
	// (reference/clerk.md §0): template "convex", applicationID "convex".
	ConvexTemplateName = "convex"
	ConvexAudience     = "convex"
)

// Token timing (reference/clerk.md §2.3, §4.2).
const (
	// SessionTokenLifetime is the lifetime of a Clerk session token.
	SessionTokenLifetime = 60 * time.Second
	// SessionTokenNotBefore is how far before iat a session token's nbf is,
	// as in Clerk's fixture session token (iat−10).
	SessionTokenNotBefore = 10 * time.Second
	// DefaultTemplateLifetime and TemplateClockSkew are the JWT template
	// defaults: exp = iat + 60 s, nbf = iat − 5 s.
	DefaultTemplateLifetime = 60 * time.Second
	TemplateClockSkew       = 5 * time.Second
	// BackgroundRefreshThreshold, RefreshLeadTime and PollerInterval are
	// ClerkJS's token cache rules: a cached token is refreshed in the
	// background at exp − 15 s − 2 s, and a read within 5 s of exp misses
	// the cache and fetches synchronously.
	BackgroundRefreshThreshold = 15 * time.Second
	RefreshLeadTime            = 2 * time.Second
	PollerInterval             = 5 * time.Second
)

// Paths served by the dev instance. The /v1 paths are Clerk's Frontend API
// (reference/clerk.md §3.1); the sign-in page stands in for the Account
// Portal (§1.5).
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
// Frontend API host, for a version such as "6" or "6.40.0"
// (reference/clerk.md §2.1).
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
// template token (reference/clerk.md §3.1).
func TokenPath(sessionID, template string) string {
	p := PathSessions + "/" + url.PathEscape(sessionID) + "/tokens"
	if template != "" {
		p += "/" + url.PathEscape(template)
	}
	return p
}
