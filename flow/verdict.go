package flow

import (
	"context"
	"errors"

	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
)

// Verdict is the answer for one round: would useConvexAuth() say
// isAuthenticated: true?
//
// It says true or false only when that is what the user's app would show
// (SPEC.md: Verdict): the backend decided (a Transition that bumps the
// identity: true; an AuthError, a FatalError or a close frame after
// Authenticate: false), or the Convex client decided alone (the token
// getter returned null: the client sets false without asking the
// backend). Anything else leaves the round undecided, with the reason:
// Decided is false, Authenticated is false and means nothing.
type Verdict struct {
	Authenticated bool `json:"isAuthenticated"`
	// Decided says the verdict is what the app would show; DecidedBy says
	// who decided it.
	Decided   bool      `json:"decided"`
	DecidedBy DecidedBy `json:"decidedBy,omitempty"`
	// Undecided is why no verdict could be given, when Decided is false.
	Undecided Undecided `json:"undecided,omitempty"`
	// Message is the backend's exact text (AuthError, FatalError) if any.
	Message string `json:"message,omitempty"`
	// Problem says in one sentence what went wrong when the backend said
	// nothing: no token was fetched, the backend could not be reached, the
	// connection dropped…
	Problem string `json:"problem,omitempty"`
	// CloseCode and CloseReason describe a close without a message.
	CloseCode   int    `json:"closeCode,omitempty"`
	CloseReason string `json:"closeReason,omitempty"`
	// Reason is the replay's precise failing check, when known.
	Reason rules.Reason `json:"reason,omitempty"`
	// Findings are the round's causes, as flow/diagnose names them.
	Findings []diagnose.Finding `json:"findings,omitempty"`
}

// DecidedBy says who decided a verdict.
type DecidedBy string

// Who decides.
const (
	// DecidedByBackend: the backend answered Authenticate.
	DecidedByBackend DecidedBy = "backend"
	// DecidedByClient: the token getter returned null, so the Convex
	// client set isAuthenticated: false without asking the backend.
	DecidedByClient DecidedBy = "client"
)

// Undecided is why a round has no verdict: a short kebab-case code.
type Undecided string

// The reasons a round stays undecided.
const (
	UndecidedTimedOut           Undecided = "timed-out"           // authscope's own wait ran out (sign-in, token)
	UndecidedCancelled          Undecided = "cancelled"           // the run was interrupted
	UndecidedTabClosed          Undecided = "tab-closed"          // the sign-in tab went away
	UndecidedOffline            Undecided = "offline"             // this machine has no network
	UndecidedBackendUnreachable Undecided = "backend-unreachable" // no connection to the deployment: the token was not sent
	UndecidedConnectionDropped  Undecided = "connection-dropped"  // the connection ended without a close frame
	UndecidedNotConvex          Undecided = "not-convex"          // the peer does not speak Convex's sync protocol
	UndecidedSilent             Undecided = "silent"              // no verdict before the deadline
	UndecidedOversizeFrame      Undecided = "oversize-frame"      // a frame over the size limit, refused at its header
	UndecidedSignInFailed       Undecided = "sign-in-failed"      // steps 1–4 failed
	UndecidedSignInRefused      Undecided = "sign-in-refused"     // the sign-in could not even start (a production key)
)

var undecidedText = map[Undecided]string{
	UndecidedTimedOut:           "timed out",
	UndecidedCancelled:          "cancelled",
	UndecidedTabClosed:          "the sign-in tab was closed",
	UndecidedOffline:            "offline",
	UndecidedBackendUnreachable: "the backend could not be reached",
	UndecidedConnectionDropped:  "the connection dropped",
	UndecidedNotConvex:          "not a Convex backend",
	UndecidedSilent:             "no answer from the backend",
	UndecidedOversizeFrame:      "a frame over the size limit",
	UndecidedSignInFailed:       "the sign-in failed",
	UndecidedSignInRefused:      "the sign-in was refused",
}

// Text is the reason in words, for the outputs ("undecided: <Text>").
func (u Undecided) Text() string {
	if t, ok := undecidedText[u]; ok {
		return t
	}
	return string(u)
}

// UndecidedError is an error that says why it leaves the round undecided.
// A Source returns one (see WithUndecided) when it knows better than the
// runner why it gave up, for example a sign-in tab that was closed.
type UndecidedError struct {
	Reason Undecided
	Err    error
}

func (e *UndecidedError) Error() string { return e.Err.Error() }

func (e *UndecidedError) Unwrap() error { return e.Err }

// WithUndecided marks err with the reason it leaves a round undecided.
func WithUndecided(reason Undecided, err error) error {
	if err == nil {
		return nil
	}
	return &UndecidedError{Reason: reason, Err: err}
}

// undecidedBy names why err, which ended a wait, leaves a round
// undecided: the reason err carries, else cancelled when the run was
// interrupted (ctx, the run's own context, was cancelled), else fallback.
func undecidedBy(ctx context.Context, err error, fallback Undecided) Undecided {
	var ue *UndecidedError
	switch {
	case errors.As(err, &ue):
		return ue.Reason
	case errors.Is(ctx.Err(), context.Canceled):
		return UndecidedCancelled
	}
	return fallback
}
