package tui

import (
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/authscope/authscope/flow"
)

// TestGolden snapshots the screen at 80×24 and 120×40 with a fixed clock
// and no colour (TestMain). Update with: go test ./tui -run TestGolden -update
func TestGolden(t *testing.T) {
	cases := []struct {
		name    string
		events  func() ([]flow.Event, time.Time)
		opts    Options
		prepare func(t testing.TB, m Model) Model
	}{
		{name: "initial", events: evInitial},
		{name: "running", events: evRunning, opts: Options{AutoSignIn: func() {}}},
		{name: "authenticated", events: evAuthenticated, opts: Options{RefreshNow: make(chan struct{}, 1)}},
		{name: "rejected", events: evRejected, prepare: func(t testing.TB, m Model) Model {
			for m.sel != 7 {
				m = step(t, m, keyDown)
			}
			return step(t, m, keyEnter)
		}},
		{name: "refresh", events: evRefreshed, opts: Options{RefreshNow: make(chan struct{}, 1)}},
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
		{name: "identity", events: evAuthenticated, prepare: func(t testing.TB, m Model) Model {
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
