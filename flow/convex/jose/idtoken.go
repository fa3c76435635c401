package jose

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
	"github.com/authscope/authscope/flow/convex/internal/weburl"
)

// NumericDate is an OIDC time claim as openidconnect converts it: whole
// seconds plus nanoseconds, within chrono's range.
type NumericDate struct {
	Present bool
	Secs    int64
	Nanos   int64
}

// StdClaim names a standard claim the identity types.
type StdClaim uint8

// The standard claims, in the order the backend's identity lists them.
const (
	StdName StdClaim = iota
	StdGivenName
	StdFamilyName
	StdNickname
	StdPreferredUsername
	StdProfile
	StdPicture
	StdWebsite
	StdEmail
	StdEmailVerified
	StdGender
	StdBirthdate
	StdZoneinfo
	StdLocale
	StdPhoneNumber
	StdPhoneNumberVerified
	stdCount
)

// noStd marks a field that is not one of the typed standard claims.
const noStd StdClaim = 255

// IDToken is a token that passed openidconnect's structural parse
// (SPEC.md "OIDC ID token").
type IDToken struct {
	Header       *Header
	SigningInput string
	Signature    []byte
	Iss          string
	Aud          []string
	HasAud       bool
	Sub          string
	Exp          NumericDate
	Iat          NumericDate
	UpdatedAt    NumericDate
	// Address is the address claim's formatted member; HasAddr is true
	// when that member is present.
	Address string
	HasAddr bool
	// Additional are the claims openidconnect leaves to its custom claims,
	// in document order (a later duplicate wins in the identity).
	Additional []strictjson.Member

	std    [stdCount]string
	stdSet uint32
}

// Standard returns a typed standard claim (booleans as "true" or "false").
func (t *IDToken) Standard(c StdClaim) (string, bool) {
	if c >= stdCount || t.stdSet&(1<<c) == 0 {
		return "", false
	}
	return t.std[c], true
}

func (t *IDToken) setStandard(c StdClaim, v string) {
	t.std[c] = v
	t.stdSet |= 1 << c
}

// idField describes a member IdTokenClaims or StandardClaims consumes: its
// type ('s' string, 'a' string or strings, 'l' list of strings, 't'
// timestamp, 'L' localized string, 'b' boolean, 'o' address object), the
// standard claim it fills (or noStd), and whether it is required.
type idField struct {
	name     string
	kind     byte
	std      StdClaim
	required bool
}

// idFields are IdTokenClaims' own members, then StandardClaims'.
var idFields = []idField{
	{"iss", 's', noStd, true}, {"aud", 'a', noStd, false}, {"exp", 't', noStd, true}, {"iat", 't', noStd, true},
	{"auth_time", 't', noStd, false}, {"nonce", 's', noStd, false}, {"acr", 's', noStd, false}, {"amr", 'l', noStd, false},
	{"azp", 's', noStd, false}, {"at_hash", 's', noStd, false}, {"c_hash", 's', noStd, false},
	{"sub", 's', noStd, true}, {"name", 'L', StdName, false}, {"given_name", 'L', StdGivenName, false},
	{"family_name", 'L', StdFamilyName, false}, {"middle_name", 'L', noStd, false}, {"nickname", 'L', StdNickname, false},
	{"preferred_username", 's', StdPreferredUsername, false}, {"profile", 'L', StdProfile, false},
	{"picture", 'L', StdPicture, false}, {"website", 'L', StdWebsite, false}, {"email", 's', StdEmail, false},
	{"email_verified", 'b', StdEmailVerified, false}, {"gender", 's', StdGender, false}, {"birthday", 's', noStd, false},
	{"birthdate", 's', StdBirthdate, false}, {"zoneinfo", 's', StdZoneinfo, false}, {"locale", 's', StdLocale, false},
	{"phone_number", 's', StdPhoneNumber, false}, {"phone_number_verified", 'b', StdPhoneNumberVerified, false},
	{"address", 'o', noStd, false}, {"updated_at", 't', noStd, false},
}

var idFieldIndex = func() map[string]int {
	m := make(map[string]int, len(idFields))
	for i, f := range idFields {
		m[f.name] = i
	}
	return m
}()

// outerIDFields are IdTokenClaims' own members: only their exact name is
// theirs. The standard claims' members are read after splitting a key at
// its first '#' into a name and a language tag (SPEC.md "OIDC ID token").
var outerIDFields = nameSet("iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash")

// lookupIDField returns the field a key fills and whether it carries a
// language tag ("name#fr"); ok is false for a claim the structs leave to
// the custom claims. A tag on a standard claim that is not localized is an
// error, as openidconnect's StandardClaims reader makes it; an empty tag
// ("name#") is no tag.
func lookupIDField(key string) (idx int, tagged, ok bool, err error) {
	if outerIDFields[key] {
		return idFieldIndex[key], false, true, nil
	}
	name, tag, _ := strings.Cut(key, "#")
	i, known := idFieldIndex[name]
	if !known || outerIDFields[name] {
		return 0, false, false, nil
	}
	switch {
	case tag == "":
		return i, false, true, nil
	case idFields[i].kind != 'L':
		return 0, false, false, fmt.Errorf("unexpected language tag `%s` for key `%s`", tag, name)
	}
	return i, true, true, nil
}

// ParseIDToken is openidconnect's CoreIdToken::from_str plus the typing of
// IdTokenClaims (SPEC.md "OIDC ID token"). step1, if not nil, is the same
// token's ParsePayload: a payload biscuit decoded strictly decodes to the
// same bytes here, so its members are reused, and its iss was already
// found to be a URL.
func ParseIDToken(token string, step1 *Claims) (*IDToken, error) {
	if len(token) > MaxTokenBytes {
		return nil, fmt.Errorf("the token is over authscope's %d-byte limit", MaxTokenBytes)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("Invalid JSON web token: found %d parts (expected 3)", len(parts))
	}
	h, err := ParseHeader(parts[0], OpenIDConnect)
	if err != nil {
		return nil, err
	}
	var members []strictjson.Member
	issChecked := ""
	if step1 != nil {
		members, issChecked = step1.Members, step1.Iss
	} else if members, err = decodeIDPayload(parts[1]); err != nil {
		return nil, err
	}
	t, err := typeIDClaims(members, issChecked)
	if err != nil {
		return nil, err
	}
	sig, err := decodeLenient(parts[2])
	if err != nil {
		return nil, fmt.Errorf("Invalid base64url signature encoding: %v", err)
	}
	t.Header = h
	t.Signature = sig
	t.SigningInput = token[:len(parts[0])+1+len(parts[1])]
	return t, nil
}

func decodeIDPayload(part string) ([]strictjson.Member, error) {
	raw, err := decodeLenient(part)
	if err != nil {
		return nil, fmt.Errorf("Invalid base64url payload encoding: %v", err)
	}
	members, err := strictjson.ParseObject(raw)
	if err != nil {
		return nil, fmt.Errorf("Failed to parse payload JSON: %v", err)
	}
	return members, nil
}

// ParseIDTokenClaims types a decoded payload as IdTokenClaims, for an
// identity preview without a token.
func ParseIDTokenClaims(raw []byte) (*IDToken, error) {
	members, err := strictjson.ParseObject(raw)
	if err != nil {
		return nil, fmt.Errorf("Failed to parse payload JSON: %v", err)
	}
	return typeIDClaims(members, "")
}

// typeIDClaims types the members; issChecked is an iss value already known
// to parse as a URL.
func typeIDClaims(members []strictjson.Member, issChecked string) (*IDToken, error) {
	t := &IDToken{Additional: make([]strictjson.Member, 0, 8)}
	var seen uint64
	var seenTagged map[string]bool
	for _, m := range members {
		fi, tagged, ok, err := lookupIDField(m.Key)
		if err != nil {
			return nil, err
		}
		if !ok {
			t.Additional = append(t.Additional, m)
			continue
		}
		dup := false
		if tagged {
			if seenTagged == nil {
				seenTagged = map[string]bool{}
			}
			dup, seenTagged[m.Key] = seenTagged[m.Key], true
		} else {
			dup = seen&(1<<fi) != 0
			seen |= 1 << fi
		}
		if dup && tagged {
			return nil, fmt.Errorf("duplicate field `%s`", m.Key)
		}
		if dup {
			return nil, fmt.Errorf("duplicate field `%s`", idFields[fi].name)
		}
		if err := t.setField(idFields[fi], m, tagged, issChecked); err != nil {
			return nil, err
		}
	}
	for fi, f := range idFields {
		if f.required && seen&(1<<fi) == 0 {
			return nil, fmt.Errorf("missing field `%s`", f.name)
		}
	}
	return t, nil
}

// setField types one member the claims structs consume.
func (t *IDToken) setField(f idField, m strictjson.Member, tagged bool, issChecked string) error {
	if m.Kind == strictjson.Null {
		if f.required {
			return fmt.Errorf("claim %q is null", m.Key)
		}
		return nil
	}
	switch f.kind {
	case 's', 'L':
		return t.setString(f, m, tagged, issChecked)
	case 'a':
		aud, ok := stringOrStrings(m)
		if !ok {
			return fmt.Errorf("claim \"aud\" must be a string or an array of strings, found %s", strictjson.Unexpected(m.Raw))
		}
		t.Aud, t.HasAud = aud, true
	case 'l':
		if _, ok := strictjson.StringArray(m.Raw); m.Kind != strictjson.Array || !ok {
			return fmt.Errorf("claim %q must be an array of strings, found %s", m.Key, strictjson.Unexpected(m.Raw))
		}
	case 't':
		return t.setTime(m)
	case 'b':
		return t.setBool(f, m)
	case 'o':
		return t.setAddress(m)
	}
	return nil
}

func (t *IDToken) setString(f idField, m strictjson.Member, tagged bool, issChecked string) error {
	if m.Kind != strictjson.String {
		return fmt.Errorf("claim %q must be a string, found %s", m.Key, strictjson.Unexpected(m.Raw))
	}
	if tagged || (f.std == noStd && m.Key != "iss" && m.Key != "sub") {
		return nil // typed as a string, not kept
	}
	s, err := strictjson.DecodeString(m.Raw)
	if err != nil {
		return err
	}
	switch {
	case m.Key == "iss":
		if s != issChecked || s == "" {
			if err := weburl.CheckAbsolute(s); err != nil {
				return fmt.Errorf("claim \"iss\" is not a URL: %v", err)
			}
		}
		t.Iss = s
	case m.Key == "sub":
		t.Sub = s
	default:
		t.setStandard(f.std, s)
	}
	return nil
}

func (t *IDToken) setTime(m strictjson.Member) error {
	d, err := numericDate(m)
	if err != nil {
		return err
	}
	switch m.Key {
	case "exp":
		t.Exp = d
	case "iat":
		t.Iat = d
	case "updated_at":
		t.UpdatedAt = d
	}
	return nil
}

// setBool reads openidconnect's Boolean: true or false. (Strings are
// read only with its accept-string-booleans feature, which Convex does not
// enable.)
func (t *IDToken) setBool(f idField, m strictjson.Member) error {
	if m.Kind != strictjson.Bool {
		return fmt.Errorf("claim %q must be a boolean, found %s", m.Key, strictjson.Unexpected(m.Raw))
	}
	t.setStandard(f.std, string(m.Raw))
	return nil
}

// setAddress types the address claim (AddressClaim: optional strings) and
// keeps its formatted member.
func (t *IDToken) setAddress(m strictjson.Member) error {
	if m.Kind != strictjson.Object {
		return fmt.Errorf("claim \"address\" must be an object, found %s", strictjson.Unexpected(m.Raw))
	}
	members, err := strictjson.ParseObject(m.Raw)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, am := range members {
		switch am.Key {
		case "formatted", "street_address", "locality", "region", "postal_code", "country":
		default:
			continue
		}
		if seen[am.Key] {
			return fmt.Errorf("duplicate field `%s` in address", am.Key)
		}
		seen[am.Key] = true
		if am.Kind == strictjson.Null {
			continue
		}
		if am.Kind != strictjson.String {
			return fmt.Errorf("address.%s must be a string, found %s", am.Key, strictjson.Unexpected(am.Raw))
		}
		if am.Key == "formatted" {
			s, err := strictjson.DecodeString(am.Raw)
			if err != nil {
				return err
			}
			t.Address, t.HasAddr = s, true
		}
	}
	return nil
}

// numericDate is openidconnect's Timestamp (SPEC.md "Time claims"): an
// integer that fits an i64 is whole seconds; another number is an f64
// split into floor seconds and nanoseconds; with the
// accept-rfc3339-timestamps feature, which Convex enables, a string is an
// RFC 3339 date. The result must be a date chrono can hold.
func numericDate(m strictjson.Member) (NumericDate, error) {
	if m.Kind == strictjson.String {
		return rfc3339Date(m)
	}
	if m.Kind != strictjson.Number {
		return NumericDate{}, fmt.Errorf("claim %q must be a number of seconds or an RFC 3339 date, found %s", m.Key, strictjson.Unexpected(m.Raw))
	}
	n, ok := strictjson.ParseNumber(m.Raw)
	if !ok {
		return NumericDate{}, fmt.Errorf("claim %q is not a representable number", m.Key)
	}
	var secs, nanos int64
	switch {
	case n.Kind == strictjson.Int:
		secs = n.I
	case n.Kind == strictjson.Uint && n.U <= math.MaxInt64:
		secs = int64(n.U)
	default:
		f := n.Float()
		fl := math.Floor(f)
		if fl < -9.2e18 || fl > 9.2e18 {
			return NumericDate{}, fmt.Errorf("claim %q (%s) is not a valid timestamp", m.Key, string(m.Raw))
		}
		secs = int64(fl)
		nanos = int64(math.Floor((f - fl) * 1e9))
	}
	if secs < chronoMinUnix || secs > chronoMaxUnix {
		return NumericDate{}, fmt.Errorf("claim %q (%s) is not a valid timestamp", m.Key, string(m.Raw))
	}
	return NumericDate{Present: true, Secs: secs, Nanos: nanos}, nil
}

// rfc3339Date reads a string timestamp as chrono's parse_from_rfc3339
// does: a full date, 'T', 't' or ' ' between date and time, optional
// fractional seconds, and 'Z', 'z' or a numeric offset.
func rfc3339Date(m strictjson.Member) (NumericDate, error) {
	s, err := strictjson.DecodeString(m.Raw)
	if err != nil {
		return NumericDate{}, err
	}
	norm := []byte(s)
	if len(norm) > 10 && (norm[10] == 't' || norm[10] == ' ') {
		norm[10] = 'T'
	}
	if n := len(norm); n > 0 && norm[n-1] == 'z' {
		norm[n-1] = 'Z'
	}
	tm, err := time.Parse(time.RFC3339Nano, string(norm))
	if err != nil {
		return NumericDate{}, fmt.Errorf("claim %q (%s) is not a number of seconds or an RFC 3339 date", m.Key, string(m.Raw))
	}
	return NumericDate{Present: true, Secs: tm.Unix(), Nanos: int64(tm.Nanosecond())}, nil
}
