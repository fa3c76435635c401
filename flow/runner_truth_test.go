package flow_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/reach"
	"github.com/authscope/authscope/oauthloop"
)

// scriptedSource signs in at once and answers every token fetch with res
// and err; endpoints, if any, are what it needs from the network.
type scriptedSource struct {
	res       flow.TokenResult
	err       error
	endpoints []flow.Endpoint
}

func (s scriptedSource) Kind() string                                { return "clerk" }
func (s scriptedSource) Name() string                                { return "scripted" }
func (s scriptedSource) SignIn(context.Context, flow.Reporter) error { return nil }
func (s scriptedSource) FetchToken(context.Context, bool) (flow.TokenResult, error) {
	return s.res, s.err
}
func (s scriptedSource) Close() error               { return nil }
func (s scriptedSource) Endpoints() []flow.Endpoint { return s.endpoints }

// runScripted runs src against backendURL and returns the timeline and
// every diagnosed round.
func runScripted(t *testing.T, cfg flow.Config) (*flow.Timeline, []diagnose.Round) {
	t.Helper()
	var mu sync.Mutex
	var rounds []diagnose.Round
	cfg.Diagnose = func(r *diagnose.Round) []diagnose.Finding {
		mu.Lock()
		rounds = append(rounds, *r)
		mu.Unlock()
		return diagnose.Causes(r)
	}
	r, err := flow.NewRunner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan flow.Event, 64)
	go func() { _, _ = r.Run(t.Context(), events) }()
	tl := flow.NewTimeline()
	for ev := range events {
		tl.Apply(ev)
	}
	return tl, rounds
}

// TestFetchErrorReachesTheDiagnosis: the source's own error is in the
// fetch the diagnosis reads, not only in step 5's text.
func TestFetchErrorReachesTheDiagnosis(t *testing.T) {
	src := scriptedSource{res: flow.TokenResult{Path: flow.TokenPathSession}, err: errors.New("the page crashed")}
	_, rounds := runScripted(t, flow.Config{Source: src, Backend: flow.BackendConfig{URL: "http://127.0.0.1:1", Embedded: true}})
	if len(rounds) != 1 || rounds[0].Fetch.Err != "the page crashed" {
		t.Fatalf("diagnosed rounds %+v: want the fetch's error", rounds)
	}
}

// TestNullTokenSaysTheCallTheRunMade: a null session token is getToken()'s,
// not getToken({ template: "convex" })'s.
func TestNullTokenSaysTheCallTheRunMade(t *testing.T) {
	for path, want := range map[string]string{
		flow.TokenPathSession:  "getToken() returned null",
		flow.TokenPathTemplate: `getToken({ template: "convex" }) returned null`,
	} {
		src := scriptedSource{res: flow.TokenResult{Path: path, Template: map[string]string{flow.TokenPathTemplate: "convex"}[path]}}
		tl, _ := runScripted(t, flow.Config{Source: src, Backend: flow.BackendConfig{URL: "http://127.0.0.1:1", Embedded: true}})
		s := tl.Rounds[0].Step(flow.StepToken)
		if !strings.HasPrefix(s.Error, want) {
			t.Errorf("%s path: step 5 says %q, want %q", path, s.Error, want)
		}
		if other := `template: "convex"`; path == flow.TokenPathSession && strings.Contains(s.Error+tl.Rounds[0].Verdict.Problem, other) {
			t.Errorf("the session path's null token mentions the template: %q", s.Error)
		}
	}
}

// silentListener accepts and never answers: a TLS handshake with it never
// ends, as with a Frontend API behind a dead network path.
func silentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// TestUnreachableFrontendAPIIsReportedWithinTheProbe: a Frontend API this
// machine cannot reach ends the run before any browser, within the probe's
// 2 s, undecided (offline), with the local-network cause.
func TestUnreachableFrontendAPIIsReportedWithinTheProbe(t *testing.T) {
	fapi := "https://" + silentListener(t)
	src := scriptedSource{endpoints: []flow.Endpoint{{Role: "Frontend API", URL: fapi, Step: flow.StepClick}}}
	start := time.Now()
	tl, _ := runScripted(t, flow.Config{Source: src, Backend: flow.BackendConfig{URL: "http://127.0.0.1:1", Embedded: true}})
	took := time.Since(start)
	if took > reach.ProbeTimeout+time.Second {
		t.Errorf("the unreachable Frontend API was reported after %s, want within %s", took, reach.ProbeTimeout)
	}
	v := tl.Concluded().Verdict
	if v.Decided || v.Undecided != flow.UndecidedOffline || len(v.Findings) != 1 || v.Findings[0].Code != diagnose.CodeLocalNetwork {
		t.Fatalf("verdict %+v: want undecided (offline) with local-network", v)
	}
	if !strings.Contains(v.Findings[0].Title, fapi) || !strings.Contains(v.Problem, "no connection within 2s") {
		t.Errorf("finding %q, problem %q", v.Findings[0].Title, v.Problem)
	}
	r := tl.Rounds[0]
	if s := r.Step(flow.StepClick); s.Status != flow.StatusFail {
		t.Errorf("step 1 %s, want fail: the browser was not opened", s.Status)
	}
	for _, s := range r.Steps[1:] {
		if s.Status != flow.StatusSkipped {
			t.Errorf("step %s %s, want skipped", s.ID, s.Status)
		}
		// The failed step says why; the skipped ones point at it instead
		// of repeating the network error.
		if want := "not run: this machine cannot reach the Frontend API (step 1 says why)"; s.Summary != want {
			t.Errorf("step %s says %q, want %q", s.ID, s.Summary, want)
		}
	}
}

// TestDeploymentThatDoesNotResolve: a deployment whose name this machine
// cannot resolve is this machine's problem (local-network), not the
// deployment being down; step 6 is the step that fails.
func TestDeploymentThatDoesNotResolve(t *testing.T) {
	noDNS := &http.Client{Transport: &http.Transport{DialContext: func(_ context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "happy-animal-123.convex.cloud", IsNotFound: true}}
	}}}
	tl, _ := runScripted(t, flow.Config{Source: scriptedSource{}, HTTPClient: noDNS,
		Backend: flow.BackendConfig{URL: "https://happy-animal-123.convex.cloud"}})
	v := tl.Concluded().Verdict
	if v.Undecided != flow.UndecidedOffline || len(v.Findings) == 0 || v.Findings[0].Code != diagnose.CodeLocalNetwork {
		t.Fatalf("verdict %+v", v)
	}
	if f := v.Findings[0]; strings.Contains(f.Fix, "npx convex dev") || !strings.Contains(f.Fix, "HTTPS_PROXY") {
		t.Errorf("fix %q: this machine's network, not the deployment", f.Fix)
	}
	if s := tl.Rounds[0].Step(flow.StepSend); s.Status != flow.StatusFail {
		t.Errorf("step 6 %s, want fail", s.Status)
	}
}

// stepClock is a fake clock: After moves it forward by the wait and fires
// at once, so refresh rounds come 50 s apart in no time.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.now = c.now.Add(d)
	now := c.now
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- now
	return ch
}

// TestJWKSCountdownFollowsTheBackendsCache: a demo run with two refreshes
// on a fake clock. The backend fills its JWKS cache in round 0 (lifetime
// 5 min) and answers rounds 1 and 2 from it; the countdown of every round
// is that fill time plus the lifetime, and the replay, whose cache lives
// as long as the run, shows the same hits without fresh timings.
func TestJWKSCountdownFollowsTheBackendsCache(t *testing.T) {
	clock := &stepClock{now: time.Now().Truncate(time.Second)}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	hc := &http.Client{Timeout: 10 * time.Second}
	stack, err := demo.Start(ctx, demo.Options{HTTPClient: hc, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer stack.Close()
	src, err := oauthloop.NewSource(oauthloop.SourceConfig{Kind: oauthloop.KindDemo, PublishableKey: stack.PublishableKey(),
		Opener: &oauthloop.HTTPBrowser{Client: hc, UserID: stack.Clerk.Users()[0].ID}, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	cfg := stack.RunnerConfig(src, hc)
	cfg.Clock, cfg.Refresh, cfg.MaxRefreshes = clock, true, 2
	r, err := flow.NewRunner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan flow.Event, 16)
	go func() { _, _ = r.Run(ctx, events) }()
	tl := flow.NewTimeline()
	expiry := map[int]time.Time{}
	for ev := range events {
		tl.Apply(ev)
		if ev.Kind == flow.EventSchedule {
			expiry[ev.Round] = ev.Schedule.JWKSExpiry
		}
	}
	if len(tl.Rounds) != 3 || !tl.Authenticated {
		t.Fatalf("%d rounds, isAuthenticated %v", len(tl.Rounds), tl.Authenticated)
	}
	var filled time.Time
	for _, f := range tl.Rounds[0].Fetches {
		if f.Kind == fetch.JWKS && !f.FromCache {
			filled = f.At
		}
	}
	want := filled.Add(5 * time.Minute)
	for n := 0; n <= 2; n++ {
		if !expiry[n].Equal(want) {
			t.Errorf("round %d: JWKS expiry %v, want the cache's fill time %v + 5 min = %v", n, expiry[n], filled, want)
		}
		round := tl.Round(n)
		for _, f := range round.Fetches {
			if f.FromCache != (n > 0) {
				t.Errorf("round %d: backend %s fetch fromCache %v", n, f.Kind, f.FromCache)
			}
		}
		for _, f := range round.JWKS().Trace.Fetches {
			if f.FromCache != (n > 0) || (n > 0 && f.Timing != (fetch.Timing{})) {
				t.Errorf("round %d: replay %s fetch fromCache %v timing %+v", n, f.Kind, f.FromCache, f.Timing)
			}
		}
	}
	if s := tl.Schedule; s.ClerkRefresh.IsZero() || !s.ClerkRefresh.Equal(tl.Rounds[2].Token().Expires.Add(-17*time.Second)) {
		t.Errorf("Clerk cache refresh %v, want exp − 17 s", s.ClerkRefresh)
	}
}
