package flow

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The sign-in page, watched: a PageSource says when the tab goes away and
// comes back. A closed tab is said at once, never taken for a cause, and a
// refresh that cannot run is a round marked not run, with the reason: the
// last decided verdict stands (SPEC.md: Verdict).

// watchPage forwards the page's comings and goings as notices until ctx
// ends. The returned channel gets a value each time the page comes back.
func (r *Runner) watchPage(ctx context.Context) <-chan struct{} {
	ps, ok := r.cfg.Source.(PageSource)
	if !ok {
		return nil
	}
	changes := ps.PageChanges()
	if changes == nil {
		return nil
	}
	resume := make(chan struct{}, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case c, ok := <-changes:
				if !ok {
					return
				}
				r.pageChanged(c, resume)
			}
		}
	}()
	return resume
}

func (r *Runner) pageChanged(c PageChange, resume chan<- struct{}) {
	if !c.Open {
		r.emit(Event{Kind: EventNotice, NoticeKind: NoticeTabClosed,
			Notice: "The sign-in tab was closed: refresh rounds stop; " + r.cfg.ReopenHint + "."})
		return
	}
	r.emit(Event{Kind: EventNotice, NoticeKind: NoticeTabOpen,
		Notice: "The sign-in tab is open again: refresh rounds go on."})
	select {
	case resume <- struct{}{}:
	default:
	}
}

// notRun reports whether a failed token fetch means the round cannot run
// at all (the sign-in tab is closed), rather than that it failed.
func notRun(err error) bool {
	var ue *UndecidedError
	return errors.As(err, &ue) && ue.Reason == UndecidedTabClosed
}

// notRun marks a round whose token could not even be asked for: steps 5–8
// are skipped with the reason and the round's verdict is undecided. No
// diagnosis: nothing was tested.
func (r *Runner) notRun(round int, start time.Time, err error) *Verdict {
	why := "not run: " + err.Error() + "; " + r.cfg.ReopenHint
	for _, id := range RefreshSteps {
		s := Step{ID: id, Round: round, Status: StatusSkipped, Summary: why}
		if id == StepToken {
			s.Start = start
		}
		r.setStep(s)
	}
	name := "the sign-in round"
	if round > 0 {
		name = fmt.Sprintf("refresh #%d", round)
	}
	v := &Verdict{Undecided: UndecidedTabClosed, Problem: name + " could not run: " + err.Error()}
	r.mu.Lock()
	r.missed = true
	if r.last == nil {
		r.last = v
	}
	r.mu.Unlock()
	r.emit(Event{Kind: EventVerdict, Round: round, Verdict: v})
	r.emit(Event{Kind: EventSchedule, Round: round, Schedule: &Schedule{
		Reason: "the sign-in tab was closed: no token can be fetched until it is open again"}})
	return v
}

// Reopen opens the sign-in page again through the source (the
// interface's o key) and says what it did in a notice. It may block until
// the run's events are read: call it from its own goroutine.
func (r *Runner) Reopen(ctx context.Context) error {
	ps, ok := r.cfg.Source.(PageSource)
	if !ok {
		return errors.New("this run has no sign-in page to reopen")
	}
	return ps.Reopen(ctx, &reporter{r: r})
}
