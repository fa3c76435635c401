package tui

import (
	"sort"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex"
)

// runState is everything the interface knows about the run, built only from
// flow.Events by apply. It holds no UI state (selection, scrolling, sizes):
// those live in Model, so the reducer can be tested on its own.
type runState struct {
	run *flow.RunInfo
	// rounds are kept sorted by number: 0 is the sign-in, n is "refresh #n".
	rounds   []*roundState
	schedule flow.Schedule
	// verdict is the most recent verdict received, of any round.
	verdict *flow.Verdict
	// notice is the last notice; duringSignIn says it arrived while the
	// user still had to sign in (it is then part of the sign-in prompt).
	notice       string
	duringSignIn bool
	done         bool
	doneErr      string
	// version counts applied events, so views can tell that nothing changed.
	version int
}

// roundState is one round: the sign-in (steps 1–8) or a refresh (steps 5–8).
type roundState struct {
	n       int
	steps   []flow.Step // in display order, pending until an event arrives
	verdict *flow.Verdict
	// fetches are the embedded backend's own fetches reported live (EventFetch).
	fetches []convex.FetchRecord
	started time.Time
}

// maxRounds bounds memory if a runner (or a bug) numbers rounds wildly; the
// oldest refresh rounds are dropped first, never the sign-in.
const maxRounds = 200

func newRunState() *runState {
	s := &runState{}
	s.roundFor(0)
	return s
}

// apply folds one event into the state. It never panics on odd input:
// unknown step IDs are ignored, nil payloads are skipped.
func (s *runState) apply(ev flow.Event) {
	s.version++
	switch ev.Kind {
	case flow.EventRun:
		if ev.Run != nil {
			r := *ev.Run
			s.run = &r
		}
	case flow.EventStep:
		if ev.Step == nil || ev.Step.ID.Index() == 0 {
			return
		}
		r := s.roundFor(ev.Step.Round)
		if r == nil {
			return
		}
		for i := range r.steps {
			if r.steps[i].ID == ev.Step.ID {
				r.steps[i] = *ev.Step
				break
			}
		}
		switch start := ev.Step.Start; {
		case !start.IsZero() && (r.started.IsZero() || start.Before(r.started)):
			r.started = start
		case r.started.IsZero():
			r.started = ev.At
		}
		if ev.Step.ID == flow.StepConfirmed && ev.Step.Detail != nil && ev.Step.Detail.Verdict != nil && r.verdict == nil {
			v := *ev.Step.Detail.Verdict
			r.verdict = &v
		}
	case flow.EventFetch:
		if ev.Fetch == nil {
			return
		}
		if r := s.roundFor(ev.Round); r != nil {
			r.fetches = append(r.fetches, *ev.Fetch)
		}
	case flow.EventSchedule:
		if ev.Schedule != nil {
			s.schedule = *ev.Schedule
		}
	case flow.EventVerdict:
		if ev.Verdict == nil {
			return
		}
		v := *ev.Verdict
		if r := s.roundFor(ev.Round); r != nil {
			r.verdict = &v
		}
		s.verdict = &v
	case flow.EventNotice:
		s.notice = ev.Notice
		s.duringSignIn = s.signInPending()
	case flow.EventDone:
		s.done = true
		s.doneErr = ev.Err
	}
}

// roundFor returns round n, creating it (with pending steps) if needed.
func (s *runState) roundFor(n int) *roundState {
	if n < 0 {
		return nil
	}
	i := sort.Search(len(s.rounds), func(i int) bool { return s.rounds[i].n >= n })
	if i < len(s.rounds) && s.rounds[i].n == n {
		return s.rounds[i]
	}
	ids := flow.Steps
	if n > 0 {
		ids = flow.RefreshSteps
	}
	r := &roundState{n: n, steps: make([]flow.Step, len(ids))}
	for j, id := range ids {
		r.steps[j] = flow.Step{ID: id, Round: n, Status: flow.StatusPending}
	}
	s.rounds = append(s.rounds, nil)
	copy(s.rounds[i+1:], s.rounds[i:])
	s.rounds[i] = r
	if len(s.rounds) > maxRounds {
		// Drop the oldest refresh (index 1); the sign-in stays.
		dropped := s.rounds[1]
		s.rounds = append(s.rounds[:1], s.rounds[2:]...)
		if dropped == r {
			return nil
		}
	}
	return r
}

// step returns the step of round index ri with the given ID, if shown.
func (r *roundState) step(id flow.StepID) *flow.Step {
	for i := range r.steps {
		if r.steps[i].ID == id {
			return &r.steps[i]
		}
	}
	return nil
}

// running reports whether any step of any round is running.
func (s *runState) running() bool {
	for _, r := range s.rounds {
		for _, st := range r.steps {
			if st.Status == flow.StatusRunning {
				return true
			}
		}
	}
	return false
}

// signInPending is true while the user still has to sign in: round 0 has
// not got past step 3 and nothing failed yet.
func (s *runState) signInPending() bool {
	if s.done || len(s.rounds) == 0 || s.rounds[0].n != 0 {
		return false
	}
	r := s.rounds[0]
	for _, st := range r.steps {
		if st.Status == flow.StatusFail {
			return false
		}
	}
	ret := r.step(flow.StepReturn)
	return ret != nil && !ret.Status.Done()
}

// token returns the token detail of round index ri, or of the latest round
// that has one when ri is out of range.
func (s *runState) token(ri int) *flow.TokenDetail {
	if ri >= 0 && ri < len(s.rounds) {
		if t := tokenOf(s.rounds[ri]); t != nil {
			return t
		}
	}
	for i := len(s.rounds) - 1; i >= 0; i-- {
		if t := tokenOf(s.rounds[i]); t != nil {
			return t
		}
	}
	return nil
}

func tokenOf(r *roundState) *flow.TokenDetail {
	st := r.step(flow.StepToken)
	if st == nil || st.Detail == nil || st.Detail.Token == nil || st.Detail.Token.Raw == "" {
		return nil
	}
	return st.Detail.Token
}

// jwksOf returns step 7's detail of a round, if any.
func jwksOf(r *roundState) *flow.JWKSDetail {
	st := r.step(flow.StepJWKS)
	if st == nil || st.Detail == nil {
		return nil
	}
	return st.Detail.JWKS
}

// total is the round's span from its first start to its last end (running
// steps end now).
func (r *roundState) total(now time.Time) time.Duration {
	var first, last time.Time
	for _, st := range r.steps {
		if st.Start.IsZero() {
			continue
		}
		end := stepEnd(st, now)
		if first.IsZero() || st.Start.Before(first) {
			first = st.Start
		}
		if end.After(last) {
			last = end
		}
	}
	if first.IsZero() || last.Before(first) {
		return 0
	}
	return last.Sub(first)
}

// outcome is the round's mark: fail, ok, running or pending.
func (r *roundState) outcome() flow.Status {
	if r.verdict != nil {
		if r.verdict.Authenticated {
			return flow.StatusOK
		}
		return flow.StatusFail
	}
	any := false
	for _, st := range r.steps {
		switch st.Status {
		case flow.StatusFail:
			return flow.StatusFail
		case flow.StatusRunning:
			return flow.StatusRunning
		case flow.StatusPending:
		default:
			any = true
		}
	}
	if any {
		return flow.StatusRunning
	}
	return flow.StatusPending
}

// stepEnd is when a step ended, or now while it runs.
func stepEnd(st flow.Step, now time.Time) time.Time {
	if st.Status == flow.StatusRunning {
		if now.Before(st.Start) {
			return st.Start
		}
		return now
	}
	if st.Duration < 0 {
		return st.Start
	}
	return st.Start.Add(st.Duration)
}
