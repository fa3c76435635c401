package tui

import (
	"math"
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
)

// timeAxis maps the instants of one round onto bar cells, one axis shared by
// every step of the round. The user's own sign-in time (step 3 of the
// sign-in round: from the sign-in page to the redirect back) is cut out of
// the axis and drawn as a fixed-width break "≈", so seconds spent typing a
// password do not squash the millisecond steps. The axis line under the
// bars says so.
type timeAxis struct {
	cells    int
	origin   time.Time
	end      time.Time
	brkStart time.Time // zero when the axis has no break
	brkEnd   time.Time
	brkCells int
	scale    float64 // cells per nanosecond outside the break
}

// breakCells is the width of the break that stands for the user's time.
const breakCells = 3

func newTimeAxis(r *flow.Round, cells int, now time.Time) timeAxis {
	a := timeAxis{cells: cells}
	for _, st := range r.Steps {
		if st.Start.IsZero() || st.Status == flow.StatusPending {
			continue
		}
		end := st.End(now)
		if a.origin.IsZero() || st.Start.Before(a.origin) {
			a.origin = st.Start
		}
		if end.After(a.end) {
			a.end = end
		}
	}
	if a.origin.IsZero() || !a.end.After(a.origin) {
		return a
	}
	if r.Round == 0 && cells >= 4*breakCells {
		if st := r.Step(flow.StepReturn); st != nil && !st.Start.IsZero() && st.Status != flow.StatusPending {
			if end := st.End(now); end.After(st.Start) {
				a.brkStart, a.brkEnd, a.brkCells = st.Start, end, breakCells
			}
		}
	}
	if c := a.shown(); c > 0 {
		a.scale = float64(a.cells-a.brkCells) / float64(c)
	}
	return a
}

// hasBreak reports whether the user's time was cut out of the axis.
func (a timeAxis) hasBreak() bool { return !a.brkStart.IsZero() }

// cut is the real time the break stands for.
func (a timeAxis) cut() time.Duration {
	if !a.hasBreak() {
		return 0
	}
	return a.brkEnd.Sub(a.brkStart)
}

// shown is the real time the axis covers outside the break.
func (a timeAxis) shown() time.Duration {
	if a.origin.IsZero() {
		return 0
	}
	return a.end.Sub(a.origin) - a.cut()
}

// pos is the fractional cell of t.
func (a timeAxis) pos(t time.Time) float64 {
	if t.Before(a.origin) {
		t = a.origin
	}
	if t.After(a.end) {
		t = a.end
	}
	d := float64(t.Sub(a.origin))
	if !a.hasBreak() || !t.After(a.brkStart) {
		return d * a.scale
	}
	before := float64(a.brkStart.Sub(a.origin)) * a.scale
	if t.Before(a.brkEnd) {
		return before + float64(t.Sub(a.brkStart))/float64(a.cut())*float64(a.brkCells)
	}
	return (d-float64(a.cut()))*a.scale + float64(a.brkCells)
}

// breakSpan is the cell range of the break, [lo, hi).
func (a timeAxis) breakSpan() (lo, hi int) {
	if !a.hasBreak() {
		return -1, -1
	}
	lo = int(math.Floor(a.pos(a.brkStart) + 1e-9))
	hi = lo + a.brkCells
	if hi > a.cells {
		hi = a.cells
		lo = hi - a.brkCells
	}
	return lo, hi
}

// span is the cell range [lo, hi) of a step's bar; ok is false when the
// step has no time to show.
func (a timeAxis) span(st flow.Step, now time.Time) (lo, hi int, ok bool) {
	if a.cells <= 0 || a.origin.IsZero() || st.Start.IsZero() || st.Status == flow.StatusPending || st.Status == flow.StatusSkipped {
		return 0, 0, false
	}
	if a.scale == 0 && !a.hasBreak() {
		return 0, 1, true
	}
	end := st.End(now)
	lo = int(math.Floor(a.pos(st.Start) + 1e-9))
	hi = int(math.Ceil(a.pos(end) - 1e-9))
	// Steps wholly before or after the user's time stay off the break.
	if blo, bhi := a.breakSpan(); blo >= 0 {
		if !end.After(a.brkStart) && hi > blo {
			hi = blo
		}
		if !st.Start.Before(a.brkEnd) && lo < bhi {
			lo = bhi
		}
	}
	if lo >= a.cells {
		lo = a.cells - 1
	}
	if lo < 0 {
		lo = 0
	}
	if hi <= lo {
		hi = lo + 1
	}
	if hi > a.cells {
		hi = a.cells
	}
	return lo, hi, true
}

// bar draws one step's bar: "█" for a finished step, "▒" while it runs,
// "≈" for the user's own time, and the break's dotted column behind the
// other steps so the cut is visible on every row.
func (m Model) bar(a timeAxis, st flow.Step, now time.Time) string {
	if a.cells <= 0 {
		return ""
	}
	cells := []rune(strings.Repeat(" ", a.cells))
	blo, bhi := a.breakSpan()
	for i := max(blo, 0); i < bhi; i++ {
		cells[i] = '┊'
	}
	lo, hi, ok := a.span(st, now)
	isUser := a.hasBreak() && st.Round == 0 && st.ID == flow.StepReturn
	if ok {
		ch := '█'
		switch {
		case isUser:
			ch = '≈'
		case st.Status == flow.StatusRunning:
			ch = '▒'
		}
		if isUser && blo >= 0 {
			lo, hi = blo, bhi
		}
		for i := lo; i < hi; i++ {
			cells[i] = ch
		}
	}
	// Style runs of the bar by what they are.
	var b strings.Builder
	style := m.styles.ok
	switch st.Status {
	case flow.StatusFail:
		style = m.styles.fail
	case flow.StatusWarn:
		style = m.styles.warn
	case flow.StatusRunning:
		style = m.styles.running
	}
	for i := 0; i < len(cells); {
		j := i
		for j < len(cells) && cells[j] == cells[i] {
			j++
		}
		run := string(cells[i:j])
		switch cells[i] {
		case ' ':
			b.WriteString(run)
		case '┊', '≈':
			b.WriteString(m.styles.barBreak.Render(run))
		default:
			b.WriteString(style.Render(run))
		}
		i = j
	}
	return b.String()
}

// ruler is the axis line under the bars: "0", the break, the time shown.
func (a timeAxis) ruler() string {
	if a.cells <= 0 {
		return ""
	}
	cells := []rune(strings.Repeat("─", a.cells))
	blo, bhi := a.breakSpan()
	for i := max(blo, 0); i < bhi; i++ {
		cells[i] = '≈'
	}
	put := func(at int, s string) {
		r := []rune(s)
		if at < 0 || at+len(r) > len(cells) {
			return
		}
		for i := at; i < at+len(r); i++ {
			if cells[i] == '≈' {
				return // never hide the break behind a label
			}
		}
		copy(cells[at:], r)
	}
	put(0, "0")
	if a.origin.IsZero() {
		return string(cells)
	}
	total := fmtDur(a.shown())
	put(len(cells)-len([]rune(total)), total)
	return string(cells)
}

// legend says how to read the axis, in words.
func (a timeAxis) legend() string {
	switch {
	case a.origin.IsZero():
		return "time axis"
	case a.hasBreak():
		return "≈ your sign-in (" + fmtDur(a.cut()) + ") is not to scale"
	default:
		return "time axis: 0 to " + fmtDur(a.shown())
	}
}
