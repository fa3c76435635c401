package devinstance

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

// landing is the Origin of the pretend landing page in the Go-path tests.
const landing = "http://127.0.0.1:9"

func startInstance(t *testing.T, opts Options) *Instance {
	t.Helper()
	d, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := d.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		d.Close()
	})
	return d
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// httpDo makes a raw request and returns status, headers and body.
func httpDo(t *testing.T, method, target string, body io.Reader, headers map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	return res.StatusCode, res.Header, string(b)
}

type decodedJWT struct {
	Header map[string]any
	Claims map[string]any
	input  string
	sig    []byte
}

func decodeJWT(t *testing.T, jwt string) decodedJWT {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	var d decodedJWT
	for i, dst := range []*map[string]any{&d.Header, &d.Claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatalf("part %d not base64url: %v", i, err)
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber()
		if err := dec.Decode(dst); err != nil {
			t.Fatalf("part %d not JSON: %v", i, err)
		}
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatalf("signature not base64url: %v", err)
	}
	d.input, d.sig = parts[0]+"."+parts[1], sig
	return d
}

func (d decodedJWT) num(t *testing.T, claim string) int64 {
	t.Helper()
	n, ok := d.Claims[claim].(json.Number)
	if !ok {
		t.Fatalf("claim %s is %T (%v), not a number", claim, d.Claims[claim], d.Claims[claim])
	}
	v, err := n.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// JWK and JWKS are the key set as a verifier reads it, decoded here
// independently of the code that writes it.
type JWK struct {
	Use string `json:"use"`
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// JWKS is the document at /.well-known/jwks.json.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

func fetchJWKS(t *testing.T, d *Instance) JWKS {
	t.Helper()
	status, _, body := httpDo(t, "GET", d.Issuer()+clerk.PathJWKS, nil, nil)
	if status != 200 {
		t.Fatalf("JWKS status %d: %s", status, body)
	}
	var set JWKS
	if err := json.Unmarshal([]byte(body), &set); err != nil {
		t.Fatalf("JWKS not JSON: %v", err)
	}
	return set
}

// verifyWithJWKS checks a token's signature against the published keys,
// independently of the signing code: it rebuilds the public key from n/e
// (or crv/x/y) and verifies with crypto/rsa or crypto/ecdsa.
func verifyWithJWKS(t *testing.T, jwt string, set JWKS) error {
	t.Helper()
	d := decodeJWT(t, jwt)
	kid, _ := d.Header["kid"].(string)
	alg, _ := d.Header["alg"].(string)
	var key *JWK
	for i := range set.Keys {
		if set.Keys[i].Kid == kid {
			key = &set.Keys[i]
		}
	}
	if key == nil {
		return errKidNotPublished
	}
	digest := sha256.Sum256([]byte(d.input))
	switch {
	case alg == "RS256" && key.Kty == "RSA":
		n, err1 := base64.RawURLEncoding.DecodeString(key.N)
		e, err2 := base64.RawURLEncoding.DecodeString(key.E)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad n/e in JWKS")
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], d.sig)
	case alg == "ES256" && key.Kty == "EC":
		x, _ := base64.RawURLEncoding.DecodeString(key.X)
		y, _ := base64.RawURLEncoding.DecodeString(key.Y)
		raw := append(append([]byte{4}, x...), y...)
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
		if err != nil {
			t.Fatalf("bad EC key: %v", err)
		}
		if len(d.sig) != 64 || !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(d.sig[:32]), new(big.Int).SetBytes(d.sig[32:])) {
			return errBadSignature
		}
		return nil
	}
	return errAlgKeyMismatch
}

type testErr string

func (e testErr) Error() string { return string(e) }

const (
	errKidNotPublished = testErr("kid not in JWKS")
	errBadSignature    = testErr("bad signature")
	errAlgKeyMismatch  = testErr("alg does not fit key")
)
