package tui

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/authscope/authscope/flow"
)

// identityLines renders the identity preview: what ctx.auth.getUserIdentity()
// would return in a Convex function for the selected round's token (or the
// latest round that has one), pretty-printed, with personal fields hidden
// under redaction.
func (m Model) identityLines(w int) []string {
	s := m.styles
	ri := m.round
	var identity string
	var round int
	for i := ri; i >= 0 && identity == ""; i-- {
		if j := m.rounds()[i].JWKS(); j != nil && j.Identity != "" {
			identity, round = j.Identity, m.rounds()[i].Round
		}
	}
	if identity == "" {
		for i := len(m.rounds()) - 1; i > ri && identity == ""; i-- {
			if j := m.rounds()[i].JWKS(); j != nil && j.Identity != "" {
				identity, round = j.Identity, m.rounds()[i].Round
			}
		}
	}
	var out []string
	if v := m.rounds()[ri].Verdict; v != nil && v.Decided && !v.Authenticated {
		out = append(out, clip(s.fail.Render("null")+s.dim.Render(": the backend rejected this token, so a Convex function sees no user."), w), "")
	}
	if identity == "" {
		if len(out) == 0 {
			out = append(out, clip(s.dim.Render("No identity yet: it appears once the backend has validated a token (step 7)."), w))
		}
		return out
	}
	from := "sign-in"
	if round > 0 {
		from = "refresh #" + itoa(round)
	}
	out = append(out, clip(s.dim.Render("From the "+from+" token; issuer and subject make up tokenIdentifier."), w), "")
	text, ok := prettyIdentity(identity, m.redact)
	if !ok {
		out = append(out, clip(s.warn.Render("Not a JSON object; shown as received:"), w))
	}
	for _, l := range strings.Split(text, "\n") {
		for i, part := range escWrap(l, w-2, maxTextLines) {
			if i == 0 {
				out = append(out, part)
			} else {
				out = append(out, "  "+part)
			}
		}
	}
	return out
}

// prettyIdentity indents the identity JSON object, keeping the key order,
// with personal fields replaced by a marker when redacting. ok is false when
// the text is not a JSON object; it is then returned unchanged.
func prettyIdentity(text string, redact bool) (string, bool) {
	hidden, ok := flow.RedactIdentity(text)
	if !ok {
		return text, false
	}
	if redact {
		text = hidden
	}
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(text), "", "  "); err != nil {
		return text, false
	}
	return b.String(), true
}
