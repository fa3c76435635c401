package flow

import "time"

// Questions about the run that more than one output asks, answered from the
// timeline alone.

// Decided returns the latest round whose verdict is decided (true or
// false, see Verdict), or nil while no round is.
func (t *Timeline) Decided() *Round {
	for i := len(t.Rounds) - 1; i >= 0; i-- {
		if v := t.Rounds[i].Verdict; v != nil && v.Decided {
			return &t.Rounds[i]
		}
	}
	return nil
}

// Concluded returns the latest round that has a verdict, decided or
// undecided, or nil before any round ended.
func (t *Timeline) Concluded() *Round {
	for i := len(t.Rounds) - 1; i >= 0; i-- {
		if t.Rounds[i].Verdict != nil {
			return &t.Rounds[i]
		}
	}
	return nil
}

// Running reports whether any step of any round is running.
func (t *Timeline) Running() bool {
	for _, r := range t.Rounds {
		for _, s := range r.Steps {
			if s.Status == StatusRunning {
				return true
			}
		}
	}
	return false
}

// SignInPending is true while the user still has to sign in: the sign-in
// round has not got past step 3, nothing failed and the run goes on.
func (t *Timeline) SignInPending() bool {
	if t.Done || len(t.Rounds) == 0 || t.Rounds[0].Round != 0 {
		return false
	}
	r := &t.Rounds[0]
	for _, s := range r.Steps {
		if s.Status == StatusFail {
			return false
		}
	}
	ret := r.Step(StepReturn)
	return ret != nil && !ret.Status.Done()
}

// LastNotice is the latest notice, or nil.
func (t *Timeline) LastNotice() *Notice {
	if len(t.Notices) == 0 {
		return nil
	}
	return &t.Notices[len(t.Notices)-1]
}

// SignInURL is the notice that gave the sign-in page's URL, or nil.
func (t *Timeline) SignInURL() *Notice {
	for i := range t.Notices {
		if t.Notices[i].Kind == NoticeSignInURL {
			return &t.Notices[i]
		}
	}
	return nil
}

// TabClosed reports whether the sign-in tab was last seen going away (and
// not yet back): refresh rounds cannot run.
func (t *Timeline) TabClosed() bool {
	for i := len(t.Notices) - 1; i >= 0; i-- {
		switch t.Notices[i].Kind {
		case NoticeTabClosed:
			return true
		case NoticeTabOpen:
			return false
		}
	}
	return false
}

// Step returns the round's step with the given ID, or nil when the round
// has no such step.
func (r *Round) Step(id StepID) *Step {
	for i := range r.Steps {
		if r.Steps[i].ID == id {
			return &r.Steps[i]
		}
	}
	return nil
}

// Token is step 5's token detail, or nil before a token was fetched.
func (r *Round) Token() *TokenDetail {
	if s := r.Step(StepToken); s != nil && s.Detail != nil {
		return s.Detail.Token
	}
	return nil
}

// JWKS is step 7's detail, or nil before the backend's work is known.
func (r *Round) JWKS() *JWKSDetail {
	if s := r.Step(StepJWKS); s != nil && s.Detail != nil {
		return s.Detail.JWKS
	}
	return nil
}

// Start is when the round's first step started (zero before any did).
func (r *Round) Start() time.Time {
	var first time.Time
	for _, s := range r.Steps {
		if !s.Start.IsZero() && (first.IsZero() || s.Start.Before(first)) {
			first = s.Start
		}
	}
	return first
}

// Span is the round's time from its first start to its last end, running
// steps ending now.
func (r *Round) Span(now time.Time) time.Duration {
	first := r.Start()
	var last time.Time
	for _, s := range r.Steps {
		if end := s.End(now); !s.Start.IsZero() && end.After(last) {
			last = end
		}
	}
	if first.IsZero() || last.Before(first) {
		return 0
	}
	return last.Sub(first)
}

// Outcome is the round's mark: its verdict when decided (ok, fail), warn
// when it ended undecided, else fail as soon as a step failed, running
// once a step started, pending before.
func (r *Round) Outcome() Status {
	if v := r.Verdict; v != nil {
		switch {
		case !v.Decided:
			return StatusWarn
		case v.Authenticated:
			return StatusOK
		}
		return StatusFail
	}
	started := false
	for _, s := range r.Steps {
		switch s.Status {
		case StatusFail:
			return StatusFail
		case StatusRunning:
			return StatusRunning
		case StatusPending:
		default:
			started = true
		}
	}
	if started {
		return StatusRunning
	}
	return StatusPending
}

// Round returns round n, or nil when the timeline has no such round.
func (t *Timeline) Round(n int) *Round {
	for i := range t.Rounds {
		if t.Rounds[i].Round == n {
			return &t.Rounds[i]
		}
	}
	return nil
}
