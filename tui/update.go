package tui

import (
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/flow"
	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/charmbracelet/bubbles/spinner"
)

// eventMsg carries one runner event.
type eventMsg struct{ ev flow.Event }

// eventsClosedMsg says the runner closed its event channel.
type eventsClosedMsg struct{}

// countdownTickMsg re-renders countdowns; tag drops stale ticks, like the
// bubbles spinner.
type countdownTickMsg struct{ tag int }

// refreshSentMsg reports what happened to an r press.
type refreshSentMsg struct{ sent bool }

// autoSignInMsg says the automatic sign-in was started.
type autoSignInMsg struct{}

// copiedMsg says the token went to the clipboard; osc52 says it went as
// an OSC 52 sequence, which the terminal may or may not have taken.
type copiedMsg struct {
	n     int
	osc52 bool
}

// waitForEventCmd blocks on the event channel for exactly one event;
// Update re-arms it after each one.
func waitForEventCmd(ch <-chan flow.Event) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return eventsClosedMsg{}
		}
		return eventMsg{ev}
	}
}

// countdownTickCmd fires once, one second from now.
func countdownTickCmd(tag int) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return countdownTickMsg{tag: tag} })
}

// refreshCmd asks the runner for a refresh without ever blocking.
func refreshCmd(ch chan<- struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case ch <- struct{}{}:
			return refreshSentMsg{sent: true}
		default:
			return refreshSentMsg{sent: false}
		}
	}
}

// autoSignInCmd runs the demo's automatic sign-in off the UI goroutine.
// reopenMsg says the sign-in page was opened again.
type reopenMsg struct{}

func reopenCmd(f func()) tea.Cmd {
	return func() tea.Msg {
		f()
		return reopenMsg{}
	}
}

func autoSignInCmd(f func()) tea.Cmd {
	return func() tea.Msg {
		f()
		return autoSignInMsg{}
	}
}

// osc52Copy writes the OSC 52 "set clipboard" sequence in one Write, so it
// cannot interleave with the renderer's frames on the same *os.File.
func osc52Copy(w io.Writer, s string) tea.Cmd {
	return func() tea.Msg {
		// Plain OSC 52: tmux forwards it with `set -g set-clipboard on`;
		// the DCS-wrapped form needs allow-passthrough, off by default.
		_, _ = io.WriteString(w, osc52.New(s).String())
		return copiedMsg{n: len(s), osc52: true}
	}
}

// copyCmd is the configured clipboard Cmd followed by a confirmation.
func (m Model) copyCmd(raw string) tea.Cmd {
	if m.opts.CopyToClipboard != nil {
		return tea.Batch(m.opts.CopyToClipboard(raw), func() tea.Msg { return copiedMsg{n: len(raw)} })
	}
	return osc52Copy(m.clipOut, raw)
}

// Init starts listening for events and, when Run decided to, asks the
// terminal for its background colour.
func (m Model) Init() tea.Cmd {
	if m.bgAsked {
		return tea.Batch(waitForEventCmd(m.opts.Events), writeCmd(m.clipOut, backgroundQuery))
	}
	return waitForEventCmd(m.opts.Events)
}

// writeCmd writes s to the terminal in one Write, between frames.
func writeCmd(w io.Writer, s string) tea.Cmd {
	return func() tea.Msg {
		_, _ = io.WriteString(w, s)
		return nil
	}
}

// backgroundKey takes the keys that are the terminal's answer to the
// background query (Bubble Tea v1 splits "ESC ] 11;rgb:… ST" into alt+],
// the runes, and alt+\ or ctrl+g for BEL) and applies the colour. None of
// these keys means anything else here.
func (m *Model) backgroundKey(msg tea.KeyMsg) bool {
	if !m.bgAsked {
		return false
	}
	switch {
	case msg.Alt && msg.Type == tea.KeyRunes && len(msg.Runes) == 1 && (msg.Runes[0] == ']' || msg.Runes[0] == '\\'):
		return true
	case msg.Type == tea.KeyCtrlG:
		return true
	case msg.Type == tea.KeyRunes && !msg.Alt:
		bg, ok := bgAnswer(string(msg.Runes))
		if ok && m.renderer != nil {
			m.renderer.SetHasDarkBackground(bg == BackgroundDark)
			m.setRenderer(m.renderer)
		}
		return ok
	}
	return false
}

// Update applies one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.clampScroll()
	case tea.KeyMsg:
		if m.backgroundKey(msg) {
			break
		}
		var cmds []tea.Cmd
		for _, k := range presses(msg) {
			m, cmd = m.handleKey(k)
			cmds = append(cmds, cmd)
		}
		cmd = tea.Batch(cmds...)
	case eventMsg:
		m.tl.Apply(msg.ev)
		if m.autoSignedIn && !m.tl.SignInPending() && m.status == statusSigningIn {
			m.status = ""
		}
		m.afterEvent()
		cmd = tea.Batch(waitForEventCmd(m.opts.Events), m.animate())
	case eventsClosedMsg:
		m.closed = true
	case countdownTickMsg:
		if msg.tag != m.tickTag {
			return m, nil // stale: another tick chain is the live one
		}
		m.ticking = false
		cmd = m.animate()
	case spinner.TickMsg:
		if !m.tl.Running() {
			m.spinning = false // let the chain end: nothing to animate
			return m, nil
		}
		m.spin.Spinner.FPS = spinnerFrames.FPS
		if m.tl.SignInPending() {
			m.spin.Spinner.FPS = humanWaitFrame
		}
		m.spin, cmd = m.spin.Update(msg)
	case reopenMsg:
		m.status = ""
	case refreshSentMsg:
		switch {
		case m.tl.TabClosed():
			// The key already said why this refresh cannot run.
		case !msg.sent:
			m.status = "A refresh is already pending."
		case m.tl.Running():
			m.status = "Refresh requested: steps 5–8 run again once this round is over."
		default:
			m.status = "Refresh requested: steps 5–8 run again now."
		}
	case autoSignInMsg:
		if m.tl.SignInPending() {
			m.status = statusSigningIn
		}
	case urlDrawMsg:
		cmd = m.drawURL(msg.p)
	case urlCopiedMsg:
		m.status = m.copiedURLStatus()
	case copiedMsg:
		m.status = m.copiedText(msg)
	}
	m.syncKeys()
	return m, tea.Batch(cmd, m.placeURL())
}

// copiedText says what a copy did, no more than authscope can know: an
// OSC 52 sequence is sent to the terminal, which answers nothing, and
// under tmux it reaches the clipboard only with set-clipboard on.
func (m Model) copiedText(msg copiedMsg) string {
	const care = " It is a bearer credential: paste it with care."
	n := itoa(msg.n) + " bytes"
	if !msg.osc52 {
		return "Token copied to the clipboard (" + n + ")." + care
	}
	sent := "Token (" + n + ") sent to the terminal's clipboard (OSC 52)"
	if m.opts.Terminal.Multiplexer {
		return sent + "; tmux needs set-clipboard on (GNU screen does not pass it on)." + care
	}
	return sent + "; authscope cannot tell whether the terminal accepted it." + care
}

// animate starts the spinner and the countdown tick when there is something
// to animate, and never otherwise, so an idle screen costs nothing.
func (m *Model) animate() tea.Cmd {
	var cmds []tea.Cmd
	if !m.spinning && m.tl.Running() {
		m.spinning = true
		cmds = append(cmds, m.spin.Tick)
	}
	if !m.ticking && m.countingDown() {
		m.ticking = true
		m.tickTag++
		cmds = append(cmds, countdownTickCmd(m.tickTag))
	}
	return tea.Batch(cmds...)
}

// countingDown reports whether a countdown or relative time on screen still
// changes: a schedule deadline or the latest token's expiry in the future.
func (m Model) countingDown() bool {
	now := m.clock.Now()
	s := m.schedule()
	for _, t := range []time.Time{s.NextRefetch, s.ClerkRefresh, s.SDKRefresh, s.JWKSExpiry} {
		if !t.IsZero() && t.After(now) {
			return true
		}
	}
	if tok := m.token(-1); tok != nil && !tok.Expires.IsZero() && tok.Expires.After(now) {
		return true
	}
	return false
}

// afterEvent keeps the selection on the live step while following.
func (m *Model) afterEvent() {
	if !m.follow {
		m.clampSelection()
		return
	}
	m.round = len(m.rounds()) - 1
	r := m.cur()
	sel := -1
	for i, st := range r.Steps {
		if st.Status == flow.StatusRunning {
			sel = i
			break
		}
		if st.Status != flow.StatusPending {
			sel = i
		}
	}
	if sel < 0 {
		sel = 0
	}
	if sel != m.sel {
		m.scroll = 0
	}
	m.sel = sel
}

func (m *Model) clampSelection() {
	if m.round >= len(m.rounds()) {
		m.round = len(m.rounds()) - 1
	}
	if m.round < 0 {
		m.round = 0
	}
	if n := len(m.cur().Steps); m.sel >= n {
		m.sel = n - 1
	}
	if m.sel < 0 {
		m.sel = 0
	}
}

func (m *Model) moveSelection(d int) {
	m.follow = false
	r := m.cur()
	m.sel += d
	if m.sel < 0 {
		m.sel = 0
	}
	if m.sel >= len(r.Steps) {
		m.sel = len(r.Steps) - 1
	}
	m.scroll = 0
}

func (m *Model) moveRound(d int) {
	m.follow = false
	old := m.cur().Steps[m.sel].ID
	m.round += d
	m.clampSelection()
	// Keep the same step when the new round has it.
	for i, st := range m.cur().Steps {
		if st.ID == old {
			m.sel = i
		}
	}
	m.clampSelection()
	m.scroll = 0
}

func (m *Model) scrollBy(d int) {
	m.scroll += d
	m.clampScroll()
}

// clampScroll keeps the scroll offset within the body being shown.
func (m *Model) clampScroll() {
	maxOff := m.bodyLineCount() - m.bodyHeight()
	if m.scroll > maxOff {
		m.scroll = maxOff
	}
	if m.scroll < 0 {
		m.scroll = 0
	}
}

func (m Model) pageSize() int {
	if h := m.bodyHeight() - 1; h > 1 {
		return h
	}
	return 1
}

// noRefresh says why r can do nothing now, or "" when it can: the runner
// refreshes only once the sign-in round is over, and not after the run
// ended (a failed sign-in ends it).
func (m Model) noRefresh() string {
	first := m.tl.Round(0)
	switch {
	case m.opts.RefreshNow == nil:
		return "This token source cannot fetch a new token."
	case m.tl.Done && first != nil && first.Token() == nil:
		return "The sign-in did not complete, so there is no session to refresh: quit (q) and run authscope again."
	case m.tl.Done || m.closed:
		return "The run has ended, so nothing can be refreshed: quit (q) and run authscope again."
	case first == nil || first.Verdict == nil:
		return "Nothing to refresh yet: r runs steps 5–8 again once the first round is over."
	}
	return ""
}

// syncKeys enables exactly the bindings that do something right now.
func (m *Model) syncKeys() {
	m.keys.confirming = m.confirmCopy
	m.keys.Refresh.SetEnabled(m.noRefresh() == "")
	m.keys.Reopen.SetEnabled(m.opts.Reopen != nil)
	m.keys.AutoSignIn.SetEnabled(m.opts.AutoSignIn != nil && !m.autoSignedIn && m.tl.SignInPending())
	m.keys.Copy.SetEnabled(m.token(m.round) != nil)
	url := m.signInURL() != "" && !m.tl.Done
	m.keys.CopyURL.SetEnabled(url)
	m.keys.signingIn = url && m.tl.SignInPending()
	if m.expanded {
		m.keys.Expand.SetHelp("enter", "collapse")
	} else {
		m.keys.Expand.SetHelp("enter", "expand")
	}
	m.keys.helping = m.pane == paneHelp
	if m.pane == paneHelp {
		m.keys.Help.SetHelp("?", "close help")
	} else {
		m.keys.Help.SetHelp("?", "help")
	}
	if m.pane == paneIdentity {
		m.keys.Pane.SetHelp("tab", "steps")
	} else {
		m.keys.Pane.SetHelp("tab", "identity")
	}
	if m.redact {
		m.keys.Redact.SetHelp("x", "unredact")
	} else {
		m.keys.Redact.SetHelp("x", "redact")
	}
}
