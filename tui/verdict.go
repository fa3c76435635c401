package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/untrusted"
)

// comparisonTable puts expected beside actual, one row per comparison.
// When a value would be cut, the table stacks expected above actual
// instead: the difference is often at the end (a trailing slash, a port).
// A mismatch whose values hide something (invisible or confusable
// characters) also gets its code points.
func (m Model) comparisonTable(d *detailWriter, cs []diagnose.Comparison, indent int) {
	s := m.styles
	lw := 3
	for _, c := range cs {
		lw = max(lw, width(esc(c.Label, 14)))
	}
	pre := strings.Repeat(" ", indent)
	colW := (d.w - indent - 2 - lw - 2 - 2) / 2
	sideBySide := colW >= 6
	for _, c := range cs {
		if !isFact(c) && (width(esc(c.Expected, 0x7fff)) > colW || width(esc(c.Actual, 0x7fff)) > colW) {
			sideBySide = false
		}
	}
	mark := func(c diagnose.Comparison) string {
		if c.OK {
			return s.ok.Render("✓")
		}
		return s.fail.Render("✗")
	}
	actual := func(c diagnose.Comparison, w int) string {
		if c.Actual == "" {
			return s.dim.Render("(missing)")
		}
		if !c.OK {
			return s.fail.Render(esc(c.Actual, w))
		}
		return esc(c.Actual, w)
	}
	// A fact (evidence with nothing expected, such as the backend's
	// message) is one labelled value, wrapped, not a comparison.
	fact := func(c diagnose.Comparison) {
		head := pre + s.dim.Render("·") + " " + padRight(esc(c.Label, 14), lw) + "  "
		vw := max(d.w-width(head), 4)
		for i, l := range escWrap(c.Actual, vw, 6) {
			if i == 0 {
				d.add(head + l)
			} else {
				d.add(strings.Repeat(" ", width(head)) + l)
			}
		}
	}
	if sideBySide {
		d.add(pre + "  " + strings.Repeat(" ", lw) + "  " + s.label.Render(padRight("expected", colW)) + "  " + s.label.Render("actual"))
		for _, c := range cs {
			if isFact(c) {
				fact(c)
				continue
			}
			d.add(pre + mark(c) + " " + padRight(esc(c.Label, 14), lw) + "  " + padRight(esc(c.Expected, colW), colW) + "  " + actual(c, colW))
			m.codePoints(d, c, indent+2+lw+2)
		}
		return
	}
	vi := indent + 2 + lw + 2 + 9 // value column after "expected "
	vw := max(d.w-vi, 4)
	for _, c := range cs {
		if isFact(c) {
			fact(c)
			continue
		}
		head := pre + mark(c) + " " + padRight(esc(c.Label, 14), lw) + "  "
		d.add(head + s.label.Render("expected ") + esc(c.Expected, vw))
		d.add(strings.Repeat(" ", width(head)) + s.label.Render("actual   ") + actual(c, vw))
		m.codePoints(d, c, width(head))
	}
}

// isFact reports whether a piece of evidence states something rather than
// comparing: nothing was expected.
func isFact(c diagnose.Comparison) bool { return c.Expected == "" && c.Actual != "" }

// codePoints shows a failed comparison's values as code points when either
// holds a character that escaping changed, so look-alikes can be told apart.
func (m Model) codePoints(d *detailWriter, c diagnose.Comparison, indent int) {
	if c.OK || (!untrusted.Suspicious(c.Expected) && !untrusted.Suspicious(c.Actual)) {
		return
	}
	pad := strings.Repeat(" ", indent)
	w := d.w - indent - 9
	d.add(pad + m.styles.dim.Render("expected ") + clip(untrusted.CodePoints(c.Expected), w))
	d.add(pad + m.styles.dim.Render("actual   ") + clip(untrusted.CodePoints(c.Actual), w))
}

// scheduleDetail lists what happens next, as the real clients do it (see
// flow/SPEC.md: Refetch, Token cache): the timers with their absolute times.
func (m Model) scheduleDetail(d *detailWriter) {
	s := m.styles
	sc := m.schedule()
	now := m.clock.Now()
	line := func(label, what string, t time.Time) {
		if t.IsZero() {
			return
		}
		d.kv(label, fmtClock(t, now)+s.dim.Render(" ("+fmtRel(t, now)+") "+what))
	}
	d.section("What happens next")
	line("Refetch", "client fetches a new token (exp − 10 s)", sc.NextRefetch)
	line("Clerk cache", "Clerk's token cache refreshes (exp − "+itoa(int(flow.ClerkBackgroundRefresh/time.Second))+" s)", sc.ClerkRefresh)
	line("JWKS cache", "the backend's cached keys go stale", sc.JWKSExpiry)
	if sc.Reason != "" {
		d.kvText("No refetch", sc.Reason, 3)
	}
	if sc.NextRefetch.IsZero() && sc.ClerkRefresh.IsZero() && sc.JWKSExpiry.IsZero() && sc.Reason == "" {
		d.add(s.dim.Render("  no timers reported"))
	}
}

// verdictDetail is step 8: the verdict, what the backend said, what
// happens next and the diagnosis.
func (m Model) verdictDetail(d *detailWriter, v *flow.Verdict) {
	s := m.styles
	switch {
	case !v.Decided:
		d.kv("Verdict", s.warn.Render("? undecided: "+v.Undecided.Text()))
		d.kv("", s.dim.Render("neither true nor false: nothing decided what the app would show"))
	case v.Authenticated:
		d.kv("Verdict", s.ok.Render("✓ isAuthenticated: true"))
	case v.DecidedBy == flow.DecidedByClient:
		d.kv("Verdict", s.fail.Render("✗ isAuthenticated: false")+s.dim.Render(" (the client decided: no token)"))
	default:
		d.kv("Verdict", s.fail.Render("✗ isAuthenticated: false"))
	}
	if v.Problem != "" {
		d.kvText("Problem", v.Problem, 6)
	}
	if v.Message != "" {
		// The backend's exact text, in full: it is what users search for.
		vw := max(d.w-labelW, 8)
		for i, l := range escWrap(curly(v.Message), vw, 40) {
			if i == 0 {
				d.kv("Backend said", l)
			} else {
				d.add(strings.Repeat(" ", labelW) + l)
			}
		}
	}
	if v.CloseCode != 0 || v.CloseReason != "" {
		d.kv("Closed", closeText(v.CloseCode)+" "+esc(v.CloseReason, 60))
	}
	if v.Reason != "" {
		d.kv("Failed check", esc(string(v.Reason), 40))
	}
	if v.Authenticated {
		d.kv("Identity", s.dim.Render("tab shows what ctx.auth.getUserIdentity() returns"))
	}
	if v.Authenticated && m.round == len(m.rounds())-1 {
		m.scheduleDetail(d)
	}
	if len(v.Findings) > 0 {
		d.section("Diagnosis")
		m.findings(d, v.Findings)
	}
}

// findings lists diagnosed causes: title and code, expected against
// actual, the fix and the public page that explains the cause.
func (m Model) findings(d *detailWriter, fs []diagnose.Finding) {
	s := m.styles
	for i, f := range fs {
		if i > 0 {
			d.blank()
		}
		title := s.fail.Render("✗ ") + s.bold.Render(esc(f.Title, d.w-6-width(esc(f.Code, 30))))
		if f.Code != "" {
			title += s.dim.Render("  [" + esc(f.Code, 30) + "]")
		}
		d.add(title)
		if len(f.Evidence) > 0 {
			m.comparisonTable(d, f.Evidence, 2)
		}
		d.hanging(s.ok.Render("Fix: "), f.Fix, 20)
		// A docs link is wrapped, not cut: a cut URL leads nowhere.
		d.hanging(s.dim.Render("See: "), f.Docs, 3)
	}
}

// hanging adds text under a five-column label ("Fix: ", "See: "),
// wrapped to at most maxLines lines aligned after the label.
func (d *detailWriter) hanging(label, text string, maxLines int) {
	for j, l := range escWrap(text, d.w-7, maxLines) {
		if j == 0 {
			d.add("  " + label + l)
		} else {
			d.add("       " + l)
		}
	}
}
