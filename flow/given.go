package flow

import (
	"context"
	"time"
)

// GivenToken is the "token" source: a token pasted, piped or passed with
// --token. There is no sign-in, so steps 1–4 are skipped, and it cannot be
// refetched.
type GivenToken struct {
	Token string
	// Label says where it came from ("--token", "stdin", a file name).
	Label string
	Clock Clock

	used bool
}

// Kind returns "token".
func (g *GivenToken) Kind() string { return "token" }

// Name says where the token came from.
func (g *GivenToken) Name() string {
	if g.Label == "" {
		return "given token"
	}
	return "token from " + g.Label
}

// SignIn reports steps 1–4 as skipped.
func (g *GivenToken) SignIn(_ context.Context, rep Reporter) error {
	for _, id := range []StepID{StepClick, StepRedirect, StepReturn, StepProvider} {
		rep.Step(StepReport{ID: id, Status: StatusSkipped, Summary: "skipped: the token was given directly"})
	}
	return nil
}

// FetchToken returns the token once; later calls return ErrCannotRefetch.
func (g *GivenToken) FetchToken(context.Context, bool) (TokenResult, error) {
	if g.used {
		return TokenResult{}, ErrCannotRefetch
	}
	g.used = true
	now := time.Time{}
	if g.Clock != nil {
		now = g.Clock.Now()
	}
	return TokenResult{Path: TokenPathGiven, Token: g.Token, Start: now}, nil
}

// Close does nothing.
func (g *GivenToken) Close() error { return nil }
