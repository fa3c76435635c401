package tui

// Redaction (x, --redact) hides what a shared screen should not show: the
// personal claims of flow's one list (flow.IsPersonal), the whole raw token
// (its header and payload are base64 of the claims), the loopback page's
// per-run secret, and e-mail addresses in free text. A redacted token is
// not copied either.

import (
	"regexp"
	"strings"

	"github.com/authscope/authscope/flow"
)

// emailLike finds e-mail addresses in free text (summaries, fields,
// notices), which redaction hides too.
var emailLike = regexp.MustCompile(`[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}`)

// scrub hides e-mail addresses and the loopback secret in free text when
// redaction is on.
func (m Model) scrub(s string) string {
	if !m.redact {
		return s
	}
	return Scrub(s)
}

// Scrub hides e-mail addresses and the loopback page's secret in free
// text: what redaction does to text that is not a claim.
func Scrub(s string) string {
	s = flow.HideSecret(s)
	if !strings.Contains(s, "@") {
		return s
	}
	return emailLike.ReplaceAllString(s, flow.Redacted)
}
