package fake

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"fmt"
	"sync"

	"github.com/authscope/authscope/flow/convex/jose"
)

// Key is one signing key of an issuer.
type Key struct {
	// Alg is RS256 or ES256.
	Alg string
	// Kid is the key's id in the key set and in token headers ("" for
	// none).
	Kid     string
	private any // *rsa.PrivateKey or *ecdsa.PrivateKey
}

// demoKeysPEM are RSA key pairs shipped in the binary, because generating
// a 2048-bit key takes up to seconds on a small machine, which would
// dominate a demo run that otherwise takes milliseconds. They sign tokens
// only for loopback issuers whose URL changes every run, trusted only by
// the embedded backend: demo tokens are not secrets.
//
//go:embed assets/demo-keys.pem
var demoKeysPEM []byte

var (
	demoKeysOnce sync.Once
	demoKeys     []*rsa.PrivateKey
)

func demoKey(i int) *rsa.PrivateKey {
	demoKeysOnce.Do(func() {
		rest := demoKeysPEM
		for {
			var blk *pem.Block
			if blk, rest = pem.Decode(rest); blk == nil {
				return
			}
			if k, err := x509.ParsePKCS8PrivateKey(blk.Bytes); err == nil {
				if rk, ok := k.(*rsa.PrivateKey); ok {
					demoKeys = append(demoKeys, rk)
				}
			}
		}
	})
	if i < len(demoKeys) {
		return demoKeys[i]
	}
	return nil
}

// KeySource hands an issuer its RSA keys: the shipped demo keys in order,
// then freshly generated ones. Each issuer has its own, so two keys of one
// issuer always differ.
type KeySource struct {
	mu    sync.Mutex
	drawn int
}

// RSA returns the next RSA key, with kid.
func (ks *KeySource) RSA(kid string) (*Key, error) {
	ks.mu.Lock()
	k := demoKey(ks.drawn)
	ks.drawn++
	ks.mu.Unlock()
	if k == nil {
		var err error
		if k, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("fake issuer: generating an RSA key: %w", err)
		}
	}
	return &Key{Alg: "RS256", Kid: kid, private: k}, nil
}

// NewES256 returns a fresh P-256 key with kid.
func NewES256(kid string) (*Key, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("fake issuer: generating a P-256 key: %w", err)
	}
	return &Key{Alg: "ES256", Kid: kid, private: k}, nil
}

// Public is the key as a key set publishes it. withAlg publishes its alg
// too (some providers do, some leave it out).
func (k *Key) Public(withAlg bool) jose.PublicJWK {
	j := jose.PublicJWK{Kid: k.Kid}
	if withAlg {
		j.Alg = k.Alg
	}
	switch p := k.private.(type) {
	case *rsa.PrivateKey:
		j.Key = &p.PublicKey
	case *ecdsa.PrivateKey:
		j.Key = &p.PublicKey
	}
	return j
}

// PKCS8PEM is the private key as a PKCS#8 PEM block, the form a
// JWT_PRIVATE_KEY environment variable holds.
func (k *Key) PKCS8PEM() (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.private)
	if err != nil {
		return "", fmt.Errorf("fake issuer: the key does not encode: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// signing is the key as jose signs with it; kid and typ go in the header
// when not empty.
func (k *Key) signing(kid, typ string) jose.SigningKey {
	return jose.SigningKey{Alg: k.Alg, Key: k.private, Kid: kid, Typ: typ}
}

// JWKS is the key set document of keys, each published with its alg when
// withAlg is set.
func JWKS(withAlg bool, keys ...*Key) ([]byte, error) {
	pub := make([]jose.PublicJWK, len(keys))
	for i, k := range keys {
		pub[i] = k.Public(withAlg)
	}
	return jose.JWKS(pub...)
}
