package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/provider"
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
	headerMeaning, claimMeaning := clerk.HeaderMeaning, clerk.ClaimMeaning
	if id := m.tl.Run.ProviderInfo().ID; !provider.IsClerk(id) {
		// Another provider's claims, in its own words.
		headerMeaning = provider.HeaderMeaning
		claimMeaning = func(name string) string { return provider.ClaimMeaning(id, name) }
	}
	if len(t.Header) > 0 {
		d.section("Header")
		m.claimTable(d, t.Header, now, false, headerMeaning)
	}
	if len(t.Claims) > 0 {
		d.section("Claims")
		m.claimTable(d, t.Claims, now, m.redact, claimMeaning)
	}
	if t.Raw != "" {
		d.section("Token (" + itoa(len(t.Raw)) + " bytes)")
		if m.redact {
			// All of it: the header and payload are base64 of the claims
			// (email, name), and the whole is a bearer credential.
			d.add("  " + s.dim.Render("‹token hidden (header.payload.signature): x shows it›"))
			return
		}
		// 400 lines hold a 32 KiB token at 80 columns; a longer one is cut.
		lines := escWrap(t.Raw, d.w-2, d.machineLines(2, 400))
		d.noteCut(lines)
		for _, l := range lines {
			d.add("  " + l)
		}
	}
}

// claimTable shows header parameters or claims in token order: name, JSON
// value and, for time claims, the time absolute and relative. A name too
// long for the column has a line of its own, the value under it. What a
// claim means (meaning: Clerk's words for its claims) follows in a column
// of its own when the lines have room, for readers new to tokens.
func (m Model) claimTable(d *detailWriter, claims []flow.Claim, now time.Time, redact bool, meaning func(string) string) {
	s := m.styles
	nameW := 3
	for _, c := range claims {
		nameW = max(nameW, width(esc(c.Name, d.w)))
	}
	nameW = min(nameW, max(12, d.w/4))
	valW := max(d.w-2-nameW-2, 8)
	values := make([][]string, len(claims))
	aboutAt := 0 // the meanings' column, after the widest one-line value
	for i, c := range claims {
		values[i] = m.claimValue(d, c, now, redact, valW)
		if len(values[i]) == 1 {
			aboutAt = max(aboutAt, width(values[i][0])+2)
		}
	}
	aboutAt = min(aboutAt, valW*2/3)
	pad := strings.Repeat(" ", 2+nameW+2)
	for i, c := range claims {
		lines := values[i]
		// Shown whole or not at all: it only helps.
		if about := meaning(c.Name); about != "" && len(lines) == 1 && width(lines[0])+2 <= aboutAt && width(about) <= valW-aboutAt {
			lines[0] = padRight(lines[0], aboutAt) + s.dim.Render(about)
		}
		name := esc(c.Name, d.w)
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

// claimValue is a claim's value as lines of at most valW cells: hidden
// under redaction, a time with its clock time and how far it is, or the
// JSON (a line or two while the pane is collapsed).
func (m Model) claimValue(d *detailWriter, c flow.Claim, now time.Time, redact bool, valW int) []string {
	s := m.styles
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
	return lines
}
