package tui

import (
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
)

// The tests feed the interface recorded real runs (recording_test.go): the
// events a scenario of the demo produced, normalised. A fixture is a
// recording, or the part of one up to a moment, with the clock time a
// screenshot is taken at.

// fakeClock is a settable flow.Clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{now: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// After never fires: the interface does not use it (it ticks with tea.Tick).
func (c *fakeClock) After(time.Duration) <-chan time.Time { return make(chan time.Time) }

// Scenarios the tests use by name.
const (
	runHealthy  = "healthy"
	runRejected = "issuer-dev-vs-prod" // the token's issuer is not the config's domain
	runPersonal = "short-lifetime"     // accepted; a JWT template with personal claims
)

var (
	runsMu sync.Mutex
	runs   = map[string][]flow.Event{}
)

// loaded returns a recorded run's events; each call gets its own copy of the
// slice (the events' payloads are shared and must not be changed).
func loaded(t testing.TB, name string) []flow.Event {
	t.Helper()
	runsMu.Lock()
	defer runsMu.Unlock()
	if _, ok := runs[name]; !ok {
		runs[name] = loadRun(t, name)
	}
	return append([]flow.Event(nil), runs[name]...)
}

// upTo cuts a run after the first event that matches.
func upTo(evs []flow.Event, match func(flow.Event) bool) []flow.Event {
	for i, ev := range evs {
		if match(ev) {
			return evs[:i+1]
		}
	}
	return evs
}

// stepIs matches a step event of the sign-in round.
func stepIs(id flow.StepID, st flow.Status) func(flow.Event) bool {
	return func(ev flow.Event) bool {
		return ev.Kind == flow.EventStep && ev.Step != nil && ev.Step.Round == 0 && ev.Step.ID == id && ev.Step.Status == st
	}
}

func last(evs []flow.Event) time.Time { return evs[len(evs)-1].At }

// evInitial is the run as it starts: the run described, nothing done.
func evInitial(t testing.TB) ([]flow.Event, time.Time) {
	evs := loaded(t, runHealthy)[:1]
	return evs, last(evs).Add(time.Second)
}

// evRunning is the sign-in waiting for the user (step 3 running, the URL
// to open on screen), 9 s into the wait.
func evRunning(t testing.TB) ([]flow.Event, time.Time) {
	evs := upTo(loaded(t, runHealthy), stepIs(flow.StepReturn, flow.StatusRunning))
	return evs, last(evs).Add(9 * time.Second)
}

// ended is a whole recorded run, a while after its last event.
func ended(name string, after time.Duration) func(testing.TB) ([]flow.Event, time.Time) {
	return func(t testing.TB) ([]flow.Event, time.Time) {
		evs := loaded(t, name)
		return evs, last(evs).Add(after)
	}
}

var (
	// evAuthenticated is the healthy run.
	evAuthenticated = ended(runHealthy, 6*time.Second)
	// evRejected is a run whose token the backend rejected.
	evRejected = ended(runRejected, 6*time.Second)
	// evRefreshed is the healthy run with one refresh round.
	evRefreshed = ended(refreshRun, 3*time.Second)
	// evPersonal is an accepted run whose token carries personal claims.
	evPersonal = ended(runPersonal, 2*time.Second)
)

func stepEv(st flow.Step) flow.Event {
	return flow.Event{Kind: flow.EventStep, At: st.Start.Add(st.Duration), Round: st.Round, Step: &st}
}
