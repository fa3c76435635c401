package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"sync"
)

// Fixed test keys, so that a fuzz input saved under testdata/fuzz replays
// against the same keys: two RSA-2048 keys, one RSA-1024 key (below the
// backend's limit), P-256, P-384 and Ed25519.
//
//go:embed testdata/keys.pem
var keysPEM []byte

var fixtureKeys = sync.OnceValue(func() map[string]crypto.Signer {
	keys := map[string]crypto.Signer{}
	rest := keysPEM
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return keys
		}
		k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			panic(err)
		}
		keys[b.Headers["Name"]] = k.(crypto.Signer)
	}
})

func rsaKey(name string) *rsa.PrivateKey  { return fixtureKeys()[name].(*rsa.PrivateKey) }
func ecKey(name string) *ecdsa.PrivateKey { return fixtureKeys()[name].(*ecdsa.PrivateKey) }
func edKey() ed25519.PrivateKey           { return fixtureKeys()["ed25519"].(ed25519.PrivateKey) }
func hs256(secret []byte) func([]byte) []byte {
	return func(in []byte) []byte { return hmacSHA256(secret, in) }
}
func hmacSHA256(secret, in []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write(in)
	return m.Sum(nil)
}
func noSignature([]byte) []byte { return nil }
func signRS256(k *rsa.PrivateKey) func([]byte) []byte {
	return func(in []byte) []byte {
		sum := sha256.Sum256(in)
		sig, err := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
		if err != nil {
			panic(err)
		}
		return sig
	}
}

func signES256(k *ecdsa.PrivateKey) func([]byte) []byte {
	return func(in []byte) []byte {
		sum := sha256.Sum256(in)
		r, s, err := ecdsa.Sign(rand.Reader, k, sum[:])
		if err != nil {
			panic(err)
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		r.FillBytes(out[:size])
		s.FillBytes(out[size:])
		return out
	}
}

func signEdDSA(k ed25519.PrivateKey) func([]byte) []byte {
	return func(in []byte) []byte { return ed25519.Sign(k, in) }
}

// jwkJSON writes the public JWK of a fixture key with extra members.
func jwkJSON(name string, extra ...string) string {
	var members []string
	switch k := fixtureKeys()[name].(type) {
	case *rsa.PrivateKey:
		members = []string{`"kty":"RSA"`, `"n":"` + encode(k.N.Bytes()) + `"`, `"e":"` + encode(big.NewInt(int64(k.E)).Bytes()) + `"`}
	case *ecdsa.PrivateKey:
		size := (k.Curve.Params().BitSize + 7) / 8
		x, y := make([]byte, size), make([]byte, size)
		k.X.FillBytes(x)
		k.Y.FillBytes(y)
		members = []string{`"kty":"EC"`, `"crv":"` + k.Curve.Params().Name + `"`, `"x":"` + encode(x) + `"`, `"y":"` + encode(y) + `"`}
	case ed25519.PrivateKey:
		members = []string{`"kty":"OKP"`, `"crv":"Ed25519"`, `"x":"` + encode(k.Public().(ed25519.PublicKey)) + `"`}
	default:
		panic(fmt.Sprintf("no JWK for %T", k))
	}
	return "{" + strings.Join(append(members, extra...), ",") + "}"
}

func jwksJSON(keys ...string) string { return `{"keys":[` + strings.Join(keys, ",") + `]}` }
