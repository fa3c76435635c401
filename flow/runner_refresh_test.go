package flow_test

import (
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
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
	clock := &skipClock{}
	rep, _ := runDemo(t, nil, func(cfg *flow.Config) {
		cfg.Clock, cfg.Refresh, cfg.MaxRefreshes = clock, true, 2
	})
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
