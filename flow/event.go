package flow

import (
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/provider"
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
	// Provider is the app's sign-in provider, when authscope knows it:
	// steps 4 and 5 and the refresh timers follow it. nil is Clerk, as
	// the demo and a Clerk sign-in are.
	Provider *provider.Info `json:"provider,omitempty"`
	// TokenFrom says how authscope gets the token for that provider: its
	// own sign-in through the loopback page (Clerk), or the token the app
	// sends, given to authscope.
	TokenFrom string `json:"tokenFrom,omitempty"`
}

// ProviderInfo is the run's sign-in provider: Clerk's when none is set.
func (r *RunInfo) ProviderInfo() provider.Info {
	if r == nil || r.Provider == nil {
		return provider.Lookup(provider.Clerk, false)
	}
	return *r.Provider
}

// StepTitle is a step's title in the words of the run's provider: steps 4
// and 5 name its components ("ConvexProviderWithAuth0 gets the ID
// token"); the others are the same for every provider.
func (r *RunInfo) StepTitle(id StepID) string {
	if r == nil || r.Provider == nil || provider.IsClerk(r.Provider.ID) {
		return id.Title()
	}
	switch id {
	case StepProvider:
		return r.Provider.ProviderStep
	case StepToken:
		return r.Provider.TokenStep
	}
	return id.Title()
}

// Schedule holds the timers that keep going after step 8 (SPEC.md: Refetch, Token cache).
type Schedule struct {
	// NextRefetch is when the Convex client refetches: iat + (exp − iat − 10 s).
	NextRefetch time.Time `json:"nextRefetch,omitzero"`
	// ClerkRefresh is when ClerkJS's token cache refreshes the token in
	// the background: exp − 17 s (SPEC.md: Token cache). Only for Clerk.
	ClerkRefresh time.Time `json:"clerkRefresh,omitzero"`
	// SDKRefresh is when another provider's SDK renews the token in the
	// background (AuthKit 10 s before exp), SDKRefreshLabel its name;
	// zero for an SDK that renews only when asked (flow/provider SPEC.md
	// "Token path").
	SDKRefresh      time.Time `json:"sdkRefresh,omitzero"`
	SDKRefreshLabel string    `json:"sdkRefreshLabel,omitempty"`
	// JWKSExpiry is when the backend's cached JWKS goes stale: the time
	// the cache was filled plus its Cache-Control lifetime, as the
	// embedded backend reported it (hit or miss) or, for a deployment, as
	// the replay's own cache saw it.
	JWKSExpiry time.Time `json:"jwksExpiry,omitzero"`
	// Reason is set when no refetch can be scheduled (the client logs an error).
	Reason string `json:"reason,omitempty"`
}
