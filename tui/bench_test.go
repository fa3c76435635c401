package tui

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/authscope/authscope/flow"
)

// BenchmarkViewToken4K is the cost of one frame (View) with a 4 KiB token
// in the detail pane: step 5 selected, collapsed and expanded, at 80×24 and
// 120×40, without colour (NO_COLOR, the tests) and in TrueColor.
func BenchmarkViewToken4K(b *testing.B) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		for _, expanded := range []bool{false, true} {
			for _, colour := range []bool{false, true} {
				name := fmt.Sprintf("%dx%d/expanded=%v/truecolor=%v", sz[0], sz[1], expanded, colour)
				b.Run(name, func(b *testing.B) {
					evs, now := evAuthenticated(b)
					for i, ev := range evs {
						if ev.Step != nil && ev.Step.ID == flow.StepToken && ev.Step.Detail != nil {
							st := *ev.Step
							tok := *st.Detail.Token
							tok.Claims = append(append([]flow.Claim(nil), tok.Claims...), flow.Claim{Name: "org_metadata", JSON: `"` + strings.Repeat("x", 2500) + `"`})
							tok.Raw = encodeToken(tok.Header, tok.Claims, 342)
							tok.Size = len(tok.Raw)
							st.Detail = &flow.Detail{Token: &tok}
							evs[i].Step = &st
						}
					}
					m := feed(b, Options{Clock: newFakeClock(now)}, sz[0], sz[1], evs)
					if n := len(m.token(0).Raw); n < 4096 || n > 4400 {
						b.Fatalf("token is %d bytes, want about 4 KiB", n)
					}
					for m.sel != 4 {
						m = step(b, m, keyUp)
					}
					m.expanded = expanded
					if colour {
						r := lipgloss.NewRenderer(io.Discard)
						r.SetColorProfile(termenv.TrueColor)
						r.SetHasDarkBackground(true)
						m.setRenderer(r)
					}
					b.ReportAllocs()
					for b.Loop() {
						_ = m.View()
					}
				})
			}
		}
	}
}
