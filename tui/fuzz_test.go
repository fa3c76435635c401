package tui

import (
	"strings"
	"testing"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/untrusted"
)

// FuzzDetailPane renders arbitrary claim names and values, server messages,
// diagnosis evidence and identity JSON in every pane that shows them, and
// checks that no raw control character reaches the screen. With the Ascii
// profile (TestMain) the interface adds no styling, so the frame must hold
// no ESC at all, no other C0 byte but newline, no DEL, no C1 character, no
// bidi or zero-width character and no invalid UTF-8; and no line may be
// wider than the terminal.
func FuzzDetailPane(f *testing.F) {
	f.Add("email", `"ada@example.com"`, "Could not verify OIDC token claim.")
	f.Add("x\x1b[2J", "\"\x1b]52;c;SGVsbG8=\x07\"", "\x9b31mred\u202e")
	f.Add("\u200b", "\"\u2066a\u2069\u00ad\"", "line\nbreak\rreturn\ttab")
	f.Add("k", "\xff\xfe\xc2\x9b", "\x1bP+q\x1b\\")
	f.Add("wide", strings.Repeat("界", 70), strings.Repeat("e\u0301", 300))
	f.Fuzz(func(t *testing.T, name, value, message string) {
		evs, now := evRejected(t)
		for i, ev := range evs {
			if ev.Step == nil || ev.Step.Detail == nil {
				continue
			}
			st := *ev.Step
			d := *st.Detail
			switch {
			case d.Token != nil:
				tok := *d.Token
				tok.Claims = append(append([]flow.Claim(nil), tok.Claims...), flow.Claim{Name: name, JSON: value})
				tok.Header = append(append([]flow.Claim(nil), tok.Header...), flow.Claim{Name: value, JSON: name})
				tok.Body, tok.Raw = message, value
				d.Token = &tok
			case d.JWKS != nil:
				j := *d.JWKS
				j.Comparisons = append(append([]diagnose.Comparison(nil), j.Comparisons...), diagnose.Comparison{Label: name, Expected: value, Actual: message})
				j.Identity = `{"` + strings.ReplaceAll(name, `"`, "") + `":"` + strings.ReplaceAll(value, `"`, "") + `","x":` + value + `}`
				d.JWKS = &j
			case d.Verdict != nil:
				v := *d.Verdict
				v.Message = message
				v.Findings = append(append([]diagnose.Finding(nil), v.Findings...), diagnose.Finding{
					Code: name, Title: value, Fix: message,
					Evidence: []diagnose.Comparison{{Label: name, Expected: value, Actual: message}},
				})
				d.Verdict = &v
			}
			d.Fields = append(append([]flow.Field(nil), d.Fields...), flow.Field{Label: name, Value: value})
			st.Detail = &d
			st.Summary, st.Error = message, value
			evs[i].Step = &st
		}
		evs = append(evs, flow.Event{Kind: flow.EventNotice, Notice: message},
			flow.Event{Kind: flow.EventRun, Run: &flow.RunInfo{Source: name, SourceName: value, Backend: message, Project: value, Scenario: name,
				Findings: []diagnose.Finding{{Code: value, Title: message, Fix: name, Docs: value, Evidence: []diagnose.Comparison{{Label: message, Expected: name, Actual: value}}}}}},
			flow.Event{Kind: flow.EventDone, Err: message})
		m := feed(t, Options{Clock: newFakeClock(now)}, 80, 24, evs)
		for sel := range m.rounds()[0].Steps {
			m.sel, m.follow = sel, false
			for _, exp := range []bool{false, true} {
				m.expanded = exp
				checkClean(t, m.View(), 80, 24)
			}
		}
		// The wide layout adds the summary column; the identity pane.
		m = step(t, m, tea.WindowSizeMsg{Width: 120, Height: 40})
		m.expanded = false
		checkClean(t, m.View(), 120, 40)
		m = step(t, m, tea.KeyMsg{Type: tea.KeyTab})
		checkClean(t, m.View(), 120, 40)
	})
}

func checkClean(t *testing.T, v string, w, h int) {
	t.Helper()
	if !utf8.ValidString(v) {
		t.Fatalf("invalid UTF-8 on screen: %q", v)
	}
	for _, r := range v {
		switch {
		case r == '\n':
		case r < 0x20 || r == 0x7f:
			t.Fatalf("raw control character %U on screen: %q", r, v)
		case r >= 0x80 && r <= 0x9f:
			t.Fatalf("raw C1 character %U on screen: %q", r, v)
		case untrusted.Invisible(r):
			t.Fatalf("invisible character %U on screen: %q", r, v)
		}
	}
	checkFrame(t, "fuzz", v, w, h)
}
