package tui

import "strings"

// layout is one frame's arrangement: the fixed parts already rendered and
// the sizes of the parts that depend on the space left.
type layout struct {
	w, h   int
	top    []string // header and the sign-in prompt
	footer []string // status line and help
	// listRows is how many step rows are shown (a window around the
	// selection when space is short); axis tells whether the axis line fits.
	listRows  int
	listFirst int
	axis      bool
	bodyH     int // lines left for the detail or identity body
	// urlRow and urlRows are where the sign-in URL is: its first row and
	// how many it takes (0: not shown).
	urlRow, urlRows int
}

// View renders the whole screen. Every line is at most the terminal's width
// and there are at most as many lines as the terminal is high.
func (m Model) View() string {
	lay := m.layout()
	now := m.clock.Now()
	lines := append([]string(nil), lay.top...)
	lines = append(lines, m.tabsLine(lay.w, now))
	switch {
	case m.pane == paneHelp:
		body := m.helpLines(lay.w)
		lines = append(lines, m.titleLine("Keys, words and this run", lay, len(body), false))
		lines = append(lines, window(body, m.scroll, lay.bodyH)...)
	case m.pane == paneIdentity:
		body := m.identityLines(lay.w)
		lines = append(lines, m.titleLine("What ctx.auth.getUserIdentity() returns", lay, len(body), false))
		lines = append(lines, window(body, m.scroll, lay.bodyH)...)
	default:
		d := m.detail(lay.w, now)
		lines = append(lines, m.stepRows(lay, now)...)
		lines = append(lines, m.titleLine(m.detailTitle(), lay, len(d.lines), d.cut))
		lines = append(lines, window(d.lines, m.scroll, lay.bodyH)...)
	}
	for len(lines) < lay.h-len(lay.footer) {
		lines = append(lines, "")
	}
	lines = append(lines, lay.footer...)
	frame := fit(lines, lay.w, lay.h)
	if m.ascii {
		return asciiFrame(frame, lay.w)
	}
	return frame
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
	p := m.signInPrompt(w)
	lay.footer = m.footerLines(w)
	// On tiny screens the top gives way first, least important line first:
	// the countdowns, the run description, then the sign-in prompt's words;
	// the verdict and the sign-in URL stay. Then the footer: the status
	// line, unless it asks a question.
	verdictAt := len(header) - 2 // headerLines ends with the verdict and the countdowns
	drop := func() bool {
		switch {
		case len(header) == verdictAt+2:
			header = header[:verdictAt+1]
		case verdictAt > 0:
			header, verdictAt = header[1:], verdictAt-1
		case len(p.after) > 0:
			p.after = p.after[:len(p.after)-1]
		case len(p.later) > 1:
			p.later = p.later[:len(p.later)-1]
		case len(p.before) > 0:
			p.before = p.before[:len(p.before)-1]
		case len(p.later) > 0:
			p.later = nil
		case len(p.offer) > 0:
			p.offer = nil
		default:
			return false
		}
		return true
	}
	for len(header)+len(p.lines())+len(lay.footer)+4 > h && drop() {
	}
	lay.top = append(header, p.lines()...)
	if len(p.url) > 0 {
		lay.urlRow, lay.urlRows = len(header)+len(p.before), len(p.url)
	}
	for len(lay.footer) > 1 && len(lay.top)+len(lay.footer)+3 > h {
		if m.confirmCopy {
			lay.footer = lay.footer[:len(lay.footer)-1]
		} else {
			lay.footer = lay.footer[1:]
		}
	}
	avail := h - len(lay.top) - len(lay.footer) - 2 // tabs line and body title
	if m.pane != paneSteps {
		lay.bodyH = max(avail, 0)
		return lay
	}
	steps := len(m.cur().Steps)
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
	switch m.pane {
	case paneIdentity:
		return len(m.identityLines(w))
	case paneHelp:
		return len(m.helpLines(w))
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
