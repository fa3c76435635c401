package workos

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/issuers/internal/fake"
)

// Defaults of the demo environment (SPEC.md "Environment").
const (
	// DefaultClientID is the demo environment's client ID, shaped as
	// WorkOS's: "client_" and a 26-character ULID.
	DefaultClientID = "client_01JAUTHSC0PEDEM0000000001"
	// AccessTokenLifetime is AuthKit's default access token lifetime.
	AccessTokenLifetime = 5 * time.Minute
	// PathJWKSPrefix is where the key set of a client lives.
	PathJWKSPrefix = "/sso/jwks/"
	// PathUserManagement prefixes the User Management issuer.
	PathUserManagement = "/user_management/"
)

// ErrUnknownUser is returned for a user the issuer does not have.
var ErrUnknownUser = errors.New("no such demo user")

// Options configure the issuer. The zero value is a working demo.
type Options struct {
	Server   fake.Options
	ClientID string
	Users    []fake.User
	Faults   fake.Faults
}

// Issuer is the embedded WorkOS-like issuer.
type Issuer struct {
	srv      *fake.Server
	clientID string
	users    []fake.User
	key      *fake.Key
	jwks     []byte

	faults  fake.FaultBox
	signIns signIns
}

// New creates the issuer and reserves its port.
func New(opts Options) (*Issuer, error) {
	is := &Issuer{clientID: opts.ClientID, users: opts.Users}
	is.faults.Set(opts.Faults)
	if is.clientID == "" {
		is.clientID = DefaultClientID
	}
	if is.users == nil {
		is.users = fake.DefaultUsers()
	}
	var ks fake.KeySource
	var err error
	if is.key, err = ks.RSA("sso_oidc_key_pair_01JAUTHSC0PEDEM0000000001"); err != nil {
		return nil, err
	}
	if is.jwks, err = fake.JWKS(true, is.key); err != nil {
		return nil, err
	}
	if is.srv, err = fake.Listen(opts.Server); err != nil {
		return nil, err
	}
	is.srv.Handle(PathJWKSPrefix, is.serveJWKS)
	is.authkitRoutes()
	return is, nil
}

// Start serves until ctx is done or Close is called.
func (is *Issuer) Start(ctx context.Context) error { return is.srv.Start(ctx) }

// Close stops the issuer.
func (is *Issuer) Close() error { return is.srv.Close() }

// BaseURL is the API's URL (https://api.workos.com; here the loopback
// address or the TLS front).
func (is *Issuer) BaseURL() string { return is.srv.Base() }

// SSOIssuer is the issuer of SSO tokens, written with the slash as
// Convex's AuthKit guide writes it.
func (is *Issuer) SSOIssuer() string { return is.srv.Base() + "/" }

// Issuer is the User Management issuer, the iss of AuthKit access tokens.
func (is *Issuer) Issuer() string { return is.srv.Base() + PathUserManagement + is.clientID }

// JWKSURL is the key set of the client, for both issuers.
func (is *Issuer) JWKSURL() string { return is.srv.Base() + PathJWKSPrefix + is.clientID }

// ClientID is the environment's client ID.
func (is *Issuer) ClientID() string { return is.clientID }

// SigningKID is the kid of the signing key.
func (is *Issuer) SigningKID() string { return is.key.Kid }

// Users are the demo users.
func (is *Issuer) Users() []fake.User { return append([]fake.User(nil), is.users...) }

// SetFaults replaces the faults. Safe for concurrent use.
func (is *Issuer) SetFaults(f fake.Faults) { is.faults.Set(f) }

// UserID is the user's WorkOS id, "user_" and a ULID.
func UserID(u fake.User) string { return "user_01J" + ulidTail("user:"+u.Key) }

func ulidTail(seed string) string {
	const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	sum := sha256.Sum256([]byte("workos-demo:" + seed))
	var b strings.Builder
	for _, c := range sum[:23] {
		b.WriteByte(crockford[c%32])
	}
	return b.String()
}

// AccessToken is the access token AuthKit's getAccessToken() returns for
// the user: iss the User Management issuer, no aud (SPEC.md "Tokens").
// For the demo's direct sign-in and for tests; keep it in memory.
func (is *Issuer) AccessToken(userKey string) (string, error) {
	u, ok := is.user(userKey)
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrUnknownUser, userKey)
	}
	return is.accessToken(u)
}

func (is *Issuer) user(key string) (fake.User, bool) {
	for _, u := range is.users {
		if u.Key == key {
			return u, true
		}
	}
	return fake.User{}, false
}

// accessToken mints the user's access token under the faults.
func (is *Issuer) accessToken(u fake.User) (string, error) {
	f := is.faults.Get()
	iat, exp := f.Times(is.srv.Now(), AccessTokenLifetime)
	c := fake.Claims{
		{Name: "iss", Value: is.Issuer()}, {Name: "sub", Value: UserID(u)},
		{Name: "sid", Value: "session_01J" + ulidTail("session:"+u.Key)},
		{Name: "jti", Value: "01J" + ulidTail("jti:"+fake.RandomHex(8))},
		{Name: "exp", Value: fake.Unix(exp)}, {Name: "iat", Value: fake.Unix(iat)},
	}
	return fake.Mint(c, is.key, "", f)
}

// serveJWKS answers the key set of the environment's client ID, and 404
// for any other client ID, as for a client the API does not know.
func (is *Issuer) serveJWKS(w http.ResponseWriter, r *http.Request) {
	f := is.faults.Get()
	if strings.TrimPrefix(r.URL.Path, PathJWKSPrefix) != is.clientID {
		fake.WriteJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	is.srv.ServeDocument(w, r, fake.Document{Body: is.jwks, What: "JWKS", FaultStatus: f.JWKSStatus, ContentType: f.JWKSContentType})
}

// Addr is the loopback address the issuer listens on.
func (is *Issuer) Addr() string { return is.srv.Addr() }
