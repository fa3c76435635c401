package demo

import (
	"context"
	"time"

	"github.com/authscope/authscope/flow"
)

// mintedSource is the sign-in of a flavour authscope cannot run through
// its loopback page (only Clerk's dev instances allow that): steps 1–4
// are shown skipped with a sentence that says so, and each token comes
// straight from the embedded issuer, as its SDK would hand it to the
// Convex provider component.
type mintedSource struct {
	name  string
	why   string
	mint  func() (string, error)
	clock flow.Clock
}

// Kind is "demo".
func (m *mintedSource) Kind() string { return "demo" }

// Name names the embedded issuer.
func (m *mintedSource) Name() string { return m.name }

// SignIn reports steps 1–4 as skipped.
func (m *mintedSource) SignIn(_ context.Context, rep flow.Reporter) error {
	rep.Step(flow.StepReport{ID: flow.StepClick, Status: flow.StatusSkipped, Summary: "skipped: " + m.why})
	for _, id := range []flow.StepID{flow.StepRedirect, flow.StepReturn, flow.StepProvider} {
		rep.Step(flow.StepReport{ID: id, Status: flow.StatusSkipped, Summary: "skipped: no browser sign-in (see step 1)"})
	}
	return nil
}

// FetchToken mints a token; every call is a fresh one, as a forced
// refresh would get.
func (m *mintedSource) FetchToken(context.Context, bool) (flow.TokenResult, error) {
	start := m.now()
	tok, err := m.mint()
	res := flow.TokenResult{Path: flow.TokenPathGiven, Token: tok, Start: start, Latency: m.now().Sub(start)}
	if err != nil {
		res.Err = err.Error()
	}
	return res, err
}

func (m *mintedSource) now() time.Time {
	if m.clock == nil {
		return time.Now()
	}
	return m.clock.Now()
}

// Close does nothing: the issuer belongs to the stack.
func (m *mintedSource) Close() error { return nil }
