package tui

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/untrusted"
)

// TestDetailNothingCut renders every step of every recorded run, expanded,
// at 100 and 60 columns, and finds in it, whole, every text the step
// carries: its summary and error, each field's label and value, and for
// each diagnosed cause its title, code, evidence labels and values, fix
// and docs link. Text wraps; it is never cut ("named "co…" in a title,
// labels at 12 characters). Whitespace is ignored: wrapping adds some.
func TestDetailNothingCut(t *testing.T) {
	for _, rec := range recordings() {
		evs := loaded(t, rec.name)
		now := last(evs).Add(2 * time.Second)
		for _, w := range []int{100, 60} {
			m := feed(t, Options{Clock: newFakeClock(now)}, w, 40, evs)
			m.expanded = true
			for ri := range m.rounds() {
				m.round = ri
				for si, st := range m.cur().Steps {
					m.sel = si
					pane := squash(strings.Join(m.detailLines(w, now), ""))
					for _, want := range stepTexts(m, st) {
						if !strings.Contains(pane, squash(untrusted.Escape(want, true))) {
							t.Errorf("%s, %d columns, round %d, step %d: %q is not shown whole:\n%s",
								rec.name, w, ri, st.ID.Index(), want, strings.Join(m.detailLines(w, now), "\n"))
						}
					}
				}
			}
		}
	}
}

// stepTexts is the text a step's detail must show whole.
func stepTexts(m Model, st flow.Step) []string {
	var out []string
	// Step 8's summary and error are its verdict line, which the verdict
	// says in full.
	if st.ID != flow.StepConfirmed || m.cur().Verdict == nil {
		out = append(out, st.Summary, st.Error)
	}
	var fs []diagnose.Finding
	if st.Detail != nil {
		for _, f := range st.Detail.Fields {
			out = append(out, f.Label, f.Value)
		}
		if st.Detail.Verdict != nil {
			fs = st.Detail.Verdict.Findings
			out = append(out, st.Detail.Verdict.Problem, st.Detail.Verdict.Message)
		}
	}
	if st.ID == flow.StepConfirmed && m.tl.Run != nil {
		fs = append(fs, m.tl.Run.Findings...)
	}
	for _, f := range fs {
		out = append(out, f.Title, f.Code, f.Fix, f.Docs)
		for _, e := range f.Evidence {
			// The backend's answer is the verdict's, shown once above.
			if !e.IsBackendAnswer() {
				out = append(out, e.Label, e.Expected, e.Actual)
			}
		}
	}
	return out
}

// squash drops whitespace, so wrapped text compares with the original.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestWordWrap(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want []string
	}{
		{"npm ls @clerk/clerk-react shows one", 20, []string{"npm ls", "@clerk/clerk-react", "shows one"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"a abcdefghij b", 4, []string{"a ab", "cdef", "ghij", "b"}},
		{"short", 10, []string{"short"}},
		{"界界界 x", 4, []string{"界界", "界 x"}},
	} {
		if got := wordWrap(tc.in, tc.w); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wordWrap(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}

// FuzzWordWrap: whatever the text, every line fits and nothing but spaces
// is lost.
func FuzzWordWrap(f *testing.F) {
	f.Add("npm ls @clerk/clerk-react shows one", 12)
	f.Add("界界界 x  y\tz", 3)
	f.Fuzz(func(t *testing.T, s string, w int) {
		w = 2 + abs(w)%80
		s = untrusted.Escape(s, false)
		lines := wordWrap(s, w)
		for _, l := range lines {
			if width(l) > w {
				t.Fatalf("line %q is %d wide, over %d", l, width(l), w)
			}
		}
		if squash(strings.Join(lines, "")) != squash(s) {
			t.Fatalf("wrapping %q lost text: %q", s, lines)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
