package convex

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strings"
)

// Two token parsers live here, because the backend parses every token twice
// with two different libraries (reference/convex.md §1.2 step 1 and §1.3
// step 3):
//
//   - parsePayload follows biscuit's unverified_payload: only the second
//     part is decoded, with strict base64url (data_encoding's
//     BASE64URL_NOPAD), and only the registered claims are typed.
//   - parseOIDCToken follows openidconnect's CoreIdToken::from_str: exactly
//     three parts, base64url without padding (trailing bits allowed), a
//     header with a known alg, and typed ID-token and standard claims.

// maxTokenBytes bounds what the validator will look at. The real backend
// has no such check (a WebSocket frame limit stops such tokens first); 16
// MiB keeps a hostile token from costing more than a moment.
const maxTokenBytes = 16 << 20

// Unix-second bounds of chrono's NaiveDateTime (-262143-01-01 to
// +262142-12-31T23:59:59). biscuit's Timestamp unwraps
// NaiveDateTime::from_timestamp_opt, so a value outside panics in the
// backend; openidconnect returns a parse error instead.
const (
	chronoMinUnix = -8334601315200
	chronoMaxUnix = 8210266876799
)

// payloadError is why step 1 could not read the payload. Internal marks the
// cases where the real backend fails without ErrorMetadata (a panic).
type payloadError struct {
	Detail   string
	Internal bool
}

func (e *payloadError) Error() string { return e.Detail }

func payloadErr(format string, args ...any) *payloadError {
	return &payloadError{Detail: fmt.Sprintf(format, args...)}
}

// decodeB64Strict is data_encoding's BASE64URL_NOPAD: URL alphabet, no
// padding, no whitespace, zero trailing bits. Go's decoder silently skips
// CR and LF, so they are rejected first.
func decodeB64Strict(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("invalid symbol (line break)")
	}
	return base64.RawURLEncoding.Strict().DecodeString(s)
}

// decodeB64Lenient is the base64 crate's URL_SAFE engine with NO_PAD and
// decode_allow_trailing_bits(true), as openidconnect uses for tokens and
// JWK members.
func decodeB64Lenient(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("invalid symbol (line break)")
	}
	return base64.RawURLEncoding.DecodeString(s)
}

// timeClaim is one of exp, nbf, iat after biscuit's NumericType coercion.
type timeClaim struct {
	Present bool
	Unix    int64
}

// payloadClaims is what step 1 learns from a token without checking it.
type payloadClaims struct {
	Iss    string
	HasIss bool
	Sub    string
	HasSub bool
	// Aud is the audience list: a single string becomes a list of one,
	// absent or null an empty list (§1.2 step 3).
	Aud    []string
	HasAud bool
	Jti    string
	HasJti bool
	Exp    timeClaim
	Nbf    timeClaim
	Iat    timeClaim
	// Members are all top-level members in document order.
	Members []jsonMember
}

// registeredClaims are the claims biscuit types (RFC 7519 §4.1).
var registeredClaims = [...]string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}

func isRegisteredClaim(k string) bool { return registeredIndex(k) >= 0 }

// registeredIndex is k's index in registeredClaims, or -1.
func registeredIndex(k string) int {
	switch k {
	case "iss":
		return 0
	case "sub":
		return 1
	case "aud":
		return 2
	case "exp":
		return 3
	case "nbf":
		return 4
	case "iat":
		return 5
	case "jti":
		return 6
	}
	return -1
}

// parseTokenPayload is §1.2 step 1: decode the second part of token.
func parseTokenPayload(token string) (*payloadClaims, *payloadError) {
	if len(token) > maxTokenBytes {
		return nil, payloadErr("the token is %d bytes, over authscope's %d-byte limit", len(token), maxTokenBytes)
	}
	first := strings.IndexByte(token, '.')
	if first < 0 {
		return nil, payloadErr("the token has no '.', so it has no payload part (a JWT is header.payload.signature)")
	}
	rest := token[first+1:]
	part := rest
	if j := strings.IndexByte(rest, '.'); j >= 0 {
		part = rest[:j]
	}
	raw, err := decodeB64Strict(part)
	if err != nil {
		return nil, payloadErr("the payload (second part) is not unpadded base64url: %v", err)
	}
	return parsePayload(raw)
}

// parsePayload types the registered claims of a decoded payload the way
// biscuit's ClaimsSet<Empty> does (reference/convex.md §1.2 step 1).
func parsePayload(raw []byte) (*payloadClaims, *payloadError) {
	members, err := parseJSONObject(raw)
	if err != nil {
		return nil, payloadErr("the payload is not a JSON object: %v", err)
	}
	pc := &payloadClaims{Members: members, Aud: nil}
	seen := [len(registeredClaims)]bool{}
	for _, m := range members {
		idx := registeredIndex(m.Key)
		if idx < 0 {
			continue
		}
		if seen[idx] {
			return nil, payloadErr("the payload has the claim %q twice (serde: duplicate field)", m.Key)
		}
		seen[idx] = true
		if m.Kind == jNull {
			continue // serde reads null as an absent Option
		}
		switch m.Key {
		case "iss", "sub", "jti":
			if m.Kind != jString {
				return nil, payloadErr("claim %q must be a string, found %s", m.Key, m.Kind)
			}
			s, err := decodeJSONString(m.Raw)
			if err != nil {
				return nil, payloadErr("claim %q: %v", m.Key, err)
			}
			switch m.Key {
			case "iss":
				pc.Iss, pc.HasIss = s, true
			case "sub":
				pc.Sub, pc.HasSub = s, true
			default:
				pc.Jti, pc.HasJti = s, true
			}
		case "aud":
			aud, ok := stringOrStrings(m)
			if !ok {
				return nil, payloadErr("claim \"aud\" must be a string or an array of strings, found %s", describeJSON(m))
			}
			pc.Aud, pc.HasAud = aud, true
		case "exp", "nbf", "iat":
			tc, perr := biscuitTimestamp(m)
			if perr != nil {
				return nil, perr
			}
			switch m.Key {
			case "exp":
				pc.Exp = tc
			case "nbf":
				pc.Nbf = tc
			default:
				pc.Iat = tc
			}
		}
	}
	if pc.Aud == nil {
		pc.Aud = []string{}
	}
	return pc, nil
}

// biscuitTimestamp is the Convex fork's NumericType: a non-negative integer,
// or a finite non-negative float below 2^64 rounded half away from zero.
// Negative integers are refused; "-0" is a float in serde_json and passes.
func biscuitTimestamp(m jsonMember) (timeClaim, *payloadError) {
	if m.Kind != jNumber {
		return timeClaim{}, payloadErr("claim %q must be a number of seconds, found %s (biscuit: Invalid timestamp)", m.Key, describeJSON(m))
	}
	n, ok := parseJSONNumber(m.Raw)
	if !ok {
		return timeClaim{}, payloadErr("claim %q is not a representable number", m.Key)
	}
	var u uint64
	switch n.Kind {
	case 'u':
		u = n.U
	case 'i':
		return timeClaim{}, payloadErr("claim %q is negative (%d); the backend only reads non-negative timestamps (biscuit: Invalid timestamp)", m.Key, n.I)
	default:
		f := n.F
		if !(f >= 0 && f < 18446744073709551616.0) {
			return timeClaim{}, payloadErr("claim %q (%s) must be a non-negative number below 2^64 (biscuit: NumericType must be representable as a u64)", m.Key, string(m.Raw))
		}
		r := math.Round(f)
		if r >= 18446744073709551615.0 {
			u = math.MaxUint64
		} else {
			u = uint64(r)
		}
	}
	secs := int64(u) // Rust `as i64` wraps like Go's conversion
	if secs < chronoMinUnix || secs > chronoMaxUnix {
		return timeClaim{}, &payloadError{
			Detail:   fmt.Sprintf("claim %q (%s) is outside the dates the backend can represent; biscuit unwraps NaiveDateTime::from_timestamp_opt and the backend panics, which reaches the client as an internal error", m.Key, string(m.Raw)),
			Internal: true,
		}
	}
	return timeClaim{Present: true, Unix: secs}, nil
}

// stringOrStrings reads biscuit's SingleOrMultiple<String> (and
// openidconnect's string-or-vec audiences).
func stringOrStrings(m jsonMember) ([]string, bool) {
	switch m.Kind {
	case jString:
		s, err := decodeJSONString(m.Raw)
		if err != nil {
			return nil, false
		}
		return []string{s}, true
	case jArray:
		return stringArray(m.Raw)
	}
	return nil, false
}

// stringArray decodes a validated JSON array whose elements must all be strings.
func stringArray(raw []byte) ([]string, bool) {
	out := []string{}
	i := skipWS(raw, 1)
	if i < len(raw) && raw[i] == ']' {
		return out, true
	}
	for i < len(raw) {
		if raw[i] != '"' {
			return nil, false
		}
		end, err := scanString(raw, i)
		if err != nil {
			return nil, false
		}
		s, err := decodeJSONString(raw[i:end])
		if err != nil {
			return nil, false
		}
		out = append(out, s)
		i = skipWS(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = skipWS(raw, i+1)
			continue
		}
		break
	}
	return out, true
}

// describeJSON names a value's type and, when short, the value, for details.
func describeJSON(m jsonMember) string {
	if len(m.Raw) <= 40 {
		return fmt.Sprintf("%s %s", m.Kind, string(m.Raw))
	}
	return m.Kind.String()
}

// --- headers ---------------------------------------------------------------

// joseHeader is the header fields authscope looks at.
type joseHeader struct {
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

// oidcAlgKind is how openidconnect classifies a header alg.
type oidcAlgKind uint8

const (
	algUnknown    oidcAlgKind = iota
	algSignature              // a JWS algorithm (CoreJwsSigningAlgorithm)
	algEncryption             // a JWE content-encryption algorithm
	algNone                   // "none"
)

func classifyOIDCAlg(alg string) oidcAlgKind {
	switch alg {
	case "none":
		return algNone
	case "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
		"PS256", "PS384", "PS512", "EdDSA":
		return algSignature
	case "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM":
		return algEncryption
	}
	return algUnknown
}

// biscuitAlgs are biscuit's SignatureAlgorithm names.
func isBiscuitAlg(alg string) bool {
	switch alg {
	case "none", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
		"PS256", "PS384", "PS512":
		return true
	}
	return false
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

// parseHeader decodes and types a JOSE header. strict selects biscuit's
// base64 and alg list; otherwise openidconnect's.
func parseHeader(part string, strict bool) (*joseHeader, error) {
	var raw []byte
	var err error
	if strict {
		raw, err = decodeB64Strict(part)
	} else {
		raw, err = decodeB64Lenient(part)
	}
	if err != nil {
		return nil, fmt.Errorf("the header (first part) is not unpadded base64url: %v", err)
	}
	members, err := parseJSONObject(raw)
	if err != nil {
		return nil, fmt.Errorf("the header is not a JSON object: %v", err)
	}
	fields := oidcHeaderFields
	if strict {
		fields = biscuitHeaderFields
	}
	h := &joseHeader{}
	var seen [16]bool
	for _, m := range members {
		fi := -1
		for i, f := range fields {
			if f.name == m.Key {
				fi = i
				break
			}
		}
		if fi < 0 {
			continue
		}
		if seen[fi] {
			return nil, fmt.Errorf("the header has %q twice", m.Key)
		}
		seen[fi] = true
		if m.Kind == jNull && m.Key != "alg" {
			continue
		}
		f := fields[fi]
		if f.array {
			vals, ok := []string(nil), m.Kind == jArray
			if ok {
				vals, ok = stringArray(m.Raw)
			}
			if !ok {
				return nil, fmt.Errorf("header %q must be an array of strings, found %s", m.Key, describeJSON(m))
			}
			if m.Key == "crit" {
				h.Crit, h.HasCrit = vals, true
			}
			continue
		}
		if m.Kind != jString {
			return nil, fmt.Errorf("header %q must be a string, found %s", m.Key, describeJSON(m))
		}
		s, err := decodeJSONString(m.Raw)
		if err != nil {
			return nil, err
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
	}
	if !h.HasAlg {
		return nil, errors.New("the header has no \"alg\"")
	}
	if strict && !isBiscuitAlg(h.Alg) {
		return nil, fmt.Errorf("header alg %q is not an algorithm biscuit knows", h.Alg)
	}
	if !strict && classifyOIDCAlg(h.Alg) == algUnknown {
		return nil, fmt.Errorf("header alg %q is not a JWS or JWE algorithm openidconnect knows", h.Alg)
	}
	return h, nil
}

// --- the OIDC structural parse (§1.3 step 3) --------------------------------

// oidcTime is an OIDC NumericDate as openidconnect converts it: whole
// seconds plus nanoseconds, within chrono's range.
type oidcTime struct {
	Present bool
	Secs    int64
	Nanos   int64
}

// Standard claims the identity types, by index into oidcToken.Std.
const (
	stdName = iota
	stdGivenName
	stdFamilyName
	stdNickname
	stdPreferredUsername
	stdProfile
	stdPicture
	stdWebsite
	stdEmail
	stdEmailVerified
	stdGender
	stdBirthdate
	stdZoneinfo
	stdLocale
	stdPhoneNumber
	stdPhoneNumberVerified
	stdCount
)

// oidcToken is a token that passed openidconnect's structural parse.
type oidcToken struct {
	Header       *joseHeader
	SigningInput string
	Signature    []byte
	Iss          string
	Aud          []string
	HasAud       bool
	Sub          string
	Exp          oidcTime
	Iat          oidcTime
	UpdatedAt    oidcTime
	// Std holds the typed standard claims by std* index (booleans as
	// "true"/"false"); StdSet has bit i set when Std[i] is present.
	Std    [stdCount]string
	StdSet uint32
	// Address is the address claim's formatted member; HasAddr is true
	// when that member is present.
	Address string
	HasAddr bool
	// Additional are the claims openidconnect leaves to CustomClaims, in
	// document order (later duplicates win when building the identity).
	Additional []jsonMember
}

// oidcField describes a member IdTokenClaims or StandardClaims consumes:
// its type ('s' string, 'a' string or strings, 'l' list of strings,
// 't' timestamp, 'L' localized string, 'b' boolean, 'o' address object),
// its std* index for the identity (or -1), and whether it is required.
type oidcField struct {
	name     string
	kind     byte
	std      int
	required bool
}

// oidcFields are IdTokenClaims' own members, then StandardClaims'.
var oidcFields = []oidcField{
	{"iss", 's', -1, true}, {"aud", 'a', -1, false}, {"exp", 't', -1, true}, {"iat", 't', -1, true},
	{"auth_time", 't', -1, false}, {"nonce", 's', -1, false}, {"acr", 's', -1, false}, {"amr", 'l', -1, false},
	{"azp", 's', -1, false}, {"at_hash", 's', -1, false}, {"c_hash", 's', -1, false},
	{"sub", 's', -1, true}, {"name", 'L', stdName, false}, {"given_name", 'L', stdGivenName, false},
	{"family_name", 'L', stdFamilyName, false}, {"middle_name", 'L', -1, false}, {"nickname", 'L', stdNickname, false},
	{"preferred_username", 's', stdPreferredUsername, false}, {"profile", 'L', stdProfile, false},
	{"picture", 'L', stdPicture, false}, {"website", 'L', stdWebsite, false}, {"email", 's', stdEmail, false},
	{"email_verified", 'b', stdEmailVerified, false}, {"gender", 's', stdGender, false}, {"birthday", 's', -1, false},
	{"birthdate", 's', stdBirthdate, false}, {"zoneinfo", 's', stdZoneinfo, false}, {"locale", 's', stdLocale, false},
	{"phone_number", 's', stdPhoneNumber, false}, {"phone_number_verified", 'b', stdPhoneNumberVerified, false},
	{"address", 'o', -1, false}, {"updated_at", 't', -1, false},
}

var oidcFieldIndex = func() map[string]int {
	m := make(map[string]int, len(oidcFields))
	for i, f := range oidcFields {
		m[f.name] = i
	}
	return m
}()

// lookupOIDCField returns the field index for key and whether key is a
// language-tagged variant ("name#fr") of a localized claim.
func lookupOIDCField(key string) (int, bool, bool) {
	if i, ok := oidcFieldIndex[key]; ok {
		return i, false, true
	}
	if h := strings.IndexByte(key, '#'); h >= 0 {
		if i, ok := oidcFieldIndex[key[:h]]; ok && oidcFields[i].kind == 'L' {
			return i, true, true
		}
	}
	return 0, false, false
}

// parseOIDCToken is openidconnect's CoreIdToken::from_str plus the claim
// typing of IdTokenClaims. Any error maps to O2. step1, if not nil, is the
// same token's step-1 parse: a payload biscuit decoded strictly decodes to
// the same bytes here, so its members are reused instead of scanned again.
func parseOIDCToken(token string, step1 *payloadClaims) (*oidcToken, error) {
	if len(token) > maxTokenBytes {
		return nil, fmt.Errorf("the token is over authscope's %d-byte limit", maxTokenBytes)
	}
	d1 := strings.IndexByte(token, '.')
	d2 := -1
	if d1 >= 0 {
		if j := strings.IndexByte(token[d1+1:], '.'); j >= 0 {
			d2 = d1 + 1 + j
		}
	}
	if d1 < 0 || d2 < 0 || strings.IndexByte(token[d2+1:], '.') >= 0 {
		return nil, fmt.Errorf("Invalid JSON web token: found %d parts (expected 3)", strings.Count(token, ".")+1)
	}
	h, err := parseHeader(token[:d1], false)
	if err != nil {
		return nil, err
	}
	var members []jsonMember
	if step1 != nil {
		members = step1.Members
	} else {
		raw, err := decodeB64Lenient(token[d1+1 : d2])
		if err != nil {
			return nil, fmt.Errorf("Invalid base64url payload encoding: %v", err)
		}
		if members, err = parseJSONObject(raw); err != nil {
			return nil, fmt.Errorf("Failed to parse payload JSON: %v", err)
		}
	}
	issChecked := ""
	if step1 != nil {
		issChecked = step1.Iss // the caller parsed it as a URL before discovery
	}
	t, err := typeOIDCClaims(members, issChecked)
	if err != nil {
		return nil, err
	}
	sig, err := decodeB64Lenient(token[d2+1:])
	if err != nil {
		return nil, fmt.Errorf("Invalid base64url signature encoding: %v", err)
	}
	t.Header = h
	t.Signature = sig
	t.SigningInput = token[:d2]
	return t, nil
}

// parseOIDCClaims types a payload as IdTokenClaims<CustomClaims, CoreGenderClaim>.
func parseOIDCClaims(raw []byte) (*oidcToken, error) {
	members, err := parseJSONObject(raw)
	if err != nil {
		return nil, fmt.Errorf("Failed to parse payload JSON: %v", err)
	}
	return typeOIDCClaims(members, "")
}

// typeOIDCClaims types the members; issChecked is an iss value already
// known to parse as a URL.
func typeOIDCClaims(members []jsonMember, issChecked string) (*oidcToken, error) {
	t := &oidcToken{Additional: make([]jsonMember, 0, 8)}
	var seen uint64
	var seenTagged map[string]bool
	for _, m := range members {
		fi, tagged, ok := lookupOIDCField(m.Key)
		if !ok {
			t.Additional = append(t.Additional, m)
			continue
		}
		f := oidcFields[fi]
		if tagged {
			if seenTagged == nil {
				seenTagged = map[string]bool{}
			}
			if seenTagged[m.Key] {
				return nil, fmt.Errorf("duplicate field `%s`", m.Key)
			}
			seenTagged[m.Key] = true
		} else {
			if seen&(1<<fi) != 0 {
				return nil, fmt.Errorf("duplicate field `%s`", m.Key)
			}
			seen |= 1 << fi
		}
		if m.Kind == jNull {
			if f.required {
				return nil, fmt.Errorf("claim %q is null", m.Key)
			}
			continue
		}
		switch f.kind {
		case 's', 'L':
			if m.Kind != jString {
				return nil, fmt.Errorf("claim %q must be a string, found %s", m.Key, describeJSON(m))
			}
			switch {
			case m.Key == "iss":
				s, err := decodeJSONString(m.Raw)
				if err != nil {
					return nil, err
				}
				if s != issChecked || s == "" {
					if err := checkAbsoluteURL(s); err != nil {
						return nil, fmt.Errorf("claim \"iss\" is not a URL: %v", err)
					}
				}
				t.Iss = s
			case m.Key == "sub":
				s, err := decodeJSONString(m.Raw)
				if err != nil {
					return nil, err
				}
				t.Sub = s
			case f.std >= 0 && !tagged:
				s, err := decodeJSONString(m.Raw)
				if err != nil {
					return nil, err
				}
				t.Std[f.std] = s
				t.StdSet |= 1 << f.std
			}
		case 'a':
			aud, ok := stringOrStrings(m)
			if !ok {
				return nil, fmt.Errorf("claim \"aud\" must be a string or an array of strings, found %s", describeJSON(m))
			}
			t.Aud, t.HasAud = aud, true
		case 'l':
			if _, ok := stringArray(m.Raw); m.Kind != jArray || !ok {
				return nil, fmt.Errorf("claim %q must be an array of strings, found %s", m.Key, describeJSON(m))
			}
		case 't':
			ot, err := oidcTimestamp(m)
			if err != nil {
				return nil, err
			}
			switch m.Key {
			case "exp":
				t.Exp = ot
			case "iat":
				t.Iat = ot
			case "updated_at":
				t.UpdatedAt = ot
			}
		case 'b':
			// openidconnect's Boolean accepts true/false and the strings "true"/"false".
			var v string
			switch {
			case m.Kind == jBool:
				v = string(m.Raw)
			case m.Kind == jString && string(m.Raw) == `"true"`:
				v = "true"
			case m.Kind == jString && string(m.Raw) == `"false"`:
				v = "false"
			default:
				return nil, fmt.Errorf("claim %q must be a boolean, found %s", m.Key, describeJSON(m))
			}
			t.Std[f.std] = v
			t.StdSet |= 1 << f.std
		case 'o':
			if m.Kind != jObject {
				return nil, fmt.Errorf("claim \"address\" must be an object, found %s", describeJSON(m))
			}
			formatted, has, err := parseAddress(m.Raw)
			if err != nil {
				return nil, err
			}
			t.Address, t.HasAddr = formatted, has
		}
	}
	for fi, f := range oidcFields {
		if f.required && seen&(1<<fi) == 0 {
			return nil, fmt.Errorf("missing field `%s`", f.name)
		}
	}
	return t, nil
}

// parseAddress types the address claim (AddressClaim: optional strings).
func parseAddress(raw []byte) (string, bool, error) {
	members, err := parseJSONObject(raw)
	if err != nil {
		return "", false, err
	}
	formatted, has := "", false
	seen := map[string]bool{}
	for _, m := range members {
		switch m.Key {
		case "formatted", "street_address", "locality", "region", "postal_code", "country":
		default:
			continue
		}
		if seen[m.Key] {
			return "", false, fmt.Errorf("duplicate field `%s` in address", m.Key)
		}
		seen[m.Key] = true
		if m.Kind == jNull {
			continue
		}
		if m.Kind != jString {
			return "", false, fmt.Errorf("address.%s must be a string, found %s", m.Key, describeJSON(m))
		}
		if m.Key == "formatted" {
			s, err := decodeJSONString(m.Raw)
			if err != nil {
				return "", false, err
			}
			formatted, has = s, true
		}
	}
	return formatted, has, nil
}

// oidcTimestamp is openidconnect's timestamp_to_utc: an integer that fits
// i64 is whole seconds; anything else is an f64 split into floor seconds
// and nanoseconds. The result must be a date chrono can hold.
func oidcTimestamp(m jsonMember) (oidcTime, error) {
	if m.Kind != jNumber {
		return oidcTime{}, fmt.Errorf("claim %q must be a number of seconds, found %s", m.Key, describeJSON(m))
	}
	n, ok := parseJSONNumber(m.Raw)
	if !ok {
		return oidcTime{}, fmt.Errorf("claim %q is not a representable number", m.Key)
	}
	var secs, nanos int64
	switch {
	case n.Kind == 'i':
		secs = n.I
	case n.Kind == 'u' && n.U <= math.MaxInt64:
		secs = int64(n.U)
	default:
		f := n.Float()
		fl := math.Floor(f)
		if fl < -9.2e18 || fl > 9.2e18 {
			return oidcTime{}, fmt.Errorf("claim %q (%s) is not a valid timestamp", m.Key, string(m.Raw))
		}
		secs = int64(fl)
		nanos = int64(math.Floor((f - fl) * 1e9))
	}
	if secs < chronoMinUnix || secs > chronoMaxUnix {
		return oidcTime{}, fmt.Errorf("claim %q (%s) is not a valid timestamp", m.Key, string(m.Raw))
	}
	return oidcTime{Present: true, Secs: secs, Nanos: nanos}, nil
}
