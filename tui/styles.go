package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// style is a lipgloss style made cheap to apply many times per frame. Our
// styles only set colours and attributes (never padding or widths) and are
// applied to single lines, so lipgloss's output is the text between a fixed
// SGR prefix and suffix: those are computed once. With the Ascii profile
// (NO_COLOR, a dumb terminal, the tests) there is no styling at all and the
// text is returned as it is. Underline is left to lipgloss, which styles it
// rune by rune.
type style struct {
	lipgloss.Style
	noop      bool
	fast      bool
	pre, post string
}

func makeStyle(l lipgloss.Style, ascii bool) style {
	st := style{Style: l, noop: ascii}
	if ascii || l.GetUnderline() {
		return st
	}
	out := l.Render("X") // no SGR sequence contains an X
	if i := strings.IndexByte(out, 'X'); i >= 0 && strings.Count(out, "X") == 1 {
		st.fast, st.pre, st.post = true, out[:i], out[i+1:]
	}
	return st
}

// Render styles one line of text.
func (st style) Render(s string) string {
	switch {
	case st.noop || s == "":
		return s
	case st.fast:
		return st.pre + s + st.post
	default:
		return st.Style.Render(s)
	}
}

// styles holds every style of the interface, built from one renderer so the
// colour profile (and NO_COLOR) follows the terminal the program draws on.
// Meaning never depends on colour alone: marks (✓ ✗ ! …) carry it too, so
// the interface reads the same with NO_COLOR.
type styles struct {
	plain       style
	app         style // "authscope"
	dim         style
	bold        style
	label       style
	ok          style
	fail        style
	warn        style
	running     style
	selected    style // the selected step row
	cursor      style
	tabOn       style
	tabOff      style
	rule        style
	verdictOK   style
	verdictFail style
	verdictWait style
	verdictNone style // undecided: neither true nor false
	notice      style
	confirm     style
	barBreak    style
}

func newStyles(r *lipgloss.Renderer) styles {
	green := lipgloss.AdaptiveColor{Light: "#1a7f37", Dark: "#3fb950"}
	red := lipgloss.AdaptiveColor{Light: "#cf222e", Dark: "#f85149"}
	yellow := lipgloss.AdaptiveColor{Light: "#9a6700", Dark: "#d29922"}
	blue := lipgloss.AdaptiveColor{Light: "#0969da", Dark: "#58a6ff"}
	grey := lipgloss.AdaptiveColor{Light: "#6e7781", Dark: "#8b949e"}
	ascii := r.ColorProfile() == termenv.Ascii
	st := func(l lipgloss.Style) style { return makeStyle(l, ascii) }
	return styles{
		plain:       st(r.NewStyle()),
		app:         st(r.NewStyle().Bold(true).Foreground(blue)),
		dim:         st(r.NewStyle().Foreground(grey)),
		bold:        st(r.NewStyle().Bold(true)),
		label:       st(r.NewStyle().Foreground(grey)),
		ok:          st(r.NewStyle().Foreground(green)),
		fail:        st(r.NewStyle().Foreground(red)),
		warn:        st(r.NewStyle().Foreground(yellow)),
		running:     st(r.NewStyle().Foreground(blue)),
		selected:    st(r.NewStyle().Bold(true)),
		cursor:      st(r.NewStyle().Foreground(blue).Bold(true)),
		tabOn:       st(r.NewStyle().Bold(true).Underline(true)),
		tabOff:      st(r.NewStyle().Foreground(grey)),
		rule:        st(r.NewStyle().Foreground(grey)),
		verdictOK:   st(r.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(green)),
		verdictFail: st(r.NewStyle().Bold(true).Foreground(lipgloss.Color("15")).Background(red)),
		verdictWait: st(r.NewStyle().Bold(true).Foreground(grey)),
		verdictNone: st(r.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).Background(yellow)),
		notice:      st(r.NewStyle().Bold(true).Foreground(yellow)),
		confirm:     st(r.NewStyle().Bold(true).Foreground(yellow)),
		barBreak:    st(r.NewStyle().Foreground(grey)),
	}
}
