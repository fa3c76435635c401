package custom

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/issuers/internal/fake"
)

// Kind is what the issuer stands for.
type Kind int

const (
	// OIDC is an OpenID Connect provider: Convex discovers its keys.
	OIDC Kind = iota
	// JWT is an application's own token server: Convex reads its JWKS URL
	// (type "customJwt").
	JWT
)

// Defaults (SPEC.md "Issuer").
const (
	// RealmPath is the OIDC issuer's path, shaped as an identity server's
	// realm.
	RealmPath = "/realms/demo"
	// DefaultClientID is the OIDC client and the custom JWTs' audience.
	DefaultClientID = "authscope-demo"
	// PathDiscovery and PathJWKS follow the issuer's path.
	PathDiscovery = "/.well-known/openid-configuration"
	PathJWKS      = "/.well-known/jwks.json"
	// TokenLifetime is the lifetime of both kinds of token.
	TokenLifetime = time.Hour
)

// ErrUnknownUser is returned for a user the issuer does not have.
var ErrUnknownUser = errors.New("no such demo user")

// Options configure the issuer.
type Options struct {
	Server fake.Options
	Kind   Kind
	// ClientID is the aud of the tokens (DefaultClientID).
	ClientID string
	// Algorithm signs the tokens: RS256 (the OIDC default) or ES256 (the
	// custom JWT default).
	Algorithm string
	Users     []fake.User
	Faults    fake.Faults
}

// Issuer is the embedded custom issuer.
type Issuer struct {
	srv      *fake.Server
	kind     Kind
	path     string
	clientID string
	users    []fake.User
	rsa, ec  *fake.Key

	faults fake.FaultBox

	mu  sync.Mutex
	alg string
}

// New creates the issuer and reserves its port.
func New(opts Options) (*Issuer, error) {
	is := &Issuer{kind: opts.Kind, clientID: opts.ClientID, users: opts.Users, alg: opts.Algorithm}
	is.faults.Set(opts.Faults)
	if is.clientID == "" {
		is.clientID = DefaultClientID
	}
	if is.users == nil {
		is.users = fake.DefaultUsers()
	}
	if is.kind == OIDC {
		is.path = RealmPath
	}
	if is.alg == "" {
		is.alg = map[Kind]string{OIDC: "RS256", JWT: "ES256"}[is.kind]
	}
	var ks fake.KeySource
	var err error
	if is.rsa, err = ks.RSA("demo-rsa-1"); err != nil {
		return nil, err
	}
	if is.ec, err = fake.NewES256("demo-ec-1"); err != nil {
		return nil, err
	}
	if is.srv, err = fake.Listen(opts.Server); err != nil {
		return nil, err
	}
	is.srv.Handle(is.path+PathJWKS, is.serveJWKS)
	if is.kind == OIDC {
		is.srv.Handle(is.path+PathDiscovery, is.serveDiscovery)
	}
	return is, nil
}

// Start serves until ctx is done or Close is called.
func (is *Issuer) Start(ctx context.Context) error { return is.srv.Start(ctx) }

// Close stops the issuer.
func (is *Issuer) Close() error { return is.srv.Close() }

// Issuer is the tokens' iss.
func (is *Issuer) Issuer() string { return is.srv.Base() + is.path }

// JWKSURL is the key set's URL.
func (is *Issuer) JWKSURL() string { return is.Issuer() + PathJWKS }

// ClientID is the tokens' aud.
func (is *Issuer) ClientID() string { return is.clientID }

// Algorithm is the algorithm tokens are signed with now.
func (is *Issuer) Algorithm() string {
	is.mu.Lock()
	defer is.mu.Unlock()
	return is.alg
}

// SigningKID is the kid of the key that signs now.
func (is *Issuer) SigningKID() string { return is.signingKey().Kid }

// Users are the demo users.
func (is *Issuer) Users() []fake.User { return append([]fake.User(nil), is.users...) }

// SetFaults replaces the faults. Safe for concurrent use.
func (is *Issuer) SetFaults(f fake.Faults) { is.faults.Set(f) }

func (is *Issuer) state() (fake.Faults, *fake.Key) {
	is.mu.Lock()
	defer is.mu.Unlock()
	k := is.rsa
	if is.alg == "ES256" {
		k = is.ec
	}
	return is.faults.Get(), k
}

func (is *Issuer) signingKey() *fake.Key { _, k := is.state(); return k }

// Subject is the user's subject: a UUID-like id, as identity servers give.
func Subject(u fake.User) string {
	h := sha256.Sum256([]byte("custom-demo:" + u.Key))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// Token is the user's token: an ID token for OIDC, the application's JWT
// for customJwt. For the demo's direct sign-in and for tests.
func (is *Issuer) Token(userKey string) (string, error) {
	var u *fake.User
	for i := range is.users {
		if is.users[i].Key == userKey {
			u = &is.users[i]
		}
	}
	if u == nil {
		return "", fmt.Errorf("%w: %q", ErrUnknownUser, userKey)
	}
	f, key := is.state()
	iat, exp := f.Times(is.srv.Now(), TokenLifetime)
	c := fake.Claims{
		{Name: "iss", Value: is.Issuer()}, {Name: "sub", Value: Subject(*u)}, {Name: "aud", Value: is.clientID},
		{Name: "iat", Value: fake.Unix(iat)}, {Name: "exp", Value: fake.Unix(exp)},
	}
	if is.kind == JWT {
		c = append(c, fake.Claim{Name: "nbf", Value: fake.Unix(iat)})
	}
	c = append(c, fake.Claims{{Name: "name", Value: u.Name()}, {Name: "given_name", Value: u.GivenName},
		{Name: "family_name", Value: u.FamilyName}, {Name: "email", Value: u.Email}, {Name: "email_verified", Value: true}}...)
	return fake.Mint(c, key, "JWT", f)
}

func (is *Issuer) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	f, _ := is.state()
	iss := is.Issuer()
	if f.DiscoveryIssuer != "" {
		iss = f.DiscoveryIssuer
	}
	b, _ := json.Marshal(map[string]any{
		"issuer": iss, "authorization_endpoint": is.Issuer() + "/protocol/openid-connect/auth",
		"token_endpoint": is.Issuer() + "/protocol/openid-connect/token", "jwks_uri": is.JWKSURL(),
		"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256", "ES256"},
	})
	is.srv.ServeDocument(w, r, fake.Document{Body: b, What: "discovery document", FaultStatus: f.DiscoveryStatus, ContentType: f.DiscoveryContentType})
}

// serveJWKS publishes both keys, each with its alg.
func (is *Issuer) serveJWKS(w http.ResponseWriter, r *http.Request) {
	f, _ := is.state()
	b, err := fake.JWKS(true, is.rsa, is.ec)
	if err != nil {
		http.Error(w, "cannot build the JWKS", http.StatusInternalServerError)
		return
	}
	is.srv.ServeDocument(w, r, fake.Document{Body: b, What: "JWKS", FaultStatus: f.JWKSStatus, ContentType: f.JWKSContentType})
}

// Kind is what the issuer stands for.
func (is *Issuer) Kind() Kind { return is.kind }

// Faults returns the current faults.
func (is *Issuer) Faults() fake.Faults { return is.faults.Get() }
