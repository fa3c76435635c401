package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
)

// tabsLine shows the panes and the rounds (the refresh history).
func (m Model) tabsLine(w int, now time.Time) string {
	s := m.styles
	tab := func(p pane, label string) string {
		if m.pane == p {
			return s.tabOn.Render(label)
		}
		return s.tabOff.Render(label)
	}
	left := tab(paneSteps, "Steps") + s.dim.Render(" │ ") + tab(paneIdentity, "Identity")
	rest := w - width(left) - 3
	if rest < 8 {
		return clip(left, w)
	}
	return left + "   " + m.roundsStrip(rest, now)
}

// roundsStrip lists the rounds with their outcome and time, the selected
// one in brackets; it keeps the selected round visible when space is short.
func (m Model) roundsStrip(w int, now time.Time) string {
	s := m.styles
	items := make([]string, len(m.rounds()))
	short := make([]string, len(m.rounds()))
	for i, r := range m.rounds() {
		name := "sign-in"
		sn := "sign-in"
		if r.Round > 0 {
			name = "refresh #" + itoa(r.Round)
			sn = "#" + itoa(r.Round)
		}
		mark := m.mark(r.Outcome())
		d := ""
		if t := r.Span(now); t > 0 {
			d = " " + fmtDur(t)
		}
		items[i] = name + " " + mark + d
		short[i] = sn + " " + mark + d
		if i == m.round {
			items[i] = s.bold.Render("[" + items[i] + "]")
			short[i] = s.bold.Render("[" + short[i] + "]")
		} else {
			items[i] = s.dim.Render(" " + items[i] + " ")
			short[i] = s.dim.Render(" " + short[i] + " ")
		}
	}
	for _, set := range [][]string{items, short} {
		if line := strings.Join(set, ""); width(line) <= w {
			return line
		}
	}
	// A window that ends at the selected round (or later).
	first := m.round
	line := short[first]
	for j := first + 1; j < len(short) && width(line+short[j])+1 <= w; j++ {
		line += short[j]
	}
	for first > 0 && width(short[first-1]+line)+1 <= w {
		first--
		line = short[first] + line
	}
	if first > 0 {
		line = s.dim.Render("…") + line
	}
	return clip(line, w)
}

// columns of a step row.
type rowCols struct {
	title, bar, summary int
}

// stepCols sizes the step row's columns for width w: cursor and mark and
// index (6), title, duration (8), bar, summary.
func stepCols(w int) rowCols {
	const fixed = 6 + 8 + 1
	const longestTitle = 41 // "ClerkProvider knows the user is signed in"; every provider's fit (flow/provider)
	avail := w - fixed
	switch {
	case avail >= longestTitle+10:
		c := rowCols{title: longestTitle}
		rest := avail - longestTitle
		if w >= 100 {
			c.bar = min(30, rest/2)
			c.summary = rest - c.bar - 1
		} else {
			c.bar = rest
		}
		return c
	case avail >= 26:
		return rowCols{title: avail - 8, bar: 8}
	default:
		return rowCols{title: max(avail+1, 1)}
	}
}

func (m Model) mark(st flow.Status) string {
	s := m.styles
	switch st {
	case flow.StatusOK:
		return s.ok.Render("✓")
	case flow.StatusWarn:
		return s.warn.Render("!")
	case flow.StatusFail:
		return s.fail.Render("✗")
	case flow.StatusSkipped:
		return s.dim.Render("–")
	case flow.StatusRunning:
		return m.spin.View()
	case flow.StatusPending:
		if m.ascii {
			return s.dim.Render(".") // "·" would read as "–", skipped, in ASCII
		}
		return s.dim.Render("·")
	default:
		return s.dim.Render("·")
	}
}

// stepRows renders the visible step rows and the axis line.
func (m Model) stepRows(lay layout, now time.Time) []string {
	s := m.styles
	r := m.cur()
	cols := stepCols(lay.w)
	ax := newTimeAxis(r, cols.bar, now)
	var out []string
	for i := lay.listFirst; i < lay.listFirst+lay.listRows && i < len(r.Steps); i++ {
		st := r.Steps[i]
		cursor := " "
		title := m.tl.Run.StepTitle(st.ID)
		titleStyle := s.dim
		if st.Status != flow.StatusPending {
			titleStyle = s.plain
		}
		if i == m.sel {
			cursor = s.cursor.Render("▸")
			titleStyle = s.selected
		}
		dur := ""
		switch {
		case st.Status == flow.StatusSkipped:
			dur = "skipped"
		case st.Status == flow.StatusRunning && !st.Start.IsZero():
			dur = fmtDur(now.Sub(st.Start))
		case st.Status.Done() && !st.Start.IsZero() || st.Duration > 0:
			dur = fmtDur(st.Duration)
		}
		line := cursor + " " + m.mark(st.Status) + " " + itoa(st.ID.Index()) + " " +
			titleStyle.Render(padRight(title, cols.title)) + " " + padLeft(dur, 7)
		if cols.bar > 0 {
			line += " " + m.bar(ax, st, now)
		}
		if cols.summary > 0 {
			sum := st.Summary
			if st.Status == flow.StatusFail && st.Error != "" {
				sum = st.Error
			}
			if sum != "" {
				line += " " + s.dim.Render(esc(m.scrub(sum), cols.summary))
			}
		}
		out = append(out, clip(line, lay.w))
	}
	if lay.axis && cols.bar > 0 {
		left := padLeft(s.dim.Render(ax.legend()), 6+cols.title+8)
		out = append(out, clip(left+" "+s.dim.Render(ax.ruler()), lay.w))
	} else if lay.axis {
		out = append(out, "")
	}
	return out
}

// titleLine is the rule above the body, with the body's position, and,
// while the detail is collapsed, the word that enter expands it when it
// goes on below or cut machine data short.
func (m Model) titleLine(title string, lay layout, total int, cut bool) string {
	s := m.styles
	pos := ""
	if total > lay.bodyH && lay.bodyH > 0 {
		last := min(m.scroll+lay.bodyH, total)
		pos = " " + itoa(m.scroll+1) + "–" + itoa(last) + " of " + itoa(total) + " "
	}
	switch {
	case m.expanded || m.pane != paneSteps:
	case cut:
		pos += "· enter shows all "
	case pos != "":
		pos += "· enter expands "
	}
	head := "── " + title + " "
	fill := lay.w - width(head) - width(pos) - 2
	if fill < 1 {
		return clip(s.rule.Render(head+pos), lay.w)
	}
	return s.rule.Render(head + strings.Repeat("─", fill) + pos + "──") // pos is safe text we built
}

// detailTitle names the selected step and its round.
func (m Model) detailTitle() string {
	r := m.cur()
	st := r.Steps[m.sel]
	t := "step " + itoa(st.ID.Index()) + " · " + m.tl.Run.StepTitle(st.ID)
	if r.Round > 0 {
		t += " · refresh #" + itoa(r.Round)
	}
	return t
}
