package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
)

// headerLines are the run, the project's findings, the verdict and the
// countdowns.
func (m Model) headerLines(w int) []string {
	s := m.styles
	run := m.tl.Run
	if run == nil {
		return []string{clip(s.app.Render("authscope")+s.dim.Render("  starting…"), w), m.verdictLine(w), m.countdownLine(w)}
	}
	src := esc(run.Source, 12)
	if run.SourceName != "" {
		src += " " + esc(run.SourceName, 48)
	}
	be := esc(run.Backend, 16) + " backend"
	if run.Backend != "embedded" && run.BackendURL != "" {
		be = esc(run.BackendURL, 60)
	}
	first := s.app.Render("authscope") + "  " + src + s.dim.Render(" → ") + be
	if width(first) > w {
		first = src + s.dim.Render(" → ") + be // the name gives way to the facts
	}
	var extra string
	if run.Project != "" {
		extra += s.label.Render("project ") + esc(run.Project, 60)
	}
	if run.Scenario != "" {
		if extra != "" {
			extra += "  "
		}
		extra += s.label.Render("scenario ") + esc(run.Scenario, 30)
	}
	if run.Provider != nil {
		if extra != "" {
			extra += "  "
		}
		extra += s.label.Render("provider ") + esc(run.Provider.Name, 24)
	}
	lines := []string{first}
	switch {
	case extra == "":
	case width(first)+2+width(extra) <= w:
		lines[0] += "  " + extra
	default:
		lines = append(lines, extra) // its own line rather than cut away
	}
	if n := len(run.Findings); n > 0 {
		more := " (step 8 lists it)"
		if n > 1 {
			more = " (+" + itoa(n-1) + " more; step 8 lists them)"
		}
		lines = append(lines, s.warn.Render("! project: ")+esc(run.Findings[0].Title, max(w-11-len(more), 10))+s.dim.Render(more))
	}
	for i := range lines {
		lines[i] = clip(lines[i], w)
	}
	return append(lines, m.verdictLine(w), m.countdownLine(w))
}

// verdictLine is the answer, prominent: would useConvexAuth() say
// isAuthenticated: true?
func (m Model) verdictLine(w int) string {
	s := m.styles
	decided := m.tl.Decided()
	if decided == nil {
		if last := m.tl.Concluded(); last != nil {
			return m.undecidedLine(last, w)
		}
		label := "… isAuthenticated: not decided yet"
		if m.tl.Done {
			label = "isAuthenticated: never decided"
		}
		return clip(s.verdictWait.Render(label), w)
	}
	v := decided.Verdict
	round := ""
	if decided.Round > 0 {
		round = s.dim.Render("  refresh #" + itoa(decided.Round))
	}
	if last := m.tl.Concluded(); last != decided && last != nil {
		// A later round decided nothing; the earlier decision stands.
		round += s.dim.Render("  (refresh #" + itoa(last.Round) + " undecided: " + last.Verdict.Undecided.Text() + ")")
	}
	if v.Authenticated {
		return clip(s.verdictOK.Render(" ✓ isAuthenticated: true ")+round, w)
	}
	badge := s.verdictFail.Render(" ✗ isAuthenticated: false ")
	why := ""
	switch {
	case len(v.Findings) > 0:
		why = v.Findings[0].Title
	case v.Message != "":
		why = v.Message
	case v.Problem != "":
		why = v.Problem
	case v.CloseReason != "" || v.CloseCode != 0:
		why = "connection closed " + itoa(v.CloseCode) + " " + v.CloseReason
	case v.Reason != "":
		why = string(v.Reason)
	}
	line := badge + round
	if rest := w - width(line) - 2; why != "" && rest > 4 {
		line += "  " + s.fail.Render(esc(why, rest))
	}
	return clip(line, w)
}

// undecidedLine is the header when no round was decided: why, instead of
// a false that the app would never show.
func (m Model) undecidedLine(r *flow.Round, w int) string {
	s := m.styles
	v := r.Verdict
	line := s.verdictNone.Render(" ? undecided: " + v.Undecided.Text() + " ")
	if r.Round > 0 {
		line += s.dim.Render("  refresh #" + itoa(r.Round))
	}
	why := v.Problem
	if len(v.Findings) > 0 {
		why = v.Findings[0].Title
	}
	if rest := w - width(line) - 2; why != "" && rest > 4 {
		line += "  " + s.warn.Render(esc(why, rest))
	}
	return clip(line, w)
}

// countdownLine shows the timers that keep going after step 8.
func (m Model) countdownLine(w int) string {
	s := m.styles
	sc := m.schedule()
	now := m.clock.Now()
	var parts []string
	add := func(label string, t time.Time, pastWord string) {
		if t.IsZero() {
			return
		}
		if t.After(now) {
			parts = append(parts, s.label.Render(label+" in ")+s.bold.Render(fmtLeft(t.Sub(now))))
		} else {
			parts = append(parts, s.label.Render(label+" ")+pastWord)
		}
	}
	add("next token refetch", sc.NextRefetch, "due")
	add("Clerk cache refresh", sc.ClerkRefresh, "due")
	add(sc.SDKRefreshLabel, sc.SDKRefresh, "due")
	add("JWKS cache expires", sc.JWKSExpiry, "expired")
	line := strings.Join(parts, s.dim.Render(" · "))
	if sc.Reason != "" {
		rest := w - width(line) - 20
		if line != "" {
			line += s.dim.Render(" · ")
		}
		line += s.warn.Render(strings.ToLower(refetchNote(sc))+": ") + esc(sc.Reason, max(rest, 10))
	}
	if line == "" {
		line = s.dim.Render("timers start once a token is accepted")
	}
	// Shorter labels before cutting.
	if width(line) > w {
		line = strings.NewReplacer("next token refetch", "refetch", "Clerk cache refresh", "Clerk cache", "JWKS cache expires", "JWKS expires").Replace(line)
	}
	if width(line) > w {
		line = strings.NewReplacer("Clerk cache", "Clerk", "JWKS expires", "JWKS").Replace(line)
	}
	return clip(line, w)
}

// footerLines are the status line and the help.
func (m Model) footerLines(w int) []string {
	s := m.styles
	var status string
	notice := m.tl.LastNotice()
	switch {
	case m.confirmCopy:
		status = s.confirm.Render(m.status)
	case m.status != "":
		status = m.status
	case m.tl.Done && m.tl.Error != "":
		status = s.fail.Render("Run stopped: ") + esc(m.tl.Error, w-14)
	case notice != nil && !notice.SignIn:
		status = s.dim.Render("‣ ") + esc(m.scrub(notice.Text), w-2)
	case m.tl.Done || m.closed:
		status = s.dim.Render("Run finished. Press q to quit.")
	}
	h := m.help
	h.Width = w
	helpView := h.View(m.keys)
	out := []string{clip(status, w)}
	out = append(out, strings.Split(helpView, "\n")...)
	return out
}
