package jose

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// differentialRule is one documented reason for the strict layer and jwx
// to answer differently: a rule of Convex's backend that jwx does not
// apply, or a check of jwx's that the backend does not make; kinds says in
// which direction it may show. holds looks at the input with encoding/json and plain decoding, not with
// the strict layer, so that a rule only excuses a disagreement when its
// feature is really in the input. SPEC.md "Where jwx is more lenient" has
// the same table in words.
type differentialRule struct {
	id     string
	kinds  []kind   // the directions it explains
	levels []string // the comparisons it can explain (prefixes)
	holds  func(f *facts, d disagreement) bool
}

var (
	onlyStrict     = []kind{strictRejects}
	onlyJWX        = []kind{jwxRejects}
	strictOrValues = []kind{strictRejects, readOtherwise}
	anyKind        = []kind{strictRejects, jwxRejects, readOtherwise}
)

var differentialRules = []differentialRule{
	// serde_json refuses lone surrogate escapes, invalid UTF-8, numbers
	// beyond an f64 and nesting deeper than 127; jwx's reader takes them.
	{"serde-json-syntax", onlyStrict, []string{"claims", "key", "verify"}, func(f *facts, d disagreement) bool {
		return f.any(d, serdeRefuses)
	}},
	// serde's derived structs refuse a typed member given twice; jwx keeps
	// the last one.
	{"duplicate-member", strictOrValues, []string{"claims", "key", "verify"}, func(f *facts, d disagreement) bool {
		return f.any(d, hasDuplicateMember)
	}},
	// biscuit reads exp, nbf and iat as non-negative numbers below 2^64,
	// rounds fractions half away from zero and needs a date chrono can
	// hold; jwx also reads numeric strings and negative numbers, and
	// truncates fractions.
	{"time-claim-type", strictOrValues, []string{"claims"}, func(f *facts, _ disagreement) bool {
		return f.timeClaimIsNotPlain()
	}},
	// biscuit types iss, sub and jti as strings and aud as a string or an
	// array of strings, and reads null as absent; jwx reads them its way.
	{"registered-claim-type", anyKind, []string{"claims"}, func(f *facts, _ disagreement) bool {
		return f.registeredClaimIsOdd()
	}},
	// The backend's first step reads the payload alone (biscuit's
	// unverified_payload); jwx reads the header too and refuses a header it
	// cannot read.
	{"payload-read-alone", onlyJWX, []string{"claims"}, func(f *facts, _ disagreement) bool {
		return f.headerHasOddMember()
	}},
	// The backend decodes token parts with unpadded base64url (biscuit
	// also refuses non-zero trailing bits) and JWK members likewise; jwx
	// also takes padding and the standard alphabet.
	{"base64url-strict", onlyStrict, []string{"claims", "key", "verify"}, func(f *facts, d disagreement) bool {
		return f.in.form != formCanonical || f.hasNonCanonicalKeyMember(d)
	}},
	// The backend's crypto verifies RS256 only with a 2048-8192-bit modulus
	// and an odd exponent of at least 3 (Go: at most 2^31-1), Ed25519 only
	// with a 32-byte x, ES256 only with 32-byte x and y on P-256; jwx
	// takes other sizes.
	{"key-material-limits", onlyStrict, []string{"key", "verify"}, func(f *facts, d disagreement) bool {
		return f.hasKeyOutsideLimits(d)
	}},
	// The backend wants an object whose "keys" is an array; jwx also reads
	// a lone key, or an object without "keys", as a set.
	{"jwks-shape", onlyStrict, []string{"key set", "verify"}, func(f *facts, _ disagreement) bool {
		return !f.hasKeysArray
	}},
	// The OIDC path skips a key it cannot read and keeps the others; jwx
	// refuses the whole set.
	{"per-key-skip", onlyJWX, []string{"key set", "verify"}, func(f *facts, _ disagreement) bool {
		return f.jwxRefusesAKey()
	}},
	// openidconnect reads only kty, use, kid, alg, n, e, crv, x, y, d, k of
	// a key, with kty one of RSA, EC, oct, OKP and alg one it knows, and
	// takes an undecodable n, e or x as absent; jwx reads more members and
	// reads them otherwise.
	{"jwk-members", anyKind, []string{"key", "verify"}, func(f *facts, d disagreement) bool {
		return f.keyHasMemberOIDCReadsOtherwise(d)
	}},
	// The OIDC path accepts RS256 and EdDSA only; the customJwt path only
	// the configured algorithm, which must also be the key's alg if it has
	// one.
	{"algorithm-allow-list", onlyStrict, []string{"verify"}, func(f *facts, d disagreement) bool {
		return f.algNotAllowed(d)
	}},
	// Convex picks the key: on the OIDC path the one key with the token's
	// kid (any key without a kid) that fits use, kty and alg; on the
	// customJwt path a kid is required and the first key with it is used.
	// jwx, given a set, tries every key.
	{"key-selection", onlyStrict, []string{"verify"}, func(f *facts, d disagreement) bool {
		return f.keySelectionDiffers(d)
	}},
	// The OIDC verifier refuses a typ other than JWT or JOSE, and any cty
	// or crit header.
	{"typ-cty-crit", onlyStrict, []string{"verify (OIDC"}, func(f *facts, _ disagreement) bool {
		return f.headerHasOddTypCtyCrit()
	}},
	// biscuit and openidconnect type the header members they know (biscuit
	// wants "jwk" as a string) and know only their own algorithm names;
	// jwx types other members, or these otherwise.
	{"header-members", anyKind, []string{"verify"}, func(f *facts, _ disagreement) bool {
		return f.headerHasOddMember()
	}},
	// jwx checks the signature over its own re-encoding of the header and
	// payload (jws.Verify: base64.EncodeToString of what it decoded), not
	// over the segments as sent: a segment with non-zero trailing bits,
	// padding or the standard alphabet fails in jwx, while Convex checks
	// the bytes it was sent.
	{"jwx-signing-input", onlyJWX, []string{"verify"}, func(f *facts, _ disagreement) bool {
		return f.in.form == formTrailingBits || f.segmentsNotCanonical()
	}},
}

// explain returns the id of the first rule that explains d, or "".
func explain(in *diffInput, d disagreement) string {
	f := newFacts(in)
	for _, r := range differentialRules {
		if !slices.Contains(r.kinds, d.kind) || !hasLevel(r.levels, d.level) {
			continue
		}
		if r.holds(f, d) {
			return r.id
		}
	}
	return ""
}

func hasLevel(levels []string, level string) bool {
	for _, l := range levels {
		if strings.HasPrefix(level, l) {
			return true
		}
	}
	return false
}

// facts are the input read with encoding/json and plain base64.
type facts struct {
	in      *diffInput
	header  map[string]json.RawMessage
	payload map[string]json.RawMessage
	keys    []map[string]json.RawMessage // nil entries for elements that are not objects
	// hasKeysArray: the set is an object whose "keys" member is an array.
	hasKeysArray bool
}

func newFacts(in *diffInput) *facts {
	f := &facts{in: in}
	_ = json.Unmarshal([]byte(in.header), &f.header)
	_ = json.Unmarshal([]byte(in.payload), &f.payload)
	var set map[string]json.RawMessage
	var keys []json.RawMessage
	if json.Unmarshal([]byte(in.jwks), &set) == nil && json.Unmarshal(set["keys"], &keys) == nil && set["keys"] != nil {
		f.hasKeysArray = string(set["keys"]) != "null"
		for _, raw := range keys {
			var m map[string]json.RawMessage
			_ = json.Unmarshal(raw, &m)
			f.keys = append(f.keys, m)
		}
	}
	return f
}

// docs returns the JSON documents a level reads.
func (f *facts) docs(d disagreement) []string {
	switch {
	case d.level == "claims":
		return []string{f.in.payload}
	case strings.HasPrefix(d.level, "key"):
		return []string{f.in.jwks}
	}
	return []string{f.in.header, f.in.jwks}
}

func (f *facts) any(d disagreement, pred func(string) bool) bool {
	for _, doc := range f.docs(d) {
		if pred(doc) {
			return true
		}
	}
	return false
}

// serdeRefuses reports the syntax serde_json refuses and jwx's reader
// takes: invalid UTF-8, a lone surrogate escape, a number beyond an f64,
// or nesting deeper than serde_json's 127 levels.
func serdeRefuses(doc string) bool {
	if !utf8.ValidString(doc) || hasLoneSurrogate(doc) || maxDepth(doc) > 127 {
		return true
	}
	for _, num := range numberRE.FindAllString(doc, -1) {
		if _, err := strconv.ParseFloat(strings.TrimLeft(num, ":[, \t\r\n"), 64); err != nil {
			return true
		}
	}
	return false
}

// hasLoneSurrogate finds a \uD800-\uDBFF escape not followed by a
// \uDC00-\uDFFF one, or a \uDC00-\uDFFF escape without one before it.
func hasLoneSurrogate(doc string) bool {
	hex := func(i int) (uint64, bool) {
		if i+6 > len(doc) || doc[i] != '\\' || doc[i+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(doc[i+2:i+6], 16, 16)
		return v, err == nil
	}
	for i := 0; i < len(doc); i++ {
		if doc[i] != '\\' {
			continue
		}
		v, ok := hex(i)
		switch {
		case !ok:
			i++ // another escape: skip its character
		case v >= 0xDC00 && v <= 0xDFFF:
			return true
		case v >= 0xD800 && v <= 0xDBFF:
			if w, ok := hex(i + 6); !ok || w < 0xDC00 || w > 0xDFFF {
				return true
			}
			i += 11
		default:
			i += 5
		}
	}
	return false
}

var numberRE = regexp.MustCompile(`[:\[,]\s*-?\d+(?:\.\d+)?[eE][+-]?\d+`)

// maxDepth is the deepest nesting of arrays and objects, outside strings.
func maxDepth(doc string) int {
	depth, deepest, inString := 0, 0, false
	for i := 0; i < len(doc); i++ {
		switch c := doc[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// hasDuplicateMember reports an object, anywhere in doc, with a key twice.
func hasDuplicateMember(doc string) bool {
	dec := json.NewDecoder(strings.NewReader(doc))
	var walk func() bool
	walk = func() bool {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return false
				}
				if key, _ := k.(string); seen[key] {
					return true
				} else {
					seen[key] = true
				}
				if walk() {
					return true
				}
			}
			_, _ = dec.Token()
		case json.Delim('['):
			for dec.More() {
				if walk() {
					return true
				}
			}
			_, _ = dec.Token()
		}
		return false
	}
	return walk()
}

// timeClaimIsNotPlain: exp, nbf or iat is not a non-negative integer
// within the dates chrono holds.
func (f *facts) timeClaimIsNotPlain() bool {
	for _, name := range []string{"exp", "nbf", "iat"} {
		raw, ok := f.payload[name]
		if !ok || string(raw) == "null" {
			continue
		}
		n, err := strconv.ParseUint(string(raw), 10, 64)
		if err != nil || n > chronoMaxUnix {
			return true
		}
	}
	return f.payload == nil
}

// registeredClaimIsOdd: iss, sub or jti is not a string, aud not a string
// or an array of strings, or a registered claim is null.
func (f *facts) registeredClaimIsOdd() bool {
	if f.payload == nil {
		return true
	}
	for name, raw := range f.payload {
		if !IsRegisteredClaim(name) {
			continue
		}
		var s string
		var list []string
		switch {
		case string(raw) == "null":
			return true
		case name == "aud":
			if json.Unmarshal(raw, &s) != nil && json.Unmarshal(raw, &list) != nil {
				return true
			}
		case name == "iss" || name == "sub" || name == "jti":
			if json.Unmarshal(raw, &s) != nil {
				return true
			}
		}
	}
	return false
}

// keysFor returns the key elements a disagreement is about.
func (f *facts) keysFor(d disagreement) []map[string]json.RawMessage {
	if strings.HasPrefix(d.level, "key ") && d.key >= 0 && d.key < len(f.keys) {
		return f.keys[d.key : d.key+1]
	}
	return f.keys
}

// segmentsNotCanonical: the token's header or payload segment is not
// what unpadded base64url of its bytes would be.
func (f *facts) segmentsNotCanonical() bool {
	parts := strings.Split(f.in.token, ".")
	if len(parts) < 2 {
		return false
	}
	for _, seg := range parts[:2] {
		b, err := base64.RawURLEncoding.DecodeString(seg)
		if err != nil || base64.RawURLEncoding.EncodeToString(b) != seg {
			return true
		}
	}
	return false
}

var base64Members = []string{"n", "e", "x", "y", "d", "k", "p", "q", "dp", "dq", "qi"}

// hasNonCanonicalKeyMember: a base64url member of a key is padded, uses
// the standard alphabet, has trailing bits or is not a string.
func (f *facts) hasNonCanonicalKeyMember(d disagreement) bool {
	for _, k := range f.keysFor(d) {
		for _, name := range base64Members {
			raw, ok := k[name]
			if !ok {
				continue
			}
			var s string
			if json.Unmarshal(raw, &s) != nil {
				return true
			}
			b, err := base64.RawURLEncoding.DecodeString(s)
			if err != nil || base64.RawURLEncoding.EncodeToString(b) != s {
				return true
			}
		}
	}
	return false
}

// hasKeyOutsideLimits: an RSA key's modulus is outside 2048-8192 bits or
// its exponent is even, below 3 or above 2^31-1; an OKP key's x or an EC
// key's x or y is not 32 bytes.
func (f *facts) hasKeyOutsideLimits(d disagreement) bool {
	for _, k := range f.keysFor(d) {
		for _, name := range []string{"x", "y"} {
			var v string
			if json.Unmarshal(k[name], &v) != nil {
				continue
			}
			if b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(v, "=")); err == nil && len(b) != 32 {
				return true
			}
		}
		var n, e string
		if json.Unmarshal(k["n"], &n) != nil || json.Unmarshal(k["e"], &e) != nil {
			continue
		}
		nb, err1 := base64.RawURLEncoding.DecodeString(strings.TrimRight(n, "="))
		eb, err2 := base64.RawURLEncoding.DecodeString(strings.TrimRight(e, "="))
		if err1 != nil || err2 != nil {
			continue
		}
		bits := new(big.Int).SetBytes(nb).BitLen()
		ev := new(big.Int).SetBytes(eb)
		if bits < 2048 || bits > 8192 || ev.BitLen() > 31 || ev.Int64() < 3 || ev.Bit(0) == 0 {
			return true
		}
	}
	return false
}

// jwxRefusesAKey: jwx refuses at least one key of the set on its own.
func (f *facts) jwxRefusesAKey() bool {
	for _, raw := range keyElements(f.in.jwks) {
		if _, why := jwxPublicKey(raw); why == "jwx refuses the key" {
			return true
		}
	}
	return false
}

var oidcKeyMemberNames = map[string]bool{"kty": true, "use": true, "kid": true, "alg": true, "n": true, "e": true,
	"crv": true, "x": true, "y": true, "d": true, "k": true}

// keyHasMemberOIDCReadsOtherwise: a key has a member openidconnect does
// not read, a kty or alg it does not know, a use/kid/alg that is not a
// string, or a base64url member it takes as absent.
func (f *facts) keyHasMemberOIDCReadsOtherwise(d disagreement) bool {
	for _, k := range f.keysFor(d) {
		if k == nil {
			return true
		}
		for name, raw := range k {
			if !oidcKeyMemberNames[name] {
				return true
			}
			var s string
			if json.Unmarshal(raw, &s) != nil && string(raw) != "null" {
				return true
			}
			switch name {
			case "kty":
				if s != "RSA" && s != "EC" && s != "oct" && s != "OKP" {
					return true
				}
			case "alg":
				if OIDCAlgKind(s) == AlgUnknown {
					return true
				}
			}
		}
		if f.hasNonCanonicalKeyMember(disagreement{level: "key set", key: -1}) {
			return true
		}
	}
	return false
}

// headerString returns a header member as a string ("" if absent or not one).
func (f *facts) headerString(name string) (string, bool) {
	raw, ok := f.header[name]
	if !ok {
		return "", false
	}
	var s string
	return s, json.Unmarshal(raw, &s) == nil
}

// algNotAllowed: the header's alg is not one the path accepts.
func (f *facts) algNotAllowed(d disagreement) bool {
	alg, _ := f.headerString("alg")
	if strings.Contains(d.level, "OIDC") {
		return alg != "RS256" && alg != "EdDSA"
	}
	configured := signers[f.in.signer].alg
	if alg != configured {
		return true
	}
	for _, k := range f.keys {
		var kalg string
		if raw, ok := k["alg"]; ok && (json.Unmarshal(raw, &kalg) != nil || kalg != configured) {
			return true
		}
	}
	return false
}

// keySelectionDiffers: the header has no kid; no key or several keys
// carry its kid; the key jwx verified with does not carry it; or a key
// jwx tried is of a use, kty or curve the path would not use for the alg.
func (f *facts) keySelectionDiffers(d disagreement) bool {
	kid, hasKid := f.headerString("kid")
	if !hasKid {
		return true
	}
	count := 0
	for _, k := range f.keys {
		if s, ok := stringMember(k, "kid"); ok && s == kid {
			count++
		}
	}
	if count != 1 {
		return true
	}
	if d.key < 0 || d.key >= len(f.keys) {
		return false
	}
	k := f.keys[d.key]
	if s, _ := stringMember(k, "kid"); s != kid {
		return true
	}
	if use, ok := stringMember(k, "use"); ok && use != "sig" {
		return true
	}
	alg, _ := f.headerString("alg")
	kty, _ := stringMember(k, "kty")
	crv, _ := stringMember(k, "crv")
	switch alg {
	case "RS256":
		return kty != "RSA"
	case "EdDSA":
		return kty != "OKP" || crv != "Ed25519"
	case "ES256":
		return kty != "EC" || crv != "P-256"
	}
	return true
}

func stringMember(k map[string]json.RawMessage, name string) (string, bool) {
	raw, ok := k[name]
	if !ok {
		return "", false
	}
	var s string
	return s, json.Unmarshal(raw, &s) == nil
}

// headerHasOddTypCtyCrit: a typ other than JWT or JOSE (in any case, with
// or without "application/"), or a cty or crit member.
func (f *facts) headerHasOddTypCtyCrit() bool {
	if _, ok := f.header["cty"]; ok {
		return true
	}
	if _, ok := f.header["crit"]; ok {
		return true
	}
	typ, ok := f.headerString("typ")
	if _, present := f.header["typ"]; present && !ok {
		return true
	}
	t := strings.TrimPrefix(strings.ToLower(typ), "application/")
	return ok && t != "jwt" && t != "jose"
}

// registeredHeaderTypes are the header members RFC 7515 and 7797 define
// and the JSON type each has.
var registeredHeaderTypes = map[string]byte{"alg": '"', "jku": '"', "jwk": '{', "kid": '"', "x5u": '"', "x5c": '[',
	"x5t": '"', "x5t#S256": '"', "typ": '"', "cty": '"', "crit": '[', "b64": 'b'}

// headerHasOddMember: the header is not an object, has a registered member
// of another JSON type than the RFC's, has "jwk" (biscuit types it as a
// string), an array with non-string elements, or an alg that is not one
// of the JWS algorithms.
func (f *facts) headerHasOddMember() bool {
	if f.header == nil {
		return true
	}
	for name, raw := range f.header {
		want, ok := registeredHeaderTypes[name]
		if !ok {
			continue
		}
		raw = bytes.TrimSpace(raw)
		switch {
		case name == "jwk":
			return true
		case want == 'b':
			if string(raw) != "true" && string(raw) != "false" {
				return true
			}
			return true // b64 changes what jwx signs
		case len(raw) == 0 || raw[0] != want:
			return true
		case want == '[':
			var list []string
			if json.Unmarshal(raw, &list) != nil {
				return true
			}
		}
	}
	alg, _ := f.headerString("alg")
	return OIDCAlgKind(alg) != AlgSignature
}
