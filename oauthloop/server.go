package oauthloop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/authscope/authscope/flow"
)

// Server defaults. Every one bounds something a browser (or anything else on
// this machine) could otherwise hold open.
const (
	defaultPollHold = 25 * time.Second // a long poll answers "wait" after this
	// shutdownGrace bounds Shutdown before Close. It is short because
	// Shutdown waits up to 5 s for connections that never sent a request,
	// and browsers open such speculative connections all the time.
	shutdownGrace      = 250 * time.Millisecond
	readHeaderTimeout  = 10 * time.Second
	readTimeout        = 30 * time.Second
	writeTimeout       = 60 * time.Second // above defaultPollHold
	idleTimeout        = 60 * time.Second
	maxHeaderBytes     = 16 << 10
	eventBuffer        = 8 // at most 4 step events are ever accepted
	firstRound         = 0
	pageScriptMIMEType = "text/javascript; charset=utf-8"
)

// serverConfig is what the loopback needs to know about the run.
type serverConfig struct {
	// Port to bind on 127.0.0.1; 0 picks a free one.
	Port int
	// Kind is "demo" or "clerk"; the page shows it.
	Kind string
	// PublishableKey goes into the ClerkJS script tag.
	PublishableKey string
	// FrontendOrigin is the Frontend API origin (checked by
	// frontendOrigin); ClerkJSURL lives under it.
	FrontendOrigin string
	ClerkJSURL     string
	// PollHold is how long a long poll waits before answering "wait".
	PollHold time.Duration
	// PageTokenTimeout bounds each getToken in the page, so that the page
	// reports why a token did not come before the Source stops waiting
	// (0: the page's default).
	PageTokenTimeout time.Duration
	// Now is the Go-side clock (receive times).
	Now func() time.Time
}

// pageEvent is an accepted Event and when it arrived.
type pageEvent struct {
	Event
	Received time.Time
}

// round is one token request: 0 is the sign-in fetch, n a refresh.
type round struct {
	cmd       Command
	reports   chan TokenReport // buffered 1: the one accepted report
	done      bool             // a report was accepted
	abandoned bool             // the Source stopped waiting
}

// server is the loopback: bound before any URL exists, answering only to
// its own Host on its own paths, taking each result once.
type server struct {
	cfg     serverConfig
	ln      net.Listener
	srv     *http.Server
	host    string // 127.0.0.1:<port>, the only Host accepted
	origin  string // http://127.0.0.1:<port>, the only Origin accepted
	secret  string
	state   string
	landing []byte
	csp     string

	events  chan pageEvent
	served  chan error
	closing chan struct{}
	once    sync.Once

	mu        sync.Mutex
	steps     map[flow.StepID]bool
	rounds    map[int]*round
	nextRound int
	wake      chan struct{} // closed and replaced when a command is queued
	lastPoll  time.Time
	// pollWaiting gets a value (when it has room) each time a long poll
	// starts waiting; tests use it to act while a poll is held.
	pollWaiting chan struct{}
	presence    presence
	progress    progress
}

// listen binds 127.0.0.1 (never a name, never all interfaces), creates the
// per-run secret and state, renders the landing page and starts serving.
// Nothing that leads to the server exists before the bind succeeded.
func listen(cfg serverConfig) (*server, error) {
	if cfg.PollHold <= 0 {
		cfg.PollHold = defaultPollHold
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Port < 0 || cfg.Port > 65535 {
		return nil, fmt.Errorf("port %d is out of range (0 picks a free one)", cfg.Port)
	}
	secret, err := newSecret()
	if err != nil {
		return nil, err
	}
	state, err := newSecret()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.Port))
	ln, err := net.Listen("tcp4", addr)
	if err != nil {
		if cfg.Port != 0 {
			return nil, fmt.Errorf("cannot listen on %s for the sign-in page: %w; the port is probably taken by another program: choose another port or leave it out to let authscope pick a free one", addr, err)
		}
		return nil, fmt.Errorf("cannot listen on 127.0.0.1 (any free port) for the sign-in page: %w; check that nothing (a sandbox, a firewall, no loopback interface) forbids listening on 127.0.0.1, or give a token directly with --token", err)
	}
	s := &server{
		cfg:     cfg,
		ln:      ln,
		host:    ln.Addr().String(),
		secret:  secret,
		state:   state,
		csp:     landingCSP(cfg.FrontendOrigin),
		events:  make(chan pageEvent, eventBuffer),
		served:  make(chan error, 1),
		closing: make(chan struct{}),
		steps:   map[flow.StepID]bool{},
		rounds:  map[int]*round{firstRound: {reports: make(chan TokenReport, 1)}},
		wake:    make(chan struct{}),

		pollWaiting: make(chan struct{}, 1),
		presence:    newPresence(),
	}
	s.nextRound = firstRound + 1
	s.origin = "http://" + s.host
	if s.landing, err = renderLanding(landingData{
		Kind:           cfg.Kind,
		PublishableKey: cfg.PublishableKey,
		ClerkJSURL:     cfg.ClerkJSURL,
		FrontendOrigin: cfg.FrontendOrigin,
		TokenTimeoutMS: cfg.PageTokenTimeout.Milliseconds(),
	}); err != nil {
		ln.Close()
		return nil, err
	}
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		// net/http would log connection errors to stderr, under the TUI.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() { s.served <- s.srv.Serve(ln) }()
	return s, nil
}

// LandingURL is the URL the browser opens: bound address, state in the
// query, secret in the fragment (see the protocol comment).
func (s *server) LandingURL() string {
	q := url.Values{ParamState: {s.state}}
	f := url.Values{ParamSecret: {s.secret}}
	return s.origin + PathLanding + "?" + q.Encode() + "#" + f.Encode()
}

// PrintableURL is the landing URL without the secret, for places where the
// full URL is not needed (step fields).
func (s *server) PrintableURL() string {
	return s.origin + PathLanding
}

// close stops serving: pending long polls are answered "close", Shutdown
// waits a bounded time for handlers to finish, then Close cuts the rest.
func (s *server) close() error {
	var err error
	s.once.Do(func() {
		close(s.closing)
		s.stopGrace()
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err = s.srv.Shutdown(ctx); err != nil {
			err = errors.Join(err, s.srv.Close())
		}
		if serr := <-s.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
	})
	return err
}

// request queues a refresh command and returns its round.
func (s *server) request(skipCache bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.nextRound
	s.nextRound++
	s.rounds[n] = &round{
		cmd:     Command{Kind: CommandRefresh, Round: n, SkipCache: skipCache},
		reports: make(chan TokenReport, 1),
	}
	close(s.wake)
	s.wake = make(chan struct{})
	return n
}

// abandon withdraws a round nobody waits for any more: it is no longer
// delivered, and a late report for it is refused.
func (s *server) abandon(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.rounds[n]; ok && !r.done {
		r.abandoned = true
	}
}

// reports returns the channel a round's accepted report arrives on.
func (s *server) reports(n int) (<-chan TokenReport, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.rounds[n]
	if !ok {
		return nil, false
	}
	return r.reports, true
}

// LastPoll is when the page last asked for a command (zero: never).
func (s *server) LastPoll() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastPoll
}

// ServeHTTP applies the checks in order: Host, path, method, then for POST
// Origin, fetch site, secret, content type, size, JSON, state.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setCommonHeaders(w.Header())
	if r.Host != s.host {
		// DNS rebinding: a page on evil.example resolved to 127.0.0.1
		// reaches this port with its own name in Host.
		s.refusePage(w, http.StatusForbidden, "Wrong Host header", "This server only answers to "+s.host+". The request named another host: ", r.Host)
		return
	}
	switch r.URL.Path {
	case PathLanding:
		if s.onlyGET(w, r) {
			s.serveLanding(w, r)
		}
	case PathScript:
		if s.onlyGET(w, r) {
			s.serveAsset(w, "page.js", pageScriptMIMEType)
		}
	case PathStyle:
		if s.onlyGET(w, r) {
			s.serveAsset(w, "page.css", "text/css; charset=utf-8")
		}
	case PathIcon:
		if s.onlyGET(w, r) {
			s.serveAsset(w, "icon.svg", "image/svg+xml")
		}
	case PathFavicon:
		// Browsers ask for it whatever the page links; nothing to send,
		// and no 404 in their console.
		w.WriteHeader(http.StatusNoContent)
	case PathEvent:
		var ev Event
		if s.readPost(w, r, &ev, func() string { return ev.State }) {
			s.takeEvent(w, ev)
		}
	case PathToken:
		var tr TokenReport
		if s.readPost(w, r, &tr, func() string { return tr.State }) {
			s.takeToken(w, tr)
		}
	case PathCommand:
		var pr PollRequest
		if s.readPost(w, r, &pr, func() string { return pr.State }) {
			s.poll(w, r, pr)
		}
	case PathLeave:
		var lv Leave
		if s.readPost(w, r, &lv, func() string { return lv.State }) {
			s.suspect("the page said it was leaving")
			s.replyOK(w)
		}
	default:
		s.refusePage(w, http.StatusNotFound, "Not found", "There is nothing at this path: ", r.URL.Path)
	}
}

func (s *server) onlyGET(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet {
		return true
	}
	w.Header().Set("Allow", http.MethodGet)
	s.refusePage(w, http.StatusMethodNotAllowed, "Method not allowed", "This path only answers GET, not ", r.Method)
	return false
}

func (s *server) serveLanding(w http.ResponseWriter, r *http.Request) {
	state := r.URL.Query().Get(ParamState)
	switch {
	case state == "":
		s.refusePage(w, http.StatusForbidden, "Incomplete link", "Open the whole link authscope printed in the terminal; this one has no state.", "")
		return
	case !equal(state, s.state):
		s.refusePage(w, http.StatusForbidden, "Link from another run", "This link belongs to another authscope run. Open the link authscope printed most recently.", "")
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(s.landing)
}

func (s *server) serveAsset(w http.ResponseWriter, name, mimeType string) {
	b, err := assets.ReadFile("assets/" + name)
	if err != nil {
		s.refusePage(w, http.StatusInternalServerError, "Missing asset", "authscope was built without ", name)
		return
	}
	w.Header().Set("Content-Type", mimeType)
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// readPost runs every POST check and decodes the body into v; it has
// answered the request itself when it returns false.
func (s *server) readPost(w http.ResponseWriter, r *http.Request, v any, state func() string) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.refuseAPI(w, http.StatusMethodNotAllowed, "this path only answers POST")
		return false
	}
	if r.Header.Get("Origin") != s.origin || !sameOriginFetch(r) {
		s.refuseAPI(w, http.StatusForbidden, "cross-origin request refused: only the page served by this loopback may post here")
		return false
	}
	secret := r.Header.Get(HeaderSecret)
	if secret == "" {
		s.refuseAPI(w, http.StatusUnauthorized, "the per-run secret is missing (header "+HeaderSecret+")")
		return false
	}
	if !equal(secret, s.secret) {
		s.refuseAPI(w, http.StatusForbidden, "the per-run secret is wrong; reopen the link authscope printed")
		return false
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		s.refuseAPI(w, http.StatusUnsupportedMediaType, "the body must be sent as Content-Type: application/json")
		return false
	}
	if r.ContentLength > MaxBodyBytes {
		s.refuseAPI(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", MaxBodyBytes))
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		// Whatever follows the value is read under the same cap: a body
		// that goes on past it is too large, not a second value.
		if err2 := dec.Decode(&struct{}{}); err2 != io.EOF {
			var tooBig *http.MaxBytesError
			if err = errors.New("more than one JSON value"); errors.As(err2, &tooBig) {
				err = err2
			}
		}
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.refuseAPI(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", MaxBodyBytes))
			return false
		}
		s.refuseAPI(w, http.StatusBadRequest, "the body is not a valid message: "+err.Error())
		return false
	}
	if !equal(state(), s.state) {
		s.refuseAPI(w, http.StatusForbidden, "the state does not match this run")
		return false
	}
	return true
}

// finiteTime reports whether a browser timestamp is usable.
func finiteTime(ms float64) bool {
	return !math.IsNaN(ms) && !math.IsInf(ms, 0) && ms > 0 && ms < 1e15
}

var pageSteps = map[flow.StepID]bool{
	flow.StepClick: true, flow.StepRedirect: true, flow.StepReturn: true, flow.StepProvider: true,
}

var finalStatuses = map[flow.Status]bool{
	flow.StatusOK: true, flow.StatusFail: true, flow.StatusSkipped: true, flow.StatusWarn: true,
}

func (s *server) takeEvent(w http.ResponseWriter, ev Event) {
	switch {
	case !pageSteps[ev.Step]:
		s.refuseAPI(w, http.StatusBadRequest, "unknown step; the page reports click, redirect, return and provider")
		return
	case !finalStatuses[ev.Status]:
		s.refuseAPI(w, http.StatusBadRequest, "unknown status; the page reports ok, fail, skipped or warn")
		return
	case !finiteTime(ev.Start) || !finiteTime(ev.End):
		s.refuseAPI(w, http.StatusBadRequest, "start and end must be browser times in ms since the epoch")
		return
	}
	if name := firstTooLong(
		namedString{"error", ev.Error, maxFieldBytes},
		namedString{"pageUrl", ev.PageURL, maxFieldBytes},
		namedString{"userAgent", ev.UserAgent, maxFieldBytes},
		namedString{"signInUrl", ev.SignInURL, maxFieldBytes},
		namedString{"instanceType", ev.InstanceType, maxFieldBytes},
		namedString{"clerkVersion", ev.ClerkVersion, maxFieldBytes},
		namedString{"userId", ev.UserID, maxFieldBytes},
		namedString{"sessionId", ev.SessionID, maxFieldBytes},
		namedString{"sessionAud", string(ev.SessionAud), maxFieldBytes},
	); name != "" {
		s.refuseAPI(w, http.StatusBadRequest, "field "+name+" is too long")
		return
	}
	s.mu.Lock()
	if s.steps[ev.Step] {
		s.mu.Unlock()
		s.refuseAPI(w, http.StatusConflict, "step "+string(ev.Step)+" was already reported for this run")
		return
	}
	s.steps[ev.Step] = true
	s.mu.Unlock()
	select {
	case s.events <- pageEvent{Event: ev, Received: s.cfg.Now()}:
	default: // cannot happen: four steps, each once, eight slots
	}
	s.replyOK(w)
}

func (s *server) takeToken(w http.ResponseWriter, tr TokenReport) {
	switch {
	case tr.Path != flow.TokenPathSession && tr.Path != flow.TokenPathTemplate:
		s.refuseAPI(w, http.StatusBadRequest, "unknown token path; the page reports session or template")
		return
	case !finiteTime(tr.Start) || !finiteTime(tr.End):
		s.refuseAPI(w, http.StatusBadRequest, "start and end must be browser times in ms since the epoch")
		return
	}
	token := ""
	if tr.Token != nil {
		token = *tr.Token
	}
	if name := firstTooLong(
		namedString{"token", token, maxTokenBytes},
		namedString{"body", tr.Body, maxBodyField},
		namedString{"error", tr.Error, maxFieldBytes},
		namedString{"template", tr.Template, maxFieldBytes},
		namedString{"sessionAud", string(tr.SessionAud), maxFieldBytes},
	); name != "" {
		s.refuseAPI(w, http.StatusBadRequest, "field "+name+" is too long")
		return
	}
	s.mu.Lock()
	r, ok := s.rounds[tr.Round]
	switch {
	case !ok:
		s.mu.Unlock()
		s.refuseAPI(w, http.StatusConflict, fmt.Sprintf("no token was requested for round %d", tr.Round))
		return
	case r.done:
		s.mu.Unlock()
		s.refuseAPI(w, http.StatusConflict, fmt.Sprintf("the token of round %d was already received", tr.Round))
		return
	case r.abandoned:
		s.mu.Unlock()
		s.refuseAPI(w, http.StatusConflict, fmt.Sprintf("round %d timed out; authscope no longer waits for it", tr.Round))
		return
	}
	r.done = true
	r.reports <- tr // buffered 1 and done guards it: never blocks
	// A page that has posted a token is signed in and serving: from now
	// on its leaving counts, even before its first poll.
	s.presence.seen = true
	s.mu.Unlock()
	s.replyOK(w)
}

// poll answers with the oldest pending refresh above pr.After, else the
// steps' progress the page has not seen, or waits for either until
// PollHold, the page leaving, or close. A poll in flight is the page's
// presence; one the browser cuts off may be its going away.
func (s *server) poll(w http.ResponseWriter, r *http.Request, pr PollRequest) {
	timer := time.NewTimer(s.cfg.PollHold)
	defer timer.Stop()
	s.pollStarted()
	cut := false
	defer func() { s.pollEnded(cut) }()
	for {
		s.mu.Lock()
		s.lastPoll = s.cfg.Now()
		cmd, found := s.pendingAfter(pr.After)
		if !found {
			cmd, found = s.pendingProgress(pr.Seen)
		}
		wake := s.wake
		s.mu.Unlock()
		if found {
			s.writeJSON(w, http.StatusOK, cmd)
			return
		}
		select {
		case s.pollWaiting <- struct{}{}:
		default:
		}
		select {
		case <-wake:
		case <-s.closing:
			s.writeJSON(w, http.StatusOK, Command{Kind: CommandClose})
			return
		case <-timer.C:
			s.writeJSON(w, http.StatusOK, Command{Kind: CommandWait})
			return
		case <-r.Context().Done():
			cut = true
			return
		}
	}
}

// pendingAfter finds the oldest round above after still waiting for its
// report. The caller holds s.mu.
func (s *server) pendingAfter(after int) (Command, bool) {
	for n := max(after+1, firstRound+1); n < s.nextRound; n++ {
		if r, ok := s.rounds[n]; ok && !r.done && !r.abandoned {
			return r.cmd, true
		}
	}
	return Command{}, false
}

func (s *server) replyOK(w http.ResponseWriter) {
	s.writeJSON(w, http.StatusOK, Reply{OK: true})
}

func (s *server) refuseAPI(w http.ResponseWriter, status int, msg string) {
	s.writeJSON(w, status, Reply{Error: msg})
}

func (s *server) writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"ok": false, "error": "encoding the answer failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// refusePage answers with an HTML error page; reflected (what the request
// said) is escaped by html/template.
func (s *server) refusePage(w http.ResponseWriter, status int, title, message, reflected string) {
	b := renderError(errorData{Status: status, Title: title, Message: message, Reflected: reflected})
	h := w.Header()
	h.Set("Content-Security-Policy", errorPageCSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}
