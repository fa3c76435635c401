package flow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/convex/wire"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/provider"
	"github.com/authscope/authscope/flow/reach"
)

// BackendConfig says where tokens are sent (step 6).
type BackendConfig struct {
	// URL is the deployment URL a Convex client is given (http:// or https://).
	URL string
	// Embedded is true for the embedded Convex-like backend.
	Embedded bool
	// Fetches carries the embedded backend's own discovery and JWKS fetches.
	Fetches <-chan fetch.Record
	// ClientVersion is the npm client version in the sync URL (default 1.48.0).
	ClientVersion string
	// StandIn marks an embedded backend standing in for a deployment
	// authscope was not given (a token checked without --deployment): its
	// network is this machine's, so its failing to reach the issuer says
	// nothing about the real deployment and decides nothing.
	StandIn bool
}

// Config is everything a Runner needs. Zero values get sensible defaults.
type Config struct {
	Source  Source
	Backend BackendConfig
	// Replay is the auth config the local replay of the backend's rules uses
	// (step 7): the embedded backend's own, or the project's auth.config.ts.
	Replay       rules.AuthConfig
	ReplayRedact bool
	// ReplayUnavailable, when set, says why the rules cannot be replayed
	// (for example an auth.config.ts authscope could not read): step 7 then
	// reports that instead of checking against a config that is not the
	// deployment's, and the verdict rests on the backend alone.
	ReplayUnavailable string
	HTTPClient        *http.Client
	Clock             Clock
	// Refresh keeps the refresh loop going after the first round, as the
	// real client does; without it the run ends after step 8.
	Refresh bool
	// MaxRefreshes ends the run after that many refresh rounds (0: no limit).
	MaxRefreshes int
	// RefreshNow forces a refresh round (the TUI's r key).
	RefreshNow <-chan struct{}
	// ReopenHint says how the user opens the sign-in page again; it ends
	// the notice that the tab was closed (default: open the sign-in URL
	// again). The interface sets "press o to reopen it".
	ReopenHint string
	// ProbeTimeout bounds the check that this machine reaches the
	// Frontend API and the deployment (default reach.ProbeTimeout, 2 s).
	ProbeTimeout time.Duration
	// StepTimeout bounds each network step (default 30 s).
	StepTimeout time.Duration
	// Diagnose names the causes of a failed round, and the problems an
	// accepted round still has (default diagnose.Causes).
	Diagnose func(*diagnose.Round) []diagnose.Finding
	// App is what authscope knows about the developer's project; the
	// diagnosis compares against it and uses its names in fixes.
	App  diagnose.App
	Info RunInfo
	// IdentityQuery is a deployed query (file:function) that returns
	// ctx.auth.getUserIdentity(); after an accepted token step 8 shows
	// what it returned.
	IdentityQuery string
}

// Runner drives a source and a backend through the eight steps and then
// through the refresh loop, emitting Events.
type Runner struct {
	cfg    Config
	events chan<- Event
	// replayCache is the replay's HTTP cache for the whole run, as the
	// backend keeps one: a refresh round sees a cache hit where the
	// backend has one (fetch SPEC.md: Cache).
	replayCache fetch.Fetcher

	mu    sync.Mutex
	steps map[stepKey]*Step
	conn  *wire.Conn
	last  *Verdict
	// missed is set when a refresh round could not run (the sign-in tab
	// was closed): the page's return runs one at once.
	missed bool

	// emitMu guards sending on events against its closing: a source may
	// give a notice from its own goroutine at any time.
	emitMu sync.Mutex
	closed bool
}

type stepKey struct {
	round int
	id    StepID
}

// NewRunner checks the configuration and fills in defaults.
func NewRunner(cfg Config) (*Runner, error) {
	if cfg.Source == nil {
		return nil, errors.New("flow: no token source")
	}
	if cfg.Backend.URL == "" {
		return nil, errors.New("flow: no backend URL")
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.StepTimeout <= 0 {
		cfg.StepTimeout = 30 * time.Second
	}
	if cfg.Diagnose == nil {
		cfg.Diagnose = diagnose.Causes
	}
	if cfg.ReopenHint == "" {
		cfg.ReopenHint = "open the sign-in URL again to resume them"
	}
	r := &Runner{cfg: cfg, steps: map[stepKey]*Step{}}
	r.replayCache = fetch.NewCache(fetch.NewHTTP(cfg.HTTPClient, fetch.Options{Timeout: cfg.StepTimeout, Now: cfg.Clock.Now}), cfg.Clock.Now, nil)
	return r, nil
}

// Run emits the run's events on events until the flow ends (without
// Refresh) or ctx is cancelled (with Refresh), then emits EventDone and
// closes events. The returned verdict is the last round's.
func (r *Runner) Run(ctx context.Context, events chan<- Event) (*Verdict, error) {
	r.events = events
	defer r.closeEvents()
	defer func() {
		if r.conn != nil {
			_ = r.conn.Close()
		}
	}()
	info := r.cfg.Info
	info.BackendURL = r.cfg.Backend.URL
	r.emit(Event{Kind: EventRun, Run: &info})
	for _, id := range Steps {
		r.setStep(Step{ID: id, Round: 0, Status: StatusPending})
	}

	if v, err := r.preflight(ctx); v != nil {
		r.done(err)
		return v, err
	}
	err := r.cfg.Source.SignIn(ctx, &reporter{r: r})
	if err != nil {
		v := r.signInFailed(ctx, err)
		r.done(err)
		return v, err
	}
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	resume := r.watchPage(wctx)
	v, sched := r.round(ctx, 0)
	if !r.cfg.Refresh {
		r.done(nil)
		return v, nil
	}
	for round := 1; ; round++ {
		if r.cfg.MaxRefreshes > 0 && round > r.cfg.MaxRefreshes {
			r.done(nil)
			return r.last, nil
		}
		if !r.waitForRound(ctx, sched, resume) {
			r.done(nil)
			return r.last, nil
		}
		for _, id := range RefreshSteps {
			r.setStep(Step{ID: id, Round: round, Status: StatusPending})
		}
		var nv *Verdict
		nv, sched = r.round(ctx, round)
		if errors.Is(ctx.Err(), context.Canceled) {
			r.done(nil)
			return nv, nil
		}
	}
}

// waitForRound waits until the next refresh round is due: the client's
// refetch time, the user's r, or the sign-in page back after a round that
// could not run. It reports false when the run should end: ctx ended, or
// nothing could ever start another round (no refetch scheduled and no one
// to press r).
func (r *Runner) waitForRound(ctx context.Context, sched *Schedule, resume <-chan struct{}) bool {
	var timer <-chan time.Time
	if sched != nil && !sched.NextRefetch.IsZero() {
		timer = r.cfg.Clock.After(sched.NextRefetch.Sub(r.cfg.Clock.Now()))
	}
	if timer == nil && r.cfg.RefreshNow == nil {
		return false
	}
	for {
		select {
		case <-ctx.Done():
			return false
		case <-timer:
			return true
		case <-r.cfg.RefreshNow:
			return true
		case <-resume:
			r.mu.Lock()
			missed := r.missed
			r.mu.Unlock()
			if missed {
				return true
			}
		}
	}
}

// signInFailed ends the sign-in round after steps 1–4 failed: no token
// was fetched, so nothing decided isAuthenticated.
func (r *Runner) signInFailed(ctx context.Context, err error) *Verdict {
	r.failOpenSteps(0, err.Error())
	v := &Verdict{Undecided: undecidedBy(ctx, err, UndecidedSignInFailed), Problem: err.Error()}
	dr := &diagnose.Round{SignInErr: err, App: r.cfg.App, Now: r.cfg.Clock.Now(),
		Config: r.cfg.Replay, Embedded: r.cfg.Backend.Embedded}
	if v.Undecided == UndecidedCancelled || v.Undecided == UndecidedTimedOut {
		dr.Stopped = v.Undecided.Text()
	}
	v.Findings = r.cfg.Diagnose(dr)
	r.emit(Event{Kind: EventVerdict, Verdict: v})
	return v
}

func (r *Runner) done(err error) {
	ev := Event{Kind: EventDone}
	if err != nil {
		ev.Err = err.Error()
	}
	r.emit(ev)
}

// round runs steps 5–8 once.
func (r *Runner) round(ctx context.Context, round int) (*Verdict, *Schedule) {
	st := &roundState{Round: diagnose.Round{Config: r.cfg.Replay, Embedded: r.cfg.Backend.Embedded,
		StandIn: r.cfg.Backend.StandIn, App: r.cfg.App, Now: r.cfg.Clock.Now()}}

	// Step 5: the token fetch.
	start := r.cfg.Clock.Now()
	r.setStep(Step{ID: StepToken, Round: round, Status: StatusRunning, Start: start})
	fctx, cancel := context.WithTimeout(ctx, r.cfg.StepTimeout)
	tr, err := r.cfg.Source.FetchToken(fctx, round > 0)
	cancel()
	if err != nil {
		st.fetchErr = err
		if errors.Is(err, ErrCannotRefetch) {
			r.setStep(Step{ID: StepToken, Round: round, Status: StatusSkipped, Start: start,
				Summary: "a given token cannot be refetched; paste a fresh one to check it again"})
			for _, id := range []StepID{StepSend, StepJWKS, StepConfirmed} {
				r.setStep(Step{ID: id, Round: round, Status: StatusSkipped})
			}
			return r.last, nil
		}
		if notRun(err) {
			return r.notRun(round, start, err), nil
		}
		// The diagnosis reads the source's error from the fetch: keep it
		// there, not only in step 5's text.
		tr.Err = err.Error()
	}
	r.mu.Lock()
	r.missed = false
	r.mu.Unlock()
	st.fetched(tr, r.tokenStep(round, start, tr, st.fetchErr))
	if tr.Token == "" {
		why := "ConvexProviderWithClerk got no token (null), so it never sends Authenticate"
		if err != nil {
			why = "no token came back, so nothing was sent"
		}
		for _, id := range []StepID{StepSend, StepJWKS} {
			r.setStep(Step{ID: id, Round: round, Status: StatusSkipped, Summary: why})
		}
		return r.confirm(ctx, round, st), nil
	}

	// Steps 6 and 7 run together: the backend validates while the client waits.
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		st.Outcome, st.SendErr = r.send(ctx, round, tr.Token)
	}()
	go func() {
		defer wg.Done()
		st.Replay, st.ServerClocks = r.replay(ctx, round, tr.Token)
	}()
	wg.Wait()
	st.SendFailure, st.SendProxy = r.dialFailure(st.SendErr)
	r.finishJWKS(round, st)
	v := r.confirm(ctx, round, st)
	return v, r.schedule(round, st, v)
}

// tokenStep closes step 5 from the source's result; fetchErr says why the
// source gave no answer at all.
func (r *Runner) tokenStep(round int, start time.Time, tr TokenResult, fetchErr error) *TokenDetail {
	s := Step{ID: StepToken, Round: round, Start: start, Duration: r.cfg.Clock.Now().Sub(start)}
	if tr.BrowserTimed && !tr.Start.IsZero() {
		s.Start, s.Duration, s.BrowserTimed = tr.Start, tr.Latency, true
	}
	td := tokenDetail(tr)
	s.Detail = &Detail{Token: td}
	switch {
	case tr.Token == "" && fetchErr != nil:
		s.Status = StatusFail
		s.Error = "no token came back: " + fetchErr.Error()
	case tr.Token == "":
		s.Status = StatusFail
		s.Error = nullTokenError(tr)
	case td.decodeErr != "":
		// The client sends whatever string it got; only its refetch timer needs a JWT.
		s.Status = StatusWarn
		s.Summary = "not a JWT the client can read: " + td.decodeErr
	default:
		s.Status = StatusOK
		s.Summary = tokenSummary(td, r.cfg.Info.ProviderInfo())
	}
	r.setStep(s)
	return td
}

// nullTokenError says which call returned null, as the run made it: the
// session token's getToken() or the template's, by the path the source
// reported (SPEC.md: Token path).
func nullTokenError(tr TokenResult) string {
	var call string
	switch tr.Path {
	case TokenPathSession:
		call = "getToken()"
	case TokenPathTemplate:
		call = fmt.Sprintf("getToken({ template: %q })", orDefault(tr.Template, "convex"))
	default:
		call = "the token getter"
	}
	msg := call + " returned null"
	status := ""
	if tr.HTTPStatus != 0 {
		status = fmt.Sprintf("the Frontend API answered HTTP %d", tr.HTTPStatus)
	}
	switch {
	case tr.Err != "" && (status == "" || strings.Contains(tr.Err, strconv.Itoa(tr.HTTPStatus))):
		// The error names the answer already ("Frontend API answered 404: …").
		msg += ": " + tr.Err
	case tr.Err != "":
		msg += ": " + status + " (" + tr.Err + ")"
	case status != "":
		msg += ": " + status
	}
	return msg
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// send is step 6: Connect and Authenticate on the sync protocol.
func (r *Runner) send(ctx context.Context, round int, tok string) (*wire.Outcome, error) {
	start := r.cfg.Clock.Now()
	r.setStep(Step{ID: StepSend, Round: round, Status: StatusRunning, Start: start})
	sctx, cancel := context.WithTimeout(ctx, r.cfg.StepTimeout)
	defer cancel()
	opts := wire.ClientOptions{HTTPClient: r.cfg.HTTPClient, ClientVersion: r.cfg.Backend.ClientVersion,
		Timeout: r.cfg.StepTimeout, Now: r.cfg.Clock.Now}
	r.mu.Lock()
	conn := r.conn
	r.mu.Unlock()
	var err error
	var out *wire.Outcome
	if conn != nil {
		// The connection a refresh reuses; the client reconnects when it
		// has closed since, and so does authscope.
		if out, err = conn.Authenticate(sctx, tok); errors.Is(err, wire.ErrConnClosed) {
			_ = conn.Close()
			conn, out, err = nil, nil, nil
		}
	}
	if conn == nil {
		if conn, err = wire.Dial(sctx, r.cfg.Backend.URL, opts); err == nil {
			out, err = conn.Authenticate(sctx, tok)
		}
	}
	r.mu.Lock()
	if err != nil || out == nil || !out.Accepted {
		if conn != nil {
			_ = conn.Close()
		}
		r.conn = nil
	} else {
		r.conn = conn
	}
	r.mu.Unlock()

	s := Step{ID: StepSend, Round: round, Start: start, Duration: r.cfg.Clock.Now().Sub(start)}
	s.Detail = &Detail{Send: &SendDetail{URL: r.cfg.Backend.URL, Embedded: r.cfg.Backend.Embedded, Outcome: out}}
	if err != nil {
		s.Status = StatusFail
		s.Error = sendProblem(err)
	} else {
		s.Status = StatusOK
		s.Summary = fmt.Sprintf("Authenticate sent; answer after %s", round3(out.RoundTrip))
	}
	r.setStep(s)
	return out, err
}

// dialFailure says how step 6's connection failed on this machine's side,
// when the WebSocket could not even be opened (and no HTTP answer came).
func (r *Runner) dialFailure(err error) (reach.Failure, string) {
	var de *wire.DialError
	if err == nil || !errors.As(err, &de) || de.Status != 0 {
		return "", ""
	}
	proxy := reach.ClientProxy(r.cfg.HTTPClient, r.cfg.Backend.URL)
	return reach.Classify(err, proxy != ""), proxy
}

// replay is step 7: Convex's rules, reproduced locally with timings. It
// also returns the Date headers the issuer answered with.
func (r *Runner) replay(ctx context.Context, round int, tok string) (*rules.Result, []diagnose.ServerClock) {
	start := r.cfg.Clock.Now()
	r.setStep(Step{ID: StepJWKS, Round: round, Status: StatusRunning, Start: start})
	if r.cfg.ReplayUnavailable != "" {
		return &rules.Result{Trace: rules.Trace{ProviderIndex: -1, Signature: rules.SignatureNotChecked}}, nil
	}
	vctx, cancel := context.WithTimeout(ctx, r.cfg.StepTimeout)
	defer cancel()
	fetcher := newClockFetcher(r.replayCache, r.cfg.Clock.Now)
	v := &rules.Validator{
		Config:  r.cfg.Replay,
		Redact:  r.cfg.ReplayRedact,
		Fetcher: fetcher,
		Now:     r.cfg.Clock.Now,
	}
	return v.Validate(vctx, tok), fetcher.clocks()
}

// schedule emits the timers that follow a confirmed token.
func (r *Runner) schedule(round int, st *roundState, v *Verdict) *Schedule {
	now := r.cfg.Clock.Now()
	s := &Schedule{}
	td := st.td
	info := r.cfg.Info.ProviderInfo()
	switch {
	case td.Expires.IsZero():
	case provider.IsClerk(info.ID):
		s.ClerkRefresh = td.Expires.Add(-ClerkBackgroundRefresh)
	case info.SDKRefresh > 0:
		s.SDKRefresh, s.SDKRefreshLabel = td.Expires.Add(-info.SDKRefresh), info.SDKRefreshLabel
	}
	s.JWKSExpiry = jwksExpiry(st)
	if !v.Decided {
		s.Reason = "the backend gave no verdict, so the client schedules no refetch"
	} else if !v.Authenticated {
		s.Reason = "the backend did not accept the token, so the client schedules no refetch"
	} else if info.ID == provider.WorkOS && info.Component == "ConvexProviderWithAuthKit" {
		// It ignores forceRefreshToken: the client's forced refetch gets
		// the same token back and schedules nothing (flow/provider SPEC.md
		// "Token path").
		s.Reason = "ConvexProviderWithAuthKit ignores forceRefreshToken, so the client's refetch after the first confirmation gets the same token back and schedules nothing; it renews when the backend reports the token expired"
	} else if delay, ok, warn := diagnose.RefetchDelay(td.IssuedAt, td.Expires, diagnose.ConvexRefreshLeeway); !ok {
		s.Reason = warn
	} else {
		if delay < time.Second {
			// The client would refetch in a tight loop; show it once a second.
			delay = time.Second
		}
		s.NextRefetch = now.Add(delay)
		s.Reason = warn
	}
	r.emit(Event{Kind: EventSchedule, Round: round, Schedule: s})
	if s.NextRefetch.IsZero() {
		return nil
	}
	return s
}

// reporter turns a source's StepReports into step events.
type reporter struct{ r *Runner }

func (p *reporter) Step(sr StepReport) {
	s := Step{ID: sr.ID, Round: 0, Status: sr.Status, Start: sr.Start, Duration: sr.Duration,
		Summary: sr.Summary, Error: sr.Error, BrowserTimed: sr.BrowserTimed}
	if len(sr.Fields) > 0 {
		s.Detail = &Detail{Fields: sr.Fields}
	}
	p.r.setStep(s)
}

func (p *reporter) Notice(n Notice) {
	p.r.emit(Event{Kind: EventNotice, Notice: n.Text, NoticeKind: n.Kind, NoticeURL: n.URL})
}

func (r *Runner) setStep(s Step) {
	r.mu.Lock()
	cp := s
	r.steps[stepKey{s.Round, s.ID}] = &cp
	r.mu.Unlock()
	r.emit(Event{Kind: EventStep, Round: s.Round, Step: &s})
	if obs, ok := r.cfg.Source.(StepObserver); ok && s.ID.Index() >= StepToken.Index() {
		obs.ObserveStep(s)
	}
}

// failOpenSteps ends every unfinished step of a round after a fatal error.
func (r *Runner) failOpenSteps(round int, msg string) {
	// The first unfinished step fails with the error, unless the source
	// already failed one: then the rest are only skipped.
	failed := false
	for _, id := range Steps {
		r.mu.Lock()
		s := r.steps[stepKey{round, id}]
		r.mu.Unlock()
		if s != nil && s.Status == StatusFail {
			failed = true
		}
		if s == nil || s.Status.Done() {
			continue
		}
		n := *s
		if failed {
			n.Status = StatusSkipped
		} else {
			n.Status, n.Error, failed = StatusFail, msg, true
		}
		r.setStep(n)
	}
}

// emit sends ev, stamped with the time; after the run has ended it does
// nothing (a source's late notice).
func (r *Runner) emit(ev Event) {
	if ev.At.IsZero() {
		ev.At = r.cfg.Clock.Now()
	}
	r.emitMu.Lock()
	defer r.emitMu.Unlock()
	if r.closed || r.events == nil {
		return
	}
	r.events <- ev
}

// closeEvents ends the event stream; later emits are dropped.
func (r *Runner) closeEvents() {
	r.emitMu.Lock()
	defer r.emitMu.Unlock()
	if !r.closed {
		r.closed = true
		close(r.events)
	}
}

// backendFetches drains the fetches the embedded backend reported while it
// validated this round's token. The backend reports a fetch before it
// answers the client, so by the time step 6 has its answer they are queued.
func (r *Runner) backendFetches(round int) []fetch.Record {
	if r.cfg.Backend.Fetches == nil {
		return nil
	}
	var out []fetch.Record
	for {
		select {
		case f, ok := <-r.cfg.Backend.Fetches:
			if !ok {
				return out
			}
			out = append(out, f)
			r.emit(Event{Kind: EventFetch, Round: round, Fetch: &f})
		default:
			return out
		}
	}
}

func round3(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(10 * time.Millisecond)
	case d > time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
