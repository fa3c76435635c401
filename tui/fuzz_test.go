package tui

import (
	"strings"
	"testing"
	"unicode/utf8"

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
//
// To explore rather than crawl, one model is built once and reused: each
// input only replaces the step snapshots, the run and the notice it
// changes, and the frame is small (fuzzSize), so a view is cheap. Each
// step's whole detail is rendered expanded at that width, and the
// identity pane; the frame twice, once wide (the summary column).
func FuzzDetailPane(f *testing.F) {
	f.Add("email", `"ada@example.com"`, "Could not verify OIDC token claim.")
	f.Add("x\x1b[2J", "\"\x1b]52;c;SGVsbG8=\x07\"", "\x9b31mred\u202e")
	f.Add("\u200b", "\"\u2066a\u2069\u00ad\"", "line\nbreak\rreturn\ttab")
	f.Add("k", "\xff\xfe\xc2\x9b", "\x1bP+q\x1b\\")
	f.Add("wide", strings.Repeat("界", 70), strings.Repeat("e\u0301", 300))
	m, detailed := fuzzModel(f)
	f.Fuzz(func(t *testing.T, name, value, message string) {
		renderFuzzed(t, &m, detailed, name, value, message)
	})
}

// BenchmarkDetailPane is one FuzzDetailPane input, for its speed.
func BenchmarkDetailPane(b *testing.B) {
	m, detailed := fuzzModel(b)
	for b.Loop() {
		renderFuzzed(b, &m, detailed, "x\x1b[2J", "\"\x1b]52;c;SGVsbG8=\x07\"", "\x9b31mred\u202e")
	}
}

// fuzzModel is the model FuzzDetailPane reuses, and the events it fuzzes.
func fuzzModel(tb testing.TB) (Model, []flow.Event) {
	base, now := evRejected(tb)
	return feed(tb, Options{Clock: newFakeClock(now)}, fuzzSize[0], fuzzSize[1], base), fuzzable(base)
}

// renderFuzzed puts one input into the model and checks everything that
// shows it.
func renderFuzzed(t testing.TB, m *Model, detailed []flow.Event, name, value, message string) {
	for _, ev := range fuzzed(detailed, name, value, message) {
		*m = step(t, *m, eventMsg{ev})
	}
	m.follow, m.pane, m.scroll, m.status, m.sel = false, paneSteps, 0, "", 0
	w, h := fuzzSize[0], fuzzSize[1]
	m.width, m.height, m.expanded = w, h, false
	checkClean(t, m.View(), w, h)
	// Each step's whole detail, expanded, whatever the frame's height
	// would show of it.
	m.expanded = true
	for sel := range m.rounds()[0].Steps {
		m.sel = sel
		lines := m.detailLines(w, m.clock.Now())
		checkClean(t, strings.Join(lines, "\n"), w, len(lines))
	}
	lines := m.identityLines(w)
	checkClean(t, strings.Join(lines, "\n"), w, len(lines))
	m.expanded, m.width = false, 110 // the wide layout adds the summary column
	checkClean(t, m.View(), 110, h)
}

// fuzzSize is the frame FuzzDetailPane renders: small, so a view is cheap,
// and wide enough for the side-by-side comparison table.
var fuzzSize = [2]int{64, 16}

// fuzzable are the events of a run whose step carries a detail: the ones
// FuzzDetailPane puts its inputs into.
func fuzzable(evs []flow.Event) []flow.Event {
	var out []flow.Event
	for _, ev := range evs {
		if ev.Step != nil && ev.Step.Detail != nil {
			out = append(out, ev)
		}
	}
	return out
}

// fuzzed puts name, value and message into every place of the events that
// shows them: claims and header, the Frontend API body, comparisons,
// identity, the backend's message, findings, fields, summaries, the run,
// a notice and the run's error. The events are copied, never changed.
func fuzzed(detailed []flow.Event, name, value, message string) []flow.Event {
	out := make([]flow.Event, 0, len(detailed)+3)
	for _, ev := range detailed {
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
		ev.Step = &st
		out = append(out, ev)
	}
	return append(out, flow.Event{Kind: flow.EventNotice, Notice: message},
		flow.Event{Kind: flow.EventRun, Run: &flow.RunInfo{Source: name, SourceName: value, Backend: message, Project: value, Scenario: name,
			Findings: []diagnose.Finding{{Code: value, Title: message, Fix: name, Docs: value, Evidence: []diagnose.Comparison{{Label: message, Expected: name, Actual: value}}}}}},
		flow.Event{Kind: flow.EventDone, Err: message})
}

func checkClean(t testing.TB, v string, w, h int) {
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
