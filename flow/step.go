// Package flow is authscope's engine: the eight steps of Convex's Clerk
// guide, the events they emit, and the runner that drives a token source and
// a backend through them and then through the token refresh loop.
//
// flow has no UI, no flags and no globals. A Clock and an *http.Client are
// injected. The outputs (the interactive view, plain text, JSON) consume
// Events only, folded into one Timeline.
package flow

import "time"

// StepID is the stable identifier of one of the eight steps of Convex's
// Clerk guide (https://docs.convex.dev/auth/clerk). The interface, the JSON
// report and the tests all use these.
type StepID string

// The eight steps, in the order of the Convex guide.
const (
	StepClick     StepID = "click"
	StepRedirect  StepID = "redirect"
	StepReturn    StepID = "return"
	StepProvider  StepID = "provider"
	StepToken     StepID = "token"
	StepSend      StepID = "send"
	StepJWKS      StepID = "jwks"
	StepConfirmed StepID = "confirmed"
)

// Steps lists the step IDs in order.
var Steps = []StepID{StepClick, StepRedirect, StepReturn, StepProvider, StepToken, StepSend, StepJWKS, StepConfirmed}

// RefreshSteps are the steps a token refresh re-runs.
var RefreshSteps = []StepID{StepToken, StepSend, StepJWKS, StepConfirmed}

var stepTitles = map[StepID]string{
	StepClick:     "User clicks the login button",
	StepRedirect:  "Redirected to the sign-in page",
	StepReturn:    "Provider redirects back",
	StepProvider:  "ClerkProvider knows the user is signed in",
	StepToken:     "ConvexProviderWithClerk fetches a token",
	StepSend:      "Client sends the token to the backend",
	StepJWKS:      "Backend fetches the issuer's public key",
	StepConfirmed: "Backend confirms: isAuthenticated",
}

// Title is the step in the words of the Convex guide.
func (s StepID) Title() string {
	if t, ok := stepTitles[s]; ok {
		return t
	}
	return string(s)
}

// Index is the 1-based position of the step, or 0 for an unknown ID.
func (s StepID) Index() int {
	for i, id := range Steps {
		if id == s {
			return i + 1
		}
	}
	return 0
}

// Status is where a step stands.
type Status string

// Step statuses.
const (
	StatusPending Status = "pending"
	StatusRunning Status = "running"
	StatusOK      Status = "ok"
	StatusWarn    Status = "warn"
	StatusFail    Status = "fail"
	StatusSkipped Status = "skipped"
)

// Done reports whether the status is final.
func (s Status) Done() bool {
	return s == StatusOK || s == StatusWarn || s == StatusFail || s == StatusSkipped
}

// Step is a snapshot of one step of one round (round 0 is the sign-in,
// round n is "refresh #n").
type Step struct {
	ID       StepID        `json:"id"`
	Round    int           `json:"round"`
	Status   Status        `json:"status"`
	Start    time.Time     `json:"start,omitzero"`
	Duration time.Duration `json:"durationNs"`
	// Summary is the one-line key evidence shown beside the step.
	Summary string `json:"summary,omitempty"`
	// Error is the failure in one sentence, when Status is fail.
	Error  string  `json:"error,omitempty"`
	Detail *Detail `json:"detail,omitempty"`
	// BrowserTimed is true when Start and Duration were reported by the
	// browser rather than measured by authscope.
	BrowserTimed bool `json:"browserTimed,omitempty"`
}

// End is when the step ended, or now while it runs (never before its start).
func (s Step) End(now time.Time) time.Time {
	switch {
	case s.Status == StatusRunning && now.Before(s.Start):
		return s.Start
	case s.Status == StatusRunning:
		return now
	case s.Duration < 0:
		return s.Start
	}
	return s.Start.Add(s.Duration)
}

// Field is one labelled piece of evidence. Values may be untrusted: they are
// escaped by the reporter, never here.
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
}
