package tui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/diagnose"
)

// Every line fits the width except a URL too long for any line, and
// joining the lines gives the text back: nothing is cut.
func TestWrapLinesKeepsEverything(t *testing.T) {
	url := "https://happy-animal-123.clerk.accounts.dev/.well-known/openid-configuration?x=" + strings.Repeat("y", 60)
	text := "No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: " +
		"[OIDC(domain=https://clerk.example.com, app_id=convex)] see " + url + " and " + strings.Repeat("k", 130) + " end"
	for _, width := range []int{40, 80, 100, 133} {
		lines := wrapLines("7 [FAIL] jwks  ", "      ", text, width)
		var words []string
		for i, l := range lines {
			if ansi.StringWidth(l) > width && !strings.Contains(l, url) {
				t.Errorf("width %d: line %d is %d cells: %q", width, i, ansi.StringWidth(l), l)
			}
			if strings.Contains(l, "…") {
				t.Errorf("width %d: line %d is cut: %q", width, i, l)
			}
			if i == 0 {
				l = strings.TrimPrefix(l, "7 [FAIL] jwks")
			}
			words = append(words, strings.Fields(l)...)
		}
		got := strings.Join(words, " ")
		if strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(text, " ", "") {
			t.Errorf("width %d: the text did not survive:\n%s", width, strings.Join(lines, "\n"))
		}
		if !strings.Contains(strings.Join(lines, "\n"), url) {
			t.Errorf("width %d: the URL was broken:\n%s", width, strings.Join(lines, "\n"))
		}
	}
}

// check and check -v print a cause whole, wrapped to the width, with no
// ellipsis: the fix's last sentence is there.
func TestPlainPrintsFindingsWhole(t *testing.T) {
	fix := strings.Repeat("Point the development deployment at the development instance. ", 12) + "The last sentence."
	v := &flow.Verdict{Decided: true, Message: strings.Repeat("No auth provider found matching the given token. ", 8),
		Findings: []diagnose.Finding{{Code: "issuer-mismatch", Title: strings.Repeat("a long title ", 20), Fix: fix, Docs: "https://docs.convex.dev/auth/debug"}}}
	for _, width := range []int{0, 60} {
		var b bytes.Buffer
		p := &Plain{W: &b, Width: width}
		p.verdict(0, v)
		out := b.String()
		limit := width
		if limit == 0 {
			limit = DefaultWidth
		}
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if ansi.StringWidth(l) > limit {
				t.Errorf("width %d: line wider than %d: %q", width, limit, l)
			}
		}
		if strings.Contains(out, "…") || !strings.Contains(strings.Join(strings.Fields(out), " "), "The last sentence.") {
			t.Errorf("width %d: the cause is cut:\n%s", width, out)
		}
	}
}
