package tui

import (
	"context"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/diagnose"
)

func TestMain(m *testing.M) {
	// Deterministic rendering: no colour, and absolute times in UTC.
	lipgloss.SetColorProfile(termenv.Ascii)
	time.Local = time.UTC
	os.Exit(m.Run())
}

// feed builds a model at a size and applies events through Update, as the
// program would.
func feed(t testing.TB, opts Options, w, h int, evs []flow.Event) Model {
	t.Helper()
	m := New(opts)
	m = step(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	for _, ev := range evs {
		m = step(t, m, eventMsg{ev})
	}
	return m
}

// step applies one message and returns the new model.
func step(t testing.TB, m Model, msg tea.Msg) Model {
	t.Helper()
	nm, _ := m.Update(msg)
	return nm.(Model)
}

// stepCmd applies one message and returns the model and its Cmd.
func stepCmd(t testing.TB, m Model, msg tea.Msg) (Model, tea.Cmd) {
	t.Helper()
	nm, cmd := m.Update(msg)
	return nm.(Model), cmd
}

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

var (
	keyUp    = tea.KeyMsg{Type: tea.KeyUp}
	keyDown  = tea.KeyMsg{Type: tea.KeyDown}
	keyEnter = tea.KeyMsg{Type: tea.KeyEnter}
	keyTab   = tea.KeyMsg{Type: tea.KeyTab}
	keyEsc   = tea.KeyMsg{Type: tea.KeyEsc}
	keyLeft  = tea.KeyMsg{Type: tea.KeyLeft}
	keyRight = tea.KeyMsg{Type: tea.KeyRight}
)

// fixture returns a model with a fixture applied and its clock.
func fixture(t testing.TB, f func(testing.TB) ([]flow.Event, time.Time), opts Options, w, h int) (Model, *fakeClock) {
	t.Helper()
	evs, now := f(t)
	clk := newFakeClock(now)
	opts.Clock = clk
	return feed(t, opts, w, h, evs), clk
}

// collect runs a Cmd and flattens batches into their messages. Commands
// that block (the event wait, ticks) must not be passed here.
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, collect(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func TestKeysMoveSelection(t *testing.T) {
	m, _ := fixture(t, evAuthenticated, Options{}, 80, 24)
	if m.sel != 7 || m.round != 0 {
		t.Fatalf("following the run should select step 8 of the sign-in, got round %d step %d", m.round, m.sel+1)
	}
	tests := []struct {
		key  tea.KeyMsg
		want int
	}{
		{keyUp, 6}, {keyRunes("k"), 5}, {keyDown, 6}, {keyRunes("j"), 7}, {keyDown, 7},
	}
	for _, tt := range tests {
		m = step(t, m, tt.key)
		if m.sel != tt.want {
			t.Fatalf("after %q selection is step %d, want %d", tt.key.String(), m.sel+1, tt.want+1)
		}
	}
	for range 10 {
		m = step(t, m, keyUp)
	}
	if m.sel != 0 {
		t.Fatalf("selection should stop at step 1, got %d", m.sel+1)
	}
	// The user moved: new events no longer move the selection.
	evs, _ := evRefreshed(t)
	for _, ev := range evs[len(evs)-3:] {
		m = step(t, m, eventMsg{ev})
	}
	if m.sel != 0 || m.round != 0 {
		t.Fatalf("selection moved by itself after the user chose: round %d step %d", m.round, m.sel+1)
	}
}

func TestRoundsNavigation(t *testing.T) {
	m, _ := fixture(t, evRefreshed, Options{}, 80, 24)
	if m.round != 1 || m.rounds()[m.round].Steps[m.sel].ID != flow.StepConfirmed {
		t.Fatalf("following should show refresh #1 step 8, got round %d step %d", m.round, m.sel)
	}
	m = step(t, m, keyLeft)
	if m.round != 0 || m.rounds()[0].Steps[m.sel].ID != flow.StepConfirmed {
		t.Fatalf("← should keep step 8 selected on the sign-in round, got round %d sel %d", m.round, m.sel)
	}
	m = step(t, m, keyLeft)
	if m.round != 0 {
		t.Fatal("← on the first round must stay there")
	}
	for range 3 {
		m = step(t, m, keyUp) // step 5 on the sign-in round
	}
	m = step(t, m, keyRight)
	if got := m.rounds()[m.round].Steps[m.sel].ID; m.round != 1 || got != flow.StepToken {
		t.Fatalf("→ should show step 5 of refresh #1, got round %d %s", m.round, got)
	}
	if !strings.Contains(m.View(), "refresh #1") {
		t.Fatal("the refresh round is not named in the view")
	}
}

func TestExpandAndCollapse(t *testing.T) {
	m, _ := fixture(t, evAuthenticated, Options{}, 80, 24)
	m = step(t, m, keyUp) // step 7, whose detail is longer than the screen
	collapsed := m.View()
	m = step(t, m, keyEnter)
	if !m.expanded {
		t.Fatal("enter did not expand the detail")
	}
	expanded := m.View()
	if expanded == collapsed {
		t.Fatal("expanding did not change the view")
	}
	// Expanded, ↓ scrolls the detail instead of moving the selection.
	sel := m.sel
	m = step(t, m, keyDown)
	if m.sel != sel || m.scroll != 1 {
		t.Fatalf("↓ while expanded: sel %d→%d scroll %d, want the detail scrolled by one", sel, m.sel, m.scroll)
	}
	m = step(t, m, keyEnter)
	if m.expanded || m.scroll != 0 {
		t.Fatal("enter again should collapse and reset the scroll")
	}
	m = step(t, m, keyEnter)
	m = step(t, m, keyEsc)
	if m.expanded {
		t.Fatal("esc should collapse")
	}
}

func TestTabSwitchesToIdentity(t *testing.T) {
	m, _ := fixture(t, evPersonal, Options{}, 120, 40)
	m = step(t, m, keyTab)
	if m.pane != paneIdentity {
		t.Fatal("tab did not switch to the identity pane")
	}
	v := m.View()
	for _, want := range []string{"getUserIdentity()", `"tokenIdentifier": "http://127.0.0.1:41001|user_2demoAdaLovelace`, `"emailVerified": true`} {
		if !strings.Contains(v, want) {
			t.Errorf("identity pane lacks %q:\n%s", want, v)
		}
	}
	m = step(t, m, keyTab)
	if m.pane != paneSteps {
		t.Fatal("tab again should come back to the steps")
	}
}

func TestIdentityWhenRejected(t *testing.T) {
	m, _ := fixture(t, evRejected, Options{}, 80, 24)
	m = step(t, m, keyTab)
	if v := m.View(); !strings.Contains(v, "null") || !strings.Contains(v, "rejected") {
		t.Fatalf("identity pane should say null for a rejected token:\n%s", v)
	}
}

// live is a recorded run as the interactive runner has it: it keeps going
// after the sign-in round (refreshing), so there is no EventDone.
func live(f func(testing.TB) ([]flow.Event, time.Time)) func(testing.TB) ([]flow.Event, time.Time) {
	return func(t testing.TB) ([]flow.Event, time.Time) {
		evs, now := f(t)
		if evs[len(evs)-1].Kind == flow.EventDone {
			evs = evs[:len(evs)-1]
		}
		return evs, now
	}
}

func TestRefreshKey(t *testing.T) {
	ch := make(chan struct{}, 1)
	m, _ := fixture(t, live(evAuthenticated), Options{RefreshNow: ch}, 80, 24)
	m, cmd := stepCmd(t, m, keyRunes("r"))
	if cmd == nil {
		t.Fatal("r returned no Cmd")
	}
	msgs := collect(cmd)
	if len(msgs) != 1 || msgs[0] != (refreshSentMsg{sent: true}) {
		t.Fatalf("r Cmd returned %v", msgs)
	}
	select {
	case <-time.After(time.Second):
		t.Fatal("nothing arrived on RefreshNow")
	case <-ch:
	}
	m = step(t, m, msgs[0])
	if !strings.Contains(m.View(), "Refresh requested") {
		t.Error("no feedback after r")
	}
	// A pending refresh makes r a no-op, never a block.
	ch <- struct{}{}
	_, cmd = stepCmd(t, m, keyRunes("r"))
	if msgs := collect(cmd); len(msgs) != 1 || msgs[0] != (refreshSentMsg{sent: false}) {
		t.Fatalf("r with a full channel returned %v", msgs)
	}
	// Without a channel the key is disabled.
	m2, _ := fixture(t, evAuthenticated, Options{}, 80, 24)
	m2, cmd = stepCmd(t, m2, keyRunes("r"))
	if cmd != nil || !strings.Contains(m2.status, "cannot fetch") {
		t.Fatalf("r without RefreshNow: cmd %v status %q", cmd, m2.status)
	}
}

// TestRefreshKeyPromisesOnlyWhatRuns: the runner refreshes only after the
// sign-in round and while the run goes on; before, or after a sign-in that
// failed, r says so instead of promising steps 5–8.
func TestRefreshKeyPromisesOnlyWhatRuns(t *testing.T) {
	for name, tc := range map[string]struct {
		events func(testing.TB) ([]flow.Event, time.Time)
		want   string
	}{
		"signing in":     {evRunning, "Nothing to refresh yet"},
		"sign-in failed": {ended("production-key", time.Second), "The sign-in did not complete"},
		"run ended":      {evAuthenticated, "The run has ended"},
	} {
		ch := make(chan struct{}, 1)
		m, _ := fixture(t, tc.events, Options{RefreshNow: ch}, 80, 24)
		m, cmd := stepCmd(t, m, keyRunes("r"))
		if cmd != nil || !strings.Contains(m.status, tc.want) || strings.Contains(m.View(), "r refresh") {
			t.Errorf("%s: r gave cmd %v, status %q (want %q), help offering r: %v", name, cmd, m.status, tc.want, strings.Contains(m.View(), "r refresh"))
		}
		if len(ch) != 0 {
			t.Errorf("%s: r reached the runner", name)
		}
	}
}

type stubCopied struct{ s string }

func TestCopyAsksConfirmation(t *testing.T) {
	var copied []string
	opts := Options{CopyToClipboard: func(s string) tea.Cmd {
		copied = append(copied, s)
		return func() tea.Msg { return stubCopied{s} }
	}}
	m, _ := fixture(t, evAuthenticated, opts, 80, 24)
	raw := m.token(0).Raw

	m, cmd := stepCmd(t, m, keyRunes("c"))
	if cmd != nil || !m.confirmCopy || len(copied) != 0 {
		t.Fatalf("c must only ask: cmd %v confirm %v copied %d", cmd, m.confirmCopy, len(copied))
	}
	if v := m.View(); !strings.Contains(v, "y/n") || !strings.Contains(v, "y copy the token") {
		t.Fatalf("no confirmation question on screen:\n%s", v)
	}
	m, cmd = stepCmd(t, m, keyRunes("n"))
	if cmd != nil || m.confirmCopy || len(copied) != 0 || !strings.Contains(m.status, "cancelled") {
		t.Fatalf("n must cancel: cmd %v confirm %v copied %d", cmd, m.confirmCopy, len(copied))
	}
	// Any other key cancels too, and does nothing else.
	m = step(t, m, keyRunes("c"))
	m, cmd = stepCmd(t, m, keyRunes("q"))
	if cmd != nil || m.confirmCopy {
		t.Fatal("q during the question should cancel the copy, not quit")
	}
	m = step(t, m, keyRunes("c"))
	m, cmd = stepCmd(t, m, keyRunes("y"))
	if len(copied) != 1 || copied[0] != raw {
		t.Fatalf("y should copy the raw token once, copied %d", len(copied))
	}
	msgs := collect(cmd)
	var sawStub, sawDone bool
	for _, msg := range msgs {
		switch msg := msg.(type) {
		case stubCopied:
			sawStub = msg.s == raw
		case copiedMsg:
			sawDone = msg.n == len(raw)
			m = step(t, m, msg)
		}
	}
	if !sawStub || !sawDone {
		t.Fatalf("copy Cmd messages: %v", msgs)
	}
	if !strings.Contains(m.View(), "Token copied") {
		t.Error("no confirmation after copying")
	}
}

func TestCopyWithoutTokenSaysSo(t *testing.T) {
	m, _ := fixture(t, evRunning, Options{CopyToClipboard: func(string) tea.Cmd { t.Fatal("copied without a token"); return nil }}, 80, 24)
	m, cmd := stepCmd(t, m, keyRunes("c"))
	if cmd != nil || m.confirmCopy || !strings.Contains(m.status, "No token") {
		t.Fatalf("c without a token: cmd %v confirm %v status %q", cmd, m.confirmCopy, m.status)
	}
}

func TestDefaultCopyWritesOSC52(t *testing.T) {
	var buf strings.Builder
	m, _ := fixture(t, evAuthenticated, Options{}, 80, 24)
	m.clipOut = &buf
	m = step(t, m, keyRunes("c"))
	_, cmd := stepCmd(t, m, keyRunes("y"))
	msgs := collect(cmd)
	if len(msgs) != 1 {
		t.Fatalf("got %v", msgs)
	}
	if !strings.HasPrefix(buf.String(), "\x1b]52;c;") {
		t.Fatalf("not an OSC 52 sequence: %q", buf.String()[:min(20, buf.Len())])
	}
	// The terminal does not answer an OSC 52 sequence: the status says
	// what was done, not that the clipboard has the token.
	for _, mux := range []bool{false, true} {
		m.opts.Terminal.Multiplexer = mux
		want := "cannot tell whether the terminal accepted it"
		if mux {
			want = "tmux needs set-clipboard on"
		}
		got := step(t, m, msgs[0]).status
		if !strings.Contains(got, "sent to the terminal's clipboard (OSC 52)") || !strings.Contains(got, want) || strings.Contains(got, "copied") {
			t.Errorf("multiplexer %v: status %q, want it to say %q", mux, got, want)
		}
	}
}

func TestRedactionToggle(t *testing.T) {
	m, _ := fixture(t, evPersonal, Options{}, 120, 80) // tall enough for every claim and the token
	for m.sel != 4 {
		m = step(t, m, keyUp)
	}
	m = step(t, m, keyEnter) // the whole token detail
	tok := m.token(0)
	claim := func(name string) string {
		for _, c := range tok.Claims {
			if c.Name == name {
				return strings.Trim(c.JSON, `"`)
			}
		}
		t.Fatalf("the token has no %s claim", name)
		return ""
	}
	email, name := claim("email"), claim("name")
	sig := tok.Raw[strings.LastIndexByte(tok.Raw, '.')+1:]
	plain := m.View()
	if !strings.Contains(plain, email) || !strings.Contains(plain, sig[:40]) {
		t.Fatal("unredacted view should show the email and the signature")
	}
	m = step(t, m, keyRunes("x"))
	red := m.View()
	for _, hidden := range []string{email, name, sig[:40]} {
		if strings.Contains(red, hidden) {
			t.Errorf("redacted view still shows %q", hidden)
		}
	}
	if !strings.Contains(red, flow.Redacted) || !strings.Contains(red, "token hidden") {
		t.Error("redacted view does not say what it hid")
	}
	// The whole raw token goes: its header and payload are base64 of the
	// claims, the email and name among them.
	head, payload, _ := strings.Cut(tok.Raw, ".")
	for _, part := range []string{head[:20], payload[:20], payload[len(payload)-20:]} {
		if strings.Contains(red, part) {
			t.Errorf("the redacted view shows the raw token (%q)", part)
		}
	}
	if m2, cmd := stepCmd(t, m, keyRunes("c")); cmd != nil || m2.confirmCopy || !strings.Contains(m2.status, "neither shown nor copied") {
		t.Errorf("c under redaction must not copy: cmd %v, confirm %v, status %q", cmd, m2.confirmCopy, m2.status)
	}
	m = step(t, m, keyTab)
	if v := m.View(); strings.Contains(v, email) || !strings.Contains(v, `"email": "`+flow.Redacted) {
		t.Errorf("identity pane not redacted:\n%s", v)
	}
	m = step(t, m, keyRunes("x"))
	if !strings.Contains(m.View(), email) {
		t.Error("x again should show the personal claims")
	}
	// --redact starts redacted.
	m2, _ := fixture(t, evAuthenticated, Options{Redact: true}, 80, 24)
	if !m2.redact {
		t.Error("Options.Redact ignored")
	}
}

func TestResizeKeepsLinesInside(t *testing.T) {
	fixtures := map[string]func(testing.TB) ([]flow.Event, time.Time){
		"initial": evInitial, "running": evRunning, "authenticated": evAuthenticated, "rejected": evRejected, "refresh": evRefreshed,
	}
	sizes := [][2]int{{80, 24}, {120, 40}, {60, 20}, {40, 12}, {20, 6}, {8, 3}, {1, 1}, {250, 70}}
	for name, f := range fixtures {
		for _, expand := range []bool{false, true} {
			m, _ := fixture(t, f, Options{AutoSignIn: func() {}}, 80, 24)
			if expand {
				m = step(t, m, keyEnter)
			}
			for _, sz := range sizes {
				m = step(t, m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
				if m.width != sz[0] || m.height != sz[1] {
					t.Fatal("size not recorded")
				}
				for _, p := range []pane{paneSteps, paneIdentity} {
					m.pane = p
					checkFrame(t, name, m.View(), sz[0], sz[1])
				}
				m.pane = paneSteps
			}
		}
	}
}

// checkFrame fails when a frame does not fit the terminal.
func checkFrame(t testing.TB, name, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Errorf("%s at %dx%d: %d lines", name, w, h, len(lines))
	}
	for i, l := range lines {
		if width(l) > w {
			t.Errorf("%s at %dx%d: line %d is %d wide: %q", name, w, h, i, width(l), l)
		}
	}
}

func TestEventsUpdateState(t *testing.T) {
	evs, now := evRefreshed(t)
	m := feed(t, Options{Clock: newFakeClock(now)}, 80, 24, evs)
	tl := m.Timeline()
	if tl.Run == nil || tl.Run.Source != "demo" {
		t.Fatal("run info not kept")
	}
	if len(tl.Rounds) != 2 || tl.Rounds[0].Round != 0 || tl.Rounds[1].Round != 1 {
		t.Fatalf("rounds: %d", len(tl.Rounds))
	}
	if len(tl.Rounds[0].Steps) != 8 || len(tl.Rounds[1].Steps) != 4 {
		t.Fatal("sign-in has 8 steps, a refresh 4")
	}
	for _, r := range tl.Rounds {
		for _, s := range r.Steps {
			if s.Status != flow.StatusOK {
				t.Errorf("round %d step %s is %s", r.Round, s.ID, s.Status)
			}
		}
	}
	if d := tl.Decided(); d == nil || d.Round != 1 || !d.Verdict.Authenticated {
		t.Fatal("the latest verdict should be refresh #1's, authenticated")
	}
	if tl.Schedule == nil || tl.Schedule.NextRefetch.IsZero() || len(tl.Rounds[0].Fetches) == 0 {
		t.Fatal("schedule or fetch events lost")
	}
}

func TestCountdownTicks(t *testing.T) {
	m, clk := fixture(t, evInitial, Options{}, 120, 40)
	if m.ticking || m.spinning {
		t.Fatal("nothing counts down or runs: no tick may be in flight")
	}
	evs, now := evAuthenticated(t)
	clk.Set(now)
	for _, ev := range evs[1:] {
		m = step(t, m, eventMsg{ev})
	}
	if !m.ticking || m.tickTag != 1 {
		t.Fatalf("a schedule should start one tick chain: ticking %v tag %d", m.ticking, m.tickTag)
	}
	// A stale tick is dropped without re-arming.
	m2, cmd := stepCmd(t, m, countdownTickMsg{tag: 0})
	if cmd != nil || m2.tickTag != 1 || !m2.ticking {
		t.Fatalf("stale tick: cmd %v tag %d", cmd, m2.tickTag)
	}
	// A live tick re-arms with a new tag.
	m, cmd = stepCmd(t, m, countdownTickMsg{tag: 1})
	if cmd == nil || m.tickTag != 2 || !m.ticking {
		t.Fatalf("live tick should re-arm: cmd %v tag %d", cmd, m.tickTag)
	}
	// The countdown renders from the clock.
	if v := m.View(); !strings.Contains(v, "next token refetch in 44s") {
		t.Fatalf("countdown not shown:\n%s", v)
	}
	clk.Set(now.Add(10 * time.Second))
	if v := m.View(); !strings.Contains(v, "next token refetch in 34s") {
		t.Fatalf("countdown does not follow the clock:\n%s", v)
	}
	// Once every deadline has passed, the chain ends.
	clk.Set(now.Add(time.Hour))
	m, cmd = stepCmd(t, m, countdownTickMsg{tag: 2})
	if cmd != nil || m.ticking {
		t.Fatal("ticking went on with nothing counting down")
	}
	if v := m.View(); !strings.Contains(v, "next token refetch due") || !strings.Contains(v, "JWKS cache expires expired") {
		t.Fatalf("passed deadlines not shown:\n%s", v)
	}
}

func TestSpinnerOnlyWhileRunning(t *testing.T) {
	m, _ := fixture(t, evRunning, Options{}, 80, 24)
	if !m.spinning {
		t.Fatal("a running step should start the spinner")
	}
	tick := m.spin.Tick()
	m, cmd := stepCmd(t, m, tick)
	if cmd == nil {
		t.Fatal("spinner should keep going while step 3 runs")
	}
	// Steps 3 and 4 finish: nothing runs, the next tick ends the chain.
	evs, _ := evRunning(t)
	rest := loaded(t, runHealthy)[len(evs):]
	for _, ev := range upTo(rest, stepIs(flow.StepProvider, flow.StatusOK)) {
		m = step(t, m, eventMsg{ev})
	}
	_, cmd = stepCmd(t, m, m.spin.Tick())
	if cmd != nil {
		t.Fatal("spinner kept ticking with nothing running")
	}
}

func TestAutoSignIn(t *testing.T) {
	called := make(chan struct{}, 2)
	opts := Options{AutoSignIn: func() { called <- struct{}{} }}
	m, _ := fixture(t, evRunning, opts, 80, 24)
	v := m.View()
	if !strings.Contains(v, "▶ Sign-in page") || !strings.Contains(v, "Press a to sign in") {
		t.Fatalf("the sign-in URL and the automatic sign-in should be offered:\n%s", v)
	}
	m, cmd := stepCmd(t, m, keyRunes("a"))
	if cmd == nil {
		t.Fatal("a returned no Cmd")
	}
	msgs := collect(cmd)
	if len(msgs) != 1 || msgs[0] != (autoSignInMsg{}) || len(called) != 1 {
		t.Fatalf("a Cmd: %v, called %d", msgs, len(called))
	}
	if _, cmd = stepCmd(t, m, keyRunes("a")); cmd != nil {
		t.Fatal("a second press must not sign in twice")
	}
	// Without AutoSignIn the key does nothing and is not offered.
	m2, _ := fixture(t, evRunning, Options{}, 80, 24)
	if strings.Contains(m2.View(), "Press a") {
		t.Fatal("automatic sign-in offered without AutoSignIn")
	}
	if _, cmd := stepCmd(t, m2, keyRunes("a")); cmd != nil {
		t.Fatal("a without AutoSignIn returned a Cmd")
	}
}

func TestEventSubscription(t *testing.T) {
	ch := make(chan flow.Event, 1)
	m := New(Options{Events: ch, Clock: newFakeClock(t0)})
	cmd := m.Init()
	if cmd == nil {
		t.Fatal("Init should listen for events")
	}
	ch <- loaded(t, runHealthy)[0]
	msg := cmd()
	ev, ok := msg.(eventMsg)
	if !ok || ev.ev.Kind != flow.EventRun {
		t.Fatalf("got %#v", msg)
	}
	m, cmd = stepCmd(t, m, ev)
	if cmd == nil {
		t.Fatal("the event wait must be re-armed after each event")
	}
	close(ch)
	if msgs := collect(cmd); len(msgs) != 1 || msgs[0] != (eventsClosedMsg{}) {
		t.Fatalf("closed channel gave %v", msgs)
	}
	m, cmd = stepCmd(t, m, eventsClosedMsg{})
	if cmd != nil || !m.closed {
		t.Fatal("after the channel closes nothing is re-armed")
	}
	if _, cmd := stepCmd(t, m, keyRunes("q")); cmd == nil || cmd() != tea.Quit() {
		t.Fatal("q should quit")
	}
	if _, cmd := stepCmd(t, m, tea.KeyMsg{Type: tea.KeyCtrlC}); cmd == nil || cmd() != tea.Quit() {
		t.Fatal("ctrl+c should quit")
	}
}

func TestHelpToggle(t *testing.T) {
	m, _ := fixture(t, live(evAuthenticated), Options{RefreshNow: make(chan struct{}, 1)}, 120, 40)
	short := m.View()
	if !strings.Contains(short, "r refresh") || !strings.Contains(short, "c copy") || !strings.Contains(short, "q quit") {
		t.Fatalf("short help lacks keys:\n%s", short)
	}
	m = step(t, m, keyRunes("?"))
	full := m.View()
	if !strings.Contains(full, "previous or next round") || !strings.Contains(full, "scroll a page") || !strings.Contains(full, "? close help") {
		t.Fatalf("the help pane lacks keys:\n%s", full)
	}
	checkFrame(t, "full help", full, 120, 40)
	// The words the steps use as they are, said once (scrolling down).
	var all string
	for i := 0; i < 40; i++ {
		all += m.View()
		m = step(t, m, keyDown)
	}
	for _, word := range []string{"Frontend API", "dev browser", "Authenticate, Transition, AuthError", "discovery, JWKS", "authscope's own check", "undecided", "This run"} {
		if !strings.Contains(all, word) {
			t.Errorf("the help does not explain %q", word)
		}
	}
	if m = step(t, m, tea.KeyMsg{Type: tea.KeyEsc}); m.pane != paneSteps {
		t.Errorf("esc left the help for %v", m.pane)
	}
	m = step(t, step(t, m, keyTab), keyRunes("?"))
	if m = step(t, m, keyRunes("?")); m.pane != paneIdentity {
		t.Errorf("? from the identity went back to %v", m.pane)
	}
}

// signInRound is a sign-in whose user took 14.2 s at the sign-in page
// (step 3) while every other step took milliseconds.
func signInRound() *flow.Round {
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	steps := []struct {
		start, took int
	}{{0, 12}, {40, 340}, {380, 14200}, {14600, 45}, {14650, 118}, {14770, 9}, {14773, 4}, {14778, 1}}
	r := &flow.Round{}
	for i, id := range flow.Steps {
		r.Steps = append(r.Steps, flow.Step{ID: id, Status: flow.StatusOK, Start: at(steps[i].start), Duration: time.Duration(steps[i].took) * time.Millisecond})
	}
	return r
}

func TestWaterfallCutsTheUsersTime(t *testing.T) {
	r := signInRound()
	now := t0.Add(20 * time.Second)
	ax := newTimeAxis(r, 30, now)
	if !ax.hasBreak() || ax.cut() != 14200*time.Millisecond {
		t.Fatalf("step 3 should be cut out of the axis: break %v cut %v", ax.hasBreak(), ax.cut())
	}
	m := New(Options{Clock: newFakeClock(now)})
	bars := map[flow.StepID]string{}
	for _, st := range r.Steps {
		bars[st.ID] = m.bar(ax, st, now)
	}
	if got := strings.Count(bars[flow.StepReturn], "≈"); got != breakCells {
		t.Errorf("step 3 bar %q should be the break", bars[flow.StepReturn])
	}
	// Without the break, step 3 would take every cell and the others one
	// each; with it, the millisecond steps get real widths.
	if n := strings.Count(bars[flow.StepToken], "█"); n < 5 {
		t.Errorf("step 5 (118ms of ~300ms shown) got %d cells: %q", n, bars[flow.StepToken])
	}
	first := strings.IndexRune(bars[flow.StepClick], '█')
	last := strings.IndexRune(bars[flow.StepConfirmed], '█')
	if first != 0 || last <= strings.Index(bars[flow.StepReturn], "≈") {
		t.Errorf("bars out of order: step1 at %d, step8 at %d", first, last)
	}
	if !strings.Contains(ax.legend(), "not to scale") || !strings.Contains(ax.ruler(), "≈") {
		t.Errorf("the break must be said: %q %q", ax.legend(), ax.ruler())
	}
	// A refresh round has no user time to cut.
	evs, now := evRefreshed(t)
	m = feed(t, Options{Clock: newFakeClock(now)}, 80, 24, evs)
	if ax := newTimeAxis(&m.Timeline().Rounds[1], 30, now); ax.hasBreak() {
		t.Error("refresh rounds have no user time to cut")
	}
}

func TestUntrustedStringsAreEscaped(t *testing.T) {
	evs, now := evAuthenticated(t)
	for i, ev := range evs {
		if d := stepDetail(ev); d != nil && d.Token != nil {
			st := *ev.Step
			tok := *st.Detail.Token
			tok.Claims = append([]flow.Claim(nil), tok.Claims...)
			tok.Claims = append(tok.Claims,
				flow.Claim{Name: "evil\x1b[2J", JSON: "\"\x1b]52;c;SGVsbG8=\x07 \u202eevil\u200b \u009b31m\""},
			)
			st.Detail = &flow.Detail{Token: &tok}
			evs[i].Step = &st
		}
	}
	m := feed(t, Options{Clock: newFakeClock(now)}, 120, 60, evs)
	for m.sel != 4 {
		m = step(t, m, keyUp)
	}
	v := m.View()
	if strings.ContainsAny(v, "\x1b\x07") || strings.ContainsRune(v, 0x9b) || strings.ContainsRune(v, 0x202e) {
		t.Fatalf("raw control characters reached the screen: %q", v)
	}
	for _, want := range []string{`evil\x1b[2J`, `\x1b]52;c;`, `<U+202E>`, `<U+200B>`, `\u009b`} {
		if !strings.Contains(v, want) {
			t.Errorf("escaped form %q not shown", want)
		}
	}
}

func TestRedactionScrubsFreeText(t *testing.T) {
	evs, now := evAuthenticated(t)
	evs = append(evs, flow.Event{Kind: flow.EventStep, Step: &flow.Step{
		ID: flow.StepProvider, Status: flow.StatusOK, Start: t0.Add(14600 * time.Millisecond), Duration: 45 * time.Millisecond,
		Summary: "signed in as ada@example.com",
		Detail:  &flow.Detail{Fields: []flow.Field{{Label: "Email", Value: "ada@example.com"}, {Label: "Contact", Value: "write to ada@example.com"}}},
	}})
	m := feed(t, Options{Clock: newFakeClock(now), Redact: true}, 120, 40, evs)
	m.sel, m.follow = 3, false
	if v := m.View(); strings.Contains(v, "ada@example.com") {
		t.Fatalf("redaction left an e-mail address on screen:\n%s", v)
	}
}

func TestHeader(t *testing.T) {
	run := flow.Event{Kind: flow.EventRun, Run: &flow.RunInfo{
		Source: "clerk", SourceName: "happy-cat-12.clerk.accounts.dev", Backend: "deployment",
		BackendURL: "https://happy-cat-123.convex.cloud", Project: "/home/ada/src/my-app", Scenario: "",
	}}
	tests := []struct {
		w           int
		projectLine int // the header line holding the project
	}{{80, 1}, {200, 0}}
	for _, tt := range tests {
		m := feed(t, Options{Clock: newFakeClock(t0)}, tt.w, 24, []flow.Event{run})
		lines := strings.Split(m.View(), "\n")
		if !strings.Contains(lines[0], "happy-cat-12.clerk.accounts.dev") || !strings.Contains(lines[0], "https://happy-cat-123.convex.cloud") {
			t.Errorf("width %d: source and deployment not on the first line: %q", tt.w, lines[0])
		}
		if !strings.Contains(lines[tt.projectLine], "project /home/ada/src/my-app") {
			t.Errorf("width %d: project not on line %d:\n%s", tt.w, tt.projectLine, strings.Join(lines[:4], "\n"))
		}
	}
}

func TestNoticeAfterSignInIsStatus(t *testing.T) {
	m, _ := fixture(t, evRunning, Options{}, 80, 24)
	if !strings.Contains(m.View(), "▶ Sign-in page") {
		t.Fatal("the sign-in notice should be prominent while signing in")
	}
	evs, _ := evRunning(t)
	for _, ev := range loaded(t, runHealthy)[len(evs):] {
		m = step(t, m, eventMsg{ev})
	}
	v := m.View()
	if strings.Contains(v, "Sign-in page") {
		t.Fatalf("the sign-in notice outlived the sign-in:\n%s", v)
	}
	m = step(t, m, eventMsg{flow.Event{Kind: flow.EventNotice, Notice: "token refetch failed: \x1b[31mboom"}})
	if v := m.View(); !strings.Contains(v, `‣ token refetch failed: \x1b[31mboom`) {
		t.Fatalf("a later notice belongs in the status line, escaped:\n%s", v)
	}
}

func TestDoneWithError(t *testing.T) {
	m, _ := fixture(t, evRunning, Options{}, 80, 24)
	m = step(t, m, eventMsg{flow.Event{Kind: flow.EventDone, Err: "sign-in timed out after 5m0s"}})
	if v := m.View(); !strings.Contains(v, "Run stopped: sign-in timed out") || !strings.Contains(v, "never decided") {
		t.Fatalf("a failed run should say why:\n%s", v)
	}
}

func TestColourProfileKeepsTheLayout(t *testing.T) {
	m, _ := fixture(t, evRejected, Options{}, 80, 24)
	plain := m.View()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	r.SetHasDarkBackground(true)
	m.setRenderer(r)
	coloured := m.View()
	if !strings.Contains(coloured, "\x1b[") {
		t.Fatal("a TrueColor renderer produced no styling")
	}
	checkFrame(t, "truecolor", coloured, 80, 24)
	if got := ansi.Strip(coloured); got != plain {
		t.Fatalf("colour changed the text:\n%s\n---\n%s", got, plain)
	}
}

func TestFastStylesMatchLipgloss(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	r.SetHasDarkBackground(true)
	st := newStyles(r)
	all := []style{st.plain, st.app, st.dim, st.bold, st.label, st.ok, st.fail, st.warn, st.running, st.selected,
		st.cursor, st.tabOn, st.tabOff, st.rule, st.verdictOK, st.verdictFail, st.verdictWait, st.verdictNone, st.notice, st.confirm, st.barBreak}
	if n := reflect.TypeOf(st).NumField(); n != len(all) {
		t.Fatalf("styles has %d fields, the test checks %d", n, len(all))
	}
	fast := 0
	for i, s := range all {
		if s.fast {
			fast++
		}
		for _, text := range []string{"x", "isAuthenticated: true", "a  b ✓"} {
			if got, want := s.Render(text), s.Style.Render(text); got != want {
				t.Errorf("style %d: Render(%q) = %q, lipgloss gives %q", i, text, got, want)
			}
		}
	}
	if fast < len(all)-2 {
		t.Errorf("only %d of %d styles take the fast path", fast, len(all))
	}
}

func TestTinyScreenKeepsTheVerdict(t *testing.T) {
	m, _ := fixture(t, evRejected, Options{}, 60, 7)
	v := m.View()
	checkFrame(t, "tiny", v, 60, 7)
	if !strings.Contains(v, "isAuthenticated: false") {
		t.Fatalf("the verdict gave way on a small screen:\n%s", v)
	}
	m = step(t, m, keyRunes("c"))
	if v := m.View(); !strings.Contains(v, "y/n") {
		t.Fatalf("the copy question gave way on a small screen:\n%s", v)
	}
}

func TestProjectFindings(t *testing.T) {
	evs, now := evAuthenticated(t)
	run := *evs[0].Run
	run.Project = "/home/ada/src/my-app"
	run.Findings = []diagnose.Finding{{
		Code: "no_providers", Title: "convex/auth.config.ts has no providers: the Clerk entry is commented out",
		Fix: "Uncomment the Clerk provider in convex/auth.config.ts and run npx convex dev.",
	}}
	evs[0].Run = &run
	m := feed(t, Options{Clock: newFakeClock(now)}, 80, 24, evs)
	v := m.View()
	if !strings.Contains(v, "! project: convex/auth.config.ts has no providers") {
		t.Fatalf("project findings not in the header:\n%s", v)
	}
	m = step(t, m, keyEnter) // step 8, expanded
	m = step(t, m, tea.KeyMsg{Type: tea.KeyPgDown})
	if v := m.View(); !strings.Contains(v, "Project checks, before the run") || !strings.Contains(v, "Uncomment the Clerk provider") {
		t.Fatalf("step 8 does not list the project findings:\n%s", v)
	}
	// The banner says step 8 lists them: so it does before the run got
	// there, and when it stopped at step 2.
	failed := flow.Step{ID: flow.StepRedirect, Status: flow.StatusFail, Start: evs[1].At, Error: "ClerkJS did not load"}
	for name, evs := range map[string][]flow.Event{
		"pending":       evs[:1],
		"step 2 failed": {evs[0], stepEv(failed), {Kind: flow.EventDone, At: evs[1].At, Err: "sign-in failed"}},
	} {
		m := feed(t, Options{Clock: newFakeClock(now)}, 80, 24, evs)
		for m.sel != 7 {
			m = step(t, m, keyDown)
		}
		if d := strings.Join(m.detailLines(80, now), "\n"); !strings.Contains(d, "Project checks, before the run") || !strings.Contains(d, "Uncomment the Clerk provider") {
			t.Errorf("%s: step 8 does not list the project findings the banner promises:\n%s", name, d)
		}
	}
}

// While the flow waits for the user to sign in, the spinner slows down so
// a long wait costs next to no CPU; once the machine works it speeds up.
func TestSpinnerSlowsWhileWaitingForTheUser(t *testing.T) {
	m, _ := fixture(t, evRunning, Options{}, 80, 24)
	m = step(t, m, spinner.TickMsg{ID: m.spin.ID()})
	if m.spin.Spinner.FPS != humanWaitFrame {
		t.Fatalf("spinner frame %v while waiting for the sign-in, want %v", m.spin.Spinner.FPS, humanWaitFrame)
	}
	m = step(t, m, eventMsg{stepEv(flow.Step{ID: flow.StepReturn, Status: flow.StatusOK})})
	m = step(t, m, eventMsg{stepEv(flow.Step{ID: flow.StepSend, Status: flow.StatusRunning})})
	m = step(t, m, spinner.TickMsg{ID: m.spin.ID()})
	if m.spin.Spinner.FPS != spinnerFrames.FPS {
		t.Fatalf("spinner frame %v while the machine works, want %v", m.spin.Spinner.FPS, spinnerFrames.FPS)
	}
}

// Evidence with nothing expected (the backend's message) is shown as a
// fact, not as a failed comparison against an empty expectation.
func TestEvidenceFactsAreNotComparisons(t *testing.T) {
	m := New(Options{})
	d := &detailWriter{st: m.styles, w: 80}
	m.comparisonTable(d, []diagnose.Comparison{
		{Label: "backend said", Actual: "No auth provider found matching the given token"},
		{Label: "aud", Expected: "convex", Actual: "my-app"},
	}, 2)
	out := strings.Join(d.lines, "\n")
	if !strings.Contains(out, "· backend said  No auth provider found") {
		t.Errorf("the backend's message is not shown as a fact:\n%s", out)
	}
	if strings.Count(out, "expected") != 1 {
		t.Errorf("only the aud row compares, so one 'expected':\n%s", out)
	}
}

// TestSignInURLStaysWhenTheBrowserFails: the URL's notice is never
// replaced: the browser's failure comes under it, and both show.
func TestSignInURLStaysWhenTheBrowserFails(t *testing.T) {
	m, _ := fixture(t, evRunning, Options{}, 100, 30) // the recorded run gave the URL's notice
	m = step(t, m, eventMsg{flow.Event{Kind: flow.EventNotice, NoticeKind: flow.NoticeBrowser,
		Notice: "The browser did not open: could not start a browser (no display). Open the sign-in page yourself: http://127.0.0.1:41003/"}})
	v := m.View()
	if !strings.Contains(v, "▶ Sign-in page (") || !strings.Contains(v, "▶ The browser did not open") {
		t.Fatalf("the URL and the browser's failure should both show:\n%s", v)
	}
}

// TestClosedTabKeys: with the sign-in tab closed, r says the refresh cannot
// run and how to go on; o opens the page again through Options.Reopen.
func TestClosedTabKeys(t *testing.T) {
	reopened := make(chan struct{}, 1)
	ch := make(chan struct{}, 1)
	m, _ := fixture(t, live(evAuthenticated), Options{RefreshNow: ch, Reopen: func() { reopened <- struct{}{} }}, 80, 24)
	m = step(t, m, eventMsg{flow.Event{Kind: flow.EventNotice, NoticeKind: flow.NoticeTabClosed,
		Notice: "The sign-in tab was closed: refresh rounds stop; press o to reopen it."}})
	m, cmd := stepCmd(t, m, keyRunes("r"))
	for _, msg := range collect(cmd) {
		m = step(t, m, msg)
	}
	if !strings.Contains(m.View(), "this refresh cannot run. Press o to reopen it") {
		t.Errorf("r with the tab closed:\n%s", m.View())
	}
	_, cmd = stepCmd(t, m, keyRunes("o"))
	if msgs := collect(cmd); len(msgs) != 1 || msgs[0] != (reopenMsg{}) {
		t.Fatalf("o returned %v", msgs)
	}
	select {
	case <-reopened:
	default:
		t.Error("o did not reopen the sign-in page")
	}
}

// TestRepeatedRunesArePresses: Bubble Tea v1 hands keys that arrive
// together to Update as one message of runes ("kkk" for a held k); each
// rune of a bound key is a press. Text with other runes moves nothing.
func TestRepeatedRunesArePresses(t *testing.T) {
	evs, now := evAuthenticated(t)
	m := feed(t, Options{Clock: newFakeClock(now)}, 120, 40, evs)
	if m.sel != 7 {
		t.Fatalf("selection %d after the run, want step 8", m.sel)
	}
	for _, tc := range []struct {
		keys string
		sel  int
	}{{"kkk", 4}, {"jj", 6}, {"kjk", 5}, {"kz", 5}, {"11;rgb:0/0/0", 5}} {
		m = step(t, m, keyRunes(tc.keys))
		if m.sel != tc.sel {
			t.Errorf("after %q the selection is %d, want %d", tc.keys, m.sel, tc.sel)
		}
	}
	if _, cmd := m.Update(keyRunes("jq")); cmd == nil {
		t.Error(`"jq" did not quit`)
	}

	// The same through a real program: three k written at once.
	events := make(chan flow.Event, len(evs))
	for _, ev := range evs {
		events <- ev
	}
	in, keys := io.Pipe()
	defer in.Close()
	out := &syncBuffer{}
	done := make(chan Model, 1)
	go func() {
		final, _ := Run(context.Background(), Options{Events: events, Clock: newFakeClock(now)}, in, out)
		done <- final
	}()
	for !strings.Contains(out.String(), "isAuthenticated: true") {
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := keys.Write([]byte("kkk")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // let the program read them before q
	if _, err := keys.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if final := <-done; final.sel != 4 {
		t.Errorf("after kkk written at once the selection is %d, want 4 (step 5)", final.sel)
	}
}

// Redaction hides the loopback secret in the sign-in URL on screen.
func TestRedactionHidesTheSignInSecret(t *testing.T) {
	m, _ := fixture(t, evRunning, Options{}, 120, 30)
	const secret = "s3cr3tS3cr3tS3cr3tS3cr3tS3cr3t00"
	m = step(t, m, eventMsg{flow.Event{Kind: flow.EventNotice, Notice: "Sign-in page: http://127.0.0.1:4000/?state=abc#secret=" + secret}})
	if !strings.Contains(m.View(), secret) {
		t.Fatalf("the sign-in URL should be whole without redaction:\n%s", m.View())
	}
	m = step(t, m, keyRunes("x"))
	if v := m.View(); strings.Contains(v, secret) || !strings.Contains(v, "#secret=<hidden>") {
		t.Errorf("the redacted view shows the secret:\n%s", v)
	}
}

// Ctrl+C stops the run (the command exits 130); q only leaves.
func TestCtrlCIsAnInterrupt(t *testing.T) {
	m, _ := fixture(t, evRunning, Options{}, 80, 24)
	q, cmd := stepCmd(t, m, keyRunes("q"))
	if cmd == nil || q.Interrupted() {
		t.Fatalf("q: cmd %v, interrupted %v", cmd, q.Interrupted())
	}
	c, cmd := stepCmd(t, m, tea.KeyMsg{Type: tea.KeyCtrlC})
	if cmd == nil || !c.Interrupted() {
		t.Fatalf("ctrl+c: cmd %v, interrupted %v", cmd, c.Interrupted())
	}
}
