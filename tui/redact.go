package tui

// Redaction (x, --redact) hides what a shared screen should not show: the
// personal claims of flow's one list (flow.IsPersonal), the token's
// signature, and e-mail addresses in free text.

import (
	"regexp"
	"strings"

	"github.com/authscope/authscope/flow"
)

// emailLike finds e-mail addresses in free text (summaries, fields,
// notices), which redaction hides too.
var emailLike = regexp.MustCompile(`[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}`)

// scrub hides e-mail addresses in free text when redaction is on.
func (m Model) scrub(s string) string {
	if !m.redact || !strings.Contains(s, "@") {
		return s
	}
	return emailLike.ReplaceAllString(s, flow.Redacted)
}
