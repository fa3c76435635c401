package flow

import (
	"regexp"
	"time"

	"github.com/authscope/authscope/flow/convex"
)

// Report is the JSON report of `authscope check --json`. It is built only
// from Events, like every other reporter, so it cannot disagree with them.
// The schema is documented in the README.
type Report struct {
	Run    RunInfo       `json:"run"`
	Rounds []RoundReport `json:"rounds"`
	// Authenticated is the last round's verdict.
	Authenticated bool                 `json:"isAuthenticated"`
	Fetches       []convex.FetchRecord `json:"backendFetches,omitempty"`
	Schedule      *Schedule            `json:"schedule,omitempty"`
	Notices       []string             `json:"notices,omitempty"`
	Error         string               `json:"error,omitempty"`
	Started       time.Time            `json:"started"`
	Finished      time.Time            `json:"finished,omitzero"`
}

// secretInURL finds the loopback page's per-run secret in a notice: the
// report may be kept or shared, the secret has no business in it.
var secretInURL = regexp.MustCompile(`(#secret=)[A-Za-z0-9_-]+`)

// RoundReport is one round: 0 is the sign-in, n is refresh #n.
type RoundReport struct {
	Round   int      `json:"round"`
	Steps   []Step   `json:"steps"`
	Verdict *Verdict `json:"verdict,omitempty"`
}

// Apply folds one event into the report.
func (r *Report) Apply(ev Event) {
	switch ev.Kind {
	case EventRun:
		r.Run = *ev.Run
		r.Started = ev.At
	case EventStep:
		rr := r.round(ev.Round)
		for i := range rr.Steps {
			if rr.Steps[i].ID == ev.Step.ID {
				rr.Steps[i] = *ev.Step
				return
			}
		}
		rr.Steps = append(rr.Steps, *ev.Step)
	case EventVerdict:
		r.round(ev.Round).Verdict = ev.Verdict
		r.Authenticated = ev.Verdict.Authenticated
	case EventFetch:
		r.Fetches = append(r.Fetches, *ev.Fetch)
	case EventSchedule:
		r.Schedule = ev.Schedule
	case EventNotice:
		r.Notices = append(r.Notices, secretInURL.ReplaceAllString(ev.Notice, "${1}<hidden>"))
	case EventDone:
		r.Error = ev.Err
		r.Finished = ev.At
	}
}

func (r *Report) round(n int) *RoundReport {
	for i := range r.Rounds {
		if r.Rounds[i].Round == n {
			return &r.Rounds[i]
		}
	}
	r.Rounds = append(r.Rounds, RoundReport{Round: n})
	return &r.Rounds[len(r.Rounds)-1]
}

// Last returns the last round, or nil before any.
func (r *Report) Last() *RoundReport {
	if len(r.Rounds) == 0 {
		return nil
	}
	return &r.Rounds[len(r.Rounds)-1]
}
