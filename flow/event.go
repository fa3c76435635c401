package flow

import (
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/diagnose"
)

// EventKind says what an Event carries.
type EventKind string

// Event kinds.
const (
	EventRun      EventKind = "run"      // the run's description, first event
	EventStep     EventKind = "step"     // a step changed; Step is its new snapshot
	EventFetch    EventKind = "fetch"    // the embedded backend fetched discovery or JWKS
	EventSchedule EventKind = "schedule" // refresh timers changed
	EventVerdict  EventKind = "verdict"  // isAuthenticated decided for a round
	EventNotice   EventKind = "notice"   // something the user should read (browser URL, waiting…)
	EventDone     EventKind = "done"     // the runner stopped; Err says why if it failed
)

// Event is the only thing the runner tells the outside world. The outputs
// (the interactive view, plain text, JSON) fold the same events into one
// Timeline, so they cannot disagree.
type Event struct {
	Kind     EventKind     `json:"kind"`
	At       time.Time     `json:"at"`
	Round    int           `json:"round"`
	Run      *RunInfo      `json:"run,omitempty"`
	Step     *Step         `json:"step,omitempty"`
	Fetch    *fetch.Record `json:"fetch,omitempty"`
	Schedule *Schedule     `json:"schedule,omitempty"`
	Verdict  *Verdict      `json:"verdict,omitempty"`
	Notice   string        `json:"notice,omitempty"`
	// NoticeKind and NoticeURL say what a notice is about (see Notice).
	NoticeKind NoticeKind `json:"noticeKind,omitempty"`
	NoticeURL  string     `json:"noticeUrl,omitempty"`
	Err        string     `json:"error,omitempty"`
}

// RunInfo describes the run for headers.
type RunInfo struct {
	Source     string `json:"source"`     // "demo", "clerk", "token"
	SourceName string `json:"sourceName"` // e.g. the Clerk dev instance's host
	Backend    string `json:"backend"`    // "embedded" or "deployment"
	BackendURL string `json:"backendUrl"`
	Project    string `json:"project,omitempty"` // the project folder, when found
	Scenario   string `json:"scenario,omitempty"`
	// Findings are what was found before the flow ran: the project's
	// static cross-checks (auth config, env values, publishable key).
	Findings []diagnose.Finding `json:"findings,omitempty"`
}

// Schedule holds the timers that keep going after step 8 (SPEC.md: Refetch, Token cache).
type Schedule struct {
	// NextRefetch is when the Convex client refetches: iat + (exp − iat − 10 s).
	NextRefetch time.Time `json:"nextRefetch,omitzero"`
	// ClerkRefresh is when ClerkJS's token cache refreshes the token in
	// the background: exp − 17 s (SPEC.md: Token cache).
	ClerkRefresh time.Time `json:"clerkRefresh,omitzero"`
	// JWKSExpiry is when the backend's cached JWKS goes stale: the time
	// the cache was filled plus its Cache-Control lifetime, as the
	// embedded backend reported it (hit or miss) or, for a deployment, as
	// the replay's own cache saw it.
	JWKSExpiry time.Time `json:"jwksExpiry,omitzero"`
	// Reason is set when no refetch can be scheduled (the client logs an error).
	Reason string `json:"reason,omitempty"`
}
