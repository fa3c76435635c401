package jose

import (
	"crypto"
	"encoding/json"
	"fmt"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"
)

// Signing serves the embedded Clerk-like instance, which issues tokens the
// way Clerk does (SPEC.md "Signing"): a compact JWS whose protected header
// is alg, kid and typ, over the exact payload bytes the caller gives.

// SigningKey is a private key with the header members its tokens carry.
type SigningKey struct {
	// Alg is RS256 (Key an *rsa.PrivateKey), ES256 (*ecdsa.PrivateKey on
	// P-256) or HS256 (Key a []byte secret).
	Alg string
	Key any
	// Kid is the key's id; empty leaves kid out of the header.
	Kid string
	// Typ is the header's typ; empty leaves it out.
	Typ string
}

// Sign returns the compact JWS of payload. The payload is signed as given,
// byte for byte; the header members are serialised in name order (alg,
// kid, typ), as Clerk's are.
func Sign(payload []byte, k SigningKey) (string, error) {
	alg, ok := signingAlgs[k.Alg]
	if !ok {
		return "", fmt.Errorf("jose: cannot sign with algorithm %q", k.Alg)
	}
	h := jws.NewHeaders()
	if k.Kid != "" {
		if err := h.Set(jws.KeyIDKey, k.Kid); err != nil {
			return "", fmt.Errorf("jose: kid %q cannot be set", k.Kid)
		}
	}
	if k.Typ != "" {
		if err := h.Set(jws.TypeKey, k.Typ); err != nil {
			return "", fmt.Errorf("jose: typ %q cannot be set", k.Typ)
		}
	}
	out, err := jws.Sign(payload, jws.WithKey(alg, k.Key, jws.WithProtectedHeaders(h)))
	if err != nil {
		return "", fmt.Errorf("jose: cannot sign %s with a %T key", k.Alg, k.Key)
	}
	return string(out), nil
}

var signingAlgs = map[string]jwa.SignatureAlgorithm{"RS256": jwa.RS256, "ES256": jwa.ES256, "HS256": jwa.HS256}

// PublicJWK is a verification key as a key set publishes it.
type PublicJWK struct {
	// Key is an *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey.
	Key crypto.PublicKey
	Kid string
	// Alg, if set, is published as the key's alg; use is always "sig".
	Alg string
}

// JWKS returns the JSON of a key set holding keys, in order.
func JWKS(keys ...PublicJWK) ([]byte, error) {
	set := jwk.NewSet()
	for _, k := range keys {
		key, err := publicJWK(k)
		if err != nil {
			return nil, err
		}
		if err := set.AddKey(key); err != nil {
			return nil, fmt.Errorf("jose: key %q cannot join the set", k.Kid)
		}
	}
	out, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("jose: the key set does not serialise")
	}
	return out, nil
}

func publicJWK(k PublicJWK) (jwk.Key, error) {
	key, err := jwk.FromRaw(k.Key)
	if err != nil {
		return nil, fmt.Errorf("jose: a %T is not a public key jwx can publish", k.Key)
	}
	set := map[string]any{jwk.KeyUsageKey: "sig"}
	if k.Kid != "" {
		set[jwk.KeyIDKey] = k.Kid
	}
	if k.Alg != "" {
		set[jwk.AlgorithmKey] = k.Alg
	}
	for name, v := range set {
		if err := key.Set(name, v); err != nil {
			return nil, fmt.Errorf("jose: %s %v cannot be set on the key", name, v)
		}
	}
	return key, nil
}
