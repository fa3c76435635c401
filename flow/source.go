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

// Reporter receives a source's step reports and notices. The runner's
// Reporter may be kept and used after SignIn, from any goroutine, for
// notices (a sign-in tab that went away); once the run has ended its calls
// do nothing.
type Reporter interface {
	Step(StepReport)
	// Notice gives the user something to read: n's Kind, Text and URL
	// (the runner stamps the rest).
	Notice(n Notice)
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

// PageChange is the sign-in page going away or coming back.
type PageChange struct {
	Open bool
	// Detail says what was seen: "the page said it was leaving", "its
	// connection closed", "it asked for work again".
	Detail string
}

// PageSource is a Source whose tokens come through a page the user can
// close and open again: the sign-in tab. The runner watches it, so that a
// closed tab is said at once and a refresh that cannot run is marked as
// not run instead of failing: FetchToken returns an error marked
// UndecidedTabClosed (WithUndecided) at once while the page is away.
type PageSource interface {
	Source
	// PageChanges delivers the page's comings and goings after SignIn.
	PageChanges() <-chan PageChange
	// Reopen opens the sign-in page again (in the browser the source
	// uses, or by giving its URL) and says what it did through rep.
	Reopen(ctx context.Context, rep Reporter) error
}

// StepObserver is a Source that is shown steps 5–8 of every round as they
// change: the sign-in page lists them, so that the browser never looks
// done while the terminal shows a failure.
type StepObserver interface {
	// ObserveStep must return at once; s may come from any goroutine.
	ObserveStep(s Step)
}

// Endpoint is a server a run needs to reach from this machine.
type Endpoint struct {
	// Role names it for the user: "Frontend API", "deployment".
	Role string
	URL  string
	// Step is the first step that needs it.
	Step StepID
}

// Networked is a Source whose sign-in needs servers on the network (the
// Frontend API the page loads ClerkJS from): before anything is opened,
// the runner checks that this machine reaches them, and the deployment.
type Networked interface {
	Endpoints() []Endpoint
}
