package flow

import (
	"context"
	"fmt"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/convex/wire"
)

// finishJWKS closes step 7 from the replay's result, read against what
// the backend answered, or did not answer, in step 6.
func (r *Runner) finishJWKS(round int, st *roundState) {
	r.mu.Lock()
	prev := r.steps[stepKey{round, StepJWKS}]
	r.mu.Unlock()
	s := Step{ID: StepJWKS, Round: round}
	if prev != nil {
		s.Start = prev.Start
	}
	s.Duration = r.cfg.Clock.Now().Sub(s.Start)
	res := st.Replay
	jd := &JWKSDetail{Replayed: true, Trace: res.Trace, Error: res.Err, BackendFetches: r.backendFetches(round)}
	st.BackendFetches = jd.BackendFetches
	jd.Comparisons = comparisons(res.Trace, r.cfg.Replay)
	if res.Identity != nil {
		if b, err := res.Identity.MarshalJSON(); err == nil {
			jd.Identity = string(b)
		}
	}
	s.Detail = &Detail{JWKS: jd}
	answered := st.SendErr == nil && st.Outcome != nil
	accepted := answered && st.Outcome.Accepted
	switch {
	case r.cfg.ReplayUnavailable != "":
		jd.Replayed, jd.Comparisons = false, nil
		s.Status = StatusWarn
		s.Summary = "not checked on this machine: " + r.cfg.ReplayUnavailable
	case ownFetchFailed(res) != nil && (accepted || !answered):
		// authscope's own fetch failed on this machine: its check checked
		// nothing, and that says nothing about the backend.
		f := ownFetchFailed(res)
		s.Status = StatusWarn
		s.Summary = fmt.Sprintf("authscope could not fetch %s from this machine (%s), so its own check checked nothing; ", f.URL, f.Network.Text())
		if accepted {
			s.Summary += "the backend, on its own network, accepted the token"
		} else {
			s.Summary += "the backend gave no verdict"
		}
	case !answered:
		// No verdict came: what the backend did with the token is unknown,
		// and the replay's result says only what it would have done.
		s.Status = StatusWarn
		s.Summary = "the backend gave no verdict, so its check is unknown; authscope's own check accepts the token: " + jwksSummary(res.Trace)
		if res.Err != nil {
			s.Summary = "the backend gave no verdict, so its check is unknown; authscope's own check would reject the token: " + res.Err.Message
		}
	case res.Err == nil && accepted:
		s.Status = StatusOK
		s.Summary = jwksSummary(res.Trace)
	case res.Err == nil:
		s.Status = StatusWarn
		// Which state the backend had that authscope's check lacks (a
		// cached JWKS, its clock, its config) is the diagnosis's to say.
		s.Summary = "authscope's own check accepts the token, but the backend rejected it: step 8 says why"
	case accepted:
		s.Status = StatusWarn
		s.Summary = "the backend accepted the token, but authscope's own check did not: " + res.Err.Message
	default:
		s.Status = StatusFail
		s.Error = res.Err.Message
		s.Summary = res.Err.Detail
	}
	r.setStep(s)
}

// confirm is step 8 and the round's verdict.
func (r *Runner) confirm(ctx context.Context, round int, st *roundState) *Verdict {
	v := verdictOf(ctx, st)
	if v.Decided && st.Replay != nil && st.Replay.Err != nil {
		v.Reason = st.Replay.Err.Reason
	}
	if !v.Decided && (st.fetchErr != nil || v.Undecided == UndecidedCancelled) {
		// authscope's own wait or an interrupt, not anything it tested,
		// ended the round.
		st.Stopped = v.Undecided.Text()
	}
	// An accepted round is diagnosed too: a token can be accepted now and
	// still break the client's refresh (lifetime, missing iat or exp).
	v.Findings = r.cfg.Diagnose(&st.Round)
	s := Step{ID: StepConfirmed, Round: round, Start: r.cfg.Clock.Now(), Detail: &Detail{Verdict: v}}
	switch {
	case v.Authenticated:
		s.Status = StatusOK
		s.Summary = "the backend accepted the token (Transition): isAuthenticated: true"
		if len(v.Findings) > 0 {
			// Accepted now, but the diagnosis found what breaks it later.
			s.Status = StatusWarn
			s.Summary += " for now. What will break it: " + v.Findings[0].Title
		}
		if r.cfg.IdentityQuery != "" {
			s.Detail.Fields = append(s.Detail.Fields, r.identityQuery())
		}
	case v.Decided:
		s.Status = StatusFail
		s.Error = verdictLine(v)
	default:
		s.Status = StatusWarn
		s.Summary = verdictLine(v)
	}
	r.setStep(s)
	r.mu.Lock()
	r.last = v
	r.mu.Unlock()
	r.emit(Event{Kind: EventVerdict, Round: round, Verdict: v})
	return v
}

// verdictOf reads a round's verdict (see Verdict and SPEC.md: Verdict).
func verdictOf(ctx context.Context, st *roundState) *Verdict {
	out := st.Outcome
	backend := func(v Verdict) *Verdict {
		v.Decided, v.DecidedBy = true, DecidedByBackend
		return &v
	}
	switch {
	case st.tr.Token == "" && st.fetchErr != nil:
		return &Verdict{Undecided: undecidedBy(ctx, st.fetchErr, UndecidedTimedOut), Problem: "no token: " + st.fetchErr.Error()}
	case st.tr.Token == "":
		return &Verdict{Decided: true, DecidedBy: DecidedByClient, Problem: nullTokenError(st.tr)}
	case st.SendErr != nil && st.SendFailure.Local():
		return &Verdict{Undecided: undecidedBy(ctx, st.SendErr, UndecidedOffline), Problem: sendProblem(st.SendErr)}
	case st.SendErr != nil:
		return &Verdict{Undecided: undecidedBy(ctx, st.SendErr, sendUndecided(st.SendErr)), Problem: sendProblem(st.SendErr)}
	case out == nil:
		return &Verdict{Undecided: UndecidedSilent, Problem: "the backend gave no verdict"}
	case out.Accepted:
		return backend(Verdict{Authenticated: true})
	case st.StandIn && standInOffline(st) != nil:
		f := standInOffline(st)
		return &Verdict{Undecided: UndecidedOffline, Problem: fmt.Sprintf(
			"the embedded backend standing in for your deployment could not fetch %s from this machine (%s), so nothing was decided: %s",
			f.URL, f.Network.Text(), f.Err)}
	case out.AuthError != nil:
		return backend(Verdict{Message: out.AuthError.Error})
	case out.FatalError != "":
		return backend(Verdict{Message: out.FatalError})
	case out.Closed:
		return backend(Verdict{CloseCode: out.CloseCode, CloseReason: out.CloseReason})
	}
	return &Verdict{Undecided: UndecidedSilent, Problem: "the backend gave no verdict"}
}

// sendUndecided is why a failed step 6 leaves the round undecided: how
// the transport failed (SPEC.md of wire: "When no verdict comes").
func sendUndecided(err error) Undecided {
	switch wire.KindOf(err) {
	case wire.Dropped:
		return UndecidedConnectionDropped
	case wire.NotConvex:
		return UndecidedNotConvex
	case wire.Silent:
		return UndecidedSilent
	case wire.Oversize:
		return UndecidedOversizeFrame
	}
	return UndecidedBackendUnreachable
}

// sendProblem says what went wrong in step 6.
func sendProblem(err error) string {
	if k := wire.KindOf(err); k != "" && k != wire.Unreachable {
		return err.Error()
	}
	return "could not reach the backend: " + err.Error()
}

// verdictLine is step 8's line for a verdict that is not true.
func verdictLine(v *Verdict) string {
	if !v.Decided {
		// The problem follows in the verdict itself.
		return "undecided: " + v.Undecided.Text()
	}
	switch {
	case v.Message != "":
		return "isAuthenticated: false: " + v.Message
	case v.CloseCode != 0:
		return fmt.Sprintf("isAuthenticated: false: the socket closed with code %d %s and no message", v.CloseCode, v.CloseReason)
	case v.Problem != "":
		return "isAuthenticated: false: " + v.Problem
	}
	return "isAuthenticated: false"
}

// standInOffline is the backend's (or, unseen, the replay's) discovery or
// JWKS fetch that failed on this machine's network, when the backend is a
// stand-in: what it could not fetch, the real deployment may well fetch.
func standInOffline(st *roundState) *fetch.Record {
	recs := append(append([]fetch.Record(nil), st.BackendFetches...), st.trace().Fetches...)
	for i := range recs {
		if recs[i].Network.Local() {
			return &recs[i]
		}
	}
	return nil
}

// ownFetchFailed is the replay's discovery or JWKS fetch that failed on
// this machine's network (DNS, proxy, TLS…), or nil.
func ownFetchFailed(res *rules.Result) *fetch.Record {
	if res == nil || res.Err == nil {
		return nil
	}
	for i := range res.Trace.Fetches {
		if res.Trace.Fetches[i].Network.Local() {
			return &res.Trace.Fetches[i]
		}
	}
	return nil
}
