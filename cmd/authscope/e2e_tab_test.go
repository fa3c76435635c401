package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/cmd/authscope/internal/e2e"
	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/oauthloop"
)

// logLines collects what a Browser logs: the tab's console, its exceptions
// and Chromium's log entries (failed loads among them).
type logLines struct {
	mu    sync.Mutex
	lines []string
	t     *testing.T
}

func (l *logLines) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.t.Logf(format, args...)
	l.lines = append(l.lines, strings.TrimSpace(strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " ")))
}

func (l *logLines) matching(s string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.lines {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return out
}

// TestChromiumClosedTab: real Chromium signs in to the demo, the tab is
// closed, and a forced refresh (the interface's r) follows. authscope says
// at once that the tab was closed, the refresh is a round marked not run
// with the reason (no cause, never a false verdict), the last decided
// verdict stands, and the exit status follows it. The page loaded its
// icon: no 404 in the browser's log.
func TestChromiumClosedTab(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	hc := &http.Client{Timeout: 10 * time.Second}
	stack, err := demo.Start(ctx, demo.Options{HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	defer stack.Close()
	logs := &logLines{t: t}
	br := &e2e.Browser{ExecPath: e2e.Chromium(t), UserDataDir: t.TempDir(), UserID: stack.Clerk.Users()[0].ID,
		Logf: logs.logf, Timeout: 30 * time.Second}
	t.Cleanup(func() { _ = br.Close() })
	defer keepEvidence(t, br)
	src := newLoopSource(t, oauthloop.SourceConfig{PublishableKey: stack.PublishableKey(), Opener: br,
		Timeout: 60 * time.Second, TokenTimeout: 30 * time.Second})

	refresh := make(chan struct{}, 1)
	cfg := stack.RunnerConfig(src, hc)
	cfg.Refresh, cfg.RefreshNow, cfg.ReopenHint = true, refresh, "press o to reopen it"
	r, err := flow.NewRunner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	events := make(chan flow.Event, 16)
	go func() { _, _ = r.Run(runCtx, events) }()
	tl := flow.NewTimeline()
	var closedAt, noticeAt time.Time
	for ev := range events {
		tl.Apply(ev)
		switch {
		case ev.Kind == flow.EventVerdict && ev.Round == 0:
			if err := br.Wait(ctx); err != nil {
				t.Fatalf("the sign-in in Chromium: %v", err)
			}
			pageShowsTheVerdictsPlace(t, br)
			closedAt = time.Now()
			if err := br.CloseTab(); err != nil {
				t.Fatal(err)
			}
		case ev.Kind == flow.EventNotice && ev.NoticeKind == flow.NoticeTabClosed:
			noticeAt = time.Now()
			refresh <- struct{}{} // the user presses r
		case ev.Kind == flow.EventVerdict && ev.Round == 1:
			stop() // the user presses q
		}
	}
	if ctx.Err() != nil {
		t.Fatalf("the run did not end: %v", ctx.Err())
	}
	if noticeAt.IsZero() {
		t.Fatalf("no notice that the tab was closed: %+v", tl.Notices)
	}
	t.Logf("the closed tab was said %s after it closed", noticeAt.Sub(closedAt).Round(time.Millisecond))
	if !strings.Contains(tl.LastNotice().Text, "The sign-in tab was closed: refresh rounds stop; press o to reopen it") {
		t.Errorf("notice %q", tl.LastNotice().Text)
	}
	v := tl.Round(1).Verdict
	if v == nil || v.Decided || v.Undecided != flow.UndecidedTabClosed || len(v.Findings) != 0 {
		t.Errorf("refresh #1: %+v, want undecided (tab closed), no cause", v)
	}
	for _, round := range tl.Rounds {
		if round.Verdict != nil && round.Verdict.Decided && !round.Verdict.Authenticated {
			t.Errorf("round %d decided false: %+v", round.Round, round.Verdict)
		}
	}
	if code := exitFor(context.Background(), tl); code != exitAuthenticated {
		t.Errorf("exit %d, want 0: the sign-in round's true stands", code)
	}
	if bad := append(logs.matching("404"), logs.matching("favicon")...); len(bad) > 0 {
		t.Errorf("the browser logged a missing file: %q", bad)
	}
}

// pageShowsTheVerdictsPlace: the sign-in page lists steps 6–8 as the
// terminal has them and says the verdict is in the terminal, never
// "Signed in. Waiting…".
func pageShowsTheVerdictsPlace(t *testing.T, br *e2e.Browser) {
	t.Helper()
	var text string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var err error
		if text, err = br.PageText(); err == nil && strings.Contains(text, "Step 8:") {
			break
		}
	}
	for _, want := range []string{"✓ 6. The Convex client sends the token to the backend", "✓ 7. The backend checks it",
		"✓ 8. The backend confirms: isAuthenticated", "Step 8: the backend accepted the token (Transition): isAuthenticated: true",
		"The verdict and why are in the terminal"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sign-in page lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Signed in. Waiting") {
		t.Errorf("the sign-in page still says it is waiting:\n%s", text)
	}
}
