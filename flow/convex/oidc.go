package convex

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
)

// The OIDC provider path, reference/convex.md §1.3 (crates/authentication
// validate_id_token; openidconnect discovery, verification and JWKS code).

const discoverySuffix = ".well-known/openid-configuration"

// discoveryDoc is the part of an OpenID provider metadata document the
// validator needs, after openidconnect's typing.
type discoveryDoc struct {
	Issuer  string
	JWKSURI string
}

// Document-cache kinds.
const (
	docDiscovery byte = iota + 1
	docOIDCJWKS
	docBiscuitJWKS
)

// discoveryFieldKinds types the ProviderMetadata members openidconnect
// knows: 'U' required URL, 'u' optional URL, 'A' array of strings (a Vec
// with a default: null is an error), 'a' optional array of strings, 'S'
// array with skipped bad elements (non-null), 's' optional such array,
// 'b' optional boolean. Unknown members are ignored.
var discoveryFieldKinds = map[string]byte{
	"issuer":                                           'U',
	"jwks_uri":                                         'U',
	"authorization_endpoint":                           'u',
	"token_endpoint":                                   'u',
	"userinfo_endpoint":                                'u',
	"registration_endpoint":                            'u',
	"service_documentation":                            'u',
	"op_policy_uri":                                    'u',
	"op_tos_uri":                                       'u',
	"response_types_supported":                         'A',
	"subject_types_supported":                          'A',
	"id_token_signing_alg_values_supported":            'S',
	"scopes_supported":                                 'a',
	"response_modes_supported":                         'a',
	"grant_types_supported":                            'a',
	"acr_values_supported":                             'a',
	"token_endpoint_auth_methods_supported":            'a',
	"display_values_supported":                         'a',
	"claim_types_supported":                            'a',
	"claims_supported":                                 'a',
	"claims_locales_supported":                         'a',
	"ui_locales_supported":                             'a',
	"id_token_encryption_alg_values_supported":         's',
	"id_token_encryption_enc_values_supported":         's',
	"userinfo_signing_alg_values_supported":            's',
	"userinfo_encryption_alg_values_supported":         's',
	"userinfo_encryption_enc_values_supported":         's',
	"request_object_signing_alg_values_supported":      's',
	"request_object_encryption_alg_values_supported":   's',
	"request_object_encryption_enc_values_supported":   's',
	"token_endpoint_auth_signing_alg_values_supported": 's',
	"claims_parameter_supported":                       'b',
	"request_parameter_supported":                      'b',
	"request_uri_parameter_supported":                  'b',
	"require_request_uri_registration":                 'b',
}

// parseDiscovery types a discovery document the way openidconnect's
// CoreProviderMetadata does (issuer and jwks_uri required URLs; the fork
// makes authorization_endpoint, response_types_supported,
// subject_types_supported and id_token_signing_alg_values_supported optional).
func parseDiscovery(body []byte) (*discoveryDoc, error) {
	members, err := parseJSONObject(body)
	if err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	doc := &discoveryDoc{}
	seen := map[string]bool{}
	for _, m := range members {
		kind, ok := discoveryFieldKinds[m.Key]
		if !ok {
			continue
		}
		if seen[m.Key] {
			return nil, fmt.Errorf("duplicate field `%s`", m.Key)
		}
		seen[m.Key] = true
		if m.Kind == jNull {
			switch kind {
			case 'u', 'a', 's', 'b':
				continue
			}
			return nil, fmt.Errorf("%s: invalid type: null", m.Key)
		}
		switch kind {
		case 'U', 'u':
			if m.Kind != jString {
				return nil, fmt.Errorf("%s must be a URL string, found %s", m.Key, describeJSON(m))
			}
			s, err := decodeJSONString(m.Raw)
			if err != nil {
				return nil, err
			}
			if err := checkAbsoluteURL(s); err != nil {
				return nil, fmt.Errorf("%s %q is not a URL: %v", m.Key, s, err)
			}
			switch m.Key {
			case "issuer":
				doc.Issuer = s
			case "jwks_uri":
				doc.JWKSURI = s
			}
		case 'A', 'a':
			if _, ok := stringArray(m.Raw); m.Kind != jArray || !ok {
				return nil, fmt.Errorf("%s must be an array of strings, found %s", m.Key, describeJSON(m))
			}
		case 'S', 's':
			if m.Kind != jArray {
				return nil, fmt.Errorf("%s must be an array, found %s", m.Key, describeJSON(m))
			}
		case 'b':
			if m.Kind != jBool {
				return nil, fmt.Errorf("%s must be a boolean, found %s", m.Key, describeJSON(m))
			}
		}
	}
	if !seen["issuer"] {
		return nil, fmt.Errorf("missing field `issuer`")
	}
	if !seen["jwks_uri"] {
		return nil, fmt.Errorf("missing field `jwks_uri`")
	}
	return doc, nil
}

// headerToStr is http::HeaderValue::to_str: visible ASCII and tab only.
func headerToStr(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\t' && (c < 0x20 || c > 0x7e) {
			return false
		}
	}
	return true
}

// oidcContentTypeOK is openidconnect's check_content_type: an absent
// Content-Type passes; a present one must be visible ASCII and its part
// before the first ';', lowercased, must equal one of the expected types.
// Whitespace is not trimmed ("application/json ; charset=utf-8" fails).
func oidcContentTypeOK(res *FetchResult, expected ...string) bool {
	if !res.HasContentType {
		return true
	}
	ct := res.ContentType
	if !headerToStr(ct) {
		return false
	}
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.ToLower(ct)
	for _, e := range expected {
		if ct == e {
			return true
		}
	}
	return false
}

func describeContentType(res *FetchResult) string {
	if !res.HasContentType {
		return "(absent)"
	}
	return res.ContentType
}

// oidc runs §1.3 after a provider matched.
func (r *run) oidc(ctx context.Context, p Provider, pc *payloadClaims) *AuthError {
	iss := pc.Iss
	tr := &r.res.Trace

	// §1.3 step 1: IssuerUrl::new(iss) — a plain URL error, no ErrorMetadata.
	if err := checkAbsoluteURL(iss); err != nil {
		urlErr := err.Error()
		r.check(CheckIssuerURL, false, "an absolute URL (discovery uses the token's raw iss)", fmt.Sprintf("%q: %s", iss, urlErr))
		return errInternal(ReasonIssuerNotURL, fmt.Sprintf(
			"the token's iss %q is not an absolute URL (%s). Matching put https:// in front of it, but discovery parses the raw iss and fails without ErrorMetadata, so the backend answers with an internal error (WebSocket close 1011 InternalServerError, HTTP 500). Issue tokens whose iss is the full URL %q.",
			iss, urlErr, WithScheme(iss)))
	}
	r.check(CheckIssuerURL, true, "", iss)

	discURL := iss + "/" + discoverySuffix
	if strings.HasSuffix(iss, "/") {
		discURL = iss + discoverySuffix
	}
	// iss parsed, so iss + "/.well-known/…" parses too: joining a path
	// cannot make an absolute URL invalid.
	tr.DiscoveryURL = discURL
	res, err := r.fetch(ctx, FetchDiscovery, discURL)
	if err != nil {
		r.check(CheckDiscoveryFetch, false, "a response from "+discURL, err.Error())
		return errDiscoveryBase(iss, ReasonDiscoveryTransport, fmt.Sprintf("GET %s failed: %v", discURL, err))
	}
	r.check(CheckDiscoveryFetch, true, "", discURL)
	if res.Status != 200 {
		r.check(CheckDiscoveryStatus, false, "200", strconv.Itoa(res.Status))
		return errDiscoveryStatus(iss, res.Status, res.Body, ReasonDiscoveryStatus, fmt.Sprintf(
			"GET %s answered %s; the discovery document must be served with 200 at iss + /.well-known/openid-configuration", discURL, RustStatusDisplay(res.Status)))
	}
	r.check(CheckDiscoveryStatus, true, "200", "200")
	if !oidcContentTypeOK(res, "application/json") {
		r.check(CheckDiscoveryContentType, false, "absent or application/json", describeContentType(res))
		return errDiscoveryStatus(iss, res.Status, res.Body, ReasonDiscoveryContentType, fmt.Sprintf(
			"the discovery document's Content-Type is %s; openidconnect accepts only an absent header or one whose part before ';' is application/json", describeContentType(res)))
	}
	r.check(CheckDiscoveryContentType, true, "absent or application/json", describeContentType(res))
	dv, derr := r.docs().get(docDiscovery, res.Body, func(b []byte) (any, error) { return parseDiscovery(b) })
	if derr != nil {
		r.check(CheckDiscoveryDocument, false, "OpenID provider metadata with issuer and jwks_uri", derr.Error())
		return errDiscoveryBase(iss, ReasonDiscoveryParse, "the discovery document does not parse as provider metadata: "+derr.Error())
	}
	doc := dv.(*discoveryDoc)
	r.check(CheckDiscoveryDocument, true, "", "")
	tr.DiscoveredIssuer = doc.Issuer
	if doc.Issuer != iss {
		r.check(CheckDiscoveryIssuer, false, iss, doc.Issuer)
		return errDiscoveryBase(iss, ReasonDiscoveryIssuer, fmt.Sprintf(
			"the discovery document's issuer %q is not exactly the token's iss %q (compared as strings; a trailing slash counts)", doc.Issuer, iss))
	}
	r.check(CheckDiscoveryIssuer, true, iss, doc.Issuer)

	tr.JWKSURL = doc.JWKSURI
	jres, err := r.fetch(ctx, FetchJWKS, doc.JWKSURI)
	if err != nil {
		r.check(CheckJWKSFetch, false, "a response from "+doc.JWKSURI, err.Error())
		return errDiscoveryBase(iss, ReasonJWKSTransport, fmt.Sprintf("GET %s (jwks_uri) failed: %v", doc.JWKSURI, err))
	}
	r.check(CheckJWKSFetch, true, "", doc.JWKSURI)
	if jres.Status != 200 {
		r.check(CheckJWKSStatus, false, "200", strconv.Itoa(jres.Status))
		return errDiscoveryStatus(iss, jres.Status, jres.Body, ReasonJWKSStatus, fmt.Sprintf(
			"GET %s (jwks_uri) answered %s", doc.JWKSURI, RustStatusDisplay(jres.Status)))
	}
	r.check(CheckJWKSStatus, true, "200", "200")
	if !oidcContentTypeOK(jres, "application/json", "application/jwk-set+json") {
		r.check(CheckJWKSContentType, false, "absent, application/json or application/jwk-set+json", describeContentType(jres))
		return errDiscoveryStatus(iss, jres.Status, jres.Body, ReasonJWKSContentType, fmt.Sprintf(
			"the JWKS Content-Type is %s; openidconnect accepts only an absent header, application/json or application/jwk-set+json", describeContentType(jres)))
	}
	r.check(CheckJWKSContentType, true, "absent, application/json or application/jwk-set+json", describeContentType(jres))
	kv, kerr := r.docs().get(docOIDCJWKS, jres.Body, func(b []byte) (any, error) { return parseOIDCJWKS(b) })
	if kerr != nil {
		r.check(CheckJWKSDocument, false, `{"keys": [...]}`, kerr.Error())
		return errDiscoveryBase(iss, ReasonJWKSParse, "the JWKS does not parse: "+kerr.Error())
	}
	keys := kv.(*oidcKeySet)
	r.check(CheckJWKSDocument, true, "", keys.summary)
	tr.Keys = make([]KeyInfo, len(keys.Keys))
	for i, k := range keys.Keys {
		tr.Keys[i] = k.info()
	}

	// §1.3 step 3: only now is the token parsed as an OIDC ID token.
	tok, err := parseOIDCToken(r.token, pc)
	if err != nil {
		r.check(CheckOIDCStructure, false, "three base64url parts, a known alg, iss URL, exp, iat, sub", err.Error())
		return errInvalidAuthHeader(MsgOIDCUnparseable, ReasonOIDCParse, "openidconnect cannot parse the token: "+err.Error())
	}
	r.check(CheckOIDCStructure, true, "", "")
	h := tok.Header
	tr.Kid = h.Kid
	tr.Alg = h.Alg

	// §1.3 step 4, in the verifier's order (openidconnect JwtClaimsVerifier).
	if h.HasTyp {
		norm, _ := normalizeJWTType(h.Typ)
		if norm != "application/jwt" && norm != "application/jose" {
			r.check(CheckTyp, false, "absent, JWT or JOSE", h.Typ)
			return errOIDCUnverified(ReasonTyp, fmt.Sprintf("header typ %q is not JWT or JOSE; the verifier rejects it", h.Typ))
		}
		r.check(CheckTyp, true, "absent, JWT or JOSE", h.Typ)
	} else {
		r.check(CheckTyp, true, "absent, JWT or JOSE", "(absent)")
	}
	if h.HasCty {
		r.check(CheckCty, false, "(absent)", h.Cty)
		return errOIDCUnverified(ReasonCrit, fmt.Sprintf("header cty %q is present; nested or non-JSON JWTs are not supported", h.Cty))
	}
	r.check(CheckCty, true, "(absent)", "(absent)")
	if h.HasCrit {
		r.check(CheckCrit, false, "(absent)", rustDebugList(h.Crit))
		return errOIDCUnverified(ReasonCrit, "header crit is present; the verifier understands no critical extensions")
	}
	r.check(CheckCrit, true, "(absent)", "(absent)")
	if classifyOIDCAlg(h.Alg) == algEncryption {
		r.check(CheckAlg, false, "RS256 or EdDSA", h.Alg)
		return errOIDCUnverified(ReasonAlgorithm, fmt.Sprintf("alg %s is a JWE encryption algorithm; encrypted ID tokens are not supported", h.Alg))
	}
	if tok.Iss != doc.Issuer {
		r.check(CheckIssuer, false, doc.Issuer, tok.Iss)
		return errOIDCUnverified(ReasonIssuerMismatch, fmt.Sprintf("iss %q is not the discovered issuer %q", tok.Iss, doc.Issuer))
	}
	r.check(CheckIssuer, true, doc.Issuer, tok.Iss)
	app := p.ApplicationID
	audList := rustDebugList(tok.Aud)
	if !tok.HasAud {
		r.check(CheckAudience, false, app, "(absent)")
		return errOIDCUnverified(ReasonAudienceMissing, "the token has no aud claim")
	}
	hasApp := false
	for _, a := range tok.Aud {
		if a == app {
			hasApp = true
		}
	}
	if !hasApp {
		r.check(CheckAudience, false, app, audList)
		return errOIDCUnverified(ReasonAudienceMismatch, fmt.Sprintf("aud %s does not contain the applicationID %q", audList, app))
	}
	r.check(CheckAudience, true, app, audList)
	for _, a := range tok.Aud {
		if a != app {
			r.check(CheckSingleAudience, false, "only "+app, audList)
			return errOIDCUnverified(ReasonMultipleAudiences, fmt.Sprintf(
				"aud %s also names %q; the verifier treats every other audience as untrusted and rejects the token. Issue the token for %q alone", audList, a, app))
		}
	}
	r.check(CheckSingleAudience, true, "", audList)
	switch {
	case h.Alg == "none":
		r.check(CheckAlg, false, "RS256 or EdDSA", h.Alg)
		return errOIDCUnverified(ReasonAlgorithm, "alg none: the token is unsigned")
	case h.Alg != "RS256" && h.Alg != "EdDSA":
		r.check(CheckAlg, false, "RS256 or EdDSA", h.Alg)
		return errOIDCUnverified(ReasonAlgorithm, fmt.Sprintf(
			"alg %s is not allowed on the OIDC path (Convex allows RS256 and EdDSA only); use RS256, or a customJwt provider for ES256", h.Alg))
	}
	r.check(CheckAlg, true, "RS256 or EdDSA", h.Alg)

	// §1.3 step 4 key selection: kid (if the token has one), use, kty and alg.
	var cands []*oidcKey
	var why []string
	for _, k := range keys.Keys {
		if h.HasKid && (!k.HasKid || k.Kid != h.Kid) {
			continue
		}
		if ok, reason := k.compatible(h.Alg); !ok {
			why = append(why, fmt.Sprintf("key %q: %s", k.Kid, reason))
			continue
		}
		cands = append(cands, k)
	}
	kidDesc := "(no kid)"
	if h.HasKid {
		kidDesc = h.Kid
	}
	keyWant := "one key for kid " + kidDesc + ", " + h.Alg
	switch {
	case len(cands) == 0:
		r.check(CheckKey, false, keyWant, "none")
		detail := fmt.Sprintf("no key in the JWKS fits kid %s and alg %s (No matching key)", kidDesc, h.Alg)
		if len(why) > 0 {
			detail += ": " + strings.Join(why, "; ")
		} else if h.HasKid {
			detail += fmt.Sprintf("; the JWKS has kids %s — the signing key may have been rotated", kidList(keys))
		}
		return errOIDCUnverified(ReasonNoMatchingKey, detail)
	case len(cands) > 1:
		r.check(CheckKey, false, keyWant, strconv.Itoa(len(cands))+" keys")
		return errOIDCUnverified(ReasonAmbiguousKey, fmt.Sprintf(
			"%d keys in the JWKS fit kid %s and alg %s (Ambiguous key); a token without a kid works only when exactly one suitable key exists", len(cands), kidDesc, h.Alg))
	}
	key := cands[0]
	for i, k := range keys.Keys {
		if k == key {
			tr.Keys[i].Matched = true
		}
	}
	r.check(CheckKey, true, keyWant, key.Kid)

	sigWant := "a valid RS256 signature"
	if h.Alg == "EdDSA" {
		sigWant = "a valid EdDSA signature"
	}
	if key.keyErr != "" {
		tr.Signature = SignatureFailed
		r.check(CheckSignature, false, sigWant, "the key cannot verify: "+key.keyErr)
		return errOIDCUnverified(ReasonKeyUnusable, "the selected key cannot verify the signature: "+key.keyErr)
	}
	if !verifyOIDCSignature(key, h.Alg, tok.SigningInput, tok.Signature) {
		tr.Signature = SignatureFailed
		r.check(CheckSignature, false, sigWant, "invalid")
		return errOIDCUnverified(ReasonSignature, fmt.Sprintf("the %s signature does not verify with key %q", h.Alg, key.Kid))
	}
	tr.Signature = SignatureVerified
	r.check(CheckSignature, true, sigWant, "verified")

	// §1.3 step 4, §1.6: exp is strict, no leeway, against whole-second now.
	var tb [64]byte
	times := string(appendOIDCTime(append(strconv.AppendInt(append(tb[:0], "now "...), r.nowSec, 10), ", exp "...), tok.Exp))
	if r.nowSec > tok.Exp.Secs || (r.nowSec == tok.Exp.Secs && tok.Exp.Nanos == 0) {
		r.check(CheckExp, false, "now < exp (no leeway)", times)
		return errOIDCUnverified(ReasonExpired, fmt.Sprintf(
			"the token expired: exp %s <= now %d (the OIDC path allows no leeway; the client should refetch before exp)", formatOIDCTime(tok.Exp), r.nowSec))
	}
	r.check(CheckExp, true, "now < exp (no leeway)", times)

	r.res.Identity = buildOIDCIdentity(tok)
	return nil
}

func kidList(keys *oidcKeySet) string {
	var kids []string
	for _, k := range keys.Keys {
		if k.HasKid {
			kids = append(kids, k.Kid)
		}
	}
	return rustDebugList(kids)
}

func formatOIDCTime(t oidcTime) string { return string(appendOIDCTime(nil, t)) }

func appendOIDCTime(dst []byte, t oidcTime) []byte {
	dst = strconv.AppendInt(dst, t.Secs, 10)
	if t.Nanos != 0 {
		dst = append(dst, '.')
		dst = appendPadded(dst, t.Nanos, 9)
	}
	return dst
}

// normalizeJWTType is openidconnect's JsonWebTokenType::normalize:
// lowercase; a value without '/' gets "application/" in front; a value
// with parameters must have a non-empty type and subtype before the ';'.
func normalizeJWTType(typ string) (string, bool) {
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

// verifyOIDCSignature verifies RS256 (PKCS#1 v1.5, SHA-256) or Ed25519.
func verifyOIDCSignature(k *oidcKey, alg, signingInput string, sig []byte) bool {
	switch alg {
	case "RS256":
		if k.rsaKey == nil {
			return false
		}
		sum := sha256.Sum256([]byte(signingInput))
		return rsa.VerifyPKCS1v15(k.rsaKey, crypto.SHA256, sum[:], sig) == nil
	case "EdDSA":
		if k.edKey == nil || len(sig) != ed25519.SignatureSize {
			return false
		}
		return ed25519.Verify(k.edKey, []byte(signingInput), sig)
	}
	return false
}
