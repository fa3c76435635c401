package flow_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/oauthloop"
)

// pageRun is a demo run signed in by the HTTP browser, with refresh
// rounds, that hands each event to on: the test closes the tab, presses r
// or stops the run, as the user would.
func pageRun(t *testing.T, tweak func(*flow.Config), on func(ev flow.Event, hb *oauthloop.HTTPBrowser, stop func())) *flow.Timeline {
	t.Helper()
	var hb *oauthloop.HTTPBrowser
	tl, _ := runDemoWatch(t, nil, func(stack *demo.Stack) oauthloop.Opener {
		hb = &oauthloop.HTTPBrowser{Client: &http.Client{Timeout: 40 * time.Second}, UserID: stack.Clerk.Users()[0].ID}
		return hb
	}, func(cfg *flow.Config) {
		cfg.Refresh = true
		tweak(cfg)
	}, func(ev flow.Event, stop func()) { on(ev, hb, stop) })
	return tl
}

// TestClosedTabKeepsTheVerdict: sign in, close the tab, press r. authscope
// says at once that the tab was closed, the forced refresh is a round
// marked not run (no cause, no false verdict), and the last decided
// verdict stands.
func TestClosedTabKeepsTheVerdict(t *testing.T) {
	refresh := make(chan struct{}, 1)
	tl := pageRun(t, func(cfg *flow.Config) {
		cfg.RefreshNow, cfg.ReopenHint = refresh, "press o to reopen it"
	}, func(ev flow.Event, hb *oauthloop.HTTPBrowser, stop func()) {
		switch {
		case ev.Kind == flow.EventVerdict && ev.Round == 0:
			hb.CloseTabs()
		case ev.Kind == flow.EventNotice && ev.NoticeKind == flow.NoticeTabClosed:
			refresh <- struct{}{}
		case ev.Kind == flow.EventVerdict && ev.Round == 1:
			stop()
		}
	})
	if !tl.TabClosed() {
		t.Fatalf("no tab-closed notice: %+v", tl.Notices)
	}
	n := tl.LastNotice()
	if n.Text != "The sign-in tab was closed: refresh rounds stop; press o to reopen it." {
		t.Errorf("notice %q", n.Text)
	}
	r1 := tl.Round(1)
	if r1 == nil || r1.Verdict == nil {
		t.Fatalf("refresh #1 has no verdict: %+v", r1)
	}
	if v := r1.Verdict; v.Decided || v.Undecided != flow.UndecidedTabClosed || len(v.Findings) != 0 {
		t.Errorf("refresh #1 verdict %+v: want undecided (tab closed) with no cause", v)
	}
	for _, s := range r1.Steps {
		if s.Status != flow.StatusSkipped || !strings.Contains(s.Summary, "not run: the sign-in tab was closed; press o to reopen it") {
			t.Errorf("refresh #1 step %s: %s %q", s.ID, s.Status, s.Summary)
		}
	}
	if d := tl.Decided(); d == nil || d.Round != 0 || !tl.Authenticated || !tl.HasDecision || tl.Undecided != flow.UndecidedTabClosed {
		t.Errorf("the run's verdict: decided round %+v, isAuthenticated %v, undecided %q; want round 0's true to stand", d, tl.Authenticated, tl.Undecided)
	}
}

// gateClock is the wall clock whose After fires when the test says.
type gateClock struct{ release chan struct{} }

func (gateClock) Now() time.Time { return time.Now() }

func (c gateClock) After(time.Duration) <-chan time.Time {
	out := make(chan time.Time, 1)
	go func() { <-c.release; out <- time.Now() }()
	return out
}

// TestClosedTabEndsACheck: without the interface (no r key), a refresh due
// while the tab is closed is marked not run and the run ends, instead of
// waiting for a tab nobody will reopen.
func TestClosedTabEndsACheck(t *testing.T) {
	clock := gateClock{release: make(chan struct{})}
	var once sync.Once
	tl := pageRun(t, func(cfg *flow.Config) {
		cfg.Clock, cfg.MaxRefreshes = clock, 3
	}, func(ev flow.Event, hb *oauthloop.HTTPBrowser, _ func()) {
		switch {
		case ev.Kind == flow.EventVerdict && ev.Round == 0:
			hb.CloseTabs()
		case ev.Kind == flow.EventNotice && ev.NoticeKind == flow.NoticeTabClosed:
			once.Do(func() { close(clock.release) }) // the client's refetch is due
		}
	})
	if len(tl.Rounds) != 2 || tl.Round(1).Verdict.Undecided != flow.UndecidedTabClosed {
		t.Fatalf("rounds %d: want the sign-in and one refresh not run", len(tl.Rounds))
	}
	if !tl.Done || !tl.Authenticated {
		t.Errorf("done %v, isAuthenticated %v", tl.Done, tl.Authenticated)
	}
	if n := tl.LastNotice(); !strings.Contains(n.Text, "open the sign-in URL again") {
		t.Errorf("notice %q: without the interface, say how to resume", n.Text)
	}
}
