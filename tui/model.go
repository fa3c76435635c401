// Package tui is authscope's Bubble Tea interface: the eight steps of the
// Convex + Clerk guide live, with decoded claims, JWKS timings, refresh
// countdowns and the diagnosis.
//
// It turns flow.Events into a view and nothing else. One root Model owns
// the interface's state: a *flow.Timeline, the fold of the events that the
// JSON report and the plain output are made from too, plus what only the
// interface has (selection, scrolling, sizes, the status line). The header,
// step list, detail pane and identity preview are render functions over the
// two. Events arrive through a re-arming tea.Cmd, and Cmds never touch the
// model: they return messages that Update applies.
package tui

import (
	// For its init: Bubble Tea must not ask the terminal anything while
	// the program starts (see the package's documentation).
	_ "github.com/authscope/authscope/tui/internal/quietterm"

	"context"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
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
	// Reopen, when set, opens the sign-in page again (key o): after the
	// tab was closed, or when the browser never showed it. It is called
	// from a Cmd goroutine; what it did arrives as a notice.
	Reopen func()
	// Clock drives countdowns and relative times; nil means the wall clock.
	Clock flow.Clock
	// Redact is the initial redaction state (--redact): token signatures and
	// personal claims are hidden.
	Redact bool
	// CopyToClipboard returns the Cmd that puts s on the clipboard. Nil means
	// an OSC 52 sequence written to the program's output.
	CopyToClipboard func(s string) tea.Cmd
	// Terminal is what the environment says about the terminal
	// (DetectTerminal): ASCII-only drawing, the background colour.
	Terminal Terminal
	// SignInURL is the sign-in page's address when the run signs in
	// through a browser (the loopback page, with its per-run secret). While
	// the sign-in is pending the interface shows it whole on rows of its
	// own, and u copies it. Empty: the address a sign-in notice carries,
	// if any.
	SignInURL string
}

// pane is which view the body shows.
type pane int

const (
	paneSteps pane = iota
	paneIdentity
	paneHelp // keys, words and the run in full (?)
)

func (p pane) String() string {
	switch p {
	case paneIdentity:
		return "identity"
	case paneHelp:
		return "help"
	}
	return "steps"
}

// Model is the root model. It is used as Bubble Tea uses models: each
// Update's result replaces the previous value (the run state is shared).
type Model struct {
	opts   Options
	clock  flow.Clock
	tl     *flow.Timeline
	keys   keyMap
	help   help.Model
	styles styles
	spin   spinner.Model

	width, height int

	pane     pane
	helpFrom pane // the pane ? or esc goes back to
	expanded bool
	scroll   int // first line of the detail or identity body
	round    int // index into st.rounds
	sel      int // index into the round's steps
	follow   bool
	redact   bool

	confirmCopy  bool
	interrupted  bool // the user quit with Ctrl+C
	status       string
	autoSignedIn bool
	closed       bool

	spinning bool // a spinner tick is in flight
	ticking  bool // a countdown tick is in flight
	tickTag  int  // the tag a countdown tick must carry to be accepted

	// clipOut is where the default OSC 52 copy is written (Run sets it).
	clipOut io.Writer

	renderer *lipgloss.Renderer
	ascii    bool // draw with ASCII only (Terminal.ASCII)
	// bgAsked says the terminal was asked for its background colour: its
	// answer arrives as keys, which Update takes for what they are.
	bgAsked bool
	// live is set by Run: the model draws on a real terminal and may write
	// to it between frames (the sign-in URL, see signin.go).
	live      bool
	urlPlaced urlPlacement // where the terminal has the URL as one line
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
		tl:      flow.NewTimeline(),
		keys:    defaultKeyMap(),
		help:    h,
		follow:  true,
		redact:  opts.Redact,
		clipOut: os.Stdout,
		width:   80,
		height:  24,
		ascii:   opts.Terminal.ASCII,
	}
	frames := spinnerFrames
	if m.ascii {
		frames.Frames = asciiSpinner
	}
	m.spin = spinner.New(spinner.WithSpinner(frames))
	m.setRenderer(r)
	m.syncKeys()
	return m
}

// setRenderer builds the styles for a renderer's colour profile and
// background. The spinner is kept (a new one would drop the ticks in
// flight), only restyled.
func (m *Model) setRenderer(r *lipgloss.Renderer) {
	m.renderer = r
	m.styles = newStyles(r)
	m.help.Styles.ShortKey = m.styles.bold.Style
	m.help.Styles.FullKey = m.styles.bold.Style
	m.help.Styles.ShortDesc = m.styles.dim.Style
	m.help.Styles.FullDesc = m.styles.dim.Style
	m.help.Styles.ShortSeparator = m.styles.dim.Style
	m.help.Styles.FullSeparator = m.styles.dim.Style
	m.help.Styles.Ellipsis = m.styles.dim.Style
	m.spin.Style = m.styles.running.Style
}

// Run runs the interface on the alternate screen until the user quits or
// ctx ends, restores the terminal and returns the final model. A cancelled
// ctx is reported as an error wrapping ctx.Err().
//
// The first frame waits for nothing the terminal says. Lip Gloss would ask
// for the background colour and wait up to 5 s for an answer (termenv's
// OSCTimeout); instead the colours start dark (or as COLORFGBG says), the
// question goes out after the first frame when colours are used at all
// (not with NO_COLOR), and the answer, arriving through Bubble Tea's input,
// restyles the screen.
func Run(ctx context.Context, opts Options, in io.Reader, out io.Writer) (Model, error) {
	r := lipgloss.NewRenderer(out) // honours NO_COLOR and the output's capabilities
	r.SetHasDarkBackground(opts.Terminal.Background != BackgroundLight)
	m := newModel(opts, r)
	m.clipOut, m.live = out, true
	m.bgAsked = opts.Terminal.Background == BackgroundUnknown && !opts.Terminal.Dumb && r.ColorProfile() != termenv.Ascii
	// The renderer draws on a ticker at its frame rate, the first frame
	// included: 60 frames a second (Bubble Tea's default) puts the first
	// frame about 17 ms after the start. It wakes up even when nothing
	// changed, but an unchanged frame costs a comparison: the wait for the
	// user's sign-in stays under 1 % of a core (BenchmarkInteractiveIdle;
	// 30 measured 0.1 point less; 15 delayed the first frame by 67 ms).
	progOpts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithOutput(out), tea.WithAltScreen(), tea.WithFPS(60)}
	if in != nil {
		progOpts = append(progOpts, tea.WithInput(in))
	}
	final, err := tea.NewProgram(m, progOpts...).Run()
	if fm, ok := final.(Model); ok {
		m = fm
	}
	return m, err
}

// Interrupted reports whether the user quit with Ctrl+C rather than q:
// the run was stopped, not finished.
func (m Model) Interrupted() bool { return m.interrupted }

// Timeline is the run as the interface knows it. It is shared, not
// copied: it must only be read.
func (m Model) Timeline() *flow.Timeline { return m.tl }

// rounds are the run's rounds: the sign-in and each refresh.
func (m Model) rounds() []flow.Round { return m.tl.Rounds }

// cur is the selected round.
func (m Model) cur() *flow.Round { return &m.tl.Rounds[m.round] }

// schedule is the run's timers, zero before any.
func (m Model) schedule() flow.Schedule {
	if m.tl.Schedule == nil {
		return flow.Schedule{}
	}
	return *m.tl.Schedule
}

// token is the raw token of round index ri, or of the latest round that
// has one when ri has none: what c copies and the countdown follows.
func (m Model) token(ri int) *flow.TokenDetail {
	has := func(i int) *flow.TokenDetail {
		if t := m.tl.Rounds[i].Token(); t != nil && t.Raw != "" {
			return t
		}
		return nil
	}
	if ri >= 0 && ri < len(m.tl.Rounds) {
		if t := has(ri); t != nil {
			return t
		}
	}
	for i := len(m.tl.Rounds) - 1; i >= 0; i-- {
		if t := has(i); t != nil {
			return t
		}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
