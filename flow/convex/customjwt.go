package convex

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
	"mime"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// The customJwt provider path, reference/convex.md §1.4
// (crates/authentication fetch_jwks and the CustomJwt branch; biscuit
// decode_with_jwks and validate). Every error has short code
// InvalidAuthHeader and class Unauthenticated.

// customLeeway is biscuit's temporal epsilon as Convex sets it (§1.6).
const customLeeway = 5

// customJWT runs §1.4 after a provider matched.
func (r *run) customJWT(ctx context.Context, p Provider, pc *payloadClaims) *AuthError {
	tr := &r.res.Trace

	// §1.4 step 1: the JWKS, from a data: URL or over HTTP.
	body, aerr := r.customJWKSBody(ctx, p.JWKS)
	if aerr != nil {
		return aerr
	}
	// §1.4 step 2.
	kv, kerr := r.docs().get(docBiscuitJWKS, body, func(b []byte) (any, error) { return parseBiscuitJWKS(b) })
	if kerr != nil {
		r.check(CheckJWKSDocument, false, `{"keys": [...]} with well-formed keys`, kerr.Error())
		return errInvalidAuthHeader(MsgJWKSBody(p.JWKS), ReasonJWKSParse,
			"the JWKS does not parse as a biscuit JWKSet (one malformed key fails the whole set): "+kerr.Error())
	}
	keys := kv.(*biscuitKeySet)
	r.check(CheckJWKSDocument, true, "", fmt.Sprintf("%d keys", len(keys.Keys)))
	tr.Keys = make([]KeyInfo, len(keys.Keys))
	for i, k := range keys.Keys {
		tr.Keys[i] = k.info()
	}

	// §1.4 step 3: decode_with_jwks with the configured algorithm.
	if aerr := r.decodeWithJWKS(p, keys); aerr != nil {
		return aerr
	}

	// §1.4 step 4 (C7): the issuer again (cannot fail after routing).
	if strings.TrimRight(WithScheme(pc.Iss), "/") != strings.TrimRight(p.Issuer, "/") {
		r.check(CheckIssuer, false, p.Issuer, pc.Iss)
		return errInvalidAuthHeader(MsgInvalidIssuer(pc.Iss, p.Issuer), ReasonIssuerMismatch, "the token's iss differs from the configured issuer")
	}
	r.check(CheckIssuer, true, p.Issuer, pc.Iss)

	// §1.4 step 5 (C8): the audience again, when an applicationID is configured.
	if p.HasApplicationID {
		if !pc.HasAud {
			r.check(CheckAudience, false, p.ApplicationID, "(absent)")
			return errInvalidAuthHeader(MsgMissingAudience, ReasonAudienceMissing, "the token has no aud claim")
		}
		found := false
		for _, a := range pc.Aud {
			if a == p.ApplicationID {
				found = true
			}
		}
		if !found {
			r.check(CheckAudience, false, p.ApplicationID, rustDebugList(pc.Aud))
			return errInvalidAuthHeader(MsgInvalidAudience(p.ApplicationID, pc.Aud), ReasonAudienceMismatch, "aud does not contain the applicationID")
		}
		r.check(CheckAudience, true, p.ApplicationID, rustDebugList(pc.Aud))
	}

	// §1.4 step 6, §1.6: biscuit's temporal checks, 5 s epsilon, whole-second now;
	// each claim only if present, in the order exp, nbf, iat.
	now := r.nowSec
	if pc.Exp.Present {
		if d := now - pc.Exp.Unix; d > customLeeway {
			r.check(CheckExp, false, "now - exp <= 5 s", fmt.Sprintf("now %d, exp %d", now, pc.Exp.Unix))
			return errInvalidAuthHeader(MsgTokenExpired(d), ReasonExpired, fmt.Sprintf(
				"exp %d is %d s before now %d, beyond the 5 s leeway", pc.Exp.Unix, d, now))
		}
		r.check(CheckExp, true, "now - exp <= 5 s", fmt.Sprintf("now %d, exp %d", now, pc.Exp.Unix))
	}
	if pc.Nbf.Present {
		if d := pc.Nbf.Unix - now; d > customLeeway {
			r.check(CheckNbf, false, "nbf - now <= 5 s", fmt.Sprintf("now %d, nbf %d", now, pc.Nbf.Unix))
			return errInvalidAuthHeader(MsgTokenNotYetValid(d), ReasonNotYetValid, fmt.Sprintf(
				"nbf %d is %d s after now %d, beyond the 5 s leeway: the issuer's clock or this machine's is off", pc.Nbf.Unix, d, now))
		}
		r.check(CheckNbf, true, "nbf - now <= 5 s", fmt.Sprintf("now %d, nbf %d", now, pc.Nbf.Unix))
	}
	if pc.Iat.Present {
		if d := pc.Iat.Unix - now; d > customLeeway {
			r.check(CheckIat, false, "iat - now <= 5 s", fmt.Sprintf("now %d, iat %d", now, pc.Iat.Unix))
			return errInvalidAuthHeader(MsgTokenNotYetValid(d), ReasonNotYetValid, fmt.Sprintf(
				"iat %d is %d s after now %d, beyond the 5 s leeway: the token claims to be issued in the future", pc.Iat.Unix, d, now))
		}
		r.check(CheckIat, true, "iat - now <= 5 s", fmt.Sprintf("now %d, iat %d", now, pc.Iat.Unix))
	}

	// §1.4 step 7 (C10): the identity needs sub and exp; the outer message wins.
	if !pc.HasSub {
		r.check(CheckSubjectPresent, false, "a sub claim", "(absent)")
		return errInvalidAuthHeader(MsgClaimsUnverified, ReasonMissingSubject, "the token has no sub claim (inner error: Missing subject)")
	}
	r.check(CheckSubjectPresent, true, "", pc.Sub)
	if !pc.Exp.Present {
		r.check(CheckExpiryPresent, false, "an exp claim", "(absent)")
		return errInvalidAuthHeader(MsgClaimsUnverified, ReasonMissingExpiry, "the token has no exp claim (inner error: Missing expiry)")
	}
	r.check(CheckExpiryPresent, true, "", strconv.FormatInt(pc.Exp.Unix, 10))
	r.res.Identity = buildCustomIdentity(pc)
	return nil
}

// customJWKSBody is fetch_jwks: a data: URL is decoded locally with no MIME
// check; anything else is fetched and must be 200 with a JSON Content-Type.
func (r *run) customJWKSBody(ctx context.Context, jwks string) ([]byte, *AuthError) {
	tr := &r.res.Trace
	if isData, data, err := decodeDataURL(jwks); isData {
		tr.JWKSURL = shortDataURL(jwks)
		if err != nil {
			r.check(CheckJWKSSource, false, "a data: URL with a (standard base64 or percent-encoded) body", err.Error())
			return nil, errInvalidAuthHeader(MsgJWKSDataURL, ReasonJWKSDataURL, "the jwks data: URL does not decode: "+err.Error())
		}
		r.check(CheckJWKSSource, true, "", fmt.Sprintf("%d bytes", len(data)))
		return data, nil
	}
	tr.JWKSURL = jwks
	switch kind, why := classifyJWKSURL(jwks); kind {
	case jwksInternal:
		r.check(CheckJWKSFetch, false, "an https:// or data: URL", jwks)
		return nil, errInternal(ReasonJWKSURLInvalid, fmt.Sprintf(
			"the provider's jwks %q is neither a data: URL nor a URI the backend can build a request from (%s); that error carries no ErrorMetadata, so the client sees an internal error", jwks, why))
	case jwksBuilderError:
		r.check(CheckJWKSFetch, false, "an https:// or data: URL", jwks)
		return nil, errInvalidAuthHeader(MsgJWKSTransport(jwks, why), ReasonJWKSURLInvalid, fmt.Sprintf(
			"the provider's jwks %q is not an http(s) URL; the backend's HTTP client refuses it (the error text is written as reqwest's and may differ)", jwks))
	}
	res, err := r.fetch(ctx, FetchJWKS, jwks)
	if err != nil {
		r.check(CheckJWKSFetch, false, "a response from "+jwks, err.Error())
		return nil, errInvalidAuthHeader(MsgJWKSTransport(jwks, "error sending request for url ("+jwks+")"), ReasonJWKSTransport, fmt.Sprintf(
			"GET %s failed: %v (the <err> part of the message is written as reqwest would, the exact text depends on the backend's client)", jwks, err))
	}
	r.check(CheckJWKSFetch, true, "", jwks)
	if res.Status != 200 {
		r.check(CheckJWKSStatus, false, "200", strconv.Itoa(res.Status))
		e := errInvalidAuthHeader(MsgJWKSStatus(jwks, res.Status), ReasonJWKSStatus, fmt.Sprintf("GET %s answered %d", jwks, res.Status))
		e.HTTPStatus = res.Status
		return nil, e
	}
	r.check(CheckJWKSStatus, true, "200", "200")
	if ok, why := customContentTypeOK(res); !ok {
		ct := "unknown"
		if res.HasContentType && headerToStr(res.ContentType) {
			ct = res.ContentType
		}
		r.check(CheckJWKSContentType, false, "application/json or application/jwk-set+json (charset utf-8 if given)", describeContentType(res))
		return nil, errInvalidAuthHeader(MsgJWKSContentType(ct, jwks), ReasonJWKSContentType, why)
	}
	r.check(CheckJWKSContentType, true, "application/json or application/jwk-set+json (charset utf-8 if given)", describeContentType(res))
	return res.Body, nil
}

// How the backend's request building treats a jwks value that is not a
// data: URL: fetched, refused by reqwest (C2 "builder error"), or refused
// earlier by http::Request's URI parser, whose error has no ErrorMetadata.
const (
	jwksFetch = iota
	jwksBuilderError
	jwksInternal
)

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)

// classifyJWKSURL approximates http::Uri's parser (no spaces, controls or
// "<>\^`{|}; an authority-only form needs a numeric port) and reqwest's
// scheme check.
func classifyJWKSURL(s string) (int, string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}", c) >= 0 {
			return jwksInternal, fmt.Sprintf("byte %q is not allowed in a URI", c)
		}
	}
	if schemeRE.MatchString(s) {
		u, err := url.Parse(s)
		switch {
		case err != nil || u.Host == "":
			return jwksInternal, "invalid URI"
		case u.Scheme != "http" && u.Scheme != "https":
			return jwksBuilderError, "builder error for url (" + s + ")"
		}
		return jwksFetch, ""
	}
	// No scheme: only the authority form parses ("host" or "host:port").
	if s == "" || strings.ContainsAny(s, "/?#") {
		return jwksInternal, "a URI without a scheme must be a bare host"
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		if _, err := strconv.ParseUint(s[i+1:], 10, 16); err != nil {
			return jwksInternal, "invalid port"
		}
	}
	return jwksBuilderError, "builder error"
}

// customContentTypeOK is fetch_jwks's check: the header is required, its
// essence must be application/json or application/jwk-set+json
// (case-insensitive) and a charset parameter, if any, must be utf-8 (the
// mime crate compares charset values case-insensitively).
func customContentTypeOK(res *FetchResult) (bool, string) {
	if !res.HasContentType {
		return false, "the JWKS response has no Content-Type; the customJwt path requires one"
	}
	if !headerToStr(res.ContentType) {
		return false, "the JWKS Content-Type is not visible ASCII"
	}
	mt, params, err := mime.ParseMediaType(res.ContentType)
	if err != nil {
		return false, fmt.Sprintf("the JWKS Content-Type %q does not parse as a media type: %v", res.ContentType, err)
	}
	if mt != "application/json" && mt != "application/jwk-set+json" {
		return false, fmt.Sprintf("the JWKS Content-Type is %q; serve application/json or application/jwk-set+json", mt)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return false, fmt.Sprintf("the JWKS Content-Type has charset %q; only utf-8 is accepted", cs)
	}
	return true, ""
}

// decodeWithJWKS is biscuit's Compact::decode_with_jwks followed by the C6
// message choice of validate_id_token.
func (r *run) decodeWithJWKS(p Provider, keys *biscuitKeySet) *AuthError {
	tr := &r.res.Trace
	parts := strings.Split(r.token, ".")
	// The message depends only on whether unverified_header() reads and
	// has a kid, whatever failed.
	hdr, herr := parseHeader(parts[0], true)
	c6 := func(reason Reason, detail string) *AuthError {
		msg := MsgDecodeNoKid
		if herr == nil && hdr.HasKid {
			msg = MsgDecodeKid(hdr.Kid)
			if r.v.Redact {
				msg = MsgDecodeKidRedacted
			}
		}
		return errInvalidAuthHeader(msg, reason, detail)
	}
	if len(parts) != 3 {
		r.check(CheckTokenParts, false, "3", strconv.Itoa(len(parts)))
		return c6(ReasonTokenParts, fmt.Sprintf("the token has %d parts; decoding needs exactly 3", len(parts)))
	}
	r.check(CheckTokenParts, true, "3", "3")
	sig, err := decodeB64Strict(parts[2])
	if err != nil {
		r.check(CheckSignature, false, "a base64url signature", err.Error())
		tr.Signature = SignatureFailed
		return c6(ReasonSignature, "the signature part is not unpadded base64url: "+err.Error())
	}
	if herr != nil {
		r.check(CheckHeader, false, "a JSON header with a known alg", herr.Error())
		return c6(ReasonHeaderUnparseable, "biscuit cannot read the header: "+herr.Error())
	}
	r.check(CheckHeader, true, "", "")
	tr.Kid = hdr.Kid
	tr.Alg = hdr.Alg
	if !hdr.HasKid {
		r.check(CheckKid, false, "a kid header", "(absent)")
		return c6(ReasonMissingKid, "the header has no kid; the customJwt path requires one to pick the key")
	}
	r.check(CheckKid, true, "", hdr.Kid)
	var key *biscuitKey
	for i, k := range keys.Keys {
		if k.HasKid && k.Kid == hdr.Kid {
			key = k
			tr.Keys[i].Matched = true
			break
		}
	}
	if key == nil {
		var kids []string
		for _, k := range keys.Keys {
			if k.HasKid {
				kids = append(kids, k.Kid)
			}
		}
		r.check(CheckKey, false, "a JWK with kid "+strconv.Quote(hdr.Kid), rustDebugList(kids))
		return c6(ReasonUnknownKid, fmt.Sprintf("no JWK has kid %q (the JWKS has %s)", hdr.Kid, rustDebugList(kids)))
	}
	r.check(CheckKey, true, "a JWK with kid "+strconv.Quote(hdr.Kid), strconv.Quote(key.Kid))
	want := p.Algorithm
	switch {
	case key.HasAlg && !key.AlgIsSignature:
		r.check(CheckAlg, false, want, "key alg "+key.Alg)
		return c6(ReasonAlgorithm, fmt.Sprintf("the JWK's alg %s is not a signature algorithm", key.Alg))
	case key.HasAlg && hdr.Alg != key.Alg:
		r.check(CheckAlg, false, key.Alg, hdr.Alg)
		return c6(ReasonAlgorithm, fmt.Sprintf("header alg %s differs from the JWK's alg %s", hdr.Alg, key.Alg))
	case key.HasAlg && want != key.Alg:
		r.check(CheckAlg, false, want, key.Alg)
		return c6(ReasonAlgorithm, fmt.Sprintf("the JWK's alg %s differs from the configured algorithm %s", key.Alg, want))
	case !key.HasAlg && hdr.Alg != want:
		r.check(CheckAlg, false, want, hdr.Alg)
		return c6(ReasonAlgorithm, fmt.Sprintf("header alg %s differs from the configured algorithm %s", hdr.Alg, want))
	}
	r.check(CheckAlg, true, want, hdr.Alg)
	signingInput := r.token[:len(parts[0])+1+len(parts[1])]
	ok, unusable := verifyBiscuit(key, want, signingInput, sig)
	if unusable != "" {
		tr.Signature = SignatureFailed
		r.check(CheckSignature, false, "a valid "+want+" signature", "the key cannot verify: "+unusable)
		return c6(ReasonKeyUnusable, "the JWK cannot verify "+want+": "+unusable)
	}
	if !ok {
		tr.Signature = SignatureFailed
		r.check(CheckSignature, false, "a valid "+want+" signature", "invalid")
		return c6(ReasonSignature, fmt.Sprintf("the %s signature does not verify with key %q", want, key.Kid))
	}
	tr.Signature = SignatureVerified
	r.check(CheckSignature, true, "a valid "+want+" signature", "verified")
	return nil
}

// verifyBiscuit verifies with biscuit's secret for the key: RSA and EC keys
// become public keys, oct keys raw bytes (which cannot verify RS256 or
// ES256), OKP keys are unsupported.
func verifyBiscuit(k *biscuitKey, alg, signingInput string, sig []byte) (bool, string) {
	sum := sha256.Sum256([]byte(signingInput))
	switch alg {
	case "RS256":
		if k.Kty != "RSA" {
			return false, fmt.Sprintf("kty %q cannot verify RS256", k.Kty)
		}
		if k.rsaKey == nil {
			return false, k.rsaErr
		}
		return rsa.VerifyPKCS1v15(k.rsaKey, crypto.SHA256, sum[:], sig) == nil, ""
	case "ES256":
		pub, why := k.ecdsaP256()
		if pub == nil {
			return false, why
		}
		if len(sig) != 64 {
			return false, ""
		}
		rr := new(big.Int).SetBytes(sig[:32])
		ss := new(big.Int).SetBytes(sig[32:])
		return ecdsa.Verify(pub, sum[:], rr, ss), ""
	}
	return false, "algorithm " + alg + " is not supported"
}

// decodeDataURL follows the data_url crate (the WHATWG fetch "data: URL
// processor"): isData is false when s is not a data: URL at all (no
// "data:" scheme or no comma), in which case the backend treats it as an
// http URL. A base64 body uses the standard alphabet with forgiving
// decoding; base64url characters fail.
func decodeDataURL(s string) (isData bool, data []byte, err error) {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	if len(s) < 5 || !strings.EqualFold(s[:5], "data:") {
		return false, nil, nil
	}
	rest := s[5:]
	comma := strings.IndexByte(rest, ',')
	hash := strings.IndexByte(rest, '#')
	if comma < 0 || (hash >= 0 && hash < comma) {
		return false, nil, nil
	}
	header, body := rest[:comma], rest[comma+1:]
	if i := strings.IndexByte(body, '#'); i >= 0 {
		body = body[:i]
	}
	header = strings.TrimRight(header, " ")
	isBase64 := false
	if semi := strings.LastIndexByte(header, ';'); semi >= 0 {
		if strings.EqualFold(strings.TrimLeft(header[semi+1:], " "), "base64") {
			isBase64 = true
		}
	}
	decoded := percentDecodeBytes(body)
	if !isBase64 {
		return true, decoded, nil
	}
	out, err := forgivingBase64(decoded)
	if err != nil {
		return true, nil, err
	}
	return true, out, nil
}

func percentDecodeBytes(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			out = append(out, byte(v))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

// forgivingBase64 is the WHATWG forgiving-base64 decode: ASCII whitespace
// is removed, up to two trailing '=' are allowed when the length is a
// multiple of 4, a length of 1 mod 4 fails, and only the standard alphabet
// is accepted. Trailing bits are discarded.
func forgivingBase64(in []byte) ([]byte, error) {
	b := make([]byte, 0, len(in))
	for _, c := range in {
		switch c {
		case ' ', '\t', '\n', '\f', '\r':
			continue
		}
		b = append(b, c)
	}
	if len(b)%4 == 0 {
		if len(b) > 0 && b[len(b)-1] == '=' {
			b = b[:len(b)-1]
			if len(b) > 0 && b[len(b)-1] == '=' {
				b = b[:len(b)-1]
			}
		}
	}
	if len(b)%4 == 1 {
		return nil, fmt.Errorf("invalid base64 length")
	}
	for i, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			return nil, fmt.Errorf("invalid base64 character %q at %d (data: URLs use the standard alphabet, not base64url)", c, i)
		}
	}
	return base64.RawStdEncoding.DecodeString(string(b))
}

// shortDataURL keeps a data: URL readable in the trace.
func shortDataURL(s string) string {
	if len(s) <= 64 {
		return s
	}
	return s[:48] + "… (" + strconv.Itoa(len(s)) + " bytes)"
}
