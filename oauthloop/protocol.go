package oauthloop

import (
	"encoding/json"

	"github.com/authscope/authscope/flow"
)

// The page protocol: everything the landing page (assets/page.js) and the
// loopback server say to each other. HTTPBrowser speaks it through these same
// types; assets/page.js mirrors them by hand, and protocol_test.go fails when
// the script stops mentioning a field, path or kind defined here.
//
// Landing URL (built from the bound address, never from a name):
//
//		http://127.0.0.1:<port>/?state=<state>#secret=<secret>
//
//	  - state (query, ParamState) is the per-run value that round-trips through
//	    Clerk's sign-in page in redirect_url, as OAuth's state does
//	    (RFC 8252 §8.9). GET / without it, or with another value, is refused.
//	  - secret (fragment, ParamSecret) is 32 random bytes, base64url. A
//	    fragment never travels in a request line, so the secret reaches no log
//	    and no Referer; the page copies it into sessionStorage and removes it
//	    from the address bar (history.replaceState) before it hands
//	    location.href to Clerk as the redirect URL, so Clerk never sees it.
//
// Every POST carries:
//   - header HeaderSecret with the secret (missing: 401; wrong: 403);
//   - Content-Type: application/json (else 415);
//   - Origin: http://127.0.0.1:<port> (else 403);
//   - a JSON body of at most MaxBodyBytes (else 413) holding "state"
//     (wrong: 403), with no unknown fields (else 400).
//
// Exchanges (all POST, JSON in and out):
//
//	PathEvent    Event        → Reply    one final report per step 1–4 (a second: 409)
//	PathToken    TokenReport  → Reply    one per round: 0 is the sign-in, n a refresh (a second: 409)
//	PathCommand  PollRequest  → Command  long poll: the page asks what to do next
//	PathLeave    Leave        → Reply    the page is going away (pagehide), sent with keepalive
//
// The page's presence: after the sign-in the page always has a long poll
// in flight, except while it fetches a token. A poll the browser cuts off
// (the tab closed, its process gone) or a Leave, followed by no new poll
// within a short grace (a reload polls again at once), means the tab is
// gone: the Source says so and refresh rounds are not run until a poll
// comes again.
//
// A refused request gets a Reply with OK false and a message that never
// repeats the expected secret or state.
const (
	// PathLanding serves the landing page (GET).
	PathLanding = "/"
	// PathScript and PathStyle serve the page's script and style (GET);
	// the script is a file so that the page needs no inline script.
	PathScript = "/assets/page.js"
	PathStyle  = "/assets/page.css"
	// PathEvent takes step reports (POST).
	PathEvent = "/api/event"
	// PathToken takes token reports (POST).
	PathToken = "/api/token"
	// PathCommand is the long poll for commands (POST).
	PathCommand = "/api/command"
	// PathLeave takes the page's word that it is going away (POST).
	PathLeave = "/api/leave"
	// PathIcon serves the pages' icon (GET); PathFavicon, which browsers
	// ask for on their own, answers 204 No Content.
	PathIcon    = "/assets/icon.svg"
	PathFavicon = "/favicon.ico"

	// HeaderSecret carries the per-run secret on every POST. A custom
	// header also forces a CORS preflight on any cross-origin attempt,
	// which the server never answers with Access-Control-Allow-*.
	HeaderSecret = "X-Authscope-Secret"
	// ParamState is the landing URL's query parameter holding the state.
	ParamState = "state"
	// ParamSecret is the landing URL's fragment parameter holding the secret.
	ParamSecret = "secret"
	// ParamDevBrowser is the dev-browser handoff Clerk's sign-in page adds
	// to the redirect URL (SPEC.md "The page protocol"); its presence on return
	// is what step 3 reports.
	ParamDevBrowser = "__clerk_db_jwt"

	// MaxBodyBytes caps every POST body.
	MaxBodyBytes = 1 << 20

	// TemplateConvex is the JWT template ConvexProviderWithClerk asks for
	// when the session claims' aud is not "convex" (SPEC.md "The page protocol").
	TemplateConvex = "convex"
	// AudienceConvex is the session-claims aud of Clerk's Convex integration.
	AudienceConvex = "convex"
)

// Command kinds, the answer to a PollRequest.
const (
	// CommandRefresh asks the page for a new token: it runs the same
	// fetch as step 5 with SkipCache and posts a TokenReport for Round.
	CommandRefresh = "refresh"
	// CommandWait means nothing to do yet: poll again.
	CommandWait = "wait"
	// CommandClose means authscope is done: stop polling, say so.
	CommandClose = "close"
	// CommandProgress carries steps 5–8 as the terminal shows them
	// (Steps, up to Version): the page lists them and polls again with
	// Seen set to Version.
	CommandProgress = "progress"
)

// Instance types as ClerkJS names them (Clerk.instanceType).
const (
	InstanceDevelopment = "development"
	InstanceProduction  = "production"
)

// Event is the page's report of one browser-side step (1–4), posted to
// PathEvent once the step is over. Times are the browser's clock in
// milliseconds since the Unix epoch (performance.timeOrigin +
// performance.now()). Error holds the failure of a failed step, and the
// reason of a skipped one.
//
//   - click (1): Start is the navigation start, End the moment the page
//     script ran; PageURL (without the secret) and UserAgent are set.
//   - redirect (2): Start is when Clerk.load() began, End when the page hands
//     over to Clerk.redirectToSignIn; SignInURL (dev-browser value removed),
//     InstanceType and ClerkVersion are set. Skipped when the browser is
//     already signed in; failed when ClerkJS did not load or Clerk.load()
//     threw (Error holds ClerkJS's own message, e.g. "Production Keys are
//     only allowed for domain …", SPEC.md "The page protocol").
//   - return (3): Start is when the page left for the sign-in page, End when
//     it was back; Handoff says whether the URL carried ParamDevBrowser.
//   - provider (4): Start/End bracket Clerk.load(); UserID, SessionID and
//     SessionAud (the session claims' aud, any JSON) are set.
type Event struct {
	State  string      `json:"state"`
	Step   flow.StepID `json:"step"`
	Status flow.Status `json:"status"` // ok, fail or skipped
	Start  float64     `json:"start"`
	End    float64     `json:"end"`
	Error  string      `json:"error,omitempty"`

	PageURL      string          `json:"pageUrl,omitempty"`
	UserAgent    string          `json:"userAgent,omitempty"`
	SignInURL    string          `json:"signInUrl,omitempty"`
	InstanceType string          `json:"instanceType,omitempty"`
	ClerkVersion string          `json:"clerkVersion,omitempty"`
	Handoff      bool            `json:"handoff,omitempty"`
	UserID       string          `json:"userId,omitempty"`
	SessionID    string          `json:"sessionId,omitempty"`
	SessionAud   json.RawMessage `json:"sessionAud,omitempty"`
}

// TokenReport is the result of one token fetch, posted to PathToken: round 0
// right after step 4, round n in answer to a CommandRefresh. The page picks
// the path exactly as ConvexProviderWithClerk does (SPEC.md "The page
// protocol"): session claims aud === "convex" → getToken({skipCache}), else
// getToken({template: "convex", skipCache}); an exception gives a null Token,
// and the page adds what ConvexProviderWithClerk swallows: the HTTP status,
// Clerk's body and the message.
type TokenReport struct {
	State      string          `json:"state"`
	Round      int             `json:"round"`
	Path       string          `json:"path"` // flow.TokenPathSession or flow.TokenPathTemplate
	Template   string          `json:"template,omitempty"`
	SkipCache  bool            `json:"skipCache"`
	SessionAud json.RawMessage `json:"sessionAud,omitempty"`
	// Token is the bearer token, or null.
	Token      *string `json:"token"`
	Start      float64 `json:"start"`
	End        float64 `json:"end"`
	HTTPStatus int     `json:"httpStatus,omitempty"`
	Body       string  `json:"body,omitempty"`
	Error      string  `json:"error,omitempty"`
}

// PollRequest asks for the next command. After is the highest round the
// page has already started; the server answers with the oldest pending round
// above it, so a command whose answer was lost in transit is delivered again.
type PollRequest struct {
	State string `json:"state"`
	After int    `json:"after"`
	// Seen is the Version of the last progress the page has shown.
	Seen int `json:"seen,omitempty"`
}

// Command is the answer to a PollRequest.
type Command struct {
	Kind      string `json:"kind"`
	Round     int    `json:"round,omitempty"`
	SkipCache bool   `json:"skipCache,omitempty"`
	// Version and Steps are a CommandProgress: the latest round's steps
	// 5–8, each as the terminal has it.
	Version int        `json:"version,omitempty"`
	Steps   []PageStep `json:"steps,omitempty"`
}

// PageStep is one of steps 5–8 as the page shows it. Summary and Error
// come from tokens and servers: the page sets them as text, never HTML.
type PageStep struct {
	Step    flow.StepID `json:"step"`
	Round   int         `json:"round"`
	Status  flow.Status `json:"status"`
	Summary string      `json:"summary,omitempty"`
	Error   string      `json:"error,omitempty"`
}

// Leave is the page's word that it is going away: it posts it from
// pagehide with fetch's keepalive, so that it outlives the page.
type Leave struct {
	State string `json:"state"`
}

// Reply answers Event and TokenReport posts, and every refused request.
type Reply struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// TokenPathFor picks the token path from the session claims' aud exactly as
// ConvexProviderWithClerk does: only the JSON string "convex" selects the
// session token; anything else (absent, another string, an array) selects
// the "convex" template (SPEC.md "The page protocol").
func TokenPathFor(sessionAud json.RawMessage) (path, template string) {
	var s string
	if len(sessionAud) > 0 && json.Unmarshal(sessionAud, &s) == nil && s == AudienceConvex {
		return flow.TokenPathSession, ""
	}
	return flow.TokenPathTemplate, TemplateConvex
}

// audText renders a session-claims aud for flow.TokenResult.SessionAud: a
// JSON string as its value, absent or null as "", anything else as JSON.
func audText(aud json.RawMessage) string {
	if len(aud) == 0 || string(aud) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(aud, &s) == nil {
		return s
	}
	return string(aud)
}
