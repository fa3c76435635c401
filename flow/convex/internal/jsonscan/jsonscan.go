// Package jsonscan is a small strict JSON reader with serde_json's rules.
//
// The backend parses tokens, discovery documents and key sets with
// serde_json, which is stricter than encoding/json in ways that change
// verdicts: invalid UTF-8, lone surrogate escapes, numbers that overflow an
// f64 and nesting deeper than serde_json's recursion limit are errors, and
// serde's derived structs reject a known field given twice (so the reader
// keeps duplicates for the caller to refuse). It also lets validation walk a
// payload without reflection. See flow/convex/jose/SPEC.md, "Strict JSON".
//
// The package is shared by flow/convex/jose and flow/convex/rules until the
// one scanner of flow/convex/internal/strictjson replaces it.
package jsonscan

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the type of a JSON value.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	default:
		return "object"
	}
}

// Member is one member of an object: its decoded key and the raw bytes
// of its value (a sub-slice of the document, never copied).
type Member struct {
	Key  string
	Raw  []byte
	Kind Kind
}

// serdeMaxDepth is serde_json's recursion limit: remaining_depth starts at
// 128 and entering the 128th nested array or object fails.
const serdeMaxDepth = 127

var errJSONDepth = errors.New("recursion limit exceeded")

// jsonError is a syntax error with its byte offset.
type jsonError struct {
	Off int
	Msg string
}

func (e *jsonError) Error() string { return fmt.Sprintf("%s at byte %d", e.Msg, e.Off) }

func jsonErr(off int, format string, args ...any) error {
	return &jsonError{Off: off, Msg: fmt.Sprintf(format, args...)}
}

// ParseObject checks that data is exactly one JSON object (surrounding
// whitespace allowed) and returns its members in document order, duplicates
// included.
func ParseObject(data []byte) ([]Member, error) {
	i := skipWS(data, 0)
	if i >= len(data) {
		return nil, jsonErr(i, "EOF while parsing a value")
	}
	if data[i] != '{' {
		end, kind, err := scanValue(data, i, 0)
		if err != nil {
			return nil, err
		}
		_ = end
		return nil, jsonErr(i, "expected an object, found %s", kind)
	}
	members, end, err := scanObjectMembers(data, i, 1)
	if err != nil {
		return nil, err
	}
	if j := skipWS(data, end); j != len(data) {
		return nil, jsonErr(j, "trailing characters")
	}
	return members, nil
}

// Valid reports whether data is one valid JSON value under serde_json's rules.
func Valid(data []byte) error {
	i := skipWS(data, 0)
	end, _, err := scanValue(data, i, 0)
	if err != nil {
		return err
	}
	if j := skipWS(data, end); j != len(data) {
		return jsonErr(j, "trailing characters")
	}
	return nil
}

func skipWS(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// scanObjectMembers reads the object starting at data[i] == '{' and returns
// its members and the offset after the closing brace. depth counts the
// object itself.
func scanObjectMembers(data []byte, i, depth int) ([]Member, int, error) {
	if depth > serdeMaxDepth {
		return nil, i, errJSONDepth
	}
	// ':' counts members, nested ones and colons inside strings included:
	// a cheap upper bound that saves regrowing the slice.
	hint := bytes.Count(data[i:], []byte{':'})
	if hint > 64 {
		hint = 64
	}
	members := make([]Member, 0, hint)
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == '}' {
		return members, i + 1, nil
	}
	for {
		if i >= len(data) {
			return nil, i, jsonErr(i, "EOF while parsing an object")
		}
		if data[i] != '"' {
			return nil, i, jsonErr(i, "key must be a string")
		}
		kend, err := scanString(data, i)
		if err != nil {
			return nil, i, err
		}
		key, err := decodeKey(data[i:kend])
		if err != nil {
			return nil, i, err
		}
		i = skipWS(data, kend)
		if i >= len(data) || data[i] != ':' {
			return nil, i, jsonErr(i, "expected `:`")
		}
		i = skipWS(data, i+1)
		vstart := i
		vend, kind, err := scanValue(data, i, depth)
		if err != nil {
			return nil, i, err
		}
		members = append(members, Member{Key: key, Raw: data[vstart:vend], Kind: kind})
		i = skipWS(data, vend)
		if i >= len(data) {
			return nil, i, jsonErr(i, "EOF while parsing an object")
		}
		switch data[i] {
		case ',':
			i = skipWS(data, i+1)
		case '}':
			return members, i + 1, nil
		default:
			return nil, i, jsonErr(i, "expected `,` or `}`")
		}
	}
}

// scanValue validates the value at data[i] and returns the offset after it.
// depth is the nesting of the enclosing container (0 at top level).
func scanValue(data []byte, i, depth int) (int, Kind, error) {
	if i >= len(data) {
		return i, Null, jsonErr(i, "EOF while parsing a value")
	}
	switch c := data[i]; {
	case c == '{':
		end, err := skipContainer(data, i, depth+1, '}')
		return end, Object, err
	case c == '[':
		end, err := skipContainer(data, i, depth+1, ']')
		return end, Array, err
	case c == '"':
		end, err := scanString(data, i)
		return end, String, err
	case c == 't':
		return scanLiteral(data, i, "true", Bool)
	case c == 'f':
		return scanLiteral(data, i, "false", Bool)
	case c == 'n':
		return scanLiteral(data, i, "null", Null)
	case c == '-' || (c >= '0' && c <= '9'):
		end, err := scanNumber(data, i)
		return end, Number, err
	default:
		return i, Null, jsonErr(i, "expected value")
	}
}

func scanLiteral(data []byte, i int, lit string, kind Kind) (int, Kind, error) {
	if len(data)-i < len(lit) || string(data[i:i+len(lit)]) != lit {
		return i, kind, jsonErr(i, "expected ident")
	}
	return i + len(lit), kind, nil
}

// skipContainer validates an array or object without collecting members.
func skipContainer(data []byte, i, depth int, closer byte) (int, error) {
	if depth > serdeMaxDepth {
		return i, errJSONDepth
	}
	isObj := closer == '}'
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == closer {
		return i + 1, nil
	}
	for {
		if isObj {
			if i >= len(data) || data[i] != '"' {
				return i, jsonErr(i, "key must be a string")
			}
			kend, err := scanString(data, i)
			if err != nil {
				return i, err
			}
			i = skipWS(data, kend)
			if i >= len(data) || data[i] != ':' {
				return i, jsonErr(i, "expected `:`")
			}
			i = skipWS(data, i+1)
		}
		end, _, err := scanValue(data, i, depth)
		if err != nil {
			return i, err
		}
		i = skipWS(data, end)
		if i >= len(data) {
			return i, jsonErr(i, "EOF while parsing a list or object")
		}
		switch data[i] {
		case ',':
			i = skipWS(data, i+1)
		case closer:
			return i + 1, nil
		default:
			return i, jsonErr(i, "expected `,` or `%c`", closer)
		}
	}
}

// scanString validates the string starting at data[i] == '"' and returns the
// offset after the closing quote. Like serde_json it rejects raw control
// characters, unknown escapes, invalid UTF-8 and lone surrogate escapes.
func scanString(data []byte, i int) (int, error) {
	start := i
	i++
	for {
		// Fast path over plain ASCII.
		for i < len(data) {
			c := data[i]
			if c == '"' || c == '\\' || c < 0x20 || c >= 0x80 {
				break
			}
			i++
		}
		if i >= len(data) {
			return start, jsonErr(i, "EOF while parsing a string")
		}
		c := data[i]
		switch {
		case c == '"':
			return i + 1, nil
		case c < 0x20:
			return start, jsonErr(i, "control character (\\u0000-\\u001F) found while parsing a string")
		case c >= 0x80:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				return start, jsonErr(i, "invalid unicode code point")
			}
			i += size
		default: // backslash
			if i+1 >= len(data) {
				return start, jsonErr(i, "EOF while parsing a string")
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				r, n, err := readHexEscape(data, i)
				if err != nil {
					return start, err
				}
				if utf16.IsSurrogate(r) {
					if r >= 0xDC00 {
						return start, jsonErr(i, "lone leading surrogate in hex escape")
					}
					r2, n2, err := readHexEscape(data, i+n)
					if err != nil || r2 < 0xDC00 || r2 > 0xDFFF {
						return start, jsonErr(i, "lone leading surrogate in hex escape")
					}
					n += n2
				}
				i += n
			default:
				return start, jsonErr(i, "invalid escape")
			}
		}
	}
}

// readHexEscape reads `\uXXXX` at data[i].
func readHexEscape(data []byte, i int) (rune, int, error) {
	if i+6 > len(data) || data[i] != '\\' || data[i+1] != 'u' {
		return 0, 0, jsonErr(i, "unexpected end of hex escape")
	}
	var r rune
	for _, c := range data[i+2 : i+6] {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, 0, jsonErr(i, "invalid escape")
		}
		r = r<<4 | rune(v)
	}
	return r, 6, nil
}

// scanNumber validates a JSON number. Like serde_json, a number too large
// for an f64 is an error ("number out of range").
func scanNumber(data []byte, i int) (int, error) {
	start := i
	if data[i] == '-' {
		i++
	}
	if i >= len(data) {
		return start, jsonErr(i, "invalid number")
	}
	switch {
	case data[i] == '0':
		i++
		if i < len(data) && data[i] >= '0' && data[i] <= '9' {
			return start, jsonErr(i, "invalid number")
		}
	case data[i] >= '1' && data[i] <= '9':
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
	default:
		return start, jsonErr(i, "invalid number")
	}
	float := false
	if i < len(data) && data[i] == '.' {
		float = true
		i++
		d := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == d {
			return start, jsonErr(i, "invalid number")
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		float = true
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		d := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == d {
			return start, jsonErr(i, "invalid number")
		}
	}
	// Integers that fit 64 bits never overflow; everything else becomes an
	// f64 in serde_json and must be finite.
	if float || i-start > 19 {
		f, err := strconv.ParseFloat(string(data[start:i]), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return start, jsonErr(start, "invalid number")
		}
		if math.IsInf(f, 0) {
			return start, jsonErr(start, "number out of range")
		}
	}
	return i, nil
}

// knownKeys are member names that come up in every token, header,
// discovery document and JWKS; decodeKey returns these constants instead
// of allocating a string per member.
var knownKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range strings.Fields(`iss sub aud exp nbf iat jti azp sid fva v pla fea sts o act
		name given_name family_name middle_name nickname preferred_username profile picture website
		email email_verified gender birthday birthdate zoneinfo locale phone_number phone_number_verified
		address updated_at auth_time nonce acr amr at_hash c_hash org_id org_role org_slug
		alg kid typ cty crit jku jwk x5u x5c x5t oiat
		keys kty use key_ops n e crv x y d k issuer jwks_uri authorization_endpoint token_endpoint
		userinfo_endpoint scopes_supported response_types_supported subject_types_supported
		id_token_signing_alg_values_supported claims_supported formatted country locality region
		postal_code street_address`) {
		m[k] = k
	}
	return m
}()

// decodeKey decodes an object key, without allocating for common names.
func decodeKey(raw []byte) (string, error) {
	if len(raw) >= 2 {
		if k, ok := knownKeys[string(raw[1:len(raw)-1])]; ok {
			return k, nil
		}
	}
	return DecodeString(raw)
}

// DecodeString decodes a validated raw string (with its quotes).
func DecodeString(raw []byte) (string, error) {
	if len(raw) < 2 {
		return "", jsonErr(0, "not a string")
	}
	body := raw[1 : len(raw)-1]
	plain := true
	for _, c := range body {
		if c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return string(body), nil
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); {
		c := body[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		switch body[i+1] {
		case '"', '\\', '/':
			out = append(out, body[i+1])
			i += 2
		case 'b':
			out = append(out, '\b')
			i += 2
		case 'f':
			out = append(out, '\f')
			i += 2
		case 'n':
			out = append(out, '\n')
			i += 2
		case 'r':
			out = append(out, '\r')
			i += 2
		case 't':
			out = append(out, '\t')
			i += 2
		case 'u':
			r, n, err := readHexEscape(body, i)
			if err != nil {
				return "", err
			}
			i += n
			if utf16.IsSurrogate(r) {
				r2, n2, err := readHexEscape(body, i)
				if err != nil {
					return "", err
				}
				i += n2
				r = utf16.DecodeRune(r, r2)
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", jsonErr(i, "invalid escape")
		}
	}
	return string(out), nil
}

// Num is a JSON number classified the way serde_json's parser does:
// non-negative integers that fit become u64, negative ones i64, the rest
// f64 (including "-0", which serde_json turns into -0.0).
type Num struct {
	Kind byte // 'u', 'i' or 'f'
	U    uint64
	I    int64
	F    float64
}

func ParseNumber(raw []byte) (Num, bool) {
	s := string(raw)
	isFloat := false
	for _, c := range raw {
		if c == '.' || c == 'e' || c == 'E' {
			isFloat = true
			break
		}
	}
	if !isFloat {
		if raw[0] == '-' {
			if v, err := strconv.ParseInt(s, 10, 64); err == nil && v != 0 {
				return Num{Kind: 'i', I: v}, true
			}
		} else if v, err := strconv.ParseUint(s, 10, 64); err == nil {
			return Num{Kind: 'u', U: v}, true
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return Num{}, false
	}
	if math.IsInf(f, 0) {
		return Num{}, false
	}
	return Num{Kind: 'f', F: f}, true
}

// Float returns the number as an f64.
func (n Num) Float() float64 {
	switch n.Kind {
	case 'u':
		return float64(n.U)
	case 'i':
		return float64(n.I)
	default:
		return n.F
	}
}

// AppendString appends s as a JSON string literal escaped the way
// serde_json writes strings: only `"`, `\` and control characters are
// escaped, everything else is written as UTF-8.
func AppendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			dst = append(dst, '\\', '"')
		case c == '\\':
			dst = append(dst, '\\', '\\')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

// Compact re-encodes a validated JSON value without insignificant
// whitespace, re-escaping strings as serde_json would.
func Compact(raw []byte) []byte {
	// Most values have no whitespace and no escapes: they are already
	// what serde_json would write.
	plain := true
	for _, c := range raw {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return raw
	}
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			i++
		case '"':
			end, err := scanString(raw, i)
			if err != nil {
				return append(out, raw[i:]...)
			}
			s, err := DecodeString(raw[i:end])
			if err != nil {
				return append(out, raw[i:]...)
			}
			out = AppendString(out, s)
			i = end
		default:
			out = append(out, c)
			i++
		}
	}
	return out
}
