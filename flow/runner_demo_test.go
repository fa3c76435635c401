package flow_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/oauthloop"
)

// runDemo runs the whole flow over real loopback servers: the embedded dev
// instance and backend, the loopback page server and the HTTP browser.
func runDemo(t *testing.T, sc *demo.Scenario, tweak func(*flow.Config)) (*flow.Timeline, *demo.Stack) {
	t.Helper()
	return runDemoOpts(t, sc, nil, tweak)
}

// runDemoOpts runs the demo with another browser and a config tweak.
func runDemoOpts(t *testing.T, sc *demo.Scenario, opener func(*demo.Stack) oauthloop.Opener, tweak func(*flow.Config)) (*flow.Timeline, *demo.Stack) {
	t.Helper()
	return runDemoWatch(t, sc, opener, tweak, nil)
}

// runDemoWatch is runDemoOpts that hands each event to on, once folded,
// with the function that stops the run: the test acts as the user does.
func runDemoWatch(t *testing.T, sc *demo.Scenario, opener func(*demo.Stack) oauthloop.Opener, tweak func(*flow.Config),
	on func(ev flow.Event, stop func())) (*flow.Timeline, *demo.Stack) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	hc := &http.Client{Timeout: 10 * time.Second}
	stack, err := demo.Start(ctx, demo.Options{HTTPClient: hc, Scenario: sc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stack.Close() })
	var op oauthloop.Opener = &oauthloop.HTTPBrowser{Client: hc, UserID: stack.Clerk.Users()[0].ID}
	if opener != nil {
		op = opener(stack)
	}
	src, err := oauthloop.NewSource(oauthloop.SourceConfig{
		Kind:           oauthloop.KindDemo,
		PublishableKey: stack.Clerk.PublishableKey(),
		Opener:         op,
		Timeout:        30 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = src.Close() })
	cfg := stack.RunnerConfig(src, hc)
	if tweak != nil {
		tweak(&cfg)
	}
	r, err := flow.NewRunner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	events := make(chan flow.Event, 16)
	go func() { _, _ = r.Run(runCtx, events) }()
	rep := flow.NewTimeline()
	for ev := range events {
		rep.Apply(ev)
		if on != nil {
			on(ev, stop)
		}
	}
	if ctx.Err() != nil {
		t.Fatalf("the run did not end: %v", ctx.Err())
	}
	return rep, stack
}

func TestDemoFlowAuthenticates(t *testing.T) {
	rep, _ := runDemo(t, nil, nil)
	if !rep.Authenticated {
		t.Fatalf("isAuthenticated = false: %+v", rep.Decided().Verdict)
	}
	round := rep.Rounds[0]
	if len(round.Steps) != 8 {
		t.Fatalf("got %d steps, want 8", len(round.Steps))
	}
	for i, s := range round.Steps {
		if s.ID != flow.Steps[i] {
			t.Errorf("step %d is %s, want %s", i+1, s.ID, flow.Steps[i])
		}
		if s.Status != flow.StatusOK {
			t.Errorf("step %s is %s (%s), want ok", s.ID, s.Status, s.Error)
		}
	}
	for _, s := range round.Steps[:5] {
		if !s.BrowserTimed {
			t.Errorf("step %s is not browser-timed", s.ID)
		}
	}
	tok := round.Steps[4].Detail.Token
	if tok.Path != flow.TokenPathSession || tok.Lifetime != time.Minute {
		t.Errorf("token path %q lifetime %v, want the 60 s session token", tok.Path, tok.Lifetime)
	}
	jw := round.Steps[6].Detail.JWKS
	if jw.Trace.Signature != rules.SignatureVerified || len(jw.BackendFetches) != 2 {
		t.Errorf("step 7: signature %s, %d backend fetches; want verified and 2 (discovery, JWKS)", jw.Trace.Signature, len(jw.BackendFetches))
	}
	if rep.Schedule == nil || rep.Schedule.NextRefetch.IsZero() {
		t.Error("no refetch scheduled after an accepted token")
	}
}

func TestDemoFlowRejectedTokenGivesExactAuthError(t *testing.T) {
	typo := &demo.Scenario{Name: "test-app-id-typo", Config: func(dev *devinstance.Instance, local rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
		cfg := rules.AuthConfig{Providers: []rules.Provider{{Kind: rules.KindOIDC, Domain: dev.Issuer(), ApplicationID: "convex-app", HasApplicationID: true}}}
		return cfg, cfg
	}}
	rep, stack := runDemo(t, typo, nil)
	if rep.Authenticated {
		t.Fatal("isAuthenticated = true with a mismatched applicationID")
	}
	want := fmt.Sprintf("No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [OIDC(domain=%s, app_id=convex-app)]", stack.Clerk.Issuer())
	v := rep.Decided().Verdict
	if v.Message != want {
		t.Fatalf("message:\n got %q\nwant %q", v.Message, want)
	}
	if v.Reason != rules.ReasonNoProviderMatch {
		t.Errorf("reason = %q, want %q", v.Reason, rules.ReasonNoProviderMatch)
	}
	steps := rep.Rounds[0].Steps
	if steps[5].Status != flow.StatusOK || steps[6].Status != flow.StatusFail || steps[7].Status != flow.StatusFail {
		t.Errorf("steps 6–8: %s %s %s, want ok fail fail", steps[5].Status, steps[6].Status, steps[7].Status)
	}
	if out := steps[5].Detail.Send.Outcome; out.AuthError == nil || !out.AuthError.Attempted() {
		t.Errorf("no AuthError with authUpdateAttempted in step 6: %+v", out)
	}
}

// failingSource fails step 1 itself and then returns an error, as the
// loopback source does when the browser never loads the page.
type failingSource struct{}

func (failingSource) Kind() string { return "clerk" }
func (failingSource) Name() string { return "test" }
func (failingSource) SignIn(_ context.Context, rep flow.Reporter) error {
	rep.Step(flow.StepReport{ID: flow.StepClick, Status: flow.StatusRunning})
	rep.Step(flow.StepReport{ID: flow.StepClick, Status: flow.StatusFail, Error: "the landing page never loaded"})
	rep.Step(flow.StepReport{ID: flow.StepRedirect, Status: flow.StatusRunning})
	return fmt.Errorf("sign-in timed out")
}
func (failingSource) FetchToken(context.Context, bool) (flow.TokenResult, error) {
	return flow.TokenResult{}, fmt.Errorf("no token")
}
func (failingSource) Close() error { return nil }

// A failed sign-in fails one step, the one that failed, and skips the rest.
func TestFailedSignInFailsOneStep(t *testing.T) {
	r, err := flow.NewRunner(flow.Config{Source: failingSource{}, Backend: flow.BackendConfig{URL: "http://127.0.0.1:1", Embedded: true}})
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan flow.Event, 64)
	go func() { _, _ = r.Run(context.Background(), events) }()
	rep := flow.NewTimeline()
	for ev := range events {
		rep.Apply(ev)
	}
	var fails []flow.StepID
	for _, s := range rep.Rounds[0].Steps {
		switch s.Status {
		case flow.StatusFail:
			fails = append(fails, s.ID)
		case flow.StatusSkipped:
		default:
			t.Errorf("step %s left %s", s.ID, s.Status)
		}
	}
	if len(fails) != 1 || fails[0] != flow.StepClick {
		t.Errorf("failed steps %v, want only click", fails)
	}
	// No token was ever fetched: nothing decided isAuthenticated.
	if rep.Decided() != nil || rep.HasDecision {
		t.Errorf("a failed sign-in decided the run: %+v", rep.Decided())
	}
	if v := rep.Concluded().Verdict; v == nil || v.Decided || v.Undecided != flow.UndecidedSignInFailed || v.Problem == "" {
		t.Errorf("verdict %+v, want undecided (sign-in failed) with the problem", v)
	}
}
