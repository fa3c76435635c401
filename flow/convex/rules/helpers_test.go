package rules

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
)

// Test fixtures: real keys, real signatures, real loopback servers.

// testNow is the fixed clock of every validation test.
var testNow = time.Unix(1_700_000_000, 0)

func fixedNow() time.Time { return testNow }

type testKeys struct {
	rsaA, rsaB *rsa.PrivateKey
	rsa1024    *rsa.PrivateKey
	ec         *ecdsa.PrivateKey
	ec384      *ecdsa.PrivateKey
	ed         ed25519.PrivateKey
}

var (
	keysOnce sync.Once
	keys     testKeys
)

func loadKeys(t testing.TB) *testKeys {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		must := func(e error) {
			if e != nil && err == nil {
				err = e
			}
		}
		keys.rsaA, err = rsa.GenerateKey(rand.Reader, 2048)
		k, e := rsa.GenerateKey(rand.Reader, 2048)
		must(e)
		keys.rsaB = k
		k, e = rsa.GenerateKey(rand.Reader, 1024)
		must(e)
		keys.rsa1024 = k
		ek, e := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		must(e)
		keys.ec = ek
		ek, e = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		must(e)
		keys.ec384 = ek
		_, edk, e := ed25519.GenerateKey(rand.Reader)
		must(e)
		keys.ed = edk
		if err != nil {
			panic(err)
		}
	})
	return &keys
}

// raw is JSON that jobj writes as is.
type raw string

// jobj builds a JSON object with keys in the given order: jobj("a", 1, "b", "x").
func jobj(kv ...any) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(kv[i].(string))
		b.Write(k)
		b.WriteByte(':')
		switch v := kv[i+1].(type) {
		case raw:
			b.WriteString(string(v))
		default:
			j, err := json.Marshal(v)
			if err != nil {
				panic(err)
			}
			b.Write(j)
		}
	}
	b.WriteByte('}')
	return b.String()
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// signer produces a signature over the signing input.
type signer func(input []byte) []byte

func rs256(k *rsa.PrivateKey) signer {
	return func(in []byte) []byte {
		sum := sha256.Sum256(in)
		sig, err := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
		if err != nil {
			panic(err)
		}
		return sig
	}
}

func es256(k *ecdsa.PrivateKey) signer {
	return func(in []byte) []byte {
		sum := sha256.Sum256(in)
		r, s, err := ecdsa.Sign(rand.Reader, k, sum[:])
		if err != nil {
			panic(err)
		}
		out := make([]byte, 64)
		r.FillBytes(out[:32])
		s.FillBytes(out[32:])
		return out
	}
}

func eddsa(k ed25519.PrivateKey) signer {
	return func(in []byte) []byte { return ed25519.Sign(k, in) }
}

func hs256(secret []byte) signer {
	return func(in []byte) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write(in)
		return m.Sum(nil)
	}
}

func noSig([]byte) []byte { return nil }

// mkToken signs header.payload.
func mkToken(header, payload string, sign signer) string {
	in := b64(header) + "." + b64(payload)
	return in + "." + base64.RawURLEncoding.EncodeToString(sign([]byte(in)))
}

func rsaJWK(pub *rsa.PublicKey, kv ...any) string {
	base := []any{"kty", "RSA", "n", base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e", base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes())}
	return jobj(append(base, kv...)...)
}

func ecJWK(pub *ecdsa.PublicKey, crv string, kv ...any) string {
	point, err := pub.Bytes() // 0x04 || x || y
	if err != nil {
		panic(err)
	}
	size := (len(point) - 1) / 2
	x, y := point[1:1+size], point[1+size:]
	base := []any{"kty", "EC", "crv", crv, "x", base64.RawURLEncoding.EncodeToString(x), "y", base64.RawURLEncoding.EncodeToString(y)}
	return jobj(append(base, kv...)...)
}

func edJWK(pub ed25519.PublicKey, kv ...any) string {
	base := []any{"kty", "OKP", "crv", "Ed25519", "x", base64.RawURLEncoding.EncodeToString(pub)}
	return jobj(append(base, kv...)...)
}

func jwksOf(keys ...string) string { return `{"keys":[` + strings.Join(keys, ",") + `]}` }

// idp is a loopback identity provider serving discovery and JWKS, with
// every part of the responses adjustable per test.
type idp struct {
	srv *httptest.Server

	mu           sync.Mutex
	issuer       string // discovery issuer; "" means the server URL
	discStatus   int
	discCT       string // "-" means no Content-Type header
	discBody     string // "" means a document built from issuer and jwks URL
	discEmpty    bool   // serve an empty discovery body
	jwksStatus   int
	jwksCT       string
	jwksBody     string
	cacheControl string
	hits         map[string]int
}

func newIDP(t testing.TB) *idp {
	t.Helper()
	p := &idp{discStatus: 200, jwksStatus: 200, discCT: "application/json", jwksCT: "application/json", hits: map[string]int{}}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *idp) url() string { return p.srv.URL }

func (p *idp) jwksURL() string { return p.srv.URL + "/.well-known/jwks.json" }

func (p *idp) set(f func(p *idp)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

func (p *idp) count(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[path]
}

func (p *idp) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.hits[r.URL.Path]++
	var status int
	var ct, body string
	switch {
	case strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
		status, ct, body = p.discStatus, p.discCT, p.discBody
		if body == "" && !p.discEmpty {
			iss := p.issuer
			if iss == "" {
				iss = p.srv.URL
			}
			body = jobj("issuer", iss, "jwks_uri", p.jwksURL(), "authorization_endpoint", p.srv.URL+"/authorize",
				"response_types_supported", []string{"code"}, "subject_types_supported", []string{"public"},
				"id_token_signing_alg_values_supported", []string{"RS256"}, "claims_supported", []string{"sub", "iss"},
				"backchannel_logout_supported", true)
		}
	case r.URL.Path == "/.well-known/jwks.json":
		status, ct, body = p.jwksStatus, p.jwksCT, p.jwksBody
	default:
		status, ct, body = 404, "text/plain", "no such path"
	}
	cc := p.cacheControl
	p.mu.Unlock()
	if ct == "-" {
		w.Header()["Content-Type"] = nil
	} else {
		w.Header().Set("Content-Type", ct)
	}
	if cc != "" {
		w.Header().Set("Cache-Control", cc)
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// closedURL returns an http URL on 127.0.0.1 where nothing listens.
func closedURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func oidcProvider(domain, app string) Provider {
	return Provider{Kind: KindOIDC, Domain: domain, ApplicationID: app, HasApplicationID: true}
}

func customProvider(issuer, jwks, alg string, app *string) Provider {
	p := Provider{Kind: KindCustomJWT, Issuer: issuer, JWKS: jwks, Algorithm: alg}
	if app != nil {
		p.ApplicationID, p.HasApplicationID = *app, true
	}
	return p
}

func strp(s string) *string { return &s }

func newValidator(cfg AuthConfig, redact bool) *Validator {
	return &Validator{Config: cfg, Redact: redact, Now: fixedNow,
		Fetcher: fetch.NewHTTP(nil, fetch.Options{Timeout: 5 * time.Second})}
}

// claims returns a standard payload for iss and aud, valid at testNow.
func claims(iss string, aud any, extra ...any) string {
	kv := []any{"iss", iss, "sub", "user_123", "aud", aud, "iat", testNow.Unix() - 10, "exp", testNow.Unix() + 50}
	return jobj(append(kv, extra...)...)
}

func rsHeader(kid string) string {
	if kid == "" {
		return jobj("alg", "RS256", "typ", "JWT")
	}
	return jobj("alg", "RS256", "kid", kid, "typ", "JWT")
}

func validate(t testing.TB, v *Validator, token string) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res := v.Validate(ctx, token)
	if res == nil {
		t.Fatal("Validate returned nil")
	}
	return res
}

func describeResult(r *Result) string {
	if r.Err == nil {
		return "accepted"
	}
	return fmt.Sprintf("%s/%s/%s: %q (%s)", r.Err.Code, r.Err.Class, r.Err.Reason, r.Err.Message, r.Err.Detail)
}
