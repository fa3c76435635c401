// Package backend is an embedded Convex-like backend: the sync endpoint
// served over real WebSockets on 127.0.0.1, with the backend's token
// validation (through rules.Validator) and its way of delivering errors to a
// client, so the Go client, the JS client and authscope's replay can all be
// pointed at it. SPEC.md beside this file lists the facts it emulates and
// their public sources.
//
// What it implements, from the backend's source (crates/sync/src/worker.rs,
// state.rs, crates/local_backend/src/subs/mod.rs, crates/errors/src/lib.rs):
//   - GET /api/<semver>/sync and GET /api/sync (Convex-Client header),
//     for its own Host and loopback origins only, with the client-version
//     checks (400 InvalidClientVersion, 400
//     ClientVersionUnsupported for npm ≤ 0.19.1);
//   - Connect, Authenticate (User, None, Admin), ModifyQuerySet, Mutation,
//     Action and Event, with the identity and query-set version rules;
//   - a Transition after every accepted Authenticate (identity bump) and
//     after every query-set change, with clientClockSkew and serverTs;
//   - AuthError then a Close frame with no status code for rejected tokens
//     and for a token that expires during the session; close 1000/1013/1011
//     with the short code as reason for the other error classes (1013 for a
//     421 from discovery, as for overload);
//   - a JSON Ping after 15 s without another message, protocol Pings every
//     5 s, and a close (1000 ClientDisconnected) after 120 s without
//     anything from the client.
//
// Functions: the built-in query WhoAmIPath returns the session's identity as
// ctx.auth.getUserIdentity() would (null when signed out). Options.Queries
// adds more. Mutations and actions are answered as functions that do not
// exist.
package backend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/rules"
)

// WhoAmIPath is the built-in query: it returns the identity JSON that
// ctx.auth.getUserIdentity() returns in a real deployment, or null.
const WhoAmIPath = "authscope:whoami"

// QueryFunc is a query the backend can run. identity is nil when the
// session is signed out; args is the arguments object.
type QueryFunc func(identity *rules.Identity, args json.RawMessage) (json.RawMessage, error)

// Options configures a Backend.
type Options struct {
	// Config is the auth config, as `npx convex dev` would have pushed it.
	Config rules.AuthConfig
	// Redact selects the wording of a deployment that redacts error
	// details (see rules.Validator).
	Redact bool
	// HTTPClient fetches discovery documents and JWKS.
	HTTPClient *http.Client
	// Now is the backend's clock for token expiry, cache lifetimes and
	// clock skew (default time.Now).
	Now func() time.Time
	// OnFetch is told about every discovery and JWKS fetch, hit or miss.
	// It is called from many goroutines.
	OnFetch func(fetch.Record)
	// Queries are extra query functions by udfPath ("file:export").
	Queries map[string]QueryFunc
	// MaxMessageBytes caps one incoming WebSocket message (default 8 MiB).
	MaxMessageBytes int64
	// Actions are action functions by udfPath, run for Action messages and
	// for POST /api/action (functions.go).
	Actions map[string]ActionFunc
	// Site, when set, is served at the deployment's site URL, a second
	// loopback port (SiteURL): the deployment's HTTP actions (site.go).
	Site http.Handler
}

// DefaultMaxMessageBytes is the default cap on one incoming message.
const DefaultMaxMessageBytes = 8 << 20

// Timers of the backend (crates/sync/src/worker.rs and
// crates/local_backend/src/subs/mod.rs).
const (
	// heartbeat: the sync worker sends {"type": "Ping"} after this long
	// without another message.
	heartbeat = 15 * time.Second
	// wsPingInterval: the WebSocket layer sends protocol Pings this often.
	wsPingInterval = 5 * time.Second
	// clientTimeout: with nothing (message or Pong) from the client for
	// this long, the socket closes ("Websocket ping/pong timeout").
	clientTimeout = 120 * time.Second
)

// internalServerErrorMsg is the backend's text for errors without metadata.
const internalServerErrorMsg = "Your request couldn't be completed. Try again later."

// Backend is the embedded backend. Create it with New, then Start.
type Backend struct {
	opts           Options
	now            func() time.Time
	fetcher        fetch.Fetcher
	queries        map[string]QueryFunc
	actions        map[string]ActionFunc
	pingInterval   time.Duration
	wsPingInterval time.Duration
	clientTimeout  time.Duration
	maxMessage     int64

	validator atomic.Pointer[validatorState]

	tsMu   sync.Mutex
	lastTS uint64

	mu       sync.Mutex
	ln       net.Listener
	srv      *http.Server
	url      string
	siteLn   net.Listener
	siteSrv  *http.Server
	siteURL  string
	sessions map[*session]struct{}
	closed   bool
	wg       sync.WaitGroup
}

type validatorState struct {
	cfg rules.AuthConfig
	v   *rules.Validator
}

// New builds a backend. Discovery and JWKS go through one HTTP cache for
// the whole backend, as on a real deployment (SPEC.md, "Fetching").
func New(opts Options) *Backend {
	b := &Backend{opts: opts, now: opts.Now, maxMessage: opts.MaxMessageBytes,
		pingInterval: heartbeat, wsPingInterval: wsPingInterval, clientTimeout: clientTimeout}
	if b.now == nil {
		b.now = time.Now
	}
	if b.maxMessage <= 0 {
		b.maxMessage = DefaultMaxMessageBytes
	}
	b.queries = map[string]QueryFunc{WhoAmIPath: whoAmI}
	for k, q := range opts.Queries {
		b.queries[k] = q
	}
	b.actions = opts.Actions
	report := func(r fetch.Record) {
		if opts.OnFetch != nil {
			opts.OnFetch(r)
		}
	}
	// One cache for the whole backend; it also merges concurrent misses
	// for a URL into one request, so a burst of cold Authenticates costs
	// the issuer one discovery and one JWKS request.
	httpFetcher := fetch.NewHTTP(opts.HTTPClient, fetch.Options{Now: b.now})
	b.fetcher = fetch.NewCache(httpFetcher, b.now, report)
	b.SetConfig(opts.Config)
	return b
}

// whoAmI is the built-in identity query.
func whoAmI(identity *rules.Identity, _ json.RawMessage) (json.RawMessage, error) {
	if identity == nil {
		return json.RawMessage(`null`), nil
	}
	return json.Marshal(identity)
}

// SetConfig replaces the auth config, as `npx convex dev` pushing a new
// auth.config.ts would. Sessions validate later Authenticates with it. Safe
// for concurrent use.
func (b *Backend) SetConfig(cfg rules.AuthConfig) {
	cfg = copyConfig(cfg)
	v := &rules.Validator{Config: copyConfig(cfg), Redact: b.opts.Redact, Fetcher: b.fetcher, Now: b.now}
	b.validator.Store(&validatorState{cfg: cfg, v: v})
}

// Config returns the auth config in force.
func (b *Backend) Config() rules.AuthConfig {
	return copyConfig(b.validator.Load().cfg)
}

func copyConfig(cfg rules.AuthConfig) rules.AuthConfig {
	if cfg.Providers != nil {
		cfg.Providers = append([]rules.Provider(nil), cfg.Providers...)
	}
	return cfg
}

// validate runs the backend's token validation with the config in force.
func (b *Backend) validate(ctx context.Context, token string) *rules.Result {
	return b.validator.Load().v.Validate(ctx, token)
}

// nextTS returns a strictly increasing timestamp in nanoseconds, from the
// backend's clock.
func (b *Backend) nextTS() uint64 {
	b.tsMu.Lock()
	defer b.tsMu.Unlock()
	ts := uint64(max(b.now().UnixNano(), 0))
	if ts <= b.lastTS {
		ts = b.lastTS + 1
	}
	b.lastTS = ts
	return ts
}

// latestTS is the newest timestamp handed out.
func (b *Backend) latestTS() uint64 {
	b.tsMu.Lock()
	defer b.tsMu.Unlock()
	return max(b.lastTS, uint64(max(b.now().UnixNano(), 0)))
}

type connKey struct{}

// Start listens on 127.0.0.1 on a free port and serves until Close, or
// until ctx ends.
func (b *Backend) Start(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return errors.New("backend: Start after Close")
	}
	if b.ln != nil {
		return errors.New("backend: already started")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("backend: listening on 127.0.0.1: %w", err)
	}
	b.ln = ln
	b.url = "http://" + ln.Addr().String()
	b.sessions = map[*session]struct{}{}
	b.srv = &http.Server{
		Handler:           http.HandlerFunc(b.serveHTTP),
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
		// net/http logs to the process's stderr, the user's terminal.
		ErrorLog: log.New(io.Discard, "", 0),
		// The session needs the TCP connection to close it first after a
		// close handshake (RFC 6455 §7.1.1).
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, connKey{}, c)
		},
	}
	if b.opts.Site != nil {
		if err := b.startSite(); err != nil {
			_ = ln.Close()
			return fmt.Errorf("backend: listening for the site on 127.0.0.1: %w", err)
		}
	}
	srv := b.srv
	go func() { _ = srv.Serve(ln) }()
	context.AfterFunc(ctx, func() { _ = b.Close() })
	return nil
}

// URL is the deployment URL a client uses (http://127.0.0.1:<port>).
func (b *Backend) URL() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.url
}

// Close stops listening, ends every open socket and waits for their
// goroutines.
func (b *Backend) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	var err error
	if b.srv != nil {
		err = b.srv.Close()
	}
	if b.siteSrv != nil {
		_ = b.siteSrv.Close()
	}
	for s := range b.sessions {
		s.kill()
	}
	b.mu.Unlock()
	b.wg.Wait()
	return err
}

func (b *Backend) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if herr := b.refuse(r); herr != nil {
		writeHTTPError(w, herr)
		return
	}
	if b.serveAPI(w, r) {
		return
	}
	version, hasVersion, ok := syncRoute(r.URL.Path)
	if !ok {
		writeHTTPError(w, &httpError{status: http.StatusNotFound, code: "NotFound", message: "No route for " + r.URL.Path})
		return
	}
	if herr := checkClientVersion(r, version, hasVersion); herr != nil {
		writeHTTPError(w, herr)
		return
	}
	if r.Method != http.MethodGet {
		writeHTTPError(w, &httpError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed", message: "The sync endpoint only takes GET"})
		return
	}
	netConn, _ := r.Context().Value(connKey{}).(net.Conn)
	// refuse has checked Host and Origin; the library's own origin check
	// (same host only) would refuse the loopback page's port.
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return // Accept has answered the request
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		_ = ws.CloseNow()
		return
	}
	s := newSession(b, ws, netConn)
	b.sessions[s] = struct{}{}
	b.wg.Add(1)
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.sessions, s)
		b.mu.Unlock()
		b.wg.Done()
	}()
	s.run()
}

// syncRoute matches /api/sync and /api/<version>/sync.
func syncRoute(path string) (version string, hasVersion, ok bool) {
	if path == "/api/sync" {
		return "", false, true
	}
	rest, found := strings.CutPrefix(path, "/api/")
	if !found {
		return "", false, false
	}
	v, found := strings.CutSuffix(rest, "/sync")
	if !found || strings.Contains(v, "/") {
		return "", false, false
	}
	return v, true, true
}

func writeHTTPError(w http.ResponseWriter, e *httpError) {
	for k, v := range e.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	body, _ := json.Marshal(map[string]string{"code": e.code, "message": e.message})
	_, _ = w.Write(body)
}
