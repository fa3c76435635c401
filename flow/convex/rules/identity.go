package rules

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
	"github.com/authscope/authscope/flow/convex/jose"
)

// The identity preview: what ctx.auth.getUserIdentity() returns after a
// token is accepted (SPEC.md "Identity"; crates/keybroker
// UserIdentity::from_token and from_custom_jwt, sync_types
// UserIdentityAttributesJson).
//
// Key order: the typed fields in UserIdentityAttributesJson's order
// (tokenIdentifier, issuer, subject, name, …, updatedAt), then the custom
// claims sorted by key, as the backend keeps them in a BTreeMap. A custom
// claim whose key equals a typed field replaces its value in place, as
// serde's flatten does when the object is built. Custom claim values are
// the token's JSON, compacted, with strings re-escaped as serde_json
// writes them; numbers keep the token's spelling.

// IdentityField is one key of a UserIdentity.
type IdentityField struct {
	Key   string
	Value []byte // JSON
}

// Identity is what ctx.auth.getUserIdentity() returns, as an ordered JSON
// object.
type Identity struct {
	Fields []IdentityField
}

// MarshalJSON writes the identity as one JSON object in field order.
func (id *Identity) MarshalJSON() ([]byte, error) {
	if id == nil {
		return []byte("null"), nil
	}
	out := make([]byte, 0, 256)
	out = append(out, '{')
	for i, f := range id.Fields {
		if i > 0 {
			out = append(out, ',')
		}
		out = strictjson.AppendString(out, f.Key)
		out = append(out, ':')
		if len(f.Value) == 0 {
			out = append(out, "null"...)
		} else {
			out = append(out, f.Value...)
		}
	}
	return append(out, '}'), nil
}

// Get returns the JSON value of key.
func (id *Identity) Get(key string) (json.RawMessage, bool) {
	if id == nil {
		return nil, false
	}
	for _, f := range id.Fields {
		if f.Key == key {
			return json.RawMessage(f.Value), true
		}
	}
	return nil, false
}

// set replaces key's value in place, or appends it.
func (id *Identity) set(key string, value []byte) {
	for i := range id.Fields {
		if id.Fields[i].Key == key {
			id.Fields[i].Value = value
			return
		}
	}
	id.Fields = append(id.Fields, IdentityField{Key: key, Value: value})
}

// identityBuilder appends every value into one buffer; each field's Value
// is a capped slice of it, so an identity costs a few allocations.
type identityBuilder struct {
	id  *Identity
	buf []byte
}

func newIdentityBuilder(fields, sizeHint int) *identityBuilder {
	return &identityBuilder{id: &Identity{Fields: make([]IdentityField, 0, fields)}, buf: make([]byte, 0, sizeHint)}
}

func (b *identityBuilder) str(key, v string) {
	start := len(b.buf)
	b.buf = strictjson.AppendString(b.buf, v)
	b.id.Fields = append(b.id.Fields, IdentityField{Key: key, Value: b.buf[start:len(b.buf):len(b.buf)]})
}

func (b *identityBuilder) rawValue(key string, v []byte) {
	b.id.Fields = append(b.id.Fields, IdentityField{Key: key, Value: v})
}

// oidcTypedFields maps identity keys to the standard claim they come from
// in UserIdentityAttributesJson order (after
// tokenIdentifier, issuer, subject).
var oidcTypedFields = []struct {
	key     string
	std     jose.StdClaim
	boolean bool
}{
	{"name", jose.StdName, false},
	{"givenName", jose.StdGivenName, false},
	{"familyName", jose.StdFamilyName, false},
	{"nickname", jose.StdNickname, false},
	{"preferredUsername", jose.StdPreferredUsername, false},
	{"profileUrl", jose.StdProfile, false},
	{"pictureUrl", jose.StdPicture, false},
	{"websiteUrl", jose.StdWebsite, false},
	{"email", jose.StdEmail, false},
	{"emailVerified", jose.StdEmailVerified, true},
	{"gender", jose.StdGender, false},
	{"birthday", jose.StdBirthdate, false},
	{"timezone", jose.StdZoneinfo, false},
	{"language", jose.StdLocale, false},
	{"phoneNumber", jose.StdPhoneNumber, false},
	{"phoneNumberVerified", jose.StdPhoneNumberVerified, true},
}

// oidcDroppedClaims are additional claims from_token skips: the standard
// names it types (defensively listed again) and the ones that change on
// every refresh and would bust the query cache (jti, nbf, Clerk's fva).
var oidcDroppedClaims = map[string]bool{
	"sub": true, "iss": true, "exp": true, "name": true, "given_name": true, "family_name": true,
	"nickname": true, "preferred_username": true, "profile": true, "picture": true, "website": true,
	"email": true, "email_verified": true, "gender": true, "birthdate": true, "zoneinfo": true,
	"locale": true, "phone_number": true, "phone_number_verified": true, "address": true,
	"updated_at": true, "jti": true, "nbf": true, "fva": true,
}

var (
	jsonTrue  = []byte("true")
	jsonFalse = []byte("false")
)

func buildOIDCIdentity(t *jose.IDToken) *Identity {
	b := newIdentityBuilder(8+len(t.Additional), 3*len(t.Iss)+2*len(t.Sub)+256)
	b.str("tokenIdentifier", t.Iss+"|"+t.Sub)
	b.str("issuer", t.Iss)
	b.str("subject", t.Sub)
	for _, f := range oidcTypedFields {
		v, ok := t.Standard(f.std)
		if !ok {
			continue
		}
		switch {
		case !f.boolean:
			b.str(f.key, v)
		case v == "true":
			b.rawValue(f.key, jsonTrue)
		default:
			b.rawValue(f.key, jsonFalse)
		}
	}
	if t.HasAddr {
		b.str("address", t.Address)
	}
	if t.UpdatedAt.Present {
		b.str("updatedAt", rfc3339(t.UpdatedAt))
	}
	id := b.id
	custom := make([]customClaim, 0, len(t.Additional))
	for _, m := range t.Additional {
		if oidcDroppedClaims[m.Key] {
			continue
		}
		custom = append(custom, customClaim{m.Key, m.Raw})
	}
	addCustomClaims(id, custom)
	return id
}

// customClaim is one custom claim before sorting; for a key given twice
// the later value wins, as in the backend's map.
type customClaim struct {
	key string
	raw []byte
}

func buildCustomIdentity(pc *jose.Claims) *Identity {
	b := newIdentityBuilder(4+len(pc.Members), 3*len(pc.Iss)+2*len(pc.Sub)+48)
	b.str("tokenIdentifier", pc.Iss+"|"+pc.Sub)
	b.str("issuer", pc.Iss)
	b.str("subject", pc.Sub)
	id := b.id
	custom := make([]customClaim, 0, len(pc.Members))
	for _, m := range pc.Members {
		if jose.IsRegisteredClaim(m.Key) {
			continue
		}
		custom = flattenClaim(custom, m.Key, m.Raw, m.Kind)
	}
	kept := custom[:0]
	for _, c := range custom {
		if c.key != "fva" {
			kept = append(kept, c)
		}
	}
	addCustomClaims(id, kept)
	return id
}

// flattenClaim is extract_custom_jwt_claims: nested objects become dotted
// keys; arrays and scalars are kept as JSON.
func flattenClaim(out []customClaim, key string, raw []byte, kind strictjson.Kind) []customClaim {
	if kind != strictjson.Object {
		return append(out, customClaim{key, raw})
	}
	members, err := strictjson.ParseObject(raw)
	if err != nil {
		return append(out, customClaim{key, raw})
	}
	// Inner duplicates: the last one wins before flattening.
	last := map[string]int{}
	for i, m := range members {
		last[m.Key] = i
	}
	for i, m := range members {
		if last[m.Key] != i {
			continue
		}
		out = flattenClaim(out, key+"."+m.Key, m.Raw, m.Kind)
	}
	return out
}

// addCustomClaims sorts the claims by key (the backend's BTreeMap), keeps
// the last value of a repeated key, and adds them after the typed fields.
func addCustomClaims(id *Identity, custom []customClaim) {
	slices.SortStableFunc(custom, func(a, b customClaim) int { return strings.Compare(a.key, b.key) })
	for i, c := range custom {
		if i+1 < len(custom) && custom[i+1].key == c.key {
			continue // a later duplicate follows and wins
		}
		id.set(c.key, strictjson.Compact(c.raw))
	}
}

// rfc3339 is chrono's DateTime<Utc>::to_rfc3339: "+00:00" offset and
// fractional seconds in 3, 6 or 9 digits (SecondsFormat::AutoSi).
func rfc3339(t jose.NumericDate) string {
	tm := time.Unix(t.Secs, t.Nanos).UTC()
	out := make([]byte, 0, 40)
	y := tm.Year()
	switch {
	case y < 0:
		out = append(out, '-')
		out = appendPadded(out, int64(-y), 4)
	case y > 9999:
		out = append(out, '+')
		out = strconv.AppendInt(out, int64(y), 10)
	default:
		out = appendPadded(out, int64(y), 4)
	}
	out = append(out, '-')
	out = appendPadded(out, int64(tm.Month()), 2)
	out = append(out, '-')
	out = appendPadded(out, int64(tm.Day()), 2)
	out = append(out, 'T')
	out = appendPadded(out, int64(tm.Hour()), 2)
	out = append(out, ':')
	out = appendPadded(out, int64(tm.Minute()), 2)
	out = append(out, ':')
	out = appendPadded(out, int64(tm.Second()), 2)
	switch ns := t.Nanos; {
	case ns == 0:
	case ns%1_000_000 == 0:
		out = append(out, '.')
		out = appendPadded(out, ns/1_000_000, 3)
	case ns%1_000 == 0:
		out = append(out, '.')
		out = appendPadded(out, ns/1_000, 6)
	default:
		out = append(out, '.')
		out = appendPadded(out, ns, 9)
	}
	return string(append(out, "+00:00"...))
}

func appendPadded(dst []byte, v int64, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(d); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, d...)
}

// IdentityOIDC builds the identity the OIDC path would return for a claims
// set: claims maps claim names to their JSON values and order gives the
// payload's member order (keys missing from order are appended sorted).
// It returns nil when the claims would not pass openidconnect's parse
// (SPEC.md "OIDC path"), for example without iss, sub, exp or iat, or with
// a wrongly typed standard claim.
func IdentityOIDC(claims map[string]json.RawMessage, order []string) *Identity {
	t, err := jose.ParseIDTokenClaims(claimsObject(claims, order))
	if err != nil {
		return nil
	}
	return buildOIDCIdentity(t)
}

// IdentityCustomJWT builds the identity the customJwt path would return
// (SPEC.md "Identity"): only tokenIdentifier, issuer and subject are typed,
// other claims are flattened into dotted keys. It returns nil when the
// claims lack iss or sub or fail biscuit's typing.
func IdentityCustomJWT(claims map[string]json.RawMessage, order []string) *Identity {
	pc, perr := jose.ParseClaims(claimsObject(claims, order))
	if perr != nil || !pc.HasIss || !pc.HasSub {
		return nil
	}
	return buildCustomIdentity(pc)
}

// claimsObject serialises a claims map as an object in the given order.
func claimsObject(claims map[string]json.RawMessage, order []string) []byte {
	done := map[string]bool{}
	keys := make([]string, 0, len(claims))
	for _, k := range order {
		if _, ok := claims[k]; ok && !done[k] {
			keys = append(keys, k)
			done[k] = true
		}
	}
	var rest []string
	for k := range claims {
		if !done[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	keys = append(keys, rest...)
	out := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			out = append(out, ',')
		}
		out = strictjson.AppendString(out, k)
		out = append(out, ':')
		v := claims[k]
		if len(v) == 0 {
			v = json.RawMessage("null")
		}
		out = append(out, v...)
	}
	return append(out, '}')
}
