package oauthloop

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk/devinstance"
)

func nextChange(t *testing.T, src *Source) flow.PageChange {
	t.Helper()
	select {
	case c := <-src.PageChanges():
		return c
	case <-time.After(pageGrace + 5*time.Second):
		t.Fatal("no page change")
		return flow.PageChange{}
	}
}

// TestClosedTabIsSeenAndTokenRoundsDoNotRun: once the signed-in tab is
// closed (pagehide's Leave, its long poll cut off) the source says so
// within the grace period, and FetchToken answers at once that the round
// cannot run; reopened, the page serves rounds again.
func TestClosedTabIsSeenAndTokenRoundsDoNotRun(t *testing.T) {
	dev := startDev(t, devinstance.Options{IntegrationOn: true})
	src, hb, _ := httpSignIn(t, dev)
	if _, err := src.FetchToken(t.Context(), false); err != nil {
		t.Fatal(err)
	}
	hb.CloseTabs()
	closedAt := time.Now()
	if c := nextChange(t, src); c.Open || c.Detail == "" {
		t.Fatalf("change %+v, want the page gone", c)
	}
	if took := time.Since(closedAt); took > pageGrace+time.Second {
		t.Errorf("the closed tab was seen after %s", took)
	}
	start := time.Now()
	_, err := src.FetchToken(t.Context(), true)
	var ue *flow.UndecidedError
	if !errors.As(err, &ue) || ue.Reason != flow.UndecidedTabClosed {
		t.Fatalf("FetchToken with the tab closed: %v", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("FetchToken waited %s for a closed tab", time.Since(start))
	}

	rep := &recorder{}
	if err := src.Reopen(t.Context(), rep); err != nil {
		t.Fatal(err)
	}
	if c := nextChange(t, src); !c.Open {
		t.Fatalf("change %+v, want the page back", c)
	}
	res, err := src.FetchToken(t.Context(), true)
	if err != nil || res.Token == "" {
		t.Fatalf("FetchToken after the reopen: %v %+v", err, res)
	}
	if len(rep.notices) == 0 || !strings.Contains(rep.notices[0], src.LandingURL()) {
		t.Errorf("reopen notices %q: want the URL again", rep.notices)
	}
}

// TestReloadIsNotAClosedTab: a Leave followed by a new poll within the
// grace period (a reload) changes nothing.
func TestReloadIsNotAClosedTab(t *testing.T) {
	src := newTestSource(t, SourceConfig{})
	c := connect(t, src)
	srv := src.server()
	srv.pollStarted() // the page is being watched
	srv.pollEnded(false)
	if err := c.leave(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv.pollStarted()
	defer srv.pollEnded(false)
	select {
	case ch := <-src.PageChanges():
		t.Fatalf("a reload was taken for %+v", ch)
	case <-time.After(pageGrace + 500*time.Millisecond):
	}
	if away, _ := srv.pageAway(); away {
		t.Error("the page is away after a reload")
	}
}

// TestLastPollAfterLeaveIsNotAReload: a closing tab's last poll can reach
// the server after its Leave and be answered at once (the steps' progress
// was waiting). That poll is not a reload: with no poll after it, the page
// is gone within the grace period. (It used to clear the Leave for good, and
// the closed tab was never seen.)
func TestLastPollAfterLeaveIsNotAReload(t *testing.T) {
	src := newTestSource(t, SourceConfig{})
	c := connect(t, src)
	srv := src.server()
	srv.pollStarted() // the page is being watched
	srv.pollEnded(false)
	src.ObserveStep(flow.Step{ID: flow.StepConfirmed, Round: 0, Status: flow.StatusOK})
	if err := c.leave(t.Context()); err != nil {
		t.Fatal(err)
	}
	left := time.Now()
	if cmd, err := c.poll(t.Context(), 0, 0); err != nil || cmd.Kind != CommandProgress {
		t.Fatalf("the last poll: %+v %v, want the progress at once", cmd, err)
	}
	if ch := nextChange(t, src); ch.Open {
		t.Fatalf("change %+v, want the page gone", ch)
	}
	// One grace period from the poll's end, not more; a second of slack
	// for a loaded machine.
	if took := time.Since(left); took > 2*pageGrace+time.Second {
		t.Errorf("the closed tab was seen after %s", took)
	}
	if away, _ := srv.pageAway(); !away {
		t.Error("the page is not away")
	}
}

// TestPageIsShownStepsFiveToEight: what the runner observes reaches the
// page through its long poll, and a page that has seen it is not sent it
// again.
func TestPageIsShownStepsFiveToEight(t *testing.T) {
	src := newTestSource(t, SourceConfig{})
	c := connect(t, src)
	src.ObserveStep(flow.Step{ID: flow.StepSend, Round: 0, Status: flow.StatusOK, Summary: "Authenticate sent"})
	src.ObserveStep(flow.Step{ID: flow.StepConfirmed, Round: 0, Status: flow.StatusFail, Error: "isAuthenticated: false: No auth provider found"})
	cmd, err := c.poll(t.Context(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if cmd.Kind != CommandProgress || cmd.Version != 2 || len(cmd.Steps) != 2 ||
		cmd.Steps[0].Step != flow.StepSend || cmd.Steps[1].Error == "" {
		t.Fatalf("poll answered %+v", cmd)
	}
	// A newer round replaces the steps of the older one.
	src.ObserveStep(flow.Step{ID: flow.StepToken, Round: 1, Status: flow.StatusRunning})
	cmd, err = c.poll(t.Context(), 0, cmd.Version)
	if err != nil || cmd.Kind != CommandProgress || cmd.Round != 1 || len(cmd.Steps) != 1 {
		t.Fatalf("poll answered %+v (%v)", cmd, err)
	}
}

// TestIconAndNoFaviconNotFound: the pages link an icon that is served, and
// a browser's own /favicon.ico request gets 204, not a 404 in its console.
func TestIconAndNoFaviconNotFound(t *testing.T) {
	src := newTestSource(t, SourceConfig{})
	c := connect(t, src)
	for path, want := range map[string]int{PathIcon: http.StatusOK, PathFavicon: http.StatusNoContent} {
		resp, err := testClient.Get(c.origin + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
		if path == PathIcon && resp.Header.Get("Content-Type") != "image/svg+xml" {
			t.Errorf("icon type %q", resp.Header.Get("Content-Type"))
		}
	}
	page, err := testClient.Get(c.origin + "/?" + ParamState + "=" + c.state)
	if err != nil {
		t.Fatal(err)
	}
	defer page.Body.Close()
	if !strings.Contains(page.Header.Get("Content-Security-Policy"), "img-src 'self'") {
		t.Error("the landing page's CSP does not allow its own icon")
	}
	if !strings.Contains(errorPageCSP, "img-src 'self'") {
		t.Error("the error page's CSP does not allow its own icon")
	}
}

// TestNoticesSayWhatHappened: the URL's notice never promises a browser
// that is not opened, and a failed browser is a notice of its own with the
// URL.
func TestNoticesSayWhatHappened(t *testing.T) {
	for _, tt := range []struct {
		name   string
		opener Opener
		want   []string
		not    []string
	}{
		{"--no-browser", NoBrowser{}, []string{"--no-browser"}, []string{"opens in your browser", "Opened"}},
		{"browser opened", OpenerFunc(nil), []string{"Sign-in page: ", "Opened the sign-in page in your browser"}, []string{"--no-browser"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			op := tt.opener
			if f, ok := op.(OpenerFunc); ok && f == nil {
				op = OpenerFunc(func(_ context.Context, _ string) error { return nil })
			}
			src := newTestSource(t, SourceConfig{Opener: op, Timeout: 50 * time.Millisecond})
			rep := &recorder{}
			_ = src.SignIn(t.Context(), rep)
			all := strings.Join(rep.notices, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("notices %q lack %q", rep.notices, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(all, w) {
					t.Errorf("notices %q say %q", rep.notices, w)
				}
			}
			if rep.kinds[0] != flow.NoticeSignInURL || !strings.Contains(rep.notices[0], src.LandingURL()) {
				t.Errorf("first notice %q (%s): want the whole URL", rep.notices[0], rep.kinds[0])
			}
		})
	}
}

// TestSignInTimeoutIsUndecided: authscope's own wait running out decides
// nothing.
func TestSignInTimeoutIsUndecided(t *testing.T) {
	src := newTestSource(t, SourceConfig{Timeout: 50 * time.Millisecond})
	err := src.SignIn(t.Context(), &recorder{})
	var ue *flow.UndecidedError
	if !errors.As(err, &ue) || ue.Reason != flow.UndecidedTimedOut {
		t.Fatalf("SignIn: %v, want undecided: timed out", err)
	}
}

func TestSignInTimeRoundsOneWay(t *testing.T) {
	for d, want := range map[time.Duration]string{
		1530 * time.Millisecond: "1.5s", 40 * time.Millisecond: "0s", 59*time.Second + 960*time.Millisecond: "1m0s",
		90*time.Second + 400*time.Millisecond: "1m30s",
	} {
		if got := signInTime(d); got != want {
			t.Errorf("signInTime(%v) = %q, want %q", d, got, want)
		}
	}
}
