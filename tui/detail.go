package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
)

// detailWriter accumulates the lines of the detail pane. Its methods take
// either text that is already safe (built by us, or passed through esc)
// or, for the …Text methods, untrusted text that they escape themselves.
type detailWriter struct {
	st       styles
	w        int
	expanded bool
	lines    []string
}

// labelW is the width of the label column.
const labelW = 13

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

// kv is a labelled line whose value is already safe.
func (d *detailWriter) kv(label, value string) {
	d.add(d.st.label.Render(padRight(label, labelW-1)) + " " + value)
}

// kvText is a labelled untrusted value, escaped and wrapped (cut to one
// line unless the pane is expanded).
func (d *detailWriter) kvText(label, value string, maxLines int) {
	if !d.expanded {
		maxLines = 1
	}
	vw := d.w - labelW
	if vw < 8 {
		d.add(d.st.label.Render(label))
		for _, l := range escWrap(value, d.w-2, maxLines) {
			d.add("  " + l)
		}
		return
	}
	for i, l := range escWrap(value, vw, maxLines) {
		if i == 0 {
			d.kv(label, l)
		} else {
			d.add(strings.Repeat(" ", labelW) + l)
		}
	}
}

// detailLines renders the selected step's detail.
func (m Model) detailLines(w int, now time.Time) []string {
	r := m.cur()
	st := r.Steps[m.sel]
	d := &detailWriter{st: m.styles, w: w, expanded: m.expanded}
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
	d.kv("Status", status)
	// Step 8's verdict line says what its summary would.
	hasVerdict := st.ID == flow.StepConfirmed && (r.Verdict != nil || st.Detail != nil && st.Detail.Verdict != nil)
	if st.Summary != "" && !hasVerdict {
		d.kvText("Summary", m.scrub(st.Summary), 3)
	}
	if st.Error != "" {
		vw := max(d.w-labelW, 8)
		for i, l := range escWrap(st.Error, vw, 6) {
			if i == 0 {
				d.kv("Error", s.fail.Render(l))
			} else {
				d.add(strings.Repeat(" ", labelW) + s.fail.Render(l))
			}
		}
	}
	if st.Detail == nil {
		return d.lines
	}
	for _, f := range st.Detail.Fields {
		v := m.scrub(f.Value)
		if m.redact && flow.IsPersonalLabel(f.Label) {
			v = flow.Redacted
		}
		d.kvText(esc(f.Label, labelW-1), v, 4)
	}
	if st.Detail.Token != nil {
		m.tokenDetail(d, st.Detail.Token, now)
	}
	if st.Detail.Send != nil {
		m.sendDetail(d, st.Detail.Send)
	}
	if st.Detail.JWKS != nil {
		m.jwksDetail(d, st.Detail.JWKS, r)
	}
	if st.Detail.Verdict != nil {
		m.verdictDetail(d, st.Detail.Verdict)
	} else if st.ID == flow.StepConfirmed && r.Verdict != nil {
		m.verdictDetail(d, r.Verdict)
	}
	if st.ID == flow.StepConfirmed {
		if run := m.tl.Run; run != nil && len(run.Findings) > 0 {
			d.section("Project checks, before the run")
			m.findings(d, run.Findings)
		}
		m.history(d, now)
	}
	return d.lines
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
