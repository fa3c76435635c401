package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
)

// layout is one frame's arrangement: the fixed parts already rendered and
// the sizes of the parts that depend on the space left.
type layout struct {
	w, h   int
	top    []string // header and the sign-in notice
	footer []string // status line and help
	// listRows is how many step rows are shown (a window around the
	// selection when space is short); axis tells whether the axis line fits.
	listRows  int
	listFirst int
	axis      bool
	bodyH     int // lines left for the detail or identity body
}

// View renders the whole screen. Every line is at most the terminal's width
// and there are at most as many lines as the terminal is high.
func (m Model) View() string {
	lay := m.layout()
	now := m.clock.Now()
	lines := append([]string(nil), lay.top...)
	lines = append(lines, m.tabsLine(lay.w, now))
	switch {
	case m.pane == paneIdentity:
		body := m.identityLines(lay.w)
		lines = append(lines, m.titleLine("What ctx.auth.getUserIdentity() returns", lay, len(body)))
		lines = append(lines, window(body, m.scroll, lay.bodyH)...)
	default:
		body := m.detailLines(lay.w, now)
		lines = append(lines, m.stepRows(lay, now)...)
		lines = append(lines, m.titleLine(m.detailTitle(), lay, len(body)))
		lines = append(lines, window(body, m.scroll, lay.bodyH)...)
	}
	for len(lines) < lay.h-len(lay.footer) {
		lines = append(lines, "")
	}
	lines = append(lines, lay.footer...)
	return fit(lines, lay.w, lay.h)
}

// layout decides what fits.
func (m Model) layout() layout {
	w, h := m.width, m.height
	if w <= 0 {
		w = 80
	}
	if h <= 0 {
		h = 24
	}
	lay := layout{w: w, h: h}
	header := m.headerLines(w)
	notice := m.noticeLines(w)
	lay.footer = m.footerLines(w)
	// On tiny screens the top gives way first, least important line first:
	// the countdowns, the run description, the sign-in notice; the verdict
	// stays. Then the footer: the status line, unless it asks a question.
	verdictAt := len(header) - 2 // headerLines ends with the verdict and the countdowns
	drop := func() bool {
		switch {
		case len(header) == verdictAt+2:
			header = header[:verdictAt+1]
		case verdictAt > 0:
			header, verdictAt = header[1:], verdictAt-1
		case len(notice) > 0:
			notice = notice[:len(notice)-1]
		default:
			return false
		}
		return true
	}
	for len(header)+len(notice)+len(lay.footer)+4 > h && drop() {
	}
	lay.top = append(header, notice...)
	for len(lay.footer) > 1 && len(lay.top)+len(lay.footer)+3 > h {
		if m.confirmCopy {
			lay.footer = lay.footer[:len(lay.footer)-1]
		} else {
			lay.footer = lay.footer[1:]
		}
	}
	avail := h - len(lay.top) - len(lay.footer) - 2 // tabs line and body title
	if m.pane == paneIdentity {
		lay.bodyH = max(avail, 0)
		return lay
	}
	steps := len(m.st.rounds[m.round].steps)
	const minBody = 3
	switch {
	case m.expanded:
		lay.listRows = min(1, max(avail, 0))
		lay.listFirst = m.sel
	case avail-steps-1 >= minBody:
		lay.listRows, lay.axis = steps, true
	default:
		lay.listRows = max(min(steps, avail-minBody), 1)
		if avail <= 1 {
			lay.listRows = max(avail, 0)
		}
		lay.listFirst = min(max(m.sel-lay.listRows/2, 0), steps-lay.listRows)
	}
	lay.bodyH = avail - lay.listRows
	if lay.axis {
		lay.bodyH--
	}
	lay.bodyH = max(lay.bodyH, 0)
	return lay
}

// bodyHeight is how many lines of the scrollable body are visible.
func (m Model) bodyHeight() int { return m.layout().bodyH }

// bodyLineCount is how long the scrollable body is.
func (m Model) bodyLineCount() int {
	w := m.layout().w
	if m.pane == paneIdentity {
		return len(m.identityLines(w))
	}
	return len(m.detailLines(w, m.clock.Now()))
}

// window returns the visible part of a body.
func window(lines []string, off, h int) []string {
	if h <= 0 {
		return nil
	}
	if off > len(lines)-h {
		off = len(lines) - h
	}
	if off < 0 {
		off = 0
	}
	end := min(off+h, len(lines))
	return lines[off:end]
}

// fit is the last guard of the frame: no line wider than w, no more than h
// lines.
func fit(lines []string, w, h int) string {
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = clip(l, w)
	}
	return strings.Join(lines, "\n")
}

// HEADER

func (m Model) headerLines(w int) []string {
	s := m.styles
	run := m.st.run
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
	v := m.st.verdict
	if v == nil {
		label := "… isAuthenticated: not decided yet"
		if m.st.done {
			label = "isAuthenticated: never decided"
		}
		return clip(s.verdictWait.Render(label), w)
	}
	round := ""
	if r := m.verdictRound(); r > 0 {
		round = s.dim.Render("  refresh #" + itoa(r))
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

// verdictRound is the round the latest verdict belongs to.
func (m Model) verdictRound() int {
	for i := len(m.st.rounds) - 1; i >= 0; i-- {
		if m.st.rounds[i].verdict != nil {
			return m.st.rounds[i].n
		}
	}
	return 0
}

// countdownLine shows the timers that keep going after step 8.
func (m Model) countdownLine(w int) string {
	s := m.styles
	sc := m.st.schedule
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
	add("JWKS cache expires", sc.JWKSExpiry, "expired")
	line := strings.Join(parts, s.dim.Render(" · "))
	if sc.Reason != "" {
		rest := w - width(line) - 20
		if line != "" {
			line += s.dim.Render(" · ")
		}
		line += s.warn.Render("no refetch: ") + esc(sc.Reason, max(rest, 10))
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

// noticeLines is the sign-in prompt: while the user still has to sign in,
// the runner's notice (the URL to open) is shown in full, wrapped, with the
// automatic demo sign-in offered when no browser could be opened.
func (m Model) noticeLines(w int) []string {
	if !m.st.signInPending() || (m.st.notice == "" && m.opts.AutoSignIn == nil) {
		return nil
	}
	s := m.styles
	var out []string
	if m.st.notice != "" {
		for i, l := range escWrap(m.st.notice, w-2, 4) {
			p := "  "
			if i == 0 {
				p = s.notice.Render("▶ ")
			}
			out = append(out, p+s.bold.Render(l))
		}
	}
	if m.opts.AutoSignIn != nil {
		if m.autoSignedIn {
			out = append(out, clip("  "+s.dim.Render("Signing in as the demo user…"), w))
		} else {
			out = append(out, clip("  "+s.notice.Render("No browser? Press a to sign in automatically as the demo user."), w))
		}
	}
	return out
}

// FOOTER

func (m Model) footerLines(w int) []string {
	s := m.styles
	var status string
	switch {
	case m.confirmCopy:
		status = s.confirm.Render(m.status)
	case m.status != "":
		status = m.status
	case m.st.done && m.st.doneErr != "":
		status = s.fail.Render("Run stopped: ") + esc(m.st.doneErr, w-14)
	case m.st.notice != "" && !m.st.duringSignIn:
		status = s.dim.Render("‣ ") + esc(m.scrub(m.st.notice), w-2)
	case m.st.done || m.closed:
		status = s.dim.Render("Run finished. Press q to quit.")
	}
	h := m.help
	h.Width = w
	helpView := h.View(m.keys)
	out := []string{clip(status, w)}
	out = append(out, strings.Split(helpView, "\n")...)
	return out
}

// STEP LIST

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
	items := make([]string, len(m.st.rounds))
	short := make([]string, len(m.st.rounds))
	for i, r := range m.st.rounds {
		name := "sign-in"
		sn := "sign-in"
		if r.n > 0 {
			name = "refresh #" + itoa(r.n)
			sn = "#" + itoa(r.n)
		}
		mark := m.mark(r.outcome())
		d := ""
		if t := r.total(now); t > 0 {
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
	const longestTitle = 41 // "ClerkProvider knows the user is signed in"
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
	default:
		return s.dim.Render("·")
	}
}

// stepRows renders the visible step rows and the axis line.
func (m Model) stepRows(lay layout, now time.Time) []string {
	s := m.styles
	r := m.st.rounds[m.round]
	cols := stepCols(lay.w)
	ax := newTimeAxis(r, cols.bar, now)
	var out []string
	for i := lay.listFirst; i < lay.listFirst+lay.listRows && i < len(r.steps); i++ {
		st := r.steps[i]
		cursor := " "
		title := st.ID.Title()
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

// titleLine is the rule above the body, with the body's position.
func (m Model) titleLine(title string, lay layout, total int) string {
	s := m.styles
	pos := ""
	if total > lay.bodyH && lay.bodyH > 0 {
		last := min(m.scroll+lay.bodyH, total)
		pos = " " + itoa(m.scroll+1) + "–" + itoa(last) + " of " + itoa(total) + " "
		if !m.expanded && m.pane == paneSteps {
			pos += "· enter expands "
		}
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
	r := m.st.rounds[m.round]
	st := r.steps[m.sel]
	t := "step " + itoa(st.ID.Index()) + " · " + st.ID.Title()
	if r.n > 0 {
		t += " · refresh #" + itoa(r.n)
	}
	return t
}
