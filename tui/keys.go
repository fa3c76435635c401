package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// keyMap is every key the interface answers to. The help bar is built from
// it, so what is shown is what works; bindings that do not apply right now
// are disabled and disappear from the help.
type keyMap struct {
	Up         key.Binding
	Down       key.Binding
	PrevRound  key.Binding
	NextRound  key.Binding
	Expand     key.Binding
	Back       key.Binding
	PageUp     key.Binding
	PageDown   key.Binding
	Pane       key.Binding
	Refresh    key.Binding
	Copy       key.Binding
	CopyURL    key.Binding
	Redact     key.Binding
	AutoSignIn key.Binding
	Reopen     key.Binding
	Help       key.Binding
	Quit       key.Binding
	Yes        key.Binding
	No         key.Binding

	// confirming switches the help to the y/n question.
	confirming bool
	// signingIn puts the sign-in URL's keys in the short help.
	signingIn bool
	// helping is set while the help pane is shown.
	helping bool
}

func defaultKeyMap() keyMap {
	return keyMap{
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PrevRound:  key.NewBinding(key.WithKeys("left", "h", "["), key.WithHelp("←/h", "previous round")),
		NextRound:  key.NewBinding(key.WithKeys("right", "l", "]"), key.WithHelp("→/l", "next round")),
		Expand:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "expand")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "collapse")),
		PageUp:     key.NewBinding(key.WithKeys("pgup", "ctrl+u", "b"), key.WithHelp("pgup", "scroll up")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "), key.WithHelp("pgdn", "scroll down")),
		Pane:       key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "identity")),
		Refresh:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Copy:       key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy")),
		CopyURL:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "copy URL")),
		Redact:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "redact")),
		AutoSignIn: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "sign in as demo user")),
		Reopen:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "reopen the sign-in page")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:       key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Yes:        key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "copy the token")),
		No:         key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "cancel")),
	}
}

// ShortHelp is the one-line help bar (help.KeyMap).
func (k keyMap) ShortHelp() []key.Binding {
	if k.confirming {
		return []key.Binding{k.Yes, k.No}
	}
	if k.helping {
		return []key.Binding{k.Up, k.Down, k.Help, k.Quit}
	}
	// Arrows are self-evident and the sign-in prompt names 'a' itself, so
	// both wait for the full help; what is left fits 80 columns.
	if k.signingIn {
		return []key.Binding{k.CopyURL, k.Reopen, k.Redact, k.Help, k.Quit}
	}
	return []key.Binding{k.Expand, k.Pane, k.Refresh, k.Copy, k.Redact, k.Help, k.Quit}
}

// FullHelp is the help shown with '?' (help.KeyMap).
func (k keyMap) FullHelp() [][]key.Binding {
	if k.confirming {
		return [][]key.Binding{{k.Yes, k.No}}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.PrevRound, k.NextRound},
		{k.Expand, k.Back, k.PageUp, k.PageDown},
		{k.Pane, k.Refresh, k.Copy, k.Redact},
		{k.CopyURL, k.Reopen, k.AutoSignIn},
		{k.Help, k.Quit},
	}
}

// bindings is every binding, to tell a key the interface answers to.
func (k keyMap) bindings() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PrevRound, k.NextRound, k.Expand, k.Back, k.PageUp, k.PageDown,
		k.Pane, k.Refresh, k.Copy, k.CopyURL, k.Reopen, k.Redact, k.AutoSignIn, k.Help, k.Quit, k.Yes, k.No}
}

// presses splits a key message of several runes into one press per rune
// when every rune is a key of the interface. Bubble Tea v1 reads the keys
// that arrive between two reads of the input as one message ("kkk" for a
// held or quickly repeated k, "jjk"); each is a press. Anything else (a
// paste, text with other characters) stays one message, which no binding
// matches.
func presses(msg tea.KeyMsg) []tea.KeyMsg {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Alt || msg.Paste {
		return []tea.KeyMsg{msg}
	}
	out := make([]tea.KeyMsg, 0, len(msg.Runes))
	for _, r := range msg.Runes {
		k := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}
		if !key.Matches(k, allKeys.bindings()...) {
			return []tea.KeyMsg{msg}
		}
		out = append(out, k)
	}
	return out
}

// navigate handles the keys that move around the screen (panes,
// selection, rounds, scrolling, expanding); it reports whether msg was one.
func (m *Model) navigate(msg tea.KeyMsg) bool {
	k := allKeys
	switch {
	case key.Matches(msg, k.Help):
		if m.pane == paneHelp {
			m.pane = m.helpFrom
		} else {
			m.pane, m.helpFrom = paneHelp, m.pane
		}
		m.scroll = 0
	case key.Matches(msg, k.Back) && m.pane == paneHelp:
		m.pane, m.scroll = m.helpFrom, 0
	case key.Matches(msg, k.Pane):
		if m.pane != paneIdentity {
			m.pane = paneIdentity
		} else {
			m.pane = paneSteps
		}
		m.scroll = 0
	case key.Matches(msg, k.Up):
		if m.pane != paneSteps || m.expanded {
			m.scrollBy(-1)
		} else {
			m.moveSelection(-1)
		}
	case key.Matches(msg, k.Down):
		if m.pane != paneSteps || m.expanded {
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
	default:
		return false
	}
	return true
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
		if key.Matches(msg, k.Yes) && !m.redact {
			if tok := m.token(m.round); tok != nil {
				m.status = ""
				return m, m.copyCmd(tok.Raw)
			}
		}
		m.status = "Copy cancelled."
		return m, nil
	}
	if m.navigate(msg) {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Quit):
		// Ctrl+C stops the run (exit status 130); q just leaves.
		m.interrupted = msg.Type == tea.KeyCtrlC
		return m, tea.Quit
	case key.Matches(msg, k.Redact):
		m.redact = !m.redact
		if m.redact {
			m.status = "Redaction on: the token, the sign-in secret and personal claims are hidden, and the token is not copied."
		} else {
			m.status = "Redaction off."
		}
	case key.Matches(msg, k.Copy):
		tok := m.token(m.round)
		if tok == nil {
			m.status = "No token to copy yet."
			return m, nil
		}
		if m.redact {
			m.status = "Redaction is on: the token is neither shown nor copied (x turns redaction off)."
			return m, nil
		}
		m.confirmCopy = true
		m.status = "Copy the token to the clipboard? y/n  (" + itoa(len(tok.Raw)) + " bytes; a bearer credential: anyone holding it is you)"
	case key.Matches(msg, k.Refresh), key.Matches(msg, k.Reopen):
		return m.pageKey(key.Matches(msg, k.Reopen))
	case key.Matches(msg, k.CopyURL):
		return m.copyURL()
	case key.Matches(msg, k.AutoSignIn):
		if m.opts.AutoSignIn == nil || m.autoSignedIn || !m.tl.SignInPending() {
			return m, nil
		}
		m.autoSignedIn = true
		m.status = statusSigningIn
		return m, autoSignInCmd(m.opts.AutoSignIn)
	}
	return m, nil
}

// pageKey handles r (a refresh now) and o (the sign-in page again).
func (m Model) pageKey(reopen bool) (Model, tea.Cmd) {
	switch {
	case reopen && m.opts.Reopen == nil && m.signInURL() != "":
		m.status = "This run cannot open the sign-in page again; u copies its URL."
		return m, nil
	case reopen && m.opts.Reopen == nil:
		m.status = "This run has no sign-in page: the token was given directly."
		return m, nil
	case reopen:
		m.status = "Opening the sign-in page again…"
		return m, reopenCmd(m.opts.Reopen)
	}
	if why := m.noRefresh(); why != "" {
		m.status = why
		return m, nil
	}
	if m.tl.TabClosed() {
		m.status = "The sign-in tab is closed: this refresh cannot run. Press o to reopen it."
	}
	return m, refreshCmd(m.opts.RefreshNow)
}
