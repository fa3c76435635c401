package jose

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
)

// Dialect is the library whose reading of a JOSE header the backend uses
// on a path: biscuit on the customJwt path, openidconnect on the OIDC path
// (SPEC.md "Headers").
type Dialect uint8

const (
	// Biscuit reads the header with strict base64url and biscuit's
	// algorithm list.
	Biscuit Dialect = iota + 1
	// OpenIDConnect reads it with lenient base64url and openidconnect's
	// JWS and JWE algorithm lists.
	OpenIDConnect
)

// Header is the header members the backend types.
type Header struct {
	Alg     string
	HasAlg  bool
	Kid     string
	HasKid  bool
	Typ     string
	HasTyp  bool
	Cty     string
	HasCty  bool
	Crit    []string
	HasCrit bool
}

// AlgKind is how openidconnect classifies an alg value.
type AlgKind uint8

// Kinds of alg values.
const (
	AlgUnknown    AlgKind = iota
	AlgSignature          // a JWS algorithm (CoreJwsSigningAlgorithm)
	AlgEncryption         // a JWE content-encryption algorithm
	AlgNone               // "none"
)

// OIDCAlgKind classifies alg as openidconnect's core types do.
func OIDCAlgKind(alg string) AlgKind {
	switch alg {
	case "none":
		return AlgNone
	case "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
		"PS256", "PS384", "PS512", "EdDSA":
		return AlgSignature
	case "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM":
		return AlgEncryption
	}
	return AlgUnknown
}

// isBiscuitAlg reports whether alg is one of biscuit's SignatureAlgorithm names.
func isBiscuitAlg(alg string) bool {
	return alg != "EdDSA" && (alg == "none" || OIDCAlgKind(alg) == AlgSignature)
}

// headerField describes one typed header member.
type headerField struct {
	name  string
	array bool // array of strings; otherwise a string
}

// oidcHeaderFields are JsonWebTokenHeader's fields; others are ignored.
var oidcHeaderFields = []headerField{{"alg", false}, {"crit", true}, {"cty", false}, {"kid", false}, {"typ", false}}

// biscuitHeaderFields are biscuit RegisteredHeader's fields. "jwk" is a
// string there, a quirk of biscuit that makes a JWK object header fail.
var biscuitHeaderFields = []headerField{
	{"alg", false}, {"typ", false}, {"cty", false}, {"jku", false}, {"jwk", false},
	{"kid", false}, {"x5u", false}, {"x5c", true}, {"x5t", false}, {"crit", true},
}

// ParseHeader decodes and types the first part of a token as d reads it.
func ParseHeader(part string, d Dialect) (*Header, error) {
	decode, fields := decodeLenient, oidcHeaderFields
	if d == Biscuit {
		decode, fields = DecodeStrict, biscuitHeaderFields
	}
	raw, err := decode(part)
	if err != nil {
		return nil, fmt.Errorf("the header (first part) is not unpadded base64url: %v", err)
	}
	members, err := strictjson.ParseObject(raw)
	if err != nil {
		return nil, fmt.Errorf("the header is not a JSON object: %v", err)
	}
	h := &Header{}
	seen := make([]bool, len(fields))
	for _, m := range members {
		fi := fieldIndex(fields, m.Key)
		if fi < 0 {
			continue
		}
		if seen[fi] {
			return nil, fmt.Errorf("the header has %q twice", m.Key)
		}
		seen[fi] = true
		if m.Kind == strictjson.Null && m.Key != "alg" {
			continue
		}
		if err := h.set(m, fields[fi].array); err != nil {
			return nil, err
		}
	}
	return h, h.checkAlg(d)
}

func fieldIndex(fields []headerField, key string) int {
	for i, f := range fields {
		if f.name == key {
			return i
		}
	}
	return -1
}

// set types one known member: an array of strings or a string.
func (h *Header) set(m strictjson.Member, array bool) error {
	if array {
		vals, ok := []string(nil), m.Kind == strictjson.Array
		if ok {
			vals, ok = strictjson.StringArray(m.Raw)
		}
		if !ok {
			return fmt.Errorf("header %q must be an array of strings, found %s", m.Key, strictjson.Unexpected(m.Raw))
		}
		if m.Key == "crit" {
			h.Crit, h.HasCrit = vals, true
		}
		return nil
	}
	if m.Kind != strictjson.String {
		return fmt.Errorf("header %q must be a string, found %s", m.Key, strictjson.Unexpected(m.Raw))
	}
	s, err := strictjson.DecodeString(m.Raw)
	if err != nil {
		return err
	}
	switch m.Key {
	case "alg":
		h.Alg, h.HasAlg = s, true
	case "kid":
		h.Kid, h.HasKid = s, true
	case "typ":
		h.Typ, h.HasTyp = s, true
	case "cty":
		h.Cty, h.HasCty = s, true
	}
	return nil
}

// checkAlg requires an alg the dialect's library knows.
func (h *Header) checkAlg(d Dialect) error {
	switch {
	case !h.HasAlg:
		return errors.New("the header has no \"alg\"")
	case d == Biscuit && !isBiscuitAlg(h.Alg):
		return fmt.Errorf("header alg %q is not an algorithm biscuit knows", h.Alg)
	case d != Biscuit && OIDCAlgKind(h.Alg) == AlgUnknown:
		return fmt.Errorf("header alg %q is not a JWS or JWE algorithm openidconnect knows", h.Alg)
	}
	return nil
}

// NormalizeJWTType is openidconnect's JsonWebTokenType::normalize:
// lowercase; a value without '/' gets "application/" in front; a value with
// parameters must have a non-empty type and subtype before the ';'.
func NormalizeJWTType(typ string) (string, bool) {
	t := strings.ToLower(typ)
	slash := strings.IndexByte(t, '/')
	if slash < 0 {
		return "application/" + t, true
	}
	if semi := strings.IndexByte(t, ';'); semi >= 0 {
		if slash > semi || slash == 0 || slash+1 >= semi {
			return "", false
		}
	}
	return t, true
}
