package oauthloop

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
)

// Source kinds.
const (
	KindDemo  = "demo"  // the embedded Clerk-like dev instance
	KindClerk = "clerk" // a real Clerk development instance
)

// Defaults of SourceConfig.
const (
	DefaultTimeout      = 5 * time.Minute
	DefaultTokenTimeout = 60 * time.Second
)

// ErrProductionKey is returned by NewSource for a pk_live_ key.
var ErrProductionKey = errors.New("production publishable key")

// SourceConfig configures a Source. Zero values get the defaults named on
// each field.
type SourceConfig struct {
	// Kind is KindDemo or KindClerk. Required.
	Kind string
	// PublishableKey names the Frontend API whose ClerkJS the page loads:
	// the dev instance's key for the demo, the app's pk_test_ key for Clerk.
	// A pk_live_ key is refused with ErrProductionKey.
	PublishableKey string
	// Name is shown in headers; default "<kind> <Frontend API host>".
	Name string
	// Opener shows the landing URL; default SystemBrowser{}. The URL is
	// also always given to the Reporter as a notice.
	Opener Opener
	// Timeout bounds the sign-in (steps 1–4) from the moment the URL is
	// opened; default DefaultTimeout (5 min).
	Timeout time.Duration
	// TokenTimeout bounds each token fetch through the page (step 5 and
	// every refresh); default DefaultTokenTimeout.
	TokenTimeout time.Duration
	// Port is the loopback port; default 0, a free one chosen by the
	// system (a fixed port that is taken fails loudly).
	Port int
	// Now is the Go-side clock, used for the "running" reports that open
	// a step before the browser has said anything; default time.Now. The
	// final reports carry the browser's times.
	Now func() time.Time
}

// Source is a flow.Source that signs in through a browser: the loopback
// server serves a landing page that loads ClerkJS from the publishable key's
// Frontend API and reports each step, and later fetches tokens on command.
//
// The steps, as SignIn and FetchToken run them:
//
//  1. the loopback binds 127.0.0.1 (Start), then the URL is printed and
//     opened; the page reports when it has loaded (click);
//  2. ClerkJS finds no session: the page reports the sign-in URL and
//     navigates to it (redirect);
//  3. the sign-in page sends the browser back with the dev-browser handoff
//     (return);
//  4. ClerkJS knows the user: user, session, session claims aud (provider);
//  5. the page fetches a token as ConvexProviderWithClerk does; FetchToken
//     returns it, and later calls send the page a refresh command.
//
// A Source is used by one runner: SignIn once, then FetchToken calls one at
// a time; Close may be called at any time from any goroutine.
type Source struct {
	cfg      SourceConfig
	key      clerk.PublishableKey
	origin   string
	clerkJS  string
	bg       context.Context // lives until Close: the browser tab's lifetime
	cancelBg context.CancelFunc

	mu       sync.Mutex
	srv      *server
	closed   bool
	signedIn bool

	fetchMu    sync.Mutex
	firstTaken bool
}

var (
	_ flow.PageSource   = (*Source)(nil)
	_ flow.StepObserver = (*Source)(nil)
	_ flow.Networked    = (*Source)(nil)
)

// NewSource checks the configuration; nothing is bound until Start or
// SignIn.
func NewSource(cfg SourceConfig) (*Source, error) {
	if cfg.Kind != KindDemo && cfg.Kind != KindClerk {
		return nil, fmt.Errorf("unknown browser source kind %q: use %q or %q", cfg.Kind, KindDemo, KindClerk)
	}
	key, err := clerk.ParsePublishableKey(strings.TrimSpace(cfg.PublishableKey))
	if err != nil {
		var ke *clerk.KeyError
		if errors.As(err, &ke) {
			return nil, fmt.Errorf("the publishable key cannot be used: %s (%s). %s", ke.Message, ke.Detail, ke.Hint())
		}
		return nil, fmt.Errorf("the publishable key cannot be used: %w", err)
	}
	if key.Instance == clerk.InstanceProduction {
		return nil, fmt.Errorf("%w: %s is a production key (pk_live_). Clerk accepts production keys only from the app's own domain and its subdomains: from authscope's page on http://127.0.0.1 ClerkJS would stop with \"Production Keys are only allowed for domain …\" (see https://clerk.com/docs/guides/development/troubleshooting/using-production-keys-in-development). Use the development instance's key (pk_test_…), or fetch a token in your app and give it with --token (or on stdin)",
			ErrProductionKey, key.FrontendAPI)
	}
	origin, err := frontendOrigin(key.FrontendAPIURL())
	if err != nil {
		return nil, fmt.Errorf("the publishable key names an unusable Frontend API: %w", err)
	}
	if cfg.Opener == nil {
		cfg.Opener = SystemBrowser{}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.TokenTimeout <= 0 {
		cfg.TokenTimeout = DefaultTokenTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Name == "" {
		cfg.Name = cfg.Kind + " " + key.FrontendAPI
	}
	bg, cancel := context.WithCancel(context.Background())
	return &Source{
		cfg:      cfg,
		key:      key,
		origin:   origin,
		clerkJS:  clerk.ScriptURL(origin),
		bg:       bg,
		cancelBg: cancel,
	}, nil
}

// Kind is "demo" or "clerk".
func (s *Source) Kind() string { return s.cfg.Kind }

// Name is the configured name or "<kind> <Frontend API host>".
func (s *Source) Name() string { return s.cfg.Name }

// FrontendAPI is the Frontend API origin the page loads ClerkJS from.
func (s *Source) FrontendAPI() string { return s.origin }

// Start binds the loopback (once) and returns the landing URL, which holds
// the per-run secret: show it to the user, never log it. SignIn calls it;
// call it earlier to bind before anything is drawn.
func (s *Source) Start() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", errors.New("the browser source is closed")
	}
	if s.srv == nil {
		srv, err := listen(serverConfig{
			Port:           s.cfg.Port,
			Kind:           s.cfg.Kind,
			PublishableKey: s.key.Raw,
			FrontendOrigin: s.origin,
			ClerkJSURL:     s.clerkJS,
			Now:            s.cfg.Now,
			// The page gives up on a token a quarter before FetchToken
			// does, so the page's reason arrives first.
			PageTokenTimeout: s.cfg.TokenTimeout * 3 / 4,
		})
		if err != nil {
			return "", err
		}
		s.srv = srv
	}
	return s.srv.LandingURL(), nil
}

// LandingURL is the URL the browser opens, or "" before Start.
func (s *Source) LandingURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil {
		return ""
	}
	return s.srv.LandingURL()
}

func (s *Source) server() *server {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.srv
}

// SignIn runs steps 1–4: it binds (if Start was not called), prints and
// opens the landing URL, and turns the page's reports into step reports
// with the browser's times. It returns after step 4, or with an error when a
// step failed in the browser, the sign-in timed out or ctx ended.
func (s *Source) SignIn(ctx context.Context, rep flow.Reporter) error {
	landing, err := s.Start()
	if err != nil {
		rep.Step(flow.StepReport{ID: flow.StepClick, Status: flow.StatusFail, Start: s.cfg.Now(), Error: err.Error()})
		return err
	}
	srv := s.server()

	current := flow.StepClick
	rep.Step(flow.StepReport{ID: current, Status: flow.StatusRunning, Start: s.cfg.Now(),
		Summary: "waiting for the browser to load the sign-in page"})
	s.open(landing, rep, false)
	// The sign-in timeout runs from the moment the URL is open.
	timeout := time.NewTimer(s.cfg.Timeout)
	defer timeout.Stop()

	// handle reports one page event; done is true when SignIn is over.
	handle := func(pe pageEvent) (done bool, err error) {
		r := s.stepReport(pe)
		rep.Step(r)
		if r.Status == flow.StatusFail {
			return true, fmt.Errorf("step %d (%s) failed in the browser: %s", r.ID.Index(), r.ID, r.Error)
		}
		if r.ID == flow.StepProvider {
			s.mu.Lock()
			s.signedIn = true
			s.mu.Unlock()
			return true, nil
		}
		current = nextStep(r.ID)
		rep.Step(flow.StepReport{ID: current, Status: flow.StatusRunning, Start: s.cfg.Now(), Summary: waitingFor(current)})
		return false, nil
	}
	for {
		select {
		case pe := <-srv.events:
			if done, err := handle(pe); done {
				return err
			}
		case <-timeout.C:
			// Reports that arrived with the deadline still count.
			for drained := false; !drained; {
				select {
				case pe := <-srv.events:
					if done, err := handle(pe); done {
						return err
					}
				default:
					drained = true
				}
			}
			msg := fmt.Sprintf("no word from the browser within %s: %s", s.cfg.Timeout, stalledHint(current))
			rep.Step(flow.StepReport{ID: current, Status: flow.StatusFail, Start: s.cfg.Now(), Error: msg})
			// authscope's own wait ran out: nothing was decided.
			return flow.WithUndecided(flow.UndecidedTimedOut, errors.New("sign-in timed out: "+msg))
		case <-ctx.Done():
			return fmt.Errorf("sign-in stopped: %w", ctx.Err())
		case <-s.bg.Done():
			return flow.WithUndecided(flow.UndecidedCancelled, errors.New("sign-in stopped: the browser source was closed"))
		}
	}
}

// FetchToken is step 5. The first call returns the token the page fetched
// right after step 4 (as the Convex client's first fetch, skipCache false);
// every later call sends the page a refresh command and waits for its
// answer, at most TokenTimeout. A null token (getToken threw or returned
// null) is a result, not an error: Token is empty and HTTPStatus, Body and
// Err say why. An error means the page did not answer.
func (s *Source) FetchToken(ctx context.Context, skipCache bool) (flow.TokenResult, error) {
	s.fetchMu.Lock()
	defer s.fetchMu.Unlock()
	s.mu.Lock()
	srv, signedIn, closed := s.srv, s.signedIn, s.closed
	s.mu.Unlock()
	switch {
	case closed:
		return flow.TokenResult{}, errors.New("the browser source is closed")
	case !signedIn:
		return flow.TokenResult{}, errors.New("no token yet: the browser sign-in has not completed")
	}
	away, gone := srv.pageAway()
	if away {
		// No page to ask: the round cannot run, and is not a failure.
		return flow.TokenResult{}, errTabClosed
	}
	n := firstRound
	if s.firstTaken {
		n = srv.request(skipCache)
	}
	s.firstTaken = true
	reports, _ := srv.reports(n)
	timer := time.NewTimer(s.cfg.TokenTimeout)
	defer timer.Stop()
	select {
	case tr := <-reports:
		return tokenResult(tr), nil
	case <-gone:
		srv.abandon(n)
		return flow.TokenResult{}, errTabClosed
	case <-timer.C:
		srv.abandon(n)
		// authscope's own wait ran out: undecided, never a cause.
		return flow.TokenResult{}, flow.WithUndecided(flow.UndecidedTimedOut, fmt.Errorf("the browser page gave no token within %s (%s); keep the sign-in tab open, or sign in again", s.cfg.TokenTimeout, lastContact(srv, s.cfg.Now())))
	case <-ctx.Done():
		srv.abandon(n)
		return flow.TokenResult{}, ctx.Err()
	case <-s.bg.Done():
		return flow.TokenResult{}, flow.WithUndecided(flow.UndecidedCancelled, errors.New("the browser source was closed"))
	}
}

// errTabClosed is FetchToken's answer while the sign-in tab is away: the
// runner marks the round as not run.
var errTabClosed = flow.WithUndecided(flow.UndecidedTabClosed, errors.New("the sign-in tab was closed"))

// Close tells the page it is done (a pending long poll answers "close"),
// shuts the loopback down within a bounded time, and ends the Opener's
// background work. It is safe to call more than once.
func (s *Source) Close() error {
	s.mu.Lock()
	srv := s.srv
	already := s.closed
	s.closed = true
	s.mu.Unlock()
	if already {
		return nil
	}
	var err error
	if srv != nil {
		err = srv.close()
	}
	s.cancelBg()
	return err
}

func lastContact(srv *server, now time.Time) string {
	last := srv.LastPoll()
	if last.IsZero() {
		return "the page never asked for work"
	}
	return "the page last asked for work " + now.Sub(last).Round(time.Second).String() + " ago"
}

func nextStep(id flow.StepID) flow.StepID {
	switch id {
	case flow.StepClick:
		return flow.StepRedirect
	case flow.StepRedirect:
		return flow.StepReturn
	case flow.StepReturn:
		return flow.StepProvider
	default:
		return flow.StepToken
	}
}

func waitingFor(id flow.StepID) string {
	switch id {
	case flow.StepRedirect:
		return "loading ClerkJS and looking for a session"
	case flow.StepReturn:
		return "waiting for you to sign in in the browser"
	case flow.StepProvider:
		return "loading ClerkJS with the new session"
	default:
		return "waiting for the browser"
	}
}

func stalledHint(id flow.StepID) string {
	switch id {
	case flow.StepClick:
		return "the landing page never loaded; open the printed URL in a browser on this machine"
	case flow.StepRedirect:
		return "the page did not get past loading ClerkJS; look at the browser tab for an error"
	case flow.StepReturn:
		return "the sign-in was not finished in the browser"
	default:
		return "the browser tab stopped reporting; look at it for an error"
	}
}
