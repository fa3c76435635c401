package devinstance

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/internal/weburl"
)

// Options configure a dev instance. The zero value is a working demo.
type Options struct {
	// Now is the instance clock; nil is time.Now.
	Now func() time.Time
	// Users are the demo users; nil gives DefaultUsers(). An empty
	// ImageURL gets a generated avatar served by the instance.
	Users []clerk.User
	// IntegrationOn puts aud "convex" in session tokens, as Clerk's Convex
	// integration does (clerk's SPEC.md "The two token paths").
	IntegrationOn bool
	// Templates are the JWT templates; nil gives one template "convex" with
	// the Convex preset claims (ConvexTemplate). A non-nil empty slice
	// means no templates.
	Templates []Template
	// CacheMaxAge is the Cache-Control max-age of the discovery document
	// and the JWKS. 0 means DefaultCacheMaxAge; a negative value sends
	// "no-store".
	CacheMaxAge time.Duration
	// Faults break the instance on purpose (see Faults).
	Faults Faults
	// AllowedRedirectOrigin decides which origins the sign-in page returns
	// to and which origins may call the Frontend API from a browser (CORS).
	// nil allows http and https origins on a loopback host only.
	AllowedRedirectOrigin func(origin string) bool
	// OnRequest, if set, is called after every request the instance
	// answers, on the serving goroutine; it must return quickly.
	OnRequest func(Request)

	// PublicHost, when set, is the port-less host the instance is reached
	// at, over TLS on port 443, instead of http://127.0.0.1:<port>: a host
	// with a Clerk development suffix such as
	// "authscope-e2e.clerk.accounts.dev", because the real ClerkJS always
	// calls https://<host> and sets up a dev browser only for such hosts
	// (SPEC.md "Behind a TLS front"). The issuer becomes
	// https://<PublicHost> and the publishable key names it. The instance
	// still listens on 127.0.0.1: the client maps the host there. Requires
	// TLS.
	PublicHost string
	// TLS is the server configuration (a certificate for PublicHost).
	TLS *tls.Config
	// Listener, when set, is a 127.0.0.1 TCP listener the instance serves
	// on instead of binding one, so that a test knows the address to map
	// PublicHost to before the instance exists. Close closes it.
	Listener net.Listener
	// ClerkJS, when set, is the dist folder of a real @clerk/clerk-js
	// package: its files are served for
	// /npm/@clerk/clerk-js@<version>/dist/<file> instead of the stand-in
	// clerk.browser.js.
	ClerkJS fs.FS
	// Production makes the instance answer as a production instance
	// reached from a page outside its domain: every Frontend API call a
	// browser makes gets 400 origin_invalid (SPEC.md "Production key"),
	// which the real ClerkJS turns into "Production Keys are only allowed
	// for domain …". The demo's production-key scenario sets it.
	Production bool
}

// DefaultCacheMaxAge is the Cache-Control lifetime of the well-known
// documents. Clerk's own value is not documented (SPEC.md "Well-known
// documents"); 5 minutes is what @clerk/backend caches a JWKS for, long
// enough that each ~50 s token refresh of a demo shows the backend's cache
// hit, and short enough that the countdown visibly runs out and a key
// rotation reaches a caching verifier within a demo session.
const DefaultCacheMaxAge = 5 * time.Minute

// Limits of the dev instance's state, so a local process cannot grow it
// without bound.
const (
	maxDevBrowsers  = 256
	maxRequestLog   = 1000
	maxBodyBytes    = 16 << 10
	maxPublishedRSA = 3
)

// Instance is the embedded Clerk-like development instance.
type Instance struct {
	now           func() time.Time
	allowedOrigin func(string) bool
	onRequest     func(Request)
	cacheMaxAge   time.Duration

	ln         net.Listener
	srv        *http.Server
	addr       string // "127.0.0.1:<port>", where it listens
	host       string // the Frontend API host: addr, or PublicHost
	issuer     string
	clerkJS    fs.FS
	production bool
	instanceID string
	createdAt  time.Time
	users      []clerk.User
	userByID   map[string]clerk.User

	mu          sync.Mutex
	faults      Faults
	integration bool
	templates   []Template
	keys        keyring
	devBrowsers map[string]*devBrowser
	sessions    map[string]*session
	detached    map[string]*session // MintToken's sessions, by user id
	log         requestLog
	started     bool
	closeOnce   sync.Once
	closeErr    error
	served      chan struct{}
}

// New creates a dev instance and reserves its port: it binds
// 127.0.0.1:0 at once, so Issuer and PublishableKey are known before Start.
// Close releases the port whether or not Start was called.
func New(opts Options) (*Instance, error) {
	d := &Instance{
		now:           opts.Now,
		allowedOrigin: opts.AllowedRedirectOrigin,
		onRequest:     opts.OnRequest,
		cacheMaxAge:   opts.CacheMaxAge,
		clerkJS:       opts.ClerkJS,
		production:    opts.Production,
		integration:   opts.IntegrationOn,
		devBrowsers:   map[string]*devBrowser{},
		sessions:      map[string]*session{},
		detached:      map[string]*session{},
		instanceID:    newID("ins"),
		served:        make(chan struct{}),
	}
	if d.now == nil {
		d.now = time.Now
	}
	if d.allowedOrigin == nil {
		d.allowedOrigin = weburl.IsLoopbackOrigin
	}
	if d.cacheMaxAge == 0 {
		d.cacheMaxAge = DefaultCacheMaxAge
	}
	d.createdAt = d.now()
	d.faults = copyFaults(opts.Faults)

	users := opts.Users
	if users == nil {
		users = DefaultUsers()
	}
	if len(users) == 0 {
		return nil, errors.New("devinstance: a dev instance needs at least one user (Options.Users is empty)")
	}
	templates := opts.Templates
	if templates == nil {
		templates = []Template{ConvexTemplate()}
	}
	tpls, err := normaliseTemplates(templates)
	if err != nil {
		return nil, err
	}
	d.templates = tpls
	if err := d.keys.init(); err != nil {
		return nil, fmt.Errorf("devinstance: generating the instance's signing keys: %w", err)
	}
	if d.faults.SignWithUnpublishedKey {
		d.ensureUnpublishedKey()
	}

	if err := d.listen(opts.Listener, opts.PublicHost, opts.TLS); err != nil {
		return nil, err
	}

	d.userByID = make(map[string]clerk.User, len(users))
	for _, u := range users {
		if u.ID == "" {
			d.ln.Close()
			return nil, errors.New("devinstance: every demo user needs an ID")
		}
		if _, dup := d.userByID[u.ID]; dup {
			d.ln.Close()
			return nil, fmt.Errorf("devinstance: demo user id %q appears twice", u.ID)
		}
		if u.ImageURL == "" {
			u.ImageURL = d.issuer + pathAvatars + url.PathEscape(u.ID) + ".svg"
		}
		d.users = append(d.users, u)
		d.userByID[u.ID] = u
	}

	d.srv = &http.Server{
		Handler:           d.guard(http.HandlerFunc(d.route)),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		// net/http logs failed handshakes and the like to the process's
		// stderr, which is the user's terminal (and the interface's screen).
		ErrorLog: log.New(io.Discard, "", 0),
	}
	return d, nil
}

// Start serves the instance until ctx is done or Close is called. It
// returns at once; calling it twice is an error.
func (d *Instance) Start(ctx context.Context) error {
	d.mu.Lock()
	if d.started {
		d.mu.Unlock()
		return errors.New("devinstance: dev instance already started")
	}
	d.started = true
	d.mu.Unlock()
	go func() {
		defer close(d.served)
		// Serve returns http.ErrServerClosed after Close; any other error
		// means the listener died, and Close reports nothing more useful.
		_ = d.srv.Serve(d.ln)
	}()
	go func() {
		select {
		case <-ctx.Done():
			d.Close()
		case <-d.served:
		}
	}()
	return nil
}

// Close stops the server and releases the port. It is safe to call more
// than once.
func (d *Instance) Close() error {
	d.closeOnce.Do(func() {
		d.mu.Lock()
		started := d.started
		d.mu.Unlock()
		if started {
			// Close, not Shutdown: Shutdown waits up to 5 s for connections
			// that never sent a request (an HTTP client's spare dial, a
			// browser's preconnect), which would stall every demo's exit,
			// and nothing in flight at the end of a run still matters.
			d.closeErr = d.srv.Close()
		}
		// Serve may not have taken the listener yet; closing it twice is
		// harmless.
		_ = d.ln.Close()
	})
	return d.closeErr
}

// Issuer is the instance's Frontend API URL and token issuer,
// "http://127.0.0.1:<port>" (or "https://<PublicHost>") with no trailing
// slash.
func (d *Instance) Issuer() string { return d.issuer }

// FrontendAPIURL is the same as Issuer: Clerk's issuer is its FAPI URL.
func (d *Instance) FrontendAPIURL() string { return d.issuer }

// PublishableKey is pk_test_ followed by base64 of the Frontend API host
// and "$" (the host is "127.0.0.1:<port>" or PublicHost).
func (d *Instance) PublishableKey() string {
	return clerk.BuildPublishableKey(d.host, clerk.InstanceDevelopment)
}

// Host is the Frontend API host the publishable key names.
func (d *Instance) Host() string { return d.host }

// Addr is the loopback address the instance listens on; with PublicHost,
// clients map PublicHost:443 to it.
func (d *Instance) Addr() string { return d.addr }

// SignInURL is the Account-Portal-like sign-in page.
func (d *Instance) SignInURL() string { return d.issuer + PathSignIn }

// InstanceID is the instance's "ins_…" id.
func (d *Instance) InstanceID() string { return d.instanceID }

// Users returns the demo users, with their avatar URLs filled in.
func (d *Instance) Users() []clerk.User { return append([]clerk.User(nil), d.users...) }

// SetIntegration turns Clerk's Convex integration (aud "convex" in session
// tokens) on or off. Safe for concurrent use.
func (d *Instance) SetIntegration(on bool) {
	d.mu.Lock()
	d.integration = on
	d.mu.Unlock()
}

// Integration reports whether the Convex integration is on.
func (d *Instance) Integration() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.integration
}
