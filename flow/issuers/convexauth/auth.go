package convexauth

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/issuers/internal/fake"
)

// Defaults of @convex-dev/auth (SPEC.md "Tokens").
const (
	// TokenLifetime is the JWT's default lifetime (jwt.durationMs).
	TokenLifetime = time.Hour
	// Audience is the aud of every token.
	Audience = "convex"
	// DefaultPassword is the demo users' password for the Password
	// provider.
	DefaultPassword = "demo-password"
	// ProviderPassword and ProviderAnonymous are the providers the demo
	// deployment configures.
	ProviderPassword  = "password"
	ProviderAnonymous = "anonymous"
)

// Errors of the sign-in, worded as the library's.
var (
	ErrInvalidAccount = errors.New("InvalidAccountId")
	ErrInvalidSecret  = errors.New("InvalidSecret")
)

// Faults break Convex Auth on purpose.
type Faults struct {
	// Token faults (claims, lifetime, clock) and well-known document faults.
	fake.Faults
	// JWKSFromOtherKey sets the JWKS variable to the public key of another
	// key pair than JWT_PRIVATE_KEY's, as when one of the two variables was
	// regenerated or copied from another deployment.
	JWKSFromOtherKey bool
}

// Options configure Convex Auth.
type Options struct {
	// Now is the deployment's clock; nil is time.Now.
	Now func() time.Time
	// Users are the demo users with password accounts; nil gives
	// fake.DefaultUsers().
	Users  []fake.User
	Faults Faults
}

// Auth is the embedded Convex Auth of one deployment.
type Auth struct {
	now        func() time.Time
	users      []fake.User
	key, other *fake.Key
	privatePEM string

	mu       sync.Mutex
	siteURL  string
	faults   Faults
	sessions map[string]session // by session id
	refresh  map[string]string  // refresh token id → session id
}

// session is a signed-in session.
type session struct {
	userID string
	user   fake.User
}

// New makes the deployment's key pair (JWT_PRIVATE_KEY and JWKS) and one
// more, for the mismatch fault.
func New(opts Options) (*Auth, error) {
	a := &Auth{now: opts.Now, users: opts.Users, faults: opts.Faults,
		sessions: map[string]session{}, refresh: map[string]string{}}
	if a.now == nil {
		a.now = time.Now
	}
	if a.users == nil {
		a.users = fake.DefaultUsers()
	}
	var ks fake.KeySource
	var err error
	// The CLI's keys have no kid, and neither have the tokens.
	if a.key, err = ks.RSA(""); err != nil {
		return nil, err
	}
	if a.other, err = ks.RSA(""); err != nil {
		return nil, err
	}
	if a.privatePEM, err = a.key.PKCS8PEM(); err != nil {
		return nil, err
	}
	return a, nil
}

// SetSiteURL sets CONVEX_SITE_URL, the issuer: the backend's site URL,
// known once it listens (or a custom domain a scenario puts there).
func (a *Auth) SetSiteURL(u string) {
	a.mu.Lock()
	a.siteURL = strings.TrimRight(u, "/")
	a.mu.Unlock()
}

// SiteURL is CONVEX_SITE_URL.
func (a *Auth) SiteURL() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.siteURL
}

// SetFaults replaces the faults. Safe for concurrent use.
func (a *Auth) SetFaults(f Faults) {
	a.mu.Lock()
	a.faults = f
	a.mu.Unlock()
}

func (a *Auth) currentFaults() Faults {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.faults
}

// Users are the demo users.
func (a *Auth) Users() []fake.User { return append([]fake.User(nil), a.users...) }

// JWTPrivateKey is the JWT_PRIVATE_KEY variable: the PKCS#8 PEM with its
// line breaks turned into spaces, as the setup CLI stores it.
func (a *Auth) JWTPrivateKey() string {
	return strings.ReplaceAll(strings.TrimRight(a.privatePEM, "\n"), "\n", " ")
}

// JWKS is the JWKS variable: {"keys":[{"use":"sig","kty":"RSA",…}]} with
// no kid and no alg, as the setup CLI writes it.
func (a *Auth) JWKS() (string, error) {
	k := a.key
	if a.currentFaults().JWKSFromOtherKey {
		k = a.other
	}
	b, err := fake.JWKS(false, k)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Env is the deployment's environment as `npx @convex-dev/auth` leaves
// it, with the built-in CONVEX_SITE_URL.
func (a *Auth) Env() (map[string]string, error) {
	jwks, err := a.JWKS()
	if err != nil {
		return nil, err
	}
	return map[string]string{"CONVEX_SITE_URL": a.SiteURL(), "JWT_PRIVATE_KEY": a.JWTPrivateKey(), "JWKS": jwks}, nil
}

// UserID is the user's document id in the users table.
func UserID(u fake.User) string { return docID("users:" + u.Key) }

// docID is a Convex-document-id-like string: 32 lowercase base32
// characters.
func docID(seed string) string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	sum := sha256.Sum256([]byte("convex-auth-demo:" + seed))
	var b strings.Builder
	for _, c := range sum[:32] {
		b.WriteByte(alphabet[c%32])
	}
	return b.String()
}

func (a *Auth) user(email string) (fake.User, bool) {
	for _, u := range a.users {
		if strings.EqualFold(u.Email, email) {
			return u, true
		}
	}
	return fake.User{}, false
}

func unknownProvider(p string) error {
	//lint:ignore ST1005 the library's own words
	return fmt.Errorf("Provider `%s` is not configured, available providers are %s, %s.", p, ProviderAnonymous, ProviderPassword)
}

// anonymousUser is a fresh user of the Anonymous provider.
func anonymousUser() fake.User {
	return fake.User{Key: "anonymous-" + fake.RandomHex(6), GivenName: "Anonymous"}
}
