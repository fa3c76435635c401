// Package tui is authscope's Bubble Tea interface: the eight steps of the
// Convex + Clerk guide live, with decoded claims, JWKS timings, refresh
// countdowns and the diagnosis.
//
// It turns flow.Events into a view and nothing else (DESIGN.md): one root
// Model owns all state and message routing; runState (state.go) is a pure
// reducer over events; the header, step list, detail pane and identity
// preview are plain render functions over that state. Events arrive through
// a re-arming tea.Cmd, and Cmds never touch the model: they return messages
// that Update applies.
package tui

import (
	"context"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/authscope/authscope/flow"
)

// Options is what the interface is given by its caller.
type Options struct {
	// Events is the runner's event stream; it is closed when the run ends.
	Events <-chan flow.Event
	// RefreshNow receives a value when the user presses r; sends never block
	// (a refresh already pending is enough). Nil disables the key.
	RefreshNow chan<- struct{}
	// AutoSignIn, when set, signs in as the demo user; the interface offers
	// it (key a) while the sign-in is pending. The demo sets it when no
	// browser could be opened. It is called from a Cmd goroutine.
	AutoSignIn func()
	// Clock drives countdowns and relative times; nil means the wall clock.
	Clock flow.Clock
	// Redact is the initial redaction state (--redact): token signatures and
	// personal claims are hidden.
	Redact bool
	// CopyToClipboard returns the Cmd that puts s on the clipboard. Nil means
	// an OSC 52 sequence written to the program's output.
	CopyToClipboard func(s string) tea.Cmd
}

// pane is which view the body shows.
type pane int

const (
	paneSteps pane = iota
	paneIdentity
)

func (p pane) String() string {
	if p == paneIdentity {
		return "identity"
	}
	return "steps"
}

// Model is the root model. It is used as Bubble Tea uses models: each
// Update's result replaces the previous value (the run state is shared).
type Model struct {
	opts   Options
	clock  flow.Clock
	st     *runState
	keys   keyMap
	help   help.Model
	styles styles
	spin   spinner.Model

	width, height int

	pane     pane
	expanded bool
	scroll   int // first line of the detail or identity body
	round    int // index into st.rounds
	sel      int // index into the round's steps
	follow   bool
	redact   bool

	confirmCopy  bool
	status       string
	autoSignedIn bool
	closed       bool

	spinning bool // a spinner tick is in flight
	ticking  bool // a countdown tick is in flight
	tickTag  int  // the tag a countdown tick must carry to be accepted

	// clipOut is where the default OSC 52 copy is written (Run sets it).
	clipOut io.Writer
}

const statusSigningIn = "Signing in as the demo user…"

// allKeys is the key map with every binding enabled, for matching.
var allKeys = defaultKeyMap()

// spinnerFrames is a calm spinner: five frames a second while the machine
// works. While the flow waits on a person signing in, which can take
// minutes, it slows to two frames a second (humanWaitFrame) so the wait
// costs well under 1 % of a core.
var spinnerFrames = spinner.Spinner{
	Frames: []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"},
	FPS:    time.Second / 5,
}

const humanWaitFrame = time.Second / 2

// New builds the interface's model, rendering with lipgloss's default
// renderer (standard output's colour profile; Run uses its own output's).
func New(opts Options) Model {
	return newModel(opts, lipgloss.DefaultRenderer())
}

func newModel(opts Options, r *lipgloss.Renderer) Model {
	clk := opts.Clock
	if clk == nil {
		clk = flow.RealClock{}
	}
	h := help.New()
	m := Model{
		opts:    opts,
		clock:   clk,
		st:      newRunState(),
		keys:    defaultKeyMap(),
		help:    h,
		follow:  true,
		redact:  opts.Redact,
		clipOut: os.Stdout,
		width:   80,
		height:  24,
	}
	m.setRenderer(r)
	m.syncKeys()
	return m
}

func (m *Model) setRenderer(r *lipgloss.Renderer) {
	m.styles = newStyles(r)
	m.help.Styles.ShortKey = m.styles.bold.Style
	m.help.Styles.FullKey = m.styles.bold.Style
	m.help.Styles.ShortDesc = m.styles.dim.Style
	m.help.Styles.FullDesc = m.styles.dim.Style
	m.help.Styles.ShortSeparator = m.styles.dim.Style
	m.help.Styles.FullSeparator = m.styles.dim.Style
	m.help.Styles.Ellipsis = m.styles.dim.Style
	m.spin = spinner.New(spinner.WithSpinner(spinnerFrames), spinner.WithStyle(m.styles.running.Style))
}

// Run runs the interface on the alternate screen until the user quits or
// ctx ends, restores the terminal and returns the final model. A cancelled
// ctx is reported as an error wrapping ctx.Err().
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer) (Model, error) {
	r := lipgloss.NewRenderer(out) // honours NO_COLOR and the output's capabilities
	// Ask the terminal for its background now: asked lazily from inside the
	// program, the query's answer would race Bubble Tea's input reader.
	_ = r.HasDarkBackground()
	m := newModel(opts, r)
	m.clipOut = out
	// The renderer wakes up at its frame rate even when nothing changed;
	// 15 frames a second is plenty for a 5-frame spinner and key echo, and
	// keeps the wait for the user's sign-in near zero CPU (60 is the default).
	progOpts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithOutput(out), tea.WithAltScreen(), tea.WithFPS(15)}
	if in != nil {
		progOpts = append(progOpts, tea.WithInput(in))
	}
	final, err := tea.NewProgram(m, progOpts...).Run()
	if fm, ok := final.(Model); ok {
		m = fm
	}
	return m, err
}

// Verdict is the latest verdict of the run (nil before step 8 decided).
func (m Model) Verdict() *flow.Verdict {
	if m.st.verdict == nil {
		return nil
	}
	v := *m.st.verdict
	return &v
}

// MESSAGES

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

// copiedMsg says the token went to the clipboard.
type copiedMsg struct{ n int }

// COMMANDS

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
		return copiedMsg{n: len(s)}
	}
}

// copyCmd is the configured clipboard Cmd followed by a confirmation.
func (m Model) copyCmd(raw string) tea.Cmd {
	if m.opts.CopyToClipboard != nil {
		return tea.Batch(m.opts.CopyToClipboard(raw), func() tea.Msg { return copiedMsg{n: len(raw)} })
	}
	return osc52Copy(m.clipOut, raw)
}

// Init starts listening for events.
func (m Model) Init() tea.Cmd {
	return waitForEventCmd(m.opts.Events)
}

// Update applies one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.clampScroll()
	case tea.KeyMsg:
		m, cmd = m.handleKey(msg)
	case eventMsg:
		m.st.apply(msg.ev)
		if m.autoSignedIn && !m.st.signInPending() && m.status == statusSigningIn {
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
		if !m.st.running() {
			m.spinning = false // let the chain end: nothing to animate
			return m, nil
		}
		m.spin.Spinner.FPS = spinnerFrames.FPS
		if m.st.signInPending() {
			m.spin.Spinner.FPS = humanWaitFrame
		}
		m.spin, cmd = m.spin.Update(msg)
	case refreshSentMsg:
		if msg.sent {
			m.status = "Refresh requested: steps 5–8 will run again."
		} else {
			m.status = "A refresh is already pending."
		}
	case autoSignInMsg:
		if m.st.signInPending() {
			m.status = statusSigningIn
		}
	case copiedMsg:
		m.status = "Token copied to the clipboard (" + itoa(msg.n) + " bytes). It is a bearer credential: paste it with care."
	}
	m.syncKeys()
	return m, cmd
}

// animate starts the spinner and the countdown tick when there is something
// to animate, and never otherwise, so an idle screen costs nothing.
func (m *Model) animate() tea.Cmd {
	var cmds []tea.Cmd
	if !m.spinning && m.st.running() {
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
	s := m.st.schedule
	for _, t := range []time.Time{s.NextRefetch, s.ClerkRefresh, s.JWKSExpiry} {
		if !t.IsZero() && t.After(now) {
			return true
		}
	}
	if tok := m.st.token(-1); tok != nil && !tok.Expires.IsZero() && tok.Expires.After(now) {
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
	m.round = len(m.st.rounds) - 1
	r := m.st.rounds[m.round]
	sel := -1
	for i, st := range r.steps {
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
	if m.round >= len(m.st.rounds) {
		m.round = len(m.st.rounds) - 1
	}
	if m.round < 0 {
		m.round = 0
	}
	if n := len(m.st.rounds[m.round].steps); m.sel >= n {
		m.sel = n - 1
	}
	if m.sel < 0 {
		m.sel = 0
	}
}

// handleKey routes a key press.
func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	// Match against every binding, enabled or not: m.keys only decides
	// what the help shows, and a key that cannot act now still says why.
	k := allKeys
	if !m.confirmCopy {
		m.status = "" // messages last until the next key
	}
	if m.confirmCopy {
		m.confirmCopy = false
		if key.Matches(msg, k.Yes) {
			if tok := m.st.token(m.round); tok != nil {
				m.status = ""
				return m, m.copyCmd(tok.Raw)
			}
		}
		m.status = "Copy cancelled."
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.clampScroll()
	case key.Matches(msg, k.Pane):
		if m.pane == paneSteps {
			m.pane = paneIdentity
		} else {
			m.pane = paneSteps
		}
		m.scroll = 0
	case key.Matches(msg, k.Up):
		if m.pane == paneIdentity || m.expanded {
			m.scrollBy(-1)
		} else {
			m.moveSelection(-1)
		}
	case key.Matches(msg, k.Down):
		if m.pane == paneIdentity || m.expanded {
			m.scrollBy(1)
		} else {
			m.moveSelection(1)
		}
	case key.Matches(msg, k.PageUp):
		m.scrollBy(-m.pageSize())
	case key.Matches(msg, k.PageDown):
		m.scrollBy(m.pageSize())
	case key.Matches(msg, k.PrevRound):
		m.moveRound(-1)
	case key.Matches(msg, k.NextRound):
		m.moveRound(1)
	case key.Matches(msg, k.Expand):
		if m.pane == paneSteps {
			m.expanded = !m.expanded
			m.scroll = 0
		}
	case key.Matches(msg, k.Back):
		m.expanded = false
		m.pane = paneSteps
		m.scroll = 0
		m.status = ""
	case key.Matches(msg, k.Redact):
		m.redact = !m.redact
		if m.redact {
			m.status = "Redaction on: token signatures and personal claims are hidden."
		} else {
			m.status = "Redaction off."
		}
	case key.Matches(msg, k.Copy):
		tok := m.st.token(m.round)
		if tok == nil {
			m.status = "No token to copy yet."
			return m, nil
		}
		m.confirmCopy = true
		m.status = "Copy the token to the clipboard? y/n  (" + itoa(len(tok.Raw)) + " bytes; a bearer credential: anyone holding it is you)"
	case key.Matches(msg, k.Refresh):
		if m.opts.RefreshNow == nil {
			m.status = "This token source cannot fetch a new token."
			return m, nil
		}
		return m, refreshCmd(m.opts.RefreshNow)
	case key.Matches(msg, k.AutoSignIn):
		if m.opts.AutoSignIn == nil || m.autoSignedIn || !m.st.signInPending() {
			return m, nil
		}
		m.autoSignedIn = true
		m.status = statusSigningIn
		return m, autoSignInCmd(m.opts.AutoSignIn)
	}
	return m, nil
}

func (m *Model) moveSelection(d int) {
	m.follow = false
	r := m.st.rounds[m.round]
	m.sel += d
	if m.sel < 0 {
		m.sel = 0
	}
	if m.sel >= len(r.steps) {
		m.sel = len(r.steps) - 1
	}
	m.scroll = 0
}

func (m *Model) moveRound(d int) {
	m.follow = false
	old := m.st.rounds[m.round].steps[m.sel].ID
	m.round += d
	m.clampSelection()
	// Keep the same step when the new round has it.
	for i, st := range m.st.rounds[m.round].steps {
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

// syncKeys enables exactly the bindings that do something right now.
func (m *Model) syncKeys() {
	m.keys.confirming = m.confirmCopy
	m.keys.Refresh.SetEnabled(m.opts.RefreshNow != nil)
	m.keys.AutoSignIn.SetEnabled(m.opts.AutoSignIn != nil && !m.autoSignedIn && m.st.signInPending())
	m.keys.Copy.SetEnabled(m.st.token(m.round) != nil)
	if m.expanded {
		m.keys.Expand.SetHelp("enter", "collapse")
	} else {
		m.keys.Expand.SetHelp("enter", "expand")
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

func itoa(n int) string { return strconv.Itoa(n) }
