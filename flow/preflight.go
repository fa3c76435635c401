package flow

import (
	"context"
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/reach"
)

// preflight checks, before anything is opened, that this machine reaches
// the servers the run needs: the Frontend API a browser sign-in loads
// ClerkJS from, and the deployment. It probes them in parallel within
// ProbeTimeout. When one cannot be reached it ends the run: the step
// that needed it fails, the steps before it are marked not run, and the
// verdict is undecided with the cause. It returns nil when the run can go
// on.
func (r *Runner) preflight(ctx context.Context) (*Verdict, error) {
	if _, refused := r.cfg.Source.(*RefusedSource); refused {
		return nil, nil // nothing will be opened or sent
	}
	var eps []Endpoint
	if n, ok := r.cfg.Source.(Networked); ok {
		eps = append(eps, n.Endpoints()...)
	}
	if !r.cfg.Backend.Embedded {
		eps = append(eps, Endpoint{Role: diagnose.RoleDeployment, URL: r.cfg.Backend.URL, Step: StepSend})
	}
	if len(eps) == 0 {
		return nil, nil
	}
	urls := make([]string, len(eps))
	for i, e := range eps {
		urls[i] = e.URL
	}
	results := reach.Probe(ctx, r.cfg.HTTPClient, r.cfg.ProbeTimeout, urls...)
	var unreached []diagnose.Unreached
	var lines, roles []string
	first := StepConfirmed
	local := false
	for i, res := range results {
		if res.OK() || res.Failure == "" {
			continue // reached, or the run was stopped meanwhile
		}
		e := eps[i]
		u := diagnose.Unreached{Role: e.Role, URL: res.URL, Failure: res.Failure, Proxy: res.Proxy, Err: res.Err.Error()}
		unreached = append(unreached, u)
		lines = append(lines, "the "+e.Role+" "+reach.Describe(res))
		roles = append(roles, "the "+e.Role)
		if e.Step.Index() < first.Index() {
			first = e.Step
		}
		local = local || u.Local()
	}
	if len(unreached) == 0 {
		return nil, nil
	}
	err := fmt.Errorf("this machine cannot reach %s", strings.Join(lines, "; and "))
	reason := UndecidedBackendUnreachable
	if local {
		reason = UndecidedOffline
	}
	// The failed step has the whole reason; the others point at it, so a
	// long DNS or proxy error is not printed eight times.
	r.failAt(0, first, err.Error(), fmt.Sprintf("not run: this machine cannot reach %s (step %d says why)", strings.Join(roles, " or "), first.Index()))
	v := &Verdict{Undecided: reason, Problem: err.Error()}
	v.Findings = r.cfg.Diagnose(&diagnose.Round{Unreached: unreached, SignInErr: err, App: r.cfg.App,
		Now: r.cfg.Clock.Now(), Config: r.cfg.Replay, Embedded: r.cfg.Backend.Embedded})
	r.mu.Lock()
	r.last = v
	r.mu.Unlock()
	r.emit(Event{Kind: EventVerdict, Verdict: v})
	return v, WithUndecided(reason, err)
}

// failAt fails step id of a round with msg and marks every other step
// that has not ended as skipped with why.
func (r *Runner) failAt(round int, id StepID, msg, why string) {
	for _, sid := range Steps {
		r.mu.Lock()
		s := r.steps[stepKey{round, sid}]
		r.mu.Unlock()
		if s == nil || s.Status.Done() {
			continue
		}
		n := *s
		if sid == id {
			n.Status, n.Error = StatusFail, msg
		} else {
			n.Status, n.Summary = StatusSkipped, why
		}
		r.setStep(n)
	}
}
