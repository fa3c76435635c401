package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/untrusted"
)

// detailWriter accumulates the lines of the detail pane. Its methods take
// either text that is already safe (built by us, or passed through esc)
// or, for the …Text methods, untrusted text that they escape themselves.
//
// Text is wrapped, never cut: a value, a label or a title that does not fit
// goes on over more lines. Only machine data (a raw token, a frame's JSON,
// a claim's JSON) is kept to a line or two while the pane is collapsed;
// cut records it, and the pane's title then says that enter shows all.
type detailWriter struct {
	st       styles
	w        int
	expanded bool
	// labelW is the label column, the pane's longest label and two spaces
	// (at least minLabelW, at most a third of the width); a longer label
	// has a line of its own.
	labelW int
	lines  []string
	cut    bool
}

// minLabelW is the narrowest label column.
const minLabelW = 13

// maxTextLines bounds one wrapped value: more than any real message or
// fix needs, while a hostile server's megabyte stays a few pages.
const maxTextLines = 60

// stepLabelW is the label column of the steps' details on a wide screen:
// the same for every step, so values stay put when the selection moves,
// and wide enough for the longest labels the steps use ("Convex
// integration"); a longer label has a line of its own.
const stepLabelW = 20

// newDetailWriter starts a pane of width w. Without labels it has the
// steps' column (stepLabelW, or minLabelW below 90 columns); with labels,
// a column that fits them.
func newDetailWriter(st styles, w int, expanded bool, labels []string) *detailWriter {
	d := &detailWriter{st: st, w: w, expanded: expanded, labelW: minLabelW}
	if labels == nil && w >= 90 {
		d.labelW = stepLabelW
	}
	for _, l := range labels {
		d.labelW = max(d.labelW, width(esc(l, w))+2) // two spaces before the value
	}
	d.labelW = min(d.labelW, max(minLabelW, w/3))
	return d
}

func (d *detailWriter) add(l string) { d.lines = append(d.lines, clip(l, d.w)) }

func (d *detailWriter) blank() {
	if len(d.lines) > 0 && d.lines[len(d.lines)-1] != "" {
		d.lines = append(d.lines, "")
	}
}

func (d *detailWriter) section(title string) {
	d.blank()
	d.add(d.st.bold.Render(title))
}

// list opens a section for items, and only when there are some; it
// returns them, to range over.
func list[T any](d *detailWriter, title string, items []T) []T {
	if len(items) > 0 {
		d.section(title)
	}
	return items
}

// valueW is the width of the value column.
func (d *detailWriter) valueW() int { return d.w - d.labelW }

// machineLines is how many lines machine data gets: a few while the pane
// is collapsed, all of it (within maxTextLines, or limit when larger) once
// expanded.
func (d *detailWriter) machineLines(collapsed, limit int) int {
	if d.expanded {
		return max(limit, maxTextLines)
	}
	return collapsed
}

// noteCut records that lines ended with an ellipsis because the pane is
// collapsed.
func (d *detailWriter) noteCut(lines []string) {
	if !d.expanded && len(lines) > 0 && strings.HasSuffix(lines[len(lines)-1], untrusted.Ellipsis) {
		d.cut = true
	}
}

// kvLines is a labelled block of safe lines, each at most valueW wide. A
// label wider than the column gets a line of its own, the block then
// starting under the column; on a screen too narrow for a column the block
// goes under the label, indented.
func (d *detailWriter) kvLines(label string, lines []string) {
	if len(lines) == 0 {
		lines = []string{""}
	}
	pad := strings.Repeat(" ", d.labelW)
	first := 0
	switch {
	case d.valueW() < 8:
		if label != "" {
			d.add(d.st.label.Render(label))
		}
		pad = "  "
	case width(label) >= d.labelW:
		for _, l := range escWrap(label, d.w, 0) {
			d.add(d.st.label.Render(l))
		}
	default:
		d.add(d.st.label.Render(padRight(label, d.labelW-1)) + " " + lines[0])
		first = 1
	}
	for _, l := range lines[first:] {
		d.add(pad + l)
	}
}

// kv is a labelled value that is already safe (possibly styled), wrapped
// to the value column.
func (d *detailWriter) kv(label, value string) {
	vw := d.valueW()
	if vw < 8 {
		vw = d.w - 2
	}
	d.kvLines(label, wrapSafe(value, max(vw, 1)))
}

// kvText is a labelled untrusted value, escaped and wrapped whole.
func (d *detailWriter) kvText(label, value string) {
	d.kvLines(label, d.wrap(value, 0))
}

// kvStyled is a labelled untrusted value, escaped, wrapped whole and
// styled line by line.
func (d *detailWriter) kvStyled(label, value string, st style) {
	lines := d.wrap(value, 0)
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	d.kvLines(label, lines)
}

// wrap escapes and wraps an untrusted value to the value column; indent
// is taken off the width for values set further right.
func (d *detailWriter) wrap(value string, indent int) []string {
	vw := d.valueW() - indent
	if vw < 8 {
		vw = d.w - 2 - indent
	}
	return escWrap(value, max(vw, 1), maxTextLines)
}

// wrapAt adds untrusted text wrapped whole under a lead (a safe prefix
// such as "  Fix: "), continuing aligned after it.
func (d *detailWriter) wrapAt(lead, text string) {
	if text == "" {
		return
	}
	lw := width(lead)
	for i, l := range escWrap(text, max(d.w-lw, 8), maxTextLines) {
		if i == 0 {
			d.add(lead + l)
		} else {
			d.add(strings.Repeat(" ", lw) + l)
		}
	}
}

// detailLines renders the selected step's detail.
func (m Model) detailLines(w int, now time.Time) []string { return m.detail(w, now).lines }

// detail renders the selected step's detail into a writer, which also
// says whether anything was cut for the collapsed pane.
func (m Model) detail(w int, now time.Time) *detailWriter {
	r := m.cur()
	st := r.Steps[m.sel]
	d := newDetailWriter(m.styles, w, m.expanded, nil)
	d.kv("Status", m.statusText(st, now))
	// Step 8's verdict says what its summary or error would.
	hasVerdict := st.ID == flow.StepConfirmed && (r.Verdict != nil || st.Detail != nil && st.Detail.Verdict != nil)
	if st.Summary != "" && !hasVerdict {
		d.kvText("Summary", m.scrub(st.Summary))
	}
	if st.Error != "" && !hasVerdict {
		d.kvStyled("Error", st.Error, m.styles.fail)
	}
	if st.Detail != nil {
		m.stepDetail(d, r, st.Detail, now)
	}
	// The verdict: the step's own, or step 8's round's.
	switch {
	case st.Detail != nil && st.Detail.Verdict != nil:
		m.verdictDetail(d, st.Detail.Verdict)
	case st.ID == flow.StepConfirmed && r.Verdict != nil:
		m.verdictDetail(d, r.Verdict)
	}
	if st.ID == flow.StepConfirmed {
		// Listed here whatever the state of the step, as the header's
		// banner says: before the run, while it runs, when it stopped early.
		if run := m.tl.Run; run != nil && len(run.Findings) > 0 {
			d.section("Project checks, before the run")
			m.findings(d, run.Findings, false)
		}
		m.history(d, now)
	}
	return d
}

// statusText is a step's status line: mark, status, duration, start.
func (m Model) statusText(st flow.Step, now time.Time) string {
	s := m.styles
	status := m.mark(st.Status) + " " + string(st.Status)
	if st.Status == flow.StatusPending {
		status = s.dim.Render("· pending: not started yet")
	}
	if st.Status.Done() && !st.Start.IsZero() {
		status += s.dim.Render(" · took ") + fmtDur(st.Duration)
	}
	if !st.Start.IsZero() {
		status += s.dim.Render(" · started ") + fmtClock(st.Start, now)
	}
	if st.BrowserTimed {
		status += s.dim.Render(" · timed by the browser")
	}
	return status
}

// stepDetail is the part of a step's detail its step kind has: fields,
// token, frames, the backend's checks.
func (m Model) stepDetail(d *detailWriter, r *flow.Round, det *flow.Detail, now time.Time) {
	for _, f := range det.Fields {
		v := m.scrub(f.Value)
		if m.redact && flow.IsPersonalLabel(f.Label) {
			v = flow.Redacted
		}
		d.kvText(esc(f.Label, d.w), v)
	}
	if det.Token != nil {
		m.tokenDetail(d, det.Token, now)
	}
	if det.Send != nil {
		m.sendDetail(d, det.Send)
	}
	if det.JWKS != nil {
		m.jwksDetail(d, det.JWKS, r)
	}
}

// historyMax is how many rounds the history lists (the newest ones).
const historyMax = 20

// history lists every round with its timings: the sign-in and each
// "refresh #n" that re-ran steps 5–8.
func (m Model) history(d *detailWriter, now time.Time) {
	s := m.styles
	rounds := m.rounds()
	if len(rounds) < 2 {
		return
	}
	d.section("Refresh history")
	first := max(len(rounds)-historyMax, 0)
	if first > 0 {
		d.add(s.dim.Render("  … " + itoa(first) + " earlier rounds"))
	}
	for i := first; i < len(rounds); i++ {
		r := rounds[i]
		cursor := "  "
		if i == m.round {
			cursor = s.cursor.Render("▸ ")
		}
		name := "sign-in"
		if r.Round > 0 {
			name = "refresh #" + itoa(r.Round)
		}
		line := cursor + m.mark(r.Outcome()) + " " + padRight(name, 12)
		if !r.Start().IsZero() {
			line += fmtClock(r.Start(), now) + "  "
		}
		line += padLeft(fmtDur(r.Span(now)), 6)
		var parts []string
		for _, id := range flow.RefreshSteps[:3] { // step 8 takes no time of its own
			if st := r.Step(id); st != nil && st.Status.Done() && !st.Start.IsZero() {
				parts = append(parts, shortName[id]+" "+fmtDur(st.Duration))
			}
		}
		if len(parts) > 0 {
			line += "  " + s.dim.Render(strings.Join(parts, " · "))
		}
		d.add(line)
	}
}

// shortName names steps 5–7 in the history.
var shortName = map[flow.StepID]string{
	flow.StepToken: "token", flow.StepSend: "send", flow.StepJWKS: "keys",
}
