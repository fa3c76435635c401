package jose

import (
	"crypto"
	"fmt"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
)

// OIDCKey is one key of a set that survived openidconnect's
// deserialization (SPEC.md "Key sets"). A key whose n, e, crv or x did not
// decode is kept: it takes part in key selection and fails only when it is
// used to verify (Unusable says why).
type OIDCKey struct {
	// Index is the key's position in the document's "keys" array.
	Index  int
	Kid    string
	HasKid bool
	Kty    string // "RSA", "EC", "oct" or "OKP"
	Use    string
	HasUse bool
	// Alg is the key's alg member and AlgKind its class; AlgUnknown when
	// the key has none.
	Alg     string
	AlgKind AlgKind
	Crv     string // "" when absent or not a known curve
	// Public is the verification key (*rsa.PublicKey or
	// ed25519.PublicKey), nil when Unusable is set or the kty is one the
	// OIDC path never verifies with.
	Public   crypto.PublicKey
	Unusable string
}

// SkippedKey is a key the OIDC path dropped while reading the set, with
// the reason: openidconnect skips a key that fails to deserialize and
// keeps the rest.
type SkippedKey struct {
	Index  int
	Reason string
}

// OIDCKeySet is a key set as the OIDC path reads it.
type OIDCKeySet struct {
	Keys    []*OIDCKey
	Skipped []SkippedKey
}

// Summary is a one-line description of the set.
func (s *OIDCKeySet) Summary() string {
	return fmt.Sprintf("%d usable keys, %d skipped", len(s.Keys), len(s.Skipped))
}

// Kids lists the kids of the set's keys, in order.
func (s *OIDCKeySet) Kids() []string { return kidsOf(s.Keys) }

func (k *OIDCKey) kid() (string, bool) { return k.Kid, k.HasKid }

// ParseOIDCKeySet reads a JWKS body the way openidconnect's
// CoreJsonWebKeySet does: "keys" must be an array, a key that fails to
// deserialize is skipped with its reason.
func ParseOIDCKeySet(body []byte) (*OIDCKeySet, error) {
	keysRaw, err := jwksKeys(body)
	if err != nil {
		return nil, err
	}
	set := &OIDCKeySet{}
	err = strictjson.Each(keysRaw, func(i int, raw []byte, kind strictjson.Kind) {
		k, why := parseOIDCKey(raw, kind)
		if k == nil {
			set.Skipped = append(set.Skipped, SkippedKey{Index: i, Reason: why})
			return
		}
		k.Index = i
		set.Keys = append(set.Keys, k)
	})
	if err != nil {
		return nil, err
	}
	return set, nil
}

var oidcKeyMembers = nameSet("kty", "use", "kid", "alg", "n", "e", "crv", "x", "y", "d", "k")

// oidcMaterial is the key material openidconnect decoded; a member that is
// absent or does not decode counts as absent ("deserialize_option_or_none").
type oidcMaterial struct {
	n, e, x    []byte
	hasN, hasE bool
}

// parseOIDCKey types one key, or returns nil and why it is skipped.
func parseOIDCKey(raw []byte, kind strictjson.Kind) (*OIDCKey, string) {
	members, err := keyMembers(raw, kind, oidcKeyMembers)
	if err != nil {
		return nil, err.Error()
	}
	k := &OIDCKey{}
	var mat oidcMaterial
	for _, m := range members {
		if why := k.setMember(m, &mat); why != "" {
			return nil, why
		}
	}
	if k.Kty == "" {
		return nil, "missing field kty"
	}
	k.build(mat)
	return k, ""
}

// setMember types one member, returning why the key is skipped, if it is.
func (k *OIDCKey) setMember(m strictjson.Member, mat *oidcMaterial) string {
	str, isStr := "", m.Kind == strictjson.String
	if isStr {
		str, _ = strictjson.DecodeString(m.Raw)
	}
	switch m.Key {
	case "kty":
		if !isStr {
			return "kty is not a string"
		}
		switch str {
		case "RSA", "EC", "oct", "OKP":
			k.Kty = str
		default:
			return fmt.Sprintf("unknown kty %q", str)
		}
	case "use", "kid", "alg":
		if m.Kind == strictjson.Null {
			return ""
		}
		if !isStr {
			return fmt.Sprintf("%s is not a string", m.Key)
		}
		return k.setString(m.Key, str)
	case "n", "e", "x":
		if !isStr {
			return ""
		}
		if b, err := decodeLenient(str); err == nil {
			switch m.Key {
			case "n":
				mat.n, mat.hasN = b, true
			case "e":
				mat.e, mat.hasE = b, true
			default:
				mat.x = b
			}
		}
	case "crv":
		switch str {
		case "P-256", "P-384", "P-521", "Ed25519":
			k.Crv = str
		}
	}
	return ""
}

func (k *OIDCKey) setString(key, s string) string {
	switch key {
	case "use":
		k.Use, k.HasUse = s, true
	case "kid":
		k.Kid, k.HasKid = s, true
	default:
		k.AlgKind = OIDCAlgKind(s)
		if k.AlgKind == AlgUnknown {
			return fmt.Sprintf("unrecognized JSON Web Algorithm %q", s)
		}
		k.Alg = s
	}
	return ""
}

// build turns the decoded material into the key the OIDC path can verify
// with (RSA for RS256, OKP Ed25519 for EdDSA), or says why it cannot.
func (k *OIDCKey) build(mat oidcMaterial) {
	switch k.Kty {
	case "RSA":
		switch {
		case !mat.hasN:
			k.Unusable = "RSA key required modulus (n missing or not base64url)"
		case !mat.hasE:
			k.Unusable = "RSA key required exponent (e missing or not base64url)"
		default:
			if pub, why := rsaPublicKey(mat.n, mat.e); pub != nil {
				k.Public = pub
			} else {
				k.Unusable = why
			}
		}
	case "OKP":
		switch {
		case k.Crv == "":
			k.Unusable = "EdDSA key must specify crv"
		case k.Crv != "Ed25519":
			k.Unusable = "unsupported EdDSA curve " + k.Crv
		default:
			if pub, why := ed25519PublicKey(mat.x); pub != nil {
				k.Public = pub
			} else {
				k.Unusable = why
			}
		}
	}
}

// Candidates is openidconnect's key selection for a verified token: the
// keys whose kid equals the header's (any key when the header has none)
// and that are compatible with its alg. The backend needs exactly one;
// why lists, for the keys that had the kid but did not fit, the reason.
func (s *OIDCKeySet) Candidates(h *Header) (cands []*OIDCKey, why []string) {
	for _, k := range s.Keys {
		if h.HasKid && (!k.HasKid || k.Kid != h.Kid) {
			continue
		}
		if ok, reason := k.Compatible(h.Alg); !ok {
			why = append(why, fmt.Sprintf("key %q: %s", k.Kid, reason))
			continue
		}
		cands = append(cands, k)
	}
	return cands, why
}

// Compatible is openidconnect's check_key_compatibility for a signature
// algorithm: use absent or "sig", kty fitting alg (RSA for RS256, OKP for
// EdDSA), and alg absent or equal.
func (k *OIDCKey) Compatible(alg string) (bool, string) {
	if k.HasUse && k.Use != "sig" {
		return false, fmt.Sprintf("use %q does not permit signatures", k.Use)
	}
	wantKty := map[string]string{"RS256": "RSA", "EdDSA": "OKP"}[alg]
	if k.Kty != wantKty {
		return false, fmt.Sprintf("kty %q does not fit %s (needs %s)", k.Kty, alg, wantKty)
	}
	switch k.AlgKind {
	case AlgSignature:
		if k.Alg != alg {
			return false, fmt.Sprintf("key alg %s is not the token's %s", k.Alg, alg)
		}
	case AlgEncryption, AlgNone:
		return false, fmt.Sprintf("key alg %q is not a signing algorithm", k.Alg)
	}
	return true, ""
}
