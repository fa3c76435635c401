package flow_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/oauthloop"
)

// skipClock is the wall clock except that After fires at once and records
// what it was asked to wait, so refresh rounds run without waiting 50 s.
type skipClock struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (c *skipClock) Now() time.Time { return time.Now() }

func (c *skipClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- time.Now()
	return ch
}

func TestRefreshLoopRefetchesOnTheClientSchedule(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	hc := &http.Client{Timeout: 10 * time.Second}
	stack, err := demo.Start(ctx, demo.Options{HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	defer stack.Close()
	browser := &oauthloop.HTTPBrowser{Client: hc, UserID: stack.Clerk.Users()[0].ID}
	src, err := oauthloop.NewSource(oauthloop.SourceConfig{Kind: oauthloop.KindDemo,
		PublishableKey: stack.Clerk.PublishableKey(), Opener: browser, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	clock := &skipClock{}
	r, err := flow.NewRunner(flow.Config{Source: src, HTTPClient: hc, Clock: clock,
		Backend: flow.BackendConfig{URL: stack.Backend.URL(), Embedded: true, Fetches: stack.Fetches},
		Replay:  stack.Config, Refresh: true, MaxRefreshes: 2})
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan flow.Event, 16)
	go func() { _, _ = r.Run(ctx, events) }()
	rep := &flow.Report{}
	for ev := range events {
		rep.Apply(ev)
	}
	if len(rep.Rounds) != 3 {
		t.Fatalf("got %d rounds, want the sign-in and 2 refreshes", len(rep.Rounds))
	}
	seen := map[string]bool{}
	for _, round := range rep.Rounds {
		if round.Verdict == nil || !round.Verdict.Authenticated {
			t.Fatalf("round %d not authenticated: %+v", round.Round, round.Verdict)
		}
		if round.Round > 0 && len(round.Steps) != len(flow.RefreshSteps) {
			t.Errorf("refresh #%d has %d steps, want steps 5–8", round.Round, len(round.Steps))
		}
		var tok string
		for _, s := range round.Steps {
			if s.ID == flow.StepToken {
				tok = s.Detail.Token.Raw
			}
		}
		if seen[tok] {
			t.Errorf("round %d reused a token: a refresh must fetch with skipCache", round.Round)
		}
		seen[tok] = true
	}
	clock.mu.Lock()
	defer clock.mu.Unlock()
	for i, w := range clock.waits {
		// Clerk's session token lives 60 s; the client waits exp − iat − 10 s.
		if w < 49*time.Second || w > 50*time.Second {
			t.Errorf("wait %d = %v, want about 50 s", i, w)
		}
	}
	if len(clock.waits) != 2 {
		t.Errorf("%d waits, want 2", len(clock.waits))
	}
}
