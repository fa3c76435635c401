package jose

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"
	"github.com/lestrrat-go/jwx/v2/jwt"
)

// FuzzJOSEDifferential feeds the same tokens and key sets to the strict
// layer and to jwx, and requires every disagreement between them to be one
// of the Convex-specific strictness rules of differentialRules (the table
// in SPEC.md "Where jwx is more lenient"). The fuzzer writes the token's
// header and payload JSON, the key set, which fixture key signs and how
// the segments are encoded; the token is then signed for real, so that
// mutations reach the signature check instead of breaking it.
func FuzzJOSEDifferential(f *testing.F) {
	for _, s := range differentialSeeds() {
		f.Add(s.header, s.payload, s.jwks, s.signer, s.form)
	}
	f.Fuzz(func(t *testing.T, header, payload, jwks string, signer, form byte) {
		in := newDiffInput(header, payload, jwks, signer, form)
		for _, d := range compareJOSE(in) {
			if rule := explain(in, d); rule == "" {
				t.Errorf("%s (%s): the strict layer says %s, jwx says %s, and no documented rule explains it\ntoken %s\njwks %s",
					d.level, d.kind, d.strict, d.jwx, in.token, in.jwks)
			}
		}
	})
}

// signers are the fixture keys a fuzz input can sign with, with the
// algorithm each signs (the header's alg is the fuzzer's).
var signers = []struct {
	alg  string
	sign func() func([]byte) []byte
}{
	{"RS256", func() func([]byte) []byte { return signRS256(rsaKey("rsa-a")) }},
	{"RS256", func() func([]byte) []byte { return signRS256(rsaKey("rsa-b")) }},
	{"RS256", func() func([]byte) []byte { return signRS256(rsaKey("rsa-1024")) }},
	{"ES256", func() func([]byte) []byte { return signES256(ecKey("ec-p256")) }},
	{"EdDSA", func() func([]byte) []byte { return signEdDSA(edKey()) }},
	{"ES384", func() func([]byte) []byte { return signES256(ecKey("ec-p384")) }},
	{"HS256", func() func([]byte) []byte { return hs256([]byte("a shared secret of 32 bytes!!!!!")) }},
	{"none", func() func([]byte) []byte { return noSignature }},
}

// Segment encodings: how the header and payload are written.
const (
	formCanonical    = iota // unpadded base64url
	formPadded              // with '=' padding
	formStdAlphabet         // '+' and '/' instead of '-' and '_'
	formTrailingBits        // a header segment whose last character has non-zero unused bits
	formCount
)

// diffInput is one fuzz input and the token made from it.
type diffInput struct {
	header, payload, jwks string
	signer                int
	form                  int
	token                 string
	segments              [3]string
}

func newDiffInput(header, payload, jwks string, signer, form byte) *diffInput {
	in := &diffInput{header: header, payload: payload, jwks: jwks, signer: int(signer) % len(signers), form: int(form) % formCount}
	in.segments[0] = encodeForm(header, in.form, true)
	in.segments[1] = encodeForm(payload, in.form, false)
	sig := signers[in.signer].sign()([]byte(in.segments[0] + "." + in.segments[1]))
	in.segments[2] = base64.RawURLEncoding.EncodeToString(sig)
	in.token = strings.Join(in.segments[:], ".")
	return in
}

func encodeForm(s string, form int, header bool) string {
	raw := base64.RawURLEncoding.EncodeToString([]byte(s))
	switch form {
	case formPadded:
		return base64.URLEncoding.EncodeToString([]byte(s))
	case formStdAlphabet:
		return base64.RawStdEncoding.EncodeToString([]byte(s))
	case formTrailingBits:
		if header && len(s)%3 != 0 {
			return setTrailingBits(raw)
		}
	}
	return raw
}

// setTrailingBits sets the unused low bits of the last character.
func setTrailingBits(seg string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, seg[len(seg)-1])
	unused := 2 // three characters carry two bytes and two spare bits
	if len(seg)%4 == 2 {
		unused = 4 // two characters carry one byte and four spare bits
	}
	return seg[:len(seg)-1] + string(alphabet[last|(1<<unused-1)])
}

// kind is the direction of a disagreement.
type kind string

const (
	strictRejects kind = "strict rejects" // the strict layer refuses what jwx accepts
	jwxRejects    kind = "jwx rejects"    // jwx refuses what the strict layer accepts
	readOtherwise kind = "read otherwise" // both accept and read different values
)

// disagreement is one question the two sides answer differently.
type disagreement struct {
	level       string // "claims", "key N", "key set", "verify (OIDC path)", "verify (customJwt path)"
	strict, jwx string
	kind        kind
	// key is the key element concerned: the one compared on a key level,
	// the one jwx verified with on a verify level; -1 for none.
	key int
}

// compareJOSE asks both sides the same questions about the input.
func compareJOSE(in *diffInput) []disagreement {
	var out []disagreement
	out = append(out, compareClaims(in)...)
	out = append(out, compareKeys(in)...)
	out = append(out, compareVerifyOIDC(in)...)
	out = append(out, compareVerifyCustom(in)...)
	return out
}

// compareClaims reads the payload as the backend's first step does and as
// jwx's jwt package does, and compares the registered claims.
func compareClaims(in *diffInput) []disagreement {
	c, perr := ParsePayload(in.token)
	tok, jerr := jwt.ParseInsecure([]byte(in.token))
	switch {
	case perr != nil && jerr != nil:
		return nil
	case perr != nil:
		return []disagreement{{level: "claims", strict: "rejected: " + perr.Detail, jwx: "accepted", kind: strictRejects, key: -1}}
	case jerr != nil:
		return []disagreement{{level: "claims", strict: "accepted", jwx: "rejected", kind: jwxRejects, key: -1}}
	}
	strict := fmt.Sprintf("iss %q sub %q jti %q aud %q exp %s nbf %s iat %s", c.Iss, c.Sub, c.Jti, c.Aud,
		timeClaimString(c.Exp), timeClaimString(c.Nbf), timeClaimString(c.Iat))
	aud := tok.Audience()
	if aud == nil {
		aud = []string{}
	}
	lenient := fmt.Sprintf("iss %q sub %q jti %q aud %q exp %s nbf %s iat %s", tok.Issuer(), tok.Subject(), tok.JwtID(), aud,
		jwxTime(tok, jwt.ExpirationKey), jwxTime(tok, jwt.NotBeforeKey), jwxTime(tok, jwt.IssuedAtKey))
	if strict != lenient {
		return []disagreement{{level: "claims", strict: strict, jwx: lenient, kind: readOtherwise, key: -1}}
	}
	return nil
}

func timeClaimString(c TimeClaim) string {
	if !c.Present {
		return "-"
	}
	return fmt.Sprint(c.Unix)
}

func jwxTime(tok jwt.Token, name string) string {
	if _, ok := tok.Get(name); !ok {
		return "-"
	}
	var v interface{ Unix() int64 }
	switch name {
	case jwt.ExpirationKey:
		v = tok.Expiration()
	case jwt.NotBeforeKey:
		v = tok.NotBefore()
	default:
		v = tok.IssuedAt()
	}
	return fmt.Sprint(v.Unix())
}

// compareKeys reads the key set as the OIDC path does and asks jwx to read
// each key alone: a key the OIDC path can verify with must be the same key
// for jwx, and each side's refusals must be explained.
func compareKeys(in *diffInput) []disagreement {
	set, err := ParseOIDCKeySet([]byte(in.jwks))
	_, jerr := jwk.Parse([]byte(in.jwks))
	if err != nil {
		if jerr == nil {
			return []disagreement{{level: "key set", strict: "rejected: " + err.Error(), jwx: "accepted", kind: strictRejects, key: -1}}
		}
		return nil
	}
	var out []disagreement
	elements := keyElements(in.jwks)
	for i, raw := range elements {
		strictKey := oidcKeyAt(set, i)
		jwxKey, jwxWhy := jwxPublicKey(raw)
		level := fmt.Sprintf("key %d", i)
		switch {
		case strictKey == nil && jwxKey == nil:
		case strictKey == nil:
			out = append(out, disagreement{level: level, strict: "cannot verify: " + oidcKeyWhy(set, i), jwx: "a key", kind: strictRejects, key: i})
		case jwxKey == nil:
			out = append(out, disagreement{level: level, strict: "a key", jwx: "cannot verify: " + jwxWhy, kind: jwxRejects, key: i})
		case !samePublicKey(strictKey, jwxKey):
			out = append(out, disagreement{level: level, strict: fmt.Sprint(strictKey), jwx: fmt.Sprint(jwxKey), kind: readOtherwise, key: i})
		}
	}
	if jerr != nil && len(set.Skipped) == 0 && len(elements) > 0 {
		out = append(out, disagreement{level: "key set", strict: set.Summary(), jwx: "rejected", kind: jwxRejects, key: -1})
	}
	return out
}

// keyElements returns the raw elements of the set's "keys" array.
func keyElements(jwks string) [][]byte {
	raw, err := jwksKeys([]byte(jwks))
	if err != nil {
		return nil
	}
	var out [][]byte
	_ = strictjson.Each(raw, func(_ int, el []byte, _ strictjson.Kind) { out = append(out, el) })
	return out
}

// oidcKeyAt returns the verification key the OIDC path made of element i.
func oidcKeyAt(set *OIDCKeySet, i int) crypto.PublicKey {
	for _, k := range set.Keys {
		if k.Index == i {
			return k.Public
		}
	}
	return nil
}

func oidcKeyWhy(set *OIDCKeySet, i int) string {
	for _, k := range set.Keys {
		if k.Index == i {
			if k.Unusable != "" {
				return k.Unusable
			}
			return "kty " + k.Kty + " is not verified on the OIDC path"
		}
	}
	for _, s := range set.Skipped {
		if s.Index == i {
			return "skipped: " + s.Reason
		}
	}
	return "?"
}

// jwxPublicKey is the public key jwx reads from one JWK, if it is of a kind
// the OIDC path verifies with (RSA, or OKP on Ed25519).
func jwxPublicKey(raw []byte) (crypto.PublicKey, string) {
	key, err := jwk.ParseKey(raw)
	if err != nil {
		return nil, "jwx refuses the key"
	}
	var pub any
	if err := key.Raw(&pub); err != nil {
		return nil, "jwx has no raw key"
	}
	switch p := pub.(type) {
	case *rsa.PublicKey:
		return p, ""
	case ed25519.PublicKey:
		return p, ""
	case *rsa.PrivateKey:
		return &p.PublicKey, ""
	case ed25519.PrivateKey:
		return p.Public(), ""
	}
	return nil, fmt.Sprintf("a %T is not verified on the OIDC path", pub)
}

func samePublicKey(a, b crypto.PublicKey) bool {
	switch a := a.(type) {
	case *rsa.PublicKey:
		b, ok := b.(*rsa.PublicKey)
		return ok && a.N.Cmp(b.N) == 0 && a.E == b.E
	case ed25519.PublicKey:
		b, ok := b.(ed25519.PublicKey)
		return ok && bytes.Equal(a, b)
	}
	return false
}

// jwxVerifies reports whether jwx, given the token and the whole set,
// finds a key that verifies the token with the token's own alg; jwx has no
// rule about which key to use.
func jwxVerifies(in *diffInput) (bool, string, int) {
	msg, err := jws.Parse([]byte(in.token), jws.WithCompact())
	if err != nil || len(msg.Signatures()) != 1 {
		return false, "jwx cannot read the token", -1
	}
	set, err := jwk.Parse([]byte(in.jwks))
	if err != nil {
		return false, "jwx refuses the key set", -1
	}
	alg := msg.Signatures()[0].ProtectedHeaders().Algorithm()
	for i := 0; i < set.Len(); i++ {
		key, _ := set.Key(i)
		if ok, panicked := jwxVerifyWith(in.token, alg, key); panicked {
			return false, "jwx panics verifying with key " + fmt.Sprint(i), -1
		} else if ok {
			return true, "verified by key " + fmt.Sprint(i), i
		}
	}
	return false, "no key verifies", -1
}

// jwxVerifyWith verifies with one key. jwx v2.1.7 panics on some keys it
// accepted (an OKP key whose x is not 32 bytes reaches ed25519.Verify);
// the strict layer never hands it such a key, and here a panic counts as
// not verified.
func jwxVerifyWith(token string, alg jwa.SignatureAlgorithm, key jwk.Key) (ok, panicked bool) {
	defer func() {
		if recover() != nil {
			ok, panicked = false, true
		}
	}()
	_, err := jws.Verify([]byte(token), jws.WithKey(alg, key))
	return err == nil, false
}

// strictVerifiesOIDC is the OIDC path from header to signature: the header
// as openidconnect reads it, the verifier's typ, cty and crit rules, the
// allowed algorithms, exactly one candidate key, and the signature over
// the segments as sent. (The claims are compared on their own.)
func strictVerifiesOIDC(in *diffInput) (bool, string) {
	parts := strings.Split(in.token, ".")
	if len(parts) != 3 {
		return false, "parts"
	}
	h, err := ParseHeader(parts[0], OpenIDConnect)
	if err != nil {
		return false, err.Error()
	}
	sig, err := decodeLenient(parts[2])
	if err != nil {
		return false, "signature encoding"
	}
	if norm, _ := NormalizeJWTType(h.Typ); h.HasTyp && norm != "application/jwt" && norm != "application/jose" {
		return false, "typ " + h.Typ
	}
	if h.HasCty || h.HasCrit {
		return false, "cty or crit"
	}
	if h.Alg != "RS256" && h.Alg != "EdDSA" {
		return false, "alg " + h.Alg + " not allowed"
	}
	set, err := ParseOIDCKeySet([]byte(in.jwks))
	if err != nil {
		return false, err.Error()
	}
	cands, _ := set.Candidates(h)
	if len(cands) != 1 {
		return false, fmt.Sprintf("%d candidate keys", len(cands))
	}
	if cands[0].Unusable != "" {
		return false, cands[0].Unusable
	}
	if !Verify(h.Alg, cands[0].Public, parts[0]+"."+parts[1], sig) {
		return false, "signature"
	}
	return true, "verified"
}

// strictVerifiesCustom is the customJwt path's decode_with_jwks with the
// signer's algorithm configured (RS256 or ES256 only).
func strictVerifiesCustom(in *diffInput, configured string) (bool, string) {
	parts := strings.Split(in.token, ".")
	h, err := ParseHeader(parts[0], Biscuit)
	if err != nil {
		return false, err.Error()
	}
	if len(parts) != 3 {
		return false, "parts"
	}
	sig, err := DecodeStrict(parts[2])
	if err != nil {
		return false, "signature encoding"
	}
	if !h.HasKid {
		return false, "no kid"
	}
	set, err := ParseCustomKeySet([]byte(in.jwks))
	if err != nil {
		return false, err.Error()
	}
	key, _ := set.First(h.Kid)
	if key == nil {
		return false, "no key with kid " + h.Kid
	}
	// A key alg must be the header's and the configured one; without one,
	// the header's must be the configured one.
	if h.Alg != configured || (key.HasAlg && key.Alg != configured) {
		return false, "alg rules"
	}
	pub, why := key.PublicKeyFor(configured)
	if pub == nil {
		return false, why
	}
	if !Verify(configured, pub, parts[0]+"."+parts[1], sig) {
		return false, "signature"
	}
	return true, "verified"
}

func compareVerifyOIDC(in *diffInput) []disagreement {
	return compareVerdicts("verify (OIDC path)", in, strictVerifiesOIDC)
}

func compareVerifyCustom(in *diffInput) []disagreement {
	configured := signers[in.signer].alg
	if configured != "RS256" && configured != "ES256" {
		return nil
	}
	return compareVerdicts("verify (customJwt path)", in, func(in *diffInput) (bool, string) {
		return strictVerifiesCustom(in, configured)
	})
}

func compareVerdicts(level string, in *diffInput, strict func(*diffInput) (bool, string)) []disagreement {
	s, sWhy := strict(in)
	j, jWhy, key := jwxVerifies(in)
	if s == j {
		return nil
	}
	k := jwxRejects
	if !s {
		k = strictRejects
	}
	return []disagreement{{level: level, strict: sWhy, jwx: jWhy, kind: k, key: key}}
}

// differentialSeeds are valid tokens and sets, and one input per rule of
// the table, so the fuzzer starts from every disagreement it must accept.
func differentialSeeds() []struct {
	header, payload, jwks string
	signer, form          byte
} {
	type seed = struct {
		header, payload, jwks string
		signer, form          byte
	}
	good := `{"iss":"https://issuer.example.com","sub":"user_1","aud":"convex","iat":1700000000,"exp":1700000060}`
	set := jwksJSON(jwkJSON("rsa-a", `"kid":"a"`, `"use":"sig"`, `"alg":"RS256"`), jwkJSON("ed25519", `"kid":"e"`), jwkJSON("ec-p256", `"kid":"p"`))
	rsaHeader := `{"alg":"RS256","kid":"a","typ":"JWT"}`
	seeds := []seed{
		{rsaHeader, good, set, 0, formCanonical},
		{`{"alg":"EdDSA","kid":"e"}`, good, set, 4, formCanonical},
		{`{"alg":"ES256","kid":"p","typ":"JWT"}`, good, set, 3, formCanonical},
		{rsaHeader, `{"iss":"a","iss":"b"}`, set, 0, formCanonical},                                       // duplicate member
		{rsaHeader, `{"iss":"\ud800"}`, set, 0, formCanonical},                                            // lone surrogate
		{rsaHeader, `{"iss":"x","exp":"1700000000"}`, set, 0, formCanonical},                              // exp as a string
		{rsaHeader, `{"iss":"x","exp":-5}`, set, 0, formCanonical},                                        // negative exp
		{rsaHeader, `{"iss":"x","exp":1700000000.5}`, set, 0, formCanonical},                              // fraction
		{rsaHeader, good, set, 0, formPadded},                                                             // padding
		{rsaHeader, good, set, 0, formTrailingBits},                                                       // trailing bits
		{`{"alg":"RS256","kid":"s"}`, good, jwksJSON(jwkJSON("rsa-1024", `"kid":"s"`)), 2, formCanonical}, // small RSA
		{rsaHeader, good, jwksJSON(`{"kty":"XYZ"}`, jwkJSON("rsa-a", `"kid":"a"`)), 0, formCanonical},     // per-key skip
		{`{"alg":"HS256","kid":"h"}`, good, jwksJSON(`{"kty":"oct","kid":"h","k":"` + encode([]byte("a shared secret of 32 bytes!!!!!")) + `"}`), 6, formCanonical},
		{`{"alg":"RS256"}`, good, jwksJSON(jwkJSON("rsa-a"), jwkJSON("rsa-b")), 0, formCanonical}, // two candidates
		{`{"alg":"ES256","kid":"q"}`, good, jwksJSON(jwkJSON("ec-p384", `"kid":"q"`)), 5, formCanonical},
		{`{"alg":"RS256","kid":"a","crit":["exp"]}`, good, set, 0, formCanonical},
		{rsaHeader, good, jwksJSON(jwkJSON("rsa-a", `"kid":"a"`, `"use":"enc"`)), 0, formCanonical},
		{rsaHeader, `{"iss":"x","aud":null}`, set, 0, formCanonical},                                     // a null claim
		{`{"alg":"RS256","kid":"a","jku":5}`, good, set, 0, formCanonical},                               // a member only jwx types
		{rsaHeader, good, jwksJSON(jwkJSON("rsa-a", `"kid":"a"`, `"key_ops":"sign"`)), 0, formCanonical}, // a member only jwx reads
		{rsaHeader, good, jwkJSON("rsa-a", `"kid":"a"`), 0, formCanonical},                               // a lone key, not a set
	}
	return seeds
}

// TestDifferentialSeeds runs the seeds without fuzzing, so every seed's
// disagreement is explained in a plain test run too, and every rule of the
// table explains at least one seed: the table has no row nothing needs.
func TestDifferentialSeeds(t *testing.T) {
	used := map[string]bool{}
	for i, s := range differentialSeeds() {
		in := newDiffInput(s.header, s.payload, s.jwks, s.signer, s.form)
		for _, d := range compareJOSE(in) {
			rule := explain(in, d)
			if rule == "" {
				t.Errorf("seed %d %s (%s): strict %s, jwx %s: no rule", i, d.level, d.kind, d.strict, d.jwx)
			}
			used[rule] = true
		}
	}
	for _, r := range differentialRules {
		if !used[r.id] {
			t.Errorf("rule %s explains no seed", r.id)
		}
	}
}
