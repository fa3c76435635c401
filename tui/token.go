package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
)

// tokenDetail is step 5: how the token was fetched, its header and claims
// in token order, and the token itself.
func (m Model) tokenDetail(d *detailWriter, t *flow.TokenDetail, now time.Time) {
	s := m.styles
	path := ""
	switch t.Path {
	case flow.TokenPathSession:
		path = "session token (session claims carry aud \"convex\")"
	case flow.TokenPathTemplate:
		tpl := t.Template
		if tpl == "" {
			tpl = "convex"
		}
		path = "JWT template " + esc(tpl, d.w) + ` (getToken({template: "convex"}))`
	case flow.TokenPathGiven:
		path = "token given directly"
	default:
		path = esc(t.Path, d.w)
	}
	d.kvLines("Path", wrapSafe(path, d.valueW()))
	fetched := fmtDur(t.Latency) + s.dim.Render(" · ") + itoa(t.Size) + " bytes"
	if t.Lifetime > 0 {
		fetched += s.dim.Render(" · lifetime ") + fmtDur(t.Lifetime)
	}
	d.kv("Fetched in", fetched)
	if !t.Expires.IsZero() {
		valid := "until " + fmtClock(t.Expires, now) + " (" + fmtRel(t.Expires, now) + ")"
		if !t.Expires.After(now) {
			valid = s.fail.Render("expired "+fmtRel(t.Expires, now)) + s.dim.Render(" at "+fmtClock(t.Expires, now))
		}
		d.kv("Valid", valid)
	}
	if t.HTTPStatus != 0 {
		d.kv("HTTP status", s.fail.Render(itoa(t.HTTPStatus)))
	}
	if t.Body != "" {
		d.kvText("Body", t.Body)
	}
	if len(t.Header) > 0 {
		d.section("Header")
		m.claimTable(d, t.Header, now, false)
	}
	if len(t.Claims) > 0 {
		d.section("Claims")
		m.claimTable(d, t.Claims, now, m.redact)
	}
	if t.Raw != "" {
		d.section("Token (" + itoa(len(t.Raw)) + " bytes)")
		raw := t.Raw
		if m.redact {
			if i := strings.LastIndexByte(raw, '.'); i >= 0 {
				raw = raw[:i+1]
			}
		}
		// 400 lines hold a 32 KiB token at 80 columns; a longer one is cut.
		lines := escWrap(raw, d.w-2, d.machineLines(2, 400))
		d.noteCut(lines)
		for _, l := range lines {
			d.add("  " + l)
		}
		if m.redact {
			d.add("  " + s.dim.Render("‹signature hidden: x shows it›"))
		}
	}
}

// claimTable shows header parameters or claims in token order: name, JSON
// value and, for time claims, the time absolute and relative. A name too
// long for the column has a line of its own, the value under it.
func (m Model) claimTable(d *detailWriter, claims []flow.Claim, now time.Time, redact bool) {
	s := m.styles
	nameW := 3
	for _, c := range claims {
		nameW = max(nameW, width(esc(c.Name, d.w)))
	}
	nameW = min(nameW, max(12, d.w/4))
	valW := max(d.w-2-nameW-2, 8)
	pad := strings.Repeat(" ", 2+nameW+2)
	for _, c := range claims {
		name := esc(c.Name, d.w)
		var lines []string
		switch {
		case redact && flow.IsPersonal(c.Name):
			lines = []string{s.dim.Render(flow.Redacted)}
		case !c.Time.IsZero():
			when := s.dim.Render(fmtClock(c.Time, now) + " · " + fmtRel(c.Time, now))
			lines = escWrap(c.JSON, valW, maxTextLines)
			if last := len(lines) - 1; width(lines[last])+2+width(when) <= valW {
				lines[last] += "  " + when
			} else {
				lines = append(lines, when)
			}
		default:
			js := c.JSON
			if redact {
				js = m.scrub(js)
			}
			lines = escWrap(js, valW, d.machineLines(2, 0))
			d.noteCut(lines)
		}
		if len(lines) == 0 {
			lines = []string{""}
		}
		if width(name) > nameW {
			for _, l := range escWrap(name, d.w-2, 0) {
				d.add("  " + s.label.Render(l))
			}
		} else {
			d.add("  " + s.label.Render(padRight(name, nameW)) + "  " + lines[0])
			lines = lines[1:]
		}
		for _, l := range lines {
			d.add(pad + l)
		}
	}
}
