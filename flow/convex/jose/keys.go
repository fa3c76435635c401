package jose

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"
	"math/big"

	"github.com/lestrrat-go/jwx/v2/jwk"
)

// Crypto keys are built by jwx from the key material the strict layer
// accepted, re-encoded canonically, so jwx never sees a member the
// backend's libraries would have read differently (SPEC.md "Keys").
// jwx's own errors are never shown: a key it cannot build is "unusable"
// with authscope's wording.

// The RSA limits of RSA_PKCS1_2048_8192_SHA256, with which both of the
// backend's libraries verify RS256 (aws-lc-rs under openidconnect, ring
// under biscuit).
const (
	minRSABits = 2048
	maxRSABits = 8192
)

// rsaPublicKey checks an RSA modulus and exponent against the backend's
// limits and builds the key: a 2048-8192-bit modulus and an odd exponent
// of at least 3. Go's crypto/rsa also refuses exponents above 2^31-1.
// It returns the key, or why the key cannot verify.
func rsaPublicKey(n, e []byte) (*rsa.PublicKey, string) {
	bits := new(big.Int).SetBytes(n).BitLen()
	if bits < minRSABits || bits > maxRSABits {
		return nil, fmt.Sprintf("RSA modulus is %d bits; the backend verifies RS256 only with 2048–8192-bit keys", bits)
	}
	E := new(big.Int).SetBytes(e)
	if E.BitLen() > 31 {
		return nil, "RSA exponent is larger than 2^31-1"
	}
	if ev := E.Int64(); ev < 3 || ev%2 == 0 {
		return nil, fmt.Sprintf("RSA exponent %d is invalid (must be odd and at least 3)", ev)
	}
	var pub rsa.PublicKey
	if !buildKey(&pub, `{"kty":"RSA","n":"`+encode(n)+`","e":"`+encode(e)+`"}`) {
		return nil, "the modulus and exponent do not make an RSA key"
	}
	return &pub, ""
}

// ed25519PublicKey builds an Ed25519 key from its 32-byte x.
func ed25519PublicKey(x []byte) (ed25519.PublicKey, string) {
	if len(x) != ed25519.PublicKeySize {
		return nil, "Ed25519 key needs a 32-byte x"
	}
	var pub ed25519.PublicKey
	if !buildKey(&pub, `{"kty":"OKP","crv":"Ed25519","x":"`+encode(x)+`"}`) {
		return nil, "x does not make an Ed25519 key"
	}
	return pub, ""
}

// p256PublicKey builds a P-256 key. ring takes the uncompressed point, so
// x and y must be 32 bytes each and the point must be on the curve.
func p256PublicKey(crv string, x, y []byte) (*ecdsa.PublicKey, string) {
	if crv != "P-256" || len(x) != 32 || len(y) != 32 {
		return nil, fmt.Sprintf("ES256 needs a P-256 key with 32-byte x and y (crv %s, %d and %d bytes)", crv, len(x), len(y))
	}
	var pub ecdsa.PublicKey
	if !buildKey(&pub, `{"kty":"EC","crv":"P-256","x":"`+encode(x)+`","y":"`+encode(y)+`"}`) {
		return nil, "the EC point is not on P-256"
	}
	// jwx does not check the point; the uncompressed encoding does.
	if _, err := pub.Bytes(); err != nil {
		return nil, "the EC point is not on P-256"
	}
	return &pub, ""
}

// buildKey has jwx parse a JWK made of canonical members and assign its raw
// crypto key to dst.
func buildKey(dst any, jwkJSON string) bool {
	return jwk.ParseRawKey([]byte(jwkJSON), dst) == nil
}
