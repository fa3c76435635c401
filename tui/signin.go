package tui

import (
	"regexp"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/flow"
)

// The sign-in URL must reach the user whole: over SSH, in a container or
// with --no-browser, typing or copying it is the only way to sign in. So
// while the sign-in is pending it has rows of its own, starting at the left
// edge, cut into pieces exactly as wide as the screen (no indent, no
// ellipsis, the secret included), u copies it and o opens it again.
//
// Bubble Tea cuts every line of a frame at the screen's edge, so a URL
// drawn by the frame is, for the terminal, several lines: selecting it with
// the mouse (or `tmux capture-pane -J`) would give it back broken. Once the
// frame is on screen, the interface therefore writes the URL once more over
// its own rows as one line, which the terminal wraps itself, marking the
// rows as one wrapped line (and, where OSC 8 is understood, as a link). The
// cells are the same, so the renderer's later frames leave it be; when the
// URL moves or goes away the screen is cleared, because terminals keep
// the "wrapped" mark of a row through overwrites.

// urlInNotice finds the sign-in page's address in a notice.
var urlInNotice = regexp.MustCompile(`https?://\S+`)

// signInURL is the sign-in page's address: Options.SignInURL, or the one
// the sign-in URL's notice carries (a recorded run, a caller that does not
// set it).
func (m Model) signInURL() string {
	if m.opts.SignInURL != "" {
		return m.opts.SignInURL
	}
	switch n := m.urlNotice(); {
	case n == nil:
		return ""
	case n.URL != "":
		return n.URL
	default:
		return urlInNotice.FindString(n.Text)
	}
}

// urlNotice is the notice that gave the sign-in URL: the runner marks it
// (flow.NoticeSignInURL); before it did, it was the first sign-in notice
// with a URL.
func (m Model) urlNotice() *flow.Notice {
	if n := m.tl.SignInURL(); n != nil {
		return n
	}
	for i := range m.tl.Notices {
		if n := &m.tl.Notices[i]; n.SignIn && urlInNotice.MatchString(n.Text) {
			return n
		}
	}
	return nil
}

// shownURL is the URL as the screen shows it: with redaction on, without
// its per-run secret (u and o still use the whole URL).
func (m Model) shownURL() string {
	u := m.signInURL()
	if i := strings.Index(u, "#secret="); m.redact && i >= 0 {
		return u[:i] + "#secret=‹hidden›"
	}
	return u
}

// prompt is the sign-in prompt, in parts the layout can drop separately
// when the screen is short: the URL goes last.
type prompt struct {
	before []string // the URL's notice, up to the URL
	url    []string // the URL, in pieces as wide as the screen
	after  []string // the rest of the URL's notice
	later  []string // a later notice: what became of the browser
	offer  []string // the demo's automatic sign-in
}

func (p prompt) lines() []string {
	var out []string
	for _, part := range [][]string{p.before, p.url, p.after, p.later, p.offer} {
		out = append(out, part...)
	}
	return out
}

// signInPrompt is what the user needs while the sign-in is pending: the
// notice that gave the URL, around the URL shown whole, what became of the
// browser when a notice said so later, and the automatic demo sign-in when
// the caller offers it.
func (m Model) signInPrompt(w int) prompt {
	first, last := m.urlNotice(), m.tl.LastNotice()
	url := m.signInURL()
	if !m.tl.SignInPending() || (last == nil && url == "" && m.opts.AutoSignIn == nil) {
		return prompt{}
	}
	s := m.styles
	notice := func(text string, maxLines int) []string {
		var out []string
		for i, l := range wrapNonEmpty(m.scrub(text), w-2, maxLines) {
			lead := "  "
			if i == 0 {
				lead = s.notice.Render("▶ ")
			}
			out = append(out, lead+s.bold.Render(l))
		}
		return out
	}
	var p prompt
	before, after := "", ""
	switch {
	case first != nil:
		before = first.Text
		if b, a, found := strings.Cut(before, url); url != "" && found {
			before, after = strings.TrimRight(b, " "), strings.TrimLeft(a, " ")
		}
	case last != nil:
		before = last.Text
	}
	p.before = notice(before, 4)
	if url != "" {
		p.url = urlRows(m.shownURL(), w)
		for _, l := range wrapNonEmpty(m.scrub(after), w-2, 2) {
			p.after = append(p.after, "  "+s.bold.Render(l))
		}
	}
	if first != nil && last != nil && last != first {
		// The URL is on screen whole already (and its secret stays out of
		// a notice when redacting).
		text := last.Text
		if url != "" {
			text = strings.ReplaceAll(text, url, "the URL above")
		}
		p.later = notice(text, 4)
	}
	if m.opts.AutoSignIn != nil {
		if m.autoSignedIn {
			p.offer = []string{clip("  "+s.dim.Render(statusSigningIn), w)}
		} else {
			p.offer = []string{clip("  "+s.notice.Render("No browser? Press a to sign in automatically as the demo user."), w)}
		}
	}
	return p
}

// wrapNonEmpty is escWrap, with no line for no text.
func wrapNonEmpty(s string, w, maxLines int) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return escWrap(s, w, maxLines)
}

// urlRows cuts the URL into pieces exactly w cells wide, starting at the
// left edge, as the terminal would wrap it; a URL that is not printable
// ASCII is shown escaped.
func urlRows(u string, w int) []string {
	if w <= 0 {
		return nil
	}
	if !isWord(u) {
		return escWrap(u, w, 0)
	}
	var out []string
	for len(u) > w {
		out = append(out, u[:w])
		u = u[w:]
	}
	return append(out, u)
}

// urlPlacement is where the URL sits on screen: its first row, the
// screen's width, and the text. The zero value is "not on screen".
type urlPlacement struct {
	row, w int
	text   string
}

// placement is where the current frame puts the URL, when the terminal
// can be given it as one line (printable ASCII, all of its rows shown).
func (m Model) placement() urlPlacement {
	lay := m.layout()
	text := m.shownURL()
	if lay.urlRows == 0 || !isWord(text) || lay.urlRow+lay.urlRows > lay.h {
		return urlPlacement{}
	}
	return urlPlacement{row: lay.urlRow, w: lay.w, text: text}
}

// urlDrawDelay is how long after a frame the URL is written over it: a
// few frames at 60 a second, so the frame that laid it out is on screen.
const urlDrawDelay = 70 * time.Millisecond

// urlDrawMsg asks for the URL to be written at p, if it is still there.
type urlDrawMsg struct{ p urlPlacement }

// placeURL keeps the terminal's one-line copy of the URL where the frame
// puts it: when the placement changes, the old rows are cleared (the
// screen, since that is what resets their "wrapped" marks) and the URL is
// written again once the new frame is drawn. Only a running program (Run)
// writes to the terminal.
func (m *Model) placeURL() tea.Cmd {
	if !m.live {
		return nil
	}
	p := m.placement()
	if p == m.urlPlaced {
		return nil
	}
	var cmds []tea.Cmd
	if m.urlPlaced != (urlPlacement{}) {
		cmds = append(cmds, tea.ClearScreen)
	}
	m.urlPlaced = p
	if p != (urlPlacement{}) {
		cmds = append(cmds, tea.Tick(urlDrawDelay, func(time.Time) tea.Msg { return urlDrawMsg{p} }))
	}
	return tea.Batch(cmds...)
}

// drawURL writes the URL at p as one line the terminal wraps, a link to
// the whole URL, leaving the cursor where it was.
func (m Model) drawURL(p urlPlacement) tea.Cmd {
	if p != m.urlPlaced || p == (urlPlacement{}) {
		return nil
	}
	seq := ansi.SaveCursor + ansi.CursorPosition(1, p.row+1) +
		ansi.SetHyperlink(m.signInURL()) + p.text + ansi.ResetHyperlink() + ansi.RestoreCursor
	return writeCmd(m.clipOut, seq)
}

// urlCopiedMsg says the sign-in URL was handed to the clipboard.
type urlCopiedMsg struct{}

// copyURL is key u: the whole URL to the clipboard.
func (m Model) copyURL() (Model, tea.Cmd) {
	u := m.signInURL()
	if u == "" {
		m.status = "This run has no sign-in page: the token was given directly."
		return m, nil
	}
	if m.opts.CopyToClipboard != nil {
		return m, tea.Batch(m.opts.CopyToClipboard(u), func() tea.Msg { return urlCopiedMsg{} })
	}
	w := m.clipOut
	return m, func() tea.Msg {
		_ = osc52Copy(w, u)()
		return urlCopiedMsg{}
	}
}

// copiedURLStatus says what u did, and no more than authscope can know:
// OSC 52 asks the terminal to set the clipboard, and nothing tells whether
// it did.
func (m Model) copiedURLStatus() string {
	s := "Sign-in URL sent to the clipboard through the terminal (OSC 52). If it does not paste, the terminal did not take it: select the URL on screen instead"
	if m.opts.Terminal.Multiplexer {
		s += " (tmux passes it on with: set -g set-clipboard on)"
	}
	return s + "."
}
