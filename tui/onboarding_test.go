package tui

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/untrusted"
)

// internalWords are words of authscope's own code that reached the screen
// once and mean nothing to someone learning the handshake.
var internalWords = []string{
	"(fault ", "DiscoveryStatus", "Replayed", "replayed", "local replay", "bumped",
	"dev-browser handoff", "its auth config differs",
}

// TestOnboardingText reads every recorded scenario as a presenter would
// read it aloud, in the interface (every step, expanded) and in `check -v`:
// no escaped control code in authscope's own text, no internal word, the
// backend's message said once per verdict, and no fix for one algorithm
// that talks about another.
func TestOnboardingText(t *testing.T) {
	escaped := regexp.MustCompile(`\\x0[0-9a-f]|\\u00`)
	for _, rec := range recordings() {
		evs := loaded(t, rec.name)
		now := last(evs).Add(2 * time.Second)
		m := feed(t, Options{Clock: newFakeClock(now)}, 120, 40, evs)
		m.expanded = true
		var view strings.Builder
		for ri := range m.rounds() {
			m.round = ri
			for si := range m.cur().Steps {
				m.sel = si
				view.WriteString(strings.Join(m.detailLines(120, now), "\n") + "\n")
			}
		}
		var plain bytes.Buffer
		p := &Plain{W: &plain, Verbose: true}
		for _, ev := range evs {
			p.Print(ev)
		}
		for name, text := range map[string]string{"interface": view.String(), "check -v": plain.String()} {
			if rec.name != "issuer-invisible-char" && escaped.MatchString(text) {
				t.Errorf("%s, %s: an escaped control code: %q", rec.name, name, escaped.FindString(text))
			}
			for _, w := range internalWords {
				if strings.Contains(text, w) {
					t.Errorf("%s, %s: says %q", rec.name, name, w)
				}
			}
		}
		for ri, r := range m.rounds() {
			v := r.Verdict
			if v == nil || v.Message == "" {
				continue
			}
			msg := untrusted.Escape(v.Message, false)
			// check wraps its lines: compare without the spaces.
			if n := strings.Count(squash(plain.String()), squash("backend said: "+msg)); n != 1 {
				t.Errorf("%s: check -v says the backend's message %d times", rec.name, n)
			}
			m.round, m.sel = ri, len(r.Steps)-1
			step8 := squash(strings.Join(m.detailLines(120, now), ""))
			if n := strings.Count(step8, squash(msg)); n != 1 {
				t.Errorf("%s: step 8 says the backend's message %d times", rec.name, n)
			}
		}
		if rec.name == "hs256-template" && (strings.Contains(view.String(), "ES256") || strings.Contains(plain.String(), "ES256")) {
			t.Errorf("the HS256 scenario talks about ES256:\n%s", plain.String())
		}
	}
}

// TestStep7AgreesWithTheDiagnosis: when the backend used a cached JWKS,
// step 7 does not guess another cause; it points at step 8.
func TestStep7AgreesWithTheDiagnosis(t *testing.T) {
	evs := loaded(t, "jwks-cache-stale")
	tl := flow.NewTimeline()
	for _, ev := range evs {
		tl.Apply(ev)
	}
	st := tl.Rounds[0].Step(flow.StepJWKS)
	if st.Status != flow.StatusWarn || !strings.Contains(st.Summary, "step 8 says why") || strings.Contains(st.Summary, "config") {
		t.Errorf("step 7 of jwks-cache-stale: %s %q", st.Status, st.Summary)
	}
}
