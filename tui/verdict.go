package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/untrusted"
)

// comparisonTable puts expected beside actual, one row per comparison.
// When a value would not fit its column, the table stacks expected above
// actual instead, each wrapped whole: the difference is often at the end
// (a trailing slash, a port). A label too long for its column has a line
// of its own. A mismatch whose values hide something (invisible or
// confusable characters) also gets its code points.
func (m Model) comparisonTable(d *detailWriter, cs []diagnose.Comparison, indent int) {
	s := m.styles
	// The label column fits the labels up to a third of the width; a
	// longer one goes on its own line and does not widen the column.
	limit := max(14, (d.w-indent)/3)
	lw := 3
	for _, c := range cs {
		if l := width(esc(c.Label, d.w)); l <= limit {
			lw = max(lw, l)
		}
	}
	t := cmpTable{d: d, pre: strings.Repeat(" ", indent), lw: lw}
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
	actual := func(c diagnose.Comparison, l string) string {
		switch {
		case c.Actual == "":
			return s.dim.Render("(missing)")
		case !c.OK:
			return s.fail.Render(l)
		}
		return l
	}
	// The column heads, over rows that compare (facts have no expected).
	if sideBySide && !all(cs, isFact) {
		d.add(t.pre + "  " + strings.Repeat(" ", lw) + "  " + s.label.Render(padRight("expected", colW)) + "  " + s.label.Render("actual"))
	}
	for _, c := range cs {
		switch {
		case isFact(c):
			// Evidence with nothing expected (the backend's message): one
			// labelled value, wrapped.
			t.wrapped(t.head(s.dim.Render("·"), c.Label), "", c.Actual, func(l string) string { return l })
		case sideBySide:
			head := t.head(mark(c), c.Label)
			d.add(head + padRight(esc(c.Expected, colW), colW) + "  " + actual(c, esc(c.Actual, colW)))
			m.codePoints(d, cs, c, width(head))
		default:
			head := t.head(mark(c), c.Label)
			t.wrapped(head, s.label.Render("expected "), c.Expected, func(l string) string { return l })
			t.wrapped(strings.Repeat(" ", width(head)), s.label.Render("actual   "), c.Actual, func(l string) string { return actual(c, l) })
			m.codePoints(d, cs, c, width(head))
		}
	}
}

// cmpTable lays out the rows of a comparison table.
type cmpTable struct {
	d   *detailWriter
	pre string // the table's indent
	lw  int    // the label column
}

// head starts a row: mark and label, padded to the label column. A label
// wider than the column goes on lines of its own and the row's values
// start under the column.
func (t cmpTable) head(mark, label string) string {
	l := esc(label, t.d.w)
	if width(l) <= t.lw {
		return t.pre + mark + " " + padRight(l, t.lw) + "  "
	}
	for i, part := range escWrap(label, max(t.d.w-width(t.pre)-2, 8), 0) {
		lead := "  "
		if i == 0 {
			lead = mark + " "
		}
		t.d.add(t.pre + lead + part)
	}
	return t.pre + "  " + strings.Repeat(" ", t.lw) + "  "
}

// wrapped adds an untrusted value after head and a word (expected,
// actual), wrapped whole and aligned after them; style is applied to each
// line of the value.
func (t cmpTable) wrapped(head, word, value string, style func(string) string) {
	lead := head + word
	vw := max(t.d.w-width(lead), 8)
	lines := escWrap(value, vw, maxTextLines)
	if value == "" {
		lines = []string{""}
	}
	for i, l := range lines {
		if i == 0 {
			t.d.add(lead + style(l))
		} else {
			t.d.add(strings.Repeat(" ", width(lead)) + style(l))
		}
	}
}

func all[T any](xs []T, f func(T) bool) bool {
	for _, x := range xs {
		if !f(x) {
			return false
		}
	}
	return true
}

// isFact reports whether a piece of evidence states something rather than
// comparing: nothing was expected.
func isFact(c diagnose.Comparison) bool { return c.Expected == "" && c.Actual != "" }

// codePoints shows a failed comparison's values as code points when either
// holds a character that escaping changed, so look-alikes can be told
// apart; not when the evidence has its own code-point row for it.
func (m Model) codePoints(d *detailWriter, cs []diagnose.Comparison, c diagnose.Comparison, indent int) {
	if c.OK || (!untrusted.Suspicious(c.Expected) && !untrusted.Suspicious(c.Actual)) {
		return
	}
	for _, o := range cs {
		if o.Label == c.Label+" code points" {
			return
		}
	}
	pad := strings.Repeat(" ", indent)
	d.wrapAt(pad+m.styles.dim.Render("expected "), untrusted.CodePoints(c.Expected))
	d.wrapAt(pad+m.styles.dim.Render("actual   "), untrusted.CodePoints(c.Actual))
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
	line(sc.SDKRefreshLabel, "the sign-in SDK renews the token in the background", sc.SDKRefresh)
	line("JWKS cache", "the backend's cached keys go stale", sc.JWKSExpiry)
	if sc.Reason != "" {
		d.kvText(refetchNote(sc), sc.Reason)
	}
	if sc.NextRefetch.IsZero() && sc.ClerkRefresh.IsZero() && sc.SDKRefresh.IsZero() && sc.JWKSExpiry.IsZero() && sc.Reason == "" {
		d.add(s.dim.Render("  no timers reported"))
	}
}

// refetchNote labels the schedule's reason: why no refetch is scheduled,
// or, when the client refetches at once anyway (a token shorter-lived than
// its leeway), what the client logs about it.
func refetchNote(sc flow.Schedule) string {
	if sc.NextRefetch.IsZero() {
		return "No refetch"
	}
	return "Client logs"
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
		d.kvText("Problem", v.Problem)
	}
	if v.Message != "" {
		// The backend's exact text, in full: it is what users search for.
		d.kvText("Backend said", curly(v.Message))
	}
	if v.CloseCode != 0 || v.CloseReason != "" {
		d.kvText("Closed", closeText(v.CloseCode)+" "+v.CloseReason)
	}
	if v.Reason != "" && len(v.Findings) == 0 {
		// With a diagnosis, the diagnosis names the check.
		d.kvText("Failed check", checkWords(v.Reason))
	}
	if v.Authenticated {
		d.kv("Identity", s.dim.Render("tab shows what ctx.auth.getUserIdentity() returns"))
	}
	if v.Authenticated && m.round == len(m.rounds())-1 {
		m.scheduleDetail(d)
	}
	if len(v.Findings) > 0 {
		d.section("Diagnosis")
		// The backend's answer is just above: the causes need not repeat it.
		m.findings(d, v.Findings, true)
	}
}

// findings lists diagnosed causes: title and code, expected against
// actual, the fix and the public page that explains the cause, each
// wrapped whole. answered leaves out the evidence that quotes the
// backend's answer, shown above them already.
func (m Model) findings(d *detailWriter, fs []diagnose.Finding, answered bool) {
	s := m.styles
	for i, f := range fs {
		if i > 0 {
			d.blank()
		}
		lines := escWrap(f.Title, max(d.w-2, 8), maxTextLines)
		code := ""
		if f.Code != "" {
			code = s.dim.Render("[" + esc(f.Code, d.w-4) + "]")
		}
		for j, l := range lines {
			lead := "  "
			if j == 0 {
				lead = s.fail.Render("✗ ")
			}
			l = lead + s.bold.Render(l)
			if j == len(lines)-1 && code != "" && width(l)+2+width(code) <= d.w {
				l, code = l+"  "+code, ""
			}
			d.add(l)
		}
		if code != "" {
			d.add("  " + code)
		}
		evidence := f.Evidence
		if answered {
			evidence = nil
			for _, c := range f.Evidence {
				if !c.IsBackendAnswer() {
					evidence = append(evidence, c)
				}
			}
		}
		if len(evidence) > 0 {
			m.comparisonTable(d, evidence, 2)
		}
		d.wrapAt("  "+s.ok.Render("Fix: "), f.Fix)
		// A docs link is wrapped, not cut: a cut URL leads nowhere.
		d.wrapAt("  "+s.dim.Render("See: "), f.Docs)
	}
}
