package auth0

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/issuers/internal/fake"
)

// Defaults of a demo tenant (SPEC.md "Tenant").
const (
	// DefaultClientID is the demo application's client ID: 32 characters,
	// as Auth0's are.
	DefaultClientID = "AuthscopeDemoSPA0000000000000001"
	// DefaultAudience is the demo API's identifier, the audience access
	// tokens are issued for.
	DefaultAudience = "https://api.authscope.example"
	// IDTokenLifetime and AccessTokenLifetime are Auth0's defaults.
	IDTokenLifetime     = 10 * time.Hour
	AccessTokenLifetime = 24 * time.Hour
)

// Options configure a tenant. The zero value is a working demo tenant on
// a loopback port.
type Options struct {
	// Server configures the HTTP side (clock, listener, TLS front, CORS).
	Server fake.Options
	// ClientID is the single-page application's client ID.
	ClientID string
	// Audience is the API identifier.
	Audience string
	// Users are the demo users; nil gives fake.DefaultUsers().
	Users []fake.User
	// Faults break the tenant on purpose.
	Faults fake.Faults
}

// Tenant is the embedded Auth0-like tenant.
type Tenant struct {
	srv      *fake.Server
	clientID string
	audience string
	users    []fake.User
	key      *fake.Key
	jwks     []byte

	faults fake.FaultBox

	mu      sync.Mutex
	pending map[string]authorizeRequest // login page transactions
	codes   map[string]grant            // authorization codes
	refresh map[string]grant            // refresh tokens
}

// New creates a tenant and reserves its port.
func New(opts Options) (*Tenant, error) {
	t := &Tenant{clientID: opts.ClientID, audience: opts.Audience, users: opts.Users,
		pending: map[string]authorizeRequest{}, codes: map[string]grant{}, refresh: map[string]grant{}}
	t.faults.Set(opts.Faults)
	if t.clientID == "" {
		t.clientID = DefaultClientID
	}
	if t.audience == "" {
		t.audience = DefaultAudience
	}
	if t.users == nil {
		t.users = fake.DefaultUsers()
	}
	var ks fake.KeySource
	key, err := ks.RSA(kidOf("auth0", 1))
	if err != nil {
		return nil, err
	}
	t.key = key
	if t.jwks, err = fake.JWKS(true, key); err != nil {
		return nil, err
	}
	if t.srv, err = fake.Listen(opts.Server); err != nil {
		return nil, err
	}
	t.routes()
	return t, nil
}

// kidOf is a stable-looking kid: Auth0's are 22-character base64url
// strings; these say what they are.
func kidOf(prefix string, n int) string { return fmt.Sprintf("%sDemoKey%014d", prefix, n) }

// Start serves until ctx is done or Close is called.
func (t *Tenant) Start(ctx context.Context) error { return t.srv.Start(ctx) }

// Close stops the tenant.
func (t *Tenant) Close() error { return t.srv.Close() }

// Issuer is the tokens' iss: the tenant's URL with Auth0's trailing slash.
func (t *Tenant) Issuer() string { return t.srv.Base() + "/" }

// BaseURL is the tenant's URL without the slash, as the SDKs build it
// from the domain.
func (t *Tenant) BaseURL() string { return t.srv.Base() }

// Domain is what Auth0's dashboard calls the domain: the host, without a
// scheme ("<tenant>.us.auth0.com"; here the loopback address or the TLS
// front's host).
func (t *Tenant) Domain() string { return t.srv.Host() }

// Addr is the loopback address the tenant listens on.
func (t *Tenant) Addr() string { return t.srv.Addr() }

// ClientID is the application's client ID, the ID token's aud.
func (t *Tenant) ClientID() string { return t.clientID }

// Audience is the API identifier, the access token's first aud.
func (t *Tenant) Audience() string { return t.audience }

// Users are the demo users.
func (t *Tenant) Users() []fake.User { return append([]fake.User(nil), t.users...) }

// SigningKID is the kid of the signing key.
func (t *Tenant) SigningKID() string { return t.key.Kid }

// SetFaults replaces the faults. Safe for concurrent use.
func (t *Tenant) SetFaults(f fake.Faults) { t.faults.Set(f) }

func (t *Tenant) user(key string) (fake.User, bool) {
	for _, u := range t.users {
		if u.Key == key {
			return u, true
		}
	}
	return fake.User{}, false
}
