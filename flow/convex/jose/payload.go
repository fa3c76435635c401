package jose

import (
	"fmt"
	"math"
	"strings"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
)

// MaxTokenBytes bounds what the validator looks at. The backend has no such
// check (a WebSocket frame limit stops such tokens first); 16 MiB keeps a
// hostile token from costing more than a moment.
const MaxTokenBytes = 16 << 20

// Unix-second bounds of chrono's NaiveDateTime (-262143-01-01 to
// +262142-12-31T23:59:59). biscuit unwraps
// NaiveDateTime::from_timestamp_opt, so a time outside panics in the
// backend; openidconnect returns a parse error instead (SPEC.md "Time
// claims").
const (
	chronoMinUnix = -8334601315200
	chronoMaxUnix = 8210266876799
)

// PayloadError is why the payload could not be read. Internal marks the
// cases where the backend fails without an error it can describe (a
// panic), which a client sees as an internal error.
type PayloadError struct {
	Detail   string
	Internal bool
}

func (e *PayloadError) Error() string { return e.Detail }

func payloadErr(format string, args ...any) *PayloadError {
	return &PayloadError{Detail: fmt.Sprintf(format, args...)}
}

// TimeClaim is exp, nbf or iat after biscuit's NumericType coercion.
type TimeClaim struct {
	Present bool
	Unix    int64
}

// Claims is what the backend learns from a token before checking it: the
// registered claims biscuit types, and every member in document order.
type Claims struct {
	Iss    string
	HasIss bool
	Sub    string
	HasSub bool
	// Aud is the audience list: a single string becomes a list of one,
	// absent or null an empty list.
	Aud    []string
	HasAud bool
	Jti    string
	HasJti bool
	Exp    TimeClaim
	Nbf    TimeClaim
	Iat    TimeClaim
	// Members are all top-level members in document order, duplicates of
	// unregistered claims included.
	Members []strictjson.Member
}

// registeredClaims are the claims biscuit types (RFC 7519 section 4.1).
var registeredClaims = [...]string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}

// IsRegisteredClaim reports whether k is one of the seven registered claims.
func IsRegisteredClaim(k string) bool { return registeredIndex(k) >= 0 }

func registeredIndex(k string) int {
	for i, r := range registeredClaims {
		if r == k {
			return i
		}
	}
	return -1
}

// ParsePayload is biscuit's unverified_payload, the backend's first step
// for every token (SPEC.md "Payload"): only the second part is decoded,
// with strict base64url, and only the registered claims are typed.
func ParsePayload(token string) (*Claims, *PayloadError) {
	if len(token) > MaxTokenBytes {
		return nil, payloadErr("the token is %d bytes, over authscope's %d-byte limit", len(token), MaxTokenBytes)
	}
	_, rest, ok := strings.Cut(token, ".")
	if !ok {
		return nil, payloadErr("the token has no '.', so it has no payload part (a JWT is header.payload.signature)")
	}
	part, _, _ := strings.Cut(rest, ".")
	raw, err := DecodeStrict(part)
	if err != nil {
		return nil, payloadErr("the payload (second part) is not unpadded base64url: %v", err)
	}
	return ParseClaims(raw)
}

// ParseClaims types the registered claims of a decoded payload the way
// biscuit's ClaimsSet does.
func ParseClaims(raw []byte) (*Claims, *PayloadError) {
	members, err := strictjson.ParseObject(raw)
	if err != nil {
		return nil, payloadErr("the payload is not a JSON object: %v", err)
	}
	c := &Claims{Members: members}
	var seen [len(registeredClaims)]bool
	for _, m := range members {
		idx := registeredIndex(m.Key)
		if idx < 0 {
			continue
		}
		if seen[idx] {
			return nil, payloadErr("the payload has the claim %q twice (serde: duplicate field)", m.Key)
		}
		seen[idx] = true
		if m.Kind == strictjson.Null {
			continue // serde reads null as an absent Option
		}
		if perr := c.setRegistered(m); perr != nil {
			return nil, perr
		}
	}
	if c.Aud == nil {
		c.Aud = []string{}
	}
	return c, nil
}

// setRegistered types one registered claim.
func (c *Claims) setRegistered(m strictjson.Member) *PayloadError {
	switch m.Key {
	case "iss", "sub", "jti":
		if m.Kind != strictjson.String {
			return payloadErr("claim %q must be a string, found %s", m.Key, m.Kind)
		}
		s, err := strictjson.DecodeString(m.Raw)
		if err != nil {
			return payloadErr("claim %q: %v", m.Key, err)
		}
		switch m.Key {
		case "iss":
			c.Iss, c.HasIss = s, true
		case "sub":
			c.Sub, c.HasSub = s, true
		default:
			c.Jti, c.HasJti = s, true
		}
	case "aud":
		aud, ok := stringOrStrings(m)
		if !ok {
			return payloadErr("claim \"aud\" must be a string or an array of strings, found %s", strictjson.Unexpected(m.Raw))
		}
		c.Aud, c.HasAud = aud, true
	default: // exp, nbf, iat
		tc, perr := biscuitTimestamp(m)
		if perr != nil {
			return perr
		}
		switch m.Key {
		case "exp":
			c.Exp = tc
		case "nbf":
			c.Nbf = tc
		default:
			c.Iat = tc
		}
	}
	return nil
}

// biscuitTimestamp is the Convex fork's NumericType (SPEC.md "Time
// claims"): a non-negative integer, or a finite non-negative float below
// 2^64 rounded half away from zero. Negative integers are refused; "-0" is
// a float in serde_json and passes.
func biscuitTimestamp(m strictjson.Member) (TimeClaim, *PayloadError) {
	if m.Kind != strictjson.Number {
		return TimeClaim{}, payloadErr("claim %q must be a number of seconds, found %s (biscuit: Invalid timestamp)", m.Key, strictjson.Unexpected(m.Raw))
	}
	n, ok := strictjson.ParseNumber(m.Raw)
	if !ok {
		return TimeClaim{}, payloadErr("claim %q is not a representable number", m.Key)
	}
	var u uint64
	switch n.Kind {
	case strictjson.Uint:
		u = n.U
	case strictjson.Int:
		return TimeClaim{}, payloadErr("claim %q is negative (%d); the backend only reads non-negative timestamps (biscuit: Invalid timestamp)", m.Key, n.I)
	default:
		f := n.F
		if !(f >= 0 && f < 18446744073709551616.0) {
			return TimeClaim{}, payloadErr("claim %q (%s) must be a non-negative number below 2^64 (biscuit: NumericType must be representable as a u64)", m.Key, string(m.Raw))
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
		return TimeClaim{}, &PayloadError{
			Detail:   fmt.Sprintf("claim %q (%s) is outside the dates the backend can represent; biscuit unwraps NaiveDateTime::from_timestamp_opt and the backend panics, which reaches the client as an internal error", m.Key, string(m.Raw)),
			Internal: true,
		}
	}
	return TimeClaim{Present: true, Unix: secs}, nil
}

// stringOrStrings reads a member that is a string or an array of strings,
// as serde reads biscuit's SingleOrMultiple<String> and openidconnect's
// audiences: a string becomes a list of one.
func stringOrStrings(m strictjson.Member) ([]string, bool) {
	switch m.Kind {
	case strictjson.String:
		s, err := strictjson.DecodeString(m.Raw)
		if err != nil {
			return nil, false
		}
		return []string{s}, true
	case strictjson.Array:
		return strictjson.StringArray(m.Raw)
	}
	return nil, false
}
