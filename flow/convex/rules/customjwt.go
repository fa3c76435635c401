package rules

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/jose"
)

// The customJwt provider path (SPEC.md "customJwt path";
// crates/authentication fetch_jwks and the CustomJwt branch of
// validate_id_token, biscuit's decode_with_jwks and validate), as named
// steps in the backend's order. Every error has short code
// InvalidAuthHeader and class Unauthenticated.

// customLeeway is biscuit's temporal epsilon as Convex sets it, in seconds.
const customLeeway = 5

// customJWT runs the customJwt path after a provider matched.
func (r *run) customJWT(ctx context.Context, p Provider, pc *jose.Claims) *AuthError {
	keys, err := r.loadCustomKeys(ctx, p.JWKS)
	if err != nil {
		return err
	}
	if err := r.decodeWithJWKS(p.Algorithm, keys); err != nil {
		return err
	}
	if err := r.checkCustomIssuerAudience(p, pc); err != nil {
		return err
	}
	if err := r.checkCustomTimes(pc); err != nil {
		return err
	}
	if err := r.checkIdentityClaims(pc); err != nil {
		return err
	}
	r.res.Identity = buildCustomIdentity(pc)
	return nil
}

// loadCustomKeys gets the key set from the provider's jwks and reads it
// as biscuit does: one malformed key fails the whole set (C5).
func (r *run) loadCustomKeys(ctx context.Context, jwks string) (*jose.CustomKeySet, *AuthError) {
	body, aerr := r.customJWKSBody(ctx, jwks)
	if aerr != nil {
		return nil, aerr
	}
	kv, kerr := r.v.docs.get(docCustomJWKS, body, func(b []byte) (any, error) { return jose.ParseCustomKeySet(b) })
	if kerr != nil {
		r.check(CheckJWKSDocument, false, `{"keys": [...]} with well-formed keys`, kerr.Error())
		return nil, errInvalidAuthHeader(MsgJWKSBody(jwks), ReasonJWKSParse,
			"the JWKS does not parse as a biscuit JWKSet (one malformed key fails the whole set): "+kerr.Error())
	}
	keys := kv.(*jose.CustomKeySet)
	r.check(CheckJWKSDocument, true, "", fmt.Sprintf("%d keys", len(keys.Keys)))
	r.res.Trace.Keys = make([]KeyInfo, len(keys.Keys))
	for i, k := range keys.Keys {
		r.res.Trace.Keys[i] = KeyInfo{Kid: k.Kid, Kty: k.Kty, Alg: k.Alg, Use: k.Use}
	}
	return keys, nil
}

// customJWKSBody is fetch_jwks: a data: URL is decoded locally with no MIME
// check; anything else is fetched and must be 200 with a JSON Content-Type.
func (r *run) customJWKSBody(ctx context.Context, jwks string) ([]byte, *AuthError) {
	if isData, data, err := decodeDataURL(jwks); isData {
		r.res.Trace.JWKSURL = shortDataURL(jwks)
		if err != nil {
			r.check(CheckJWKSSource, false, "a data: URL with a (standard base64 or percent-encoded) body", err.Error())
			return nil, errInvalidAuthHeader(MsgJWKSDataURL, ReasonJWKSDataURL, "the jwks data: URL does not decode: "+err.Error())
		}
		r.check(CheckJWKSSource, true, "", fmt.Sprintf("%d bytes", len(data)))
		return data, nil
	}
	r.res.Trace.JWKSURL = jwks
	if aerr := r.checkJWKSURL(jwks); aerr != nil {
		return nil, aerr
	}
	res, err := r.fetch(ctx, fetch.JWKS, jwks)
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
	const wantCT = "application/json or application/jwk-set+json (charset utf-8 if given)"
	if ok, why := customContentTypeOK(res); !ok {
		ct := "unknown"
		if res.HasContentType && headerToStr(res.ContentType) {
			ct = res.ContentType
		}
		r.check(CheckJWKSContentType, false, wantCT, describeContentType(res))
		return nil, errInvalidAuthHeader(MsgJWKSContentType(ct, jwks), ReasonJWKSContentType, why)
	}
	r.check(CheckJWKSContentType, true, wantCT, describeContentType(res))
	return res.Body, nil
}

// checkJWKSURL refuses, before any request, a jwks value the backend cannot
// build a request from.
func (r *run) checkJWKSURL(jwks string) *AuthError {
	switch kind, why := classifyJWKSURL(jwks); kind {
	case jwksInternal:
		r.check(CheckJWKSFetch, false, "an https:// or data: URL", jwks)
		return errInternal(ReasonJWKSURLInvalid, fmt.Sprintf(
			"the provider's jwks %q is neither a data: URL nor a URI the backend can build a request from (%s); that error carries no ErrorMetadata, so the client sees an internal error", jwks, why))
	case jwksBuilderError:
		r.check(CheckJWKSFetch, false, "an https:// or data: URL", jwks)
		return errInvalidAuthHeader(MsgJWKSTransport(jwks, why), ReasonJWKSURLInvalid, fmt.Sprintf(
			"the provider's jwks %q is not an http(s) URL; the backend's HTTP client refuses it (the error text is written as reqwest's and may differ)", jwks))
	}
	return nil
}

// c6 is the C6 message for a decoding failure: it depends only on whether
// the header reads and has a kid, whatever failed.
type c6 struct {
	hdr    *jose.Header
	herr   error
	redact bool
}

func (c c6) err(reason Reason, detail string) *AuthError {
	msg := MsgDecodeNoKid
	if c.herr == nil && c.hdr.HasKid {
		msg = MsgDecodeKid(c.hdr.Kid)
		if c.redact {
			msg = MsgDecodeKidRedacted
		}
	}
	return errInvalidAuthHeader(msg, reason, detail)
}

// decodeWithJWKS is biscuit's Compact::decode_with_jwks with the
// configured algorithm: three parts, a readable header with a kid, the
// first JWK with that kid, the algorithm rules, then the signature.
func (r *run) decodeWithJWKS(want string, keys *jose.CustomKeySet) *AuthError {
	parts := strings.Split(r.token, ".")
	hdr, herr := jose.ParseHeader(parts[0], jose.Biscuit)
	fail := c6{hdr: hdr, herr: herr, redact: r.v.Redact}
	if len(parts) != 3 {
		r.check(CheckTokenParts, false, "3", strconv.Itoa(len(parts)))
		return fail.err(ReasonTokenParts, fmt.Sprintf("the token has %d parts; decoding needs exactly 3", len(parts)))
	}
	r.check(CheckTokenParts, true, "3", "3")
	sig, err := jose.DecodeStrict(parts[2])
	if err != nil {
		r.check(CheckSignature, false, "a base64url signature", err.Error())
		r.res.Trace.Signature = SignatureFailed
		return fail.err(ReasonSignature, "the signature part is not unpadded base64url: "+err.Error())
	}
	if herr != nil {
		r.check(CheckHeader, false, "a JSON header with a known alg", herr.Error())
		return fail.err(ReasonHeaderUnparseable, "biscuit cannot read the header: "+herr.Error())
	}
	r.check(CheckHeader, true, "", "")
	r.res.Trace.Kid = hdr.Kid
	r.res.Trace.Alg = hdr.Alg
	key, aerr := r.selectCustomKey(hdr, keys, fail)
	if aerr != nil {
		return aerr
	}
	if aerr := r.checkCustomAlg(hdr, key, want, fail); aerr != nil {
		return aerr
	}
	return r.verifyCustom(key, want, r.token[:len(parts[0])+1+len(parts[1])], sig, fail)
}

// selectCustomKey requires a kid and takes the first JWK that has it.
func (r *run) selectCustomKey(hdr *jose.Header, keys *jose.CustomKeySet, fail c6) (*jose.CustomKey, *AuthError) {
	if !hdr.HasKid {
		r.check(CheckKid, false, "a kid header", "(absent)")
		return nil, fail.err(ReasonMissingKid, "the header has no kid; the customJwt path requires one to pick the key")
	}
	r.check(CheckKid, true, "", hdr.Kid)
	want := "a JWK with kid " + strconv.Quote(hdr.Kid)
	if k, i := keys.First(hdr.Kid); k != nil {
		r.res.Trace.Keys[i].Matched = true
		r.check(CheckKey, true, want, strconv.Quote(k.Kid))
		return k, nil
	}
	kids := rustDebugList(keys.Kids())
	r.check(CheckKey, false, want, kids)
	return nil, fail.err(ReasonUnknownKid, fmt.Sprintf("no JWK has kid %q (the JWKS has %s)", hdr.Kid, kids))
}

// checkCustomAlg: a JWK with an alg needs the header's alg and the
// configured one to equal it; without one, the header's alg must be the
// configured one.
func (r *run) checkCustomAlg(hdr *jose.Header, key *jose.CustomKey, want string, fail c6) *AuthError {
	switch {
	case key.HasAlg && !key.AlgIsSignature:
		r.check(CheckAlg, false, want, "key alg "+key.Alg)
		return fail.err(ReasonAlgorithm, fmt.Sprintf("the JWK's alg %s is not a signature algorithm", key.Alg))
	case key.HasAlg && hdr.Alg != key.Alg:
		r.check(CheckAlg, false, key.Alg, hdr.Alg)
		return fail.err(ReasonAlgorithm, fmt.Sprintf("header alg %s differs from the JWK's alg %s", hdr.Alg, key.Alg))
	case key.HasAlg && want != key.Alg:
		r.check(CheckAlg, false, want, key.Alg)
		return fail.err(ReasonAlgorithm, fmt.Sprintf("the JWK's alg %s differs from the configured algorithm %s", key.Alg, want))
	case !key.HasAlg && hdr.Alg != want:
		r.check(CheckAlg, false, want, hdr.Alg)
		return fail.err(ReasonAlgorithm, fmt.Sprintf("header alg %s differs from the configured algorithm %s", hdr.Alg, want))
	}
	r.check(CheckAlg, true, want, hdr.Alg)
	return nil
}

func (r *run) verifyCustom(key *jose.CustomKey, alg, signingInput string, sig []byte, fail c6) *AuthError {
	sigWant := "a valid " + alg + " signature"
	pub, unusable := key.PublicKeyFor(alg)
	if pub == nil {
		r.res.Trace.Signature = SignatureFailed
		r.check(CheckSignature, false, sigWant, "the key cannot verify: "+unusable)
		return fail.err(ReasonKeyUnusable, "the JWK cannot verify "+alg+": "+unusable)
	}
	if !jose.Verify(alg, pub, signingInput, sig) {
		r.res.Trace.Signature = SignatureFailed
		r.check(CheckSignature, false, sigWant, "invalid")
		return fail.err(ReasonSignature, fmt.Sprintf("the %s signature does not verify with key %q", alg, key.Kid))
	}
	r.res.Trace.Signature = SignatureVerified
	r.check(CheckSignature, true, sigWant, "verified")
	return nil
}

// checkCustomIssuerAudience repeats the routing match (C7, C8): it cannot
// fail after routing, but its messages are the backend's.
func (r *run) checkCustomIssuerAudience(p Provider, pc *jose.Claims) *AuthError {
	if strings.TrimRight(WithScheme(pc.Iss), "/") != strings.TrimRight(p.Issuer, "/") {
		r.check(CheckIssuer, false, p.Issuer, pc.Iss)
		return errInvalidAuthHeader(MsgInvalidIssuer(pc.Iss, p.Issuer), ReasonIssuerMismatch, "the token's iss differs from the configured issuer")
	}
	r.check(CheckIssuer, true, p.Issuer, pc.Iss)
	if !p.HasApplicationID {
		return nil
	}
	switch {
	case !pc.HasAud:
		r.check(CheckAudience, false, p.ApplicationID, "(absent)")
		return errInvalidAuthHeader(MsgMissingAudience, ReasonAudienceMissing, "the token has no aud claim")
	case !contains(pc.Aud, p.ApplicationID):
		r.check(CheckAudience, false, p.ApplicationID, rustDebugList(pc.Aud))
		return errInvalidAuthHeader(MsgInvalidAudience(p.ApplicationID, pc.Aud), ReasonAudienceMismatch, "aud does not contain the applicationID")
	}
	r.check(CheckAudience, true, p.ApplicationID, rustDebugList(pc.Aud))
	return nil
}

// checkCustomTimes is biscuit's temporal validation (SPEC.md "Time"): a
// 5 s epsilon, whole-second now, each claim only if present, in the order
// exp, nbf, iat.
func (r *run) checkCustomTimes(pc *jose.Claims) *AuthError {
	now := r.nowSec
	type timeCheck struct {
		check string
		name  string
		claim jose.TimeClaim
		late  bool // exp: too late after; nbf, iat: too early before
		why   string
	}
	for _, c := range []timeCheck{
		{CheckExp, "exp", pc.Exp, true, ""},
		{CheckNbf, "nbf", pc.Nbf, false, "the issuer's clock or this machine's is off"},
		{CheckIat, "iat", pc.Iat, false, "the token claims to be issued in the future"},
	} {
		if !c.claim.Present {
			continue
		}
		d, want := c.claim.Unix-now, c.name+" - now <= 5 s"
		if c.late {
			d, want = now-c.claim.Unix, "now - exp <= 5 s"
		}
		actual := fmt.Sprintf("now %d, %s %d", now, c.name, c.claim.Unix)
		if d <= customLeeway {
			r.check(c.check, true, want, actual)
			continue
		}
		r.check(c.check, false, want, actual)
		if c.late {
			return errInvalidAuthHeader(MsgTokenExpired(d), ReasonExpired, fmt.Sprintf(
				"exp %d is %d s before now %d, beyond the 5 s leeway", c.claim.Unix, d, now))
		}
		return errInvalidAuthHeader(MsgTokenNotYetValid(d), ReasonNotYetValid, fmt.Sprintf(
			"%s %d is %d s after now %d, beyond the 5 s leeway: %s", c.name, c.claim.Unix, d, now, c.why))
	}
	return nil
}

// checkIdentityClaims: the identity needs sub and exp (C10); the outer
// message wins over the inner "Missing subject" or "Missing expiry".
func (r *run) checkIdentityClaims(pc *jose.Claims) *AuthError {
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
	return nil
}
