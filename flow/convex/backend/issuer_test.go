package backend

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/rules"
)

// testKey is generated once: RSA key generation is slow under -race.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// issuer is a real OIDC issuer on loopback: discovery and JWKS with
// Cache-Control, counting the requests it serves.
type issuer struct {
	srv            *httptest.Server
	kid            string
	maxAge         int
	discoveryHits  atomic.Int64
	jwksHits       atomic.Int64
	discoveryCode  atomic.Int64 // status to answer discovery with (0: 200)
	discoveryDelay time.Duration
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	is := &issuer{kid: "key-1", maxAge: 300}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		is.discoveryHits.Add(1)
		if is.discoveryDelay > 0 {
			time.Sleep(is.discoveryDelay) // widen the window in which requests pile up
		}
		if code := int(is.discoveryCode.Load()); code != 0 {
			w.WriteHeader(code)
			_, _ = w.Write([]byte("no discovery here"))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age="+itoa(is.maxAge))
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                is.url(),
			"jwks_uri":                              is.url() + "/.well-known/jwks.json",
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("/.well-known/jwks.json", func(w http.ResponseWriter, r *http.Request) {
		is.jwksHits.Add(1)
		pub := testKey().PublicKey
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age="+itoa(is.maxAge))
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
			"kty": "RSA", "use": "sig", "alg": "RS256", "kid": is.kid,
			"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
		}}})
	})
	is.srv = httptest.NewServer(mux)
	t.Cleanup(is.srv.Close)
	return is
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func (is *issuer) url() string { return is.srv.URL }

// provider is the auth.config.ts entry for this issuer.
func (is *issuer) provider() rules.Provider {
	return rules.Provider{Kind: rules.KindOIDC, Domain: is.url(), ApplicationID: "convex", HasApplicationID: true}
}

func (is *issuer) config() rules.AuthConfig {
	return rules.AuthConfig{Providers: []rules.Provider{is.provider()}}
}

// token signs an RS256 ID token; extra claims override the defaults.
func (is *issuer) token(t *testing.T, now time.Time, extra map[string]any) string {
	t.Helper()
	claims := map[string]any{
		"iss": is.url(), "sub": "user_2abc", "aud": "convex",
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(),
		"name": "Ada Lovelace", "email": "ada@example.com",
	}
	for k, v := range extra {
		if v == nil {
			delete(claims, k)
		} else {
			claims[k] = v
		}
	}
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": is.kid})
	payload, _ := json.Marshal(claims)
	signing := b64(header) + "." + b64(payload)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, testKey(), crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + b64(sig)
}

// fakeClock is the backend's injected clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now().Truncate(time.Second)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fetchLog collects OnFetch records.
type fetchLog struct {
	mu   sync.Mutex
	recs []fetch.Record
}

func (l *fetchLog) add(r fetch.Record) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, r)
}

func (l *fetchLog) counts() (hits, misses int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.recs {
		if r.FromCache {
			hits++
		} else {
			misses++
		}
	}
	return
}

// startBackend starts a backend for the test and closes it after.
func startBackend(t *testing.T, opts Options) *Backend {
	t.Helper()
	b := New(opts)
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}
