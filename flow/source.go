package flow

import (
	"context"
	"errors"
	"time"
)

// StepReport is what a token source says about one of the browser-side
// steps (1–5). A report with Status running opens the step; a final status
// closes it.
type StepReport struct {
	ID       StepID
	Status   Status
	Start    time.Time
	Duration time.Duration
	Summary  string
	Fields   []Field
	Error    string
	// BrowserTimed marks times measured by the browser's own clock.
	BrowserTimed bool
}

// Reporter receives a source's step reports and notices.
type Reporter interface {
	Step(StepReport)
	Notice(string)
}

// TokenResult is a token fetched the way ConvexProviderWithClerk fetches it
// (SPEC.md: Token path). Token is empty when the fetch returned null.
type TokenResult struct {
	Path     string // TokenPath…
	Template string
	Token    string
	Start    time.Time
	Latency  time.Duration
	// HTTPStatus and Body describe a failed Frontend API call, Err any failure.
	HTTPStatus int
	Body       string
	Err        string
	// SessionAud is the session claims' aud the path was chosen from.
	SessionAud   string
	BrowserTimed bool
}

// ErrCannotRefetch is returned by sources that cannot produce a new token,
// such as a token given on the command line.
var ErrCannotRefetch = errors.New("this token source cannot fetch a new token")

// Source produces tokens: the demo dev instance or a real Clerk dev instance
// through the browser, or a token given directly.
type Source interface {
	// Kind is "demo", "clerk" or "token"; Name is shown in headers.
	Kind() string
	Name() string
	// SignIn runs steps 1–4, reporting each through rep. A source without a
	// sign-in reports them skipped.
	SignIn(ctx context.Context, rep Reporter) error
	// FetchToken is step 5. The first call after SignIn may return the
	// token the page already fetched; skipCache forces a fresh token.
	FetchToken(ctx context.Context, skipCache bool) (TokenResult, error)
	// Close releases what the source started (servers, browser tabs).
	Close() error
}
