package convex

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"fmt"
	"hash/maphash"
	"math/big"
	"sync"
)

// JWKS parsing. The two paths parse a key set differently
// (reference/convex.md §1.3 step 1 and §1.4 step 2):
//
//   - OIDC (openidconnect CoreJsonWebKeySet): "keys" must be an array, but
//     a key that fails to deserialize is skipped (VecSkipError). Inside a
//     key, n/e/crv/x/y that fail to decode become "absent" and only fail
//     when that key is used to verify.
//   - customJwt (biscuit JWKSet): one malformed key fails the whole set (C5).

// --- OIDC key set -------------------------------------------------------------

// oidcKey is one key that survived openidconnect's deserialization.
type oidcKey struct {
	Index  int
	Kid    string
	HasKid bool
	Kty    string // "RSA", "EC", "oct" or "OKP"
	Use    string
	HasUse bool
	// AlgState: 0 no alg, 1 a JWS algorithm (Alg), 2 any other alg value
	// ("none" or a JWE algorithm): incompatible with every signature.
	AlgState int
	Alg      string
	Crv      string // "" when absent or not a known curve
	// rsaKey/edKey are prepared at parse time; keyErr says why the key
	// cannot verify (it still counts in key selection).
	rsaKey *rsa.PublicKey
	edKey  ed25519.PublicKey
	keyErr string
}

// oidcKeySet is a parsed JWKS document for the OIDC path.
type oidcKeySet struct {
	Keys []*oidcKey
	// Skipped lists keys dropped at deserialization, with the reason.
	Skipped []string
	// summary is the trace's one-line description of the set.
	summary string
}

// jwksKeys returns the raw "keys" array of a JWKS document; both parsers
// agree on what a JWKS must look like at the top level.
func jwksKeys(body []byte) ([]byte, error) {
	members, err := parseJSONObject(body)
	if err != nil {
		return nil, fmt.Errorf("the JWKS is not a JSON object: %v", err)
	}
	var keysRaw []byte
	found := false
	for _, m := range members {
		if m.Key != "keys" {
			continue
		}
		if found {
			return nil, fmt.Errorf("the JWKS has \"keys\" twice")
		}
		found = true
		if m.Kind != jArray {
			return nil, fmt.Errorf("\"keys\" must be an array, found %s", describeJSON(m))
		}
		keysRaw = m.Raw
	}
	if !found {
		return nil, fmt.Errorf("the JWKS has no \"keys\" member")
	}
	return keysRaw, nil
}

// parseOIDCJWKS parses a JWKS body the way openidconnect does.
func parseOIDCJWKS(body []byte) (*oidcKeySet, error) {
	keysRaw, err := jwksKeys(body)
	if err != nil {
		return nil, err
	}
	set := &oidcKeySet{}
	err = forEachArrayElement(keysRaw, func(i int, raw []byte, kind jsonKind) {
		k, why := parseOIDCKey(raw, kind)
		if k == nil {
			set.Skipped = append(set.Skipped, fmt.Sprintf("key %d skipped: %s", i, why))
			return
		}
		k.Index = i
		set.Keys = append(set.Keys, k)
	})
	if err != nil {
		return nil, err
	}
	set.summary = fmt.Sprintf("%d usable keys, %d skipped", len(set.Keys), len(set.Skipped))
	return set, nil
}

// forEachArrayElement calls fn for each element of a validated array.
func forEachArrayElement(raw []byte, fn func(i int, raw []byte, kind jsonKind)) error {
	i := skipWS(raw, 1)
	if i < len(raw) && raw[i] == ']' {
		return nil
	}
	for n := 0; i < len(raw); n++ {
		end, kind, err := scanValue(raw, i, 1)
		if err != nil {
			return err
		}
		fn(n, raw[i:end], kind)
		i = skipWS(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = skipWS(raw, i+1)
			continue
		}
		break
	}
	return nil
}

func parseOIDCKey(raw []byte, kind jsonKind) (*oidcKey, string) {
	if kind != jObject {
		return nil, "not an object"
	}
	members, err := parseJSONObject(raw)
	if err != nil {
		return nil, err.Error()
	}
	k := &oidcKey{}
	var n, e, x []byte
	var nOK, eOK, xOK bool
	seen := map[string]bool{}
	for _, m := range members {
		switch m.Key {
		case "kty", "use", "kid", "alg", "n", "e", "crv", "x", "y", "d", "k":
		default:
			continue
		}
		if seen[m.Key] {
			return nil, fmt.Sprintf("duplicate field %q", m.Key)
		}
		seen[m.Key] = true
		str := ""
		isStr := m.Kind == jString
		if isStr {
			str, _ = decodeJSONString(m.Raw)
		}
		switch m.Key {
		case "kty":
			if !isStr {
				return nil, "kty is not a string"
			}
			switch str {
			case "RSA", "EC", "oct", "OKP":
				k.Kty = str
			default:
				return nil, fmt.Sprintf("unknown kty %q", str)
			}
		case "use", "kid", "alg":
			if m.Kind == jNull {
				continue
			}
			if !isStr {
				return nil, fmt.Sprintf("%s is not a string", m.Key)
			}
			switch m.Key {
			case "use":
				k.Use, k.HasUse = str, true
			case "kid":
				k.Kid, k.HasKid = str, true
			default:
				switch classifyOIDCAlg(str) {
				case algSignature:
					k.AlgState, k.Alg = 1, str
				case algEncryption, algNone:
					k.AlgState, k.Alg = 2, str
				default:
					return nil, fmt.Sprintf("unrecognized JSON Web Algorithm %q", str)
				}
			}
		case "n", "e", "x":
			// deserialize_option_or_none: anything undecodable is "absent".
			if !isStr {
				continue
			}
			b, err := decodeB64Lenient(str)
			if err != nil {
				continue
			}
			switch m.Key {
			case "n":
				n, nOK = b, true
			case "e":
				e, eOK = b, true
			default:
				x, xOK = b, true
			}
		case "crv":
			if isStr {
				switch str {
				case "P-256", "P-384", "P-521", "Ed25519":
					k.Crv = str
				}
			}
		}
	}
	if k.Kty == "" {
		return nil, "missing field kty"
	}
	switch k.Kty {
	case "RSA":
		switch {
		case !nOK:
			k.keyErr = "RSA key required modulus (n missing or not base64url)"
		case !eOK:
			k.keyErr = "RSA key required exponent (e missing or not base64url)"
		default:
			k.rsaKey, k.keyErr = makeRSAKey(n, e)
		}
	case "OKP":
		switch {
		case k.Crv == "":
			k.keyErr = "EdDSA key must specify crv"
		case k.Crv != "Ed25519":
			k.keyErr = "unsupported EdDSA curve " + k.Crv
		case !xOK || len(x) != ed25519.PublicKeySize:
			k.keyErr = "Ed25519 key needs a 32-byte x"
		default:
			k.edKey = ed25519.PublicKey(x)
		}
	}
	return k, ""
}

// makeRSAKey builds a verification key with the limits the backend's
// crypto applies: RSA_PKCS1_2048_8192_SHA256 needs a 2048–8192-bit modulus,
// and the exponent must be odd and at least 3. Go's crypto/rsa additionally
// refuses exponents above 2^31-1.
func makeRSAKey(n, e []byte) (*rsa.PublicKey, string) {
	N := new(big.Int).SetBytes(n)
	bits := N.BitLen()
	if bits < 2048 || bits > 8192 {
		return nil, fmt.Sprintf("RSA modulus is %d bits; the backend verifies RS256 only with 2048–8192-bit keys", bits)
	}
	E := new(big.Int).SetBytes(e)
	if E.BitLen() > 31 {
		return nil, "RSA exponent is larger than 2^31-1"
	}
	ev := int(E.Int64())
	if ev < 3 || ev%2 == 0 {
		return nil, fmt.Sprintf("RSA exponent %d is invalid (must be odd and at least 3)", ev)
	}
	return &rsa.PublicKey{N: N, E: ev}, ""
}

// info returns the key for the trace.
func (k *oidcKey) info() KeyInfo {
	ki := KeyInfo{Kid: k.Kid, Kty: k.Kty, Use: k.Use}
	if k.AlgState != 0 {
		ki.Alg = k.Alg
	}
	return ki
}

// compatible is check_key_compatibility for a signature algorithm.
func (k *oidcKey) compatible(alg string) (bool, string) {
	if k.HasUse && k.Use != "sig" {
		return false, fmt.Sprintf("use %q does not permit signatures", k.Use)
	}
	wantKty := map[string]string{"RS256": "RSA", "EdDSA": "OKP"}[alg]
	if k.Kty != wantKty {
		return false, fmt.Sprintf("kty %q does not fit %s (needs %s)", k.Kty, alg, wantKty)
	}
	switch k.AlgState {
	case 1:
		if k.Alg != alg {
			return false, fmt.Sprintf("key alg %s is not the token's %s", k.Alg, alg)
		}
	case 2:
		return false, fmt.Sprintf("key alg %q is not a signing algorithm", k.Alg)
	}
	return true, ""
}

// --- customJwt key set (biscuit) ---------------------------------------------

// biscuitKey is one JWK of a biscuit JWKSet.
type biscuitKey struct {
	Kid    string
	HasKid bool
	Kty    string
	Use    string
	Alg    string
	HasAlg bool
	// AlgIsSignature is false for key-management or content-encryption
	// algs (biscuit: UnsupportedKeyAlgorithm).
	AlgIsSignature bool
	Crv            string
	rsaKey         *rsa.PublicKey
	rsaErr         string
	ecX, ecY       []byte
}

type biscuitKeySet struct {
	Keys []*biscuitKey
}

// biscuit's algorithm names, by family (jwa.rs).
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

// parseBiscuitJWKS parses a JWKS the way biscuit's JWKSet<Empty> does: any
// malformed key fails the whole document (C5).
func parseBiscuitJWKS(body []byte) (*biscuitKeySet, error) {
	keysRaw, err := jwksKeys(body)
	if err != nil {
		return nil, err
	}
	set := &biscuitKeySet{}
	var firstErr error
	err = forEachArrayElement(keysRaw, func(i int, raw []byte, kind jsonKind) {
		if firstErr != nil {
			return
		}
		k, err := parseBiscuitKey(raw, kind)
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

func parseBiscuitKey(raw []byte, kind jsonKind) (*biscuitKey, error) {
	if kind != jObject {
		return nil, fmt.Errorf("not an object")
	}
	members, err := parseJSONObject(raw)
	if err != nil {
		return nil, err
	}
	k := &biscuitKey{}
	vals := map[string][]byte{}
	seen := map[string]bool{}
	for _, m := range members {
		switch m.Key {
		case "kty", "use", "key_ops", "alg", "kid", "x5u", "x5c", "x5t", "x5t#S256",
			"crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "k":
		default:
			continue
		}
		if seen[m.Key] {
			return nil, fmt.Errorf("duplicate field %q", m.Key)
		}
		seen[m.Key] = true
		if m.Kind == jNull && m.Key != "kty" {
			continue
		}
		switch m.Key {
		case "key_ops", "x5c":
			if _, ok := stringArray(m.Raw); m.Kind != jArray || !ok {
				return nil, fmt.Errorf("%s must be an array of strings", m.Key)
			}
			continue
		}
		if m.Kind != jString {
			return nil, fmt.Errorf("%s must be a string, found %s", m.Key, describeJSON(m))
		}
		s, err := decodeJSONString(m.Raw)
		if err != nil {
			return nil, err
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
				return nil, fmt.Errorf("unknown alg %q", s)
			}
			k.Alg, k.HasAlg, k.AlgIsSignature = s, true, sig
		case "crv":
			k.Crv = s
		case "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "k":
			b, err := decodeB64Strict(s)
			if err != nil {
				return nil, fmt.Errorf("%s is not unpadded base64url: %v", m.Key, err)
			}
			vals[m.Key] = b
		}
	}
	need := func(names ...string) error {
		for _, n := range names {
			if _, ok := vals[n]; !ok {
				return fmt.Errorf("missing field %q for kty %q", n, k.Kty)
			}
		}
		return nil
	}
	switch k.Kty {
	case "RSA":
		if err := need("n", "e"); err != nil {
			return nil, err
		}
		k.rsaKey, k.rsaErr = makeRSAKey(vals["n"], vals["e"])
	case "EC":
		switch k.Crv {
		case "P-256", "P-384", "P-521":
		default:
			return nil, fmt.Errorf("unknown EC curve %q", k.Crv)
		}
		if err := need("x", "y"); err != nil {
			return nil, err
		}
		k.ecX, k.ecY = vals["x"], vals["y"]
	case "oct":
		if err := need("k"); err != nil {
			return nil, err
		}
	case "OKP":
		if k.Crv == "" {
			return nil, fmt.Errorf("missing field \"crv\" for kty \"OKP\"")
		}
		if err := need("x"); err != nil {
			return nil, err
		}
	case "":
		return nil, fmt.Errorf("missing field \"kty\"")
	default:
		return nil, fmt.Errorf("unknown kty %q", k.Kty)
	}
	return k, nil
}

func (k *biscuitKey) info() KeyInfo {
	return KeyInfo{Kid: k.Kid, Kty: k.Kty, Alg: k.Alg, Use: k.Use}
}

// ecdsaP256 returns the key as a P-256 public key, or why it cannot be one.
// ring wants the 65-byte uncompressed point, so x and y must be 32 bytes.
func (k *biscuitKey) ecdsaP256() (*ecdsa.PublicKey, string) {
	if k.Kty != "EC" {
		return nil, fmt.Sprintf("kty %q cannot verify ES256", k.Kty)
	}
	if k.Crv != "P-256" || len(k.ecX) != 32 || len(k.ecY) != 32 {
		return nil, fmt.Sprintf("ES256 needs a P-256 key with 32-byte x and y (crv %s, %d and %d bytes)", k.Crv, len(k.ecX), len(k.ecY))
	}
	point := append(append([]byte{4}, k.ecX...), k.ecY...)
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
	if err != nil {
		return nil, "the EC point is not on P-256"
	}
	return pub, ""
}

// --- parsed-document cache ------------------------------------------------------

// docCache keeps parsed discovery documents and key sets by the hash of
// their body, so a warm validation parses no document and builds no key:
// it parses the token and verifies the signature.
type docCache struct {
	mu      sync.RWMutex
	seed    maphash.Seed
	entries map[docKey]docEntry
}

type docKey struct {
	kind byte
	hash uint64
}

type docEntry struct {
	body []byte
	val  any
	err  error
}

const docCacheMax = 128

func newDocCache() *docCache {
	return &docCache{seed: maphash.MakeSeed(), entries: map[docKey]docEntry{}}
}

// get returns the parsed value for body, parsing it on a miss. Errors are
// cached too: a bad document stays bad until its body changes.
func (c *docCache) get(kind byte, body []byte, parse func([]byte) (any, error)) (any, error) {
	key := docKey{kind: kind, hash: maphash.Bytes(c.seed, body)}
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if ok && bytes.Equal(e.body, body) {
		return e.val, e.err
	}
	val, err := parse(body)
	c.mu.Lock()
	if len(c.entries) >= docCacheMax {
		clear(c.entries)
	}
	c.entries[key] = docEntry{body: bytes.Clone(body), val: val, err: err}
	c.mu.Unlock()
	return val, err
}
