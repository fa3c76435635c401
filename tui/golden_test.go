package tui

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/authscope/authscope/flow"
)

// TestGolden snapshots the screen at 80×24 and 120×40 with a fixed clock
// and no colour (TestMain), in the states a user meets, from recorded runs.
// Update with: go test ./tui -run TestGolden -update
func TestGolden(t *testing.T) {
	cases := []struct {
		name    string
		events  func(testing.TB) ([]flow.Event, time.Time)
		opts    Options
		prepare func(t testing.TB, m Model) Model
	}{
		{name: "initial", events: evInitial},
		{name: "running", events: evRunning, opts: Options{AutoSignIn: func() {}}},
		// As the interactive runner has them: still going, refreshing.
		{name: "authenticated", events: live(evAuthenticated), opts: Options{RefreshNow: make(chan struct{}, 1)}},
		{name: "rejected", events: evRejected, prepare: func(t testing.TB, m Model) Model {
			for m.sel != 7 {
				m = step(t, m, keyDown)
			}
			return step(t, m, keyEnter)
		}},
		{name: "refresh", events: live(evRefreshed), opts: Options{RefreshNow: make(chan struct{}, 1)}},
		{name: "token", events: evAuthenticated, prepare: func(t testing.TB, m Model) Model {
			for m.sel != 4 {
				m = step(t, m, keyUp)
			}
			return m
		}},
		{name: "jwks", events: evAuthenticated, prepare: func(t testing.TB, m Model) Model {
			for m.sel != 6 {
				m = step(t, m, keyUp)
			}
			return step(t, m, keyEnter)
		}},
		{name: "identity", events: evPersonal, prepare: func(t testing.TB, m Model) Model {
			return step(t, m, keyTab)
		}},
	}
	for _, tc := range cases {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s/%dx%d", tc.name, sz[0], sz[1]), func(t *testing.T) {
				m, _ := fixture(t, tc.events, tc.opts, sz[0], sz[1])
				if tc.prepare != nil {
					m = tc.prepare(t, m)
				}
				v := m.View()
				checkFrame(t, tc.name, v, sz[0], sz[1])
				golden.RequireEqual(t, v)
			})
		}
	}
}

// TestScenarios renders every recorded run three ways, from the one
// timeline its events make: the interface at 120×40 two seconds after the
// run, the JSON report of `check --json`, and the plain output of
// `check -v`. Update with: go test ./tui -run TestScenarios -update
func TestScenarios(t *testing.T) {
	for _, rec := range recordings() {
		t.Run(rec.name, func(t *testing.T) {
			evs := loaded(t, rec.name)
			now := last(evs).Add(2 * time.Second)
			t.Run("view", func(t *testing.T) {
				v := feed(t, Options{Clock: newFakeClock(now)}, 120, 40, evs).View()
				checkFrame(t, rec.name, v, 120, 40)
				golden.RequireEqual(t, v)
			})
			t.Run("json", func(t *testing.T) {
				tl := flow.NewTimeline()
				for _, ev := range evs {
					tl.Apply(ev)
				}
				var b bytes.Buffer
				if err := tl.WriteJSON(&b); err != nil {
					t.Fatal(err)
				}
				golden.RequireEqual(t, b.String())
			})
			t.Run("plain", func(t *testing.T) {
				var b bytes.Buffer
				p := &Plain{W: &b, Verbose: true}
				for _, ev := range evs {
					p.Print(ev)
				}
				golden.RequireEqual(t, b.String())
			})
		})
	}
}
