package jose

import (
	"crypto"
	"fmt"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
)

// CustomKey is one JWK of a set as the customJwt path reads it (biscuit's
// JWKSet, SPEC.md "Key sets").
type CustomKey struct {
	Kid    string
	HasKid bool
	Kty    string
	Use    string
	Alg    string
	HasAlg bool
	// AlgIsSignature is false for a key-management or content-encryption
	// alg (biscuit: UnsupportedKeyAlgorithm).
	AlgIsSignature bool
	Crv            string

	// The verification keys the material makes, or why it cannot.
	rsa, ec       crypto.PublicKey
	rsaWhy, ecWhy string
}

// CustomKeySet is a key set as the customJwt path reads it.
type CustomKeySet struct {
	Keys []*CustomKey
}

// ParseCustomKeySet reads a JWKS body the way biscuit's JWKSet does: one
// malformed key fails the whole document.
func ParseCustomKeySet(body []byte) (*CustomKeySet, error) {
	keysRaw, err := jwksKeys(body)
	if err != nil {
		return nil, err
	}
	set := &CustomKeySet{}
	var firstErr error
	err = strictjson.Each(keysRaw, func(i int, raw []byte, kind strictjson.Kind) {
		if firstErr != nil {
			return
		}
		k, err := parseCustomKey(raw, kind)
		if err != nil {
			firstErr = fmt.Errorf("key %d: %v", i, err)
			return
		}
		set.Keys = append(set.Keys, k)
	})
	if err == nil {
		err = firstErr
	}
	if err != nil {
		return nil, err
	}
	return set, nil
}

var customKeyMembers = nameSet("kty", "use", "key_ops", "alg", "kid", "x5u", "x5c", "x5t", "x5t#S256",
	"crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "k")

// customKeyFields are the members each kty requires.
var customKeyFields = map[string][]string{"RSA": {"n", "e"}, "EC": {"x", "y"}, "oct": {"k"}, "OKP": {"x"}}

// parseCustomKey types one JWK as biscuit does.
func parseCustomKey(raw []byte, kind strictjson.Kind) (*CustomKey, error) {
	members, err := keyMembers(raw, kind, customKeyMembers)
	if err != nil {
		return nil, err
	}
	k := &CustomKey{}
	vals := map[string][]byte{}
	for _, m := range members {
		if err := k.setMember(m, vals); err != nil {
			return nil, err
		}
	}
	if err := k.checkKty(vals); err != nil {
		return nil, err
	}
	k.build(vals)
	return k, nil
}

// setMember types one member; base64url members go to vals, decoded.
func (k *CustomKey) setMember(m strictjson.Member, vals map[string][]byte) error {
	if m.Kind == strictjson.Null && m.Key != "kty" {
		return nil
	}
	if m.Key == "key_ops" || m.Key == "x5c" {
		if _, ok := strictjson.StringArray(m.Raw); m.Kind != strictjson.Array || !ok {
			return fmt.Errorf("%s must be an array of strings", m.Key)
		}
		return nil
	}
	if m.Kind != strictjson.String {
		return fmt.Errorf("%s must be a string, found %s", m.Key, strictjson.Unexpected(m.Raw))
	}
	s, err := strictjson.DecodeString(m.Raw)
	if err != nil {
		return err
	}
	switch m.Key {
	case "kty":
		k.Kty = s
	case "use":
		k.Use = s
	case "kid":
		k.Kid, k.HasKid = s, true
	case "alg":
		sig, known := biscuitAlgFamily(s)
		if !known {
			return fmt.Errorf("unknown alg %q", s)
		}
		k.Alg, k.HasAlg, k.AlgIsSignature = s, true, sig
	case "crv":
		k.Crv = s
	case "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "k":
		b, err := DecodeStrict(s)
		if err != nil {
			return fmt.Errorf("%s is not unpadded base64url: %v", m.Key, err)
		}
		vals[m.Key] = b
	}
	return nil
}

// checkKty requires a known kty, an EC or OKP curve, and the members the
// kty needs.
func (k *CustomKey) checkKty(vals map[string][]byte) error {
	need, ok := customKeyFields[k.Kty]
	switch {
	case k.Kty == "":
		return fmt.Errorf("missing field \"kty\"")
	case !ok:
		return fmt.Errorf("unknown kty %q", k.Kty)
	case k.Kty == "EC" && k.Crv != "P-256" && k.Crv != "P-384" && k.Crv != "P-521":
		return fmt.Errorf("unknown EC curve %q", k.Crv)
	case k.Kty == "OKP" && k.Crv == "":
		return fmt.Errorf("missing field \"crv\" for kty \"OKP\"")
	}
	for _, n := range need {
		if _, ok := vals[n]; !ok {
			return fmt.Errorf("missing field %q for kty %q", n, k.Kty)
		}
	}
	return nil
}

// build makes the keys biscuit would verify with: RSA and P-256 keys
// become public keys; oct keys are raw bytes that cannot verify RS256 or
// ES256, and OKP keys are unsupported.
func (k *CustomKey) build(vals map[string][]byte) {
	switch k.Kty {
	case "RSA":
		if pub, why := rsaPublicKey(vals["n"], vals["e"]); pub != nil {
			k.rsa = pub
		} else {
			k.rsaWhy = why
		}
	case "EC":
		if pub, why := p256PublicKey(k.Crv, vals["x"], vals["y"]); pub != nil {
			k.ec = pub
		} else {
			k.ecWhy = why
		}
	}
}

// First returns the first key whose kid is kid, as biscuit picks it, and
// its index; nil and -1 when none has it.
func (s *CustomKeySet) First(kid string) (*CustomKey, int) {
	for i, k := range s.Keys {
		if k.HasKid && k.Kid == kid {
			return k, i
		}
	}
	return nil, -1
}

// Kids lists the kids of the set's keys, in order.
func (s *CustomKeySet) Kids() []string { return kidsOf(s.Keys) }

func (k *CustomKey) kid() (string, bool) { return k.Kid, k.HasKid }

// PublicKeyFor returns the key that verifies alg, or why this JWK cannot.
func (k *CustomKey) PublicKeyFor(alg string) (crypto.PublicKey, string) {
	switch {
	case alg == "RS256" && k.Kty != "RSA":
		return nil, fmt.Sprintf("kty %q cannot verify RS256", k.Kty)
	case alg == "RS256" && k.rsa == nil:
		return nil, k.rsaWhy
	case alg == "RS256":
		return k.rsa, ""
	case alg == "ES256" && k.Kty != "EC":
		return nil, fmt.Sprintf("kty %q cannot verify ES256", k.Kty)
	case alg == "ES256" && k.ec == nil:
		return nil, k.ecWhy
	case alg == "ES256":
		return k.ec, ""
	}
	return nil, "algorithm " + alg + " is not supported"
}

// biscuitAlgFamily says whether alg is one of biscuit's algorithm names
// and whether it is a signature algorithm (jwa.rs).
func biscuitAlgFamily(alg string) (sig bool, known bool) {
	if isBiscuitAlg(alg) {
		return true, true
	}
	switch alg {
	case "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "A128KW", "A192KW", "A256KW", "dir",
		"ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW",
		"A128GCMKW", "A192GCMKW", "A256GCMKW", "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
		"A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM":
		return false, true
	}
	return false, false
}
