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
		path = "JWT template " + esc(tpl, 30) + ` (getToken({template: "convex"}))`
	case flow.TokenPathGiven:
		path = "token given directly"
	default:
		path = esc(t.Path, 30)
	}
	d.kv("Path", path)
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
		d.kvText("Body", t.Body, 6)
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
		maxLines := 2
		if d.expanded {
			maxLines = 400 // a 32 KiB token at 80 columns; anything longer is cut
		}
		for _, l := range escWrap(raw, d.w-2, maxLines) {
			d.add("  " + l)
		}
		if m.redact {
			d.add("  " + s.dim.Render("‹signature hidden: x shows it›"))
		}
	}
}

// claimTable shows header parameters or claims in token order: name, JSON
// value and, for time claims, the time absolute and relative.
func (m Model) claimTable(d *detailWriter, claims []flow.Claim, now time.Time, redact bool) {
	s := m.styles
	nameW := 3
	for _, c := range claims {
		nameW = max(nameW, width(esc(c.Name, 20)))
	}
	for _, c := range claims {
		name := padRight(esc(c.Name, 20), nameW)
		valW := d.w - 2 - nameW - 2
		if valW < 6 {
			d.add("  " + name)
			continue
		}
		var val string
		switch {
		case redact && flow.IsPersonal(c.Name):
			val = s.dim.Render(flow.Redacted)
		case !c.Time.IsZero():
			when := fmtClock(c.Time, now) + " · " + fmtRel(c.Time, now)
			num := esc(c.JSON, max(valW-width(when)-2, 4))
			val = num + "  " + s.dim.Render(when)
		default:
			maxLines := 1
			if d.expanded {
				maxLines = 4
			}
			js := c.JSON
			if redact {
				js = m.scrub(js)
			}
			lines := escWrap(js, valW, maxLines)
			if len(lines) == 0 {
				lines = []string{""}
			}
			d.add("  " + s.label.Render(name) + "  " + lines[0])
			for _, l := range lines[1:] {
				d.add(strings.Repeat(" ", 2+nameW+2) + l)
			}
			continue
		}
		d.add("  " + s.label.Render(name) + "  " + val)
	}
}
