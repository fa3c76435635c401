package rules

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/internal/weburl"
	"github.com/authscope/authscope/flow/convex/jose"
)

// The OIDC provider path (SPEC.md "OIDC path"; crates/authentication
// validate_id_token with openidconnect's discovery, JWKS and verifier), as
// named steps in the backend's order.

// oidc runs the OIDC path after a provider matched.
func (r *run) oidc(ctx context.Context, p Provider, pc *jose.Claims) *AuthError {
	if err := r.checkIssuerURL(pc.Iss); err != nil {
		return err
	}
	doc, err := r.discover(ctx, pc.Iss)
	if err != nil {
		return err
	}
	keys, err := r.fetchOIDCKeys(ctx, pc.Iss, doc.JWKSURI)
	if err != nil {
		return err
	}
	tok, err := r.parseIDToken(pc)
	if err != nil {
		return err
	}
	if err := r.checkIDTokenHeader(tok.Header); err != nil {
		return err
	}
	if err := r.checkIDTokenClaims(tok, doc.Issuer, p.ApplicationID); err != nil {
		return err
	}
	if err := r.selectKeyAndVerify(tok, keys); err != nil {
		return err
	}
	if err := r.checkOIDCExpiry(tok); err != nil {
		return err
	}
	r.res.Identity = buildOIDCIdentity(tok)
	return nil
}

// checkIssuerURL is IssuerUrl::new(iss): discovery uses the token's raw iss,
// and a failure there is a plain URL error with no ErrorMetadata.
func (r *run) checkIssuerURL(iss string) *AuthError {
	if err := weburl.CheckAbsolute(iss); err != nil {
		r.check(CheckIssuerURL, false, "an absolute URL (discovery uses the token's raw iss)", fmt.Sprintf("%q: %s", iss, err))
		return errInternal(ReasonIssuerNotURL, fmt.Sprintf(
			"the token's iss %q is not an absolute URL (%s). Matching put https:// in front of it, but discovery parses the raw iss and fails without ErrorMetadata, so the backend answers with an internal error (WebSocket close 1011 InternalServerError, HTTP 500). Issue tokens whose iss is the full URL %q.",
			iss, err, WithScheme(iss)))
	}
	r.check(CheckIssuerURL, true, "", iss)
	return nil
}

// discover fetches and reads iss's discovery document, whose issuer must
// be iss exactly.
func (r *run) discover(ctx context.Context, iss string) (*discoveryDoc, *AuthError) {
	discURL := discoveryURL(iss)
	// iss parsed, so iss + "/.well-known/…" parses too.
	r.res.Trace.DiscoveryURL = discURL
	res, err := r.fetch(ctx, fetch.Discovery, discURL)
	if err != nil {
		r.check(CheckDiscoveryFetch, false, "a response from "+discURL, err.Error())
		return nil, errDiscoveryBase(iss, ReasonDiscoveryTransport, fmt.Sprintf("GET %s failed: %v", discURL, err))
	}
	r.check(CheckDiscoveryFetch, true, "", discURL)
	if res.Status != 200 {
		r.check(CheckDiscoveryStatus, false, "200", strconv.Itoa(res.Status))
		return nil, errDiscoveryStatus(iss, res.Status, res.Body, ReasonDiscoveryStatus, fmt.Sprintf(
			"GET %s answered %s; the discovery document must be served with 200 at iss + /.well-known/openid-configuration", discURL, RustStatusDisplay(res.Status)))
	}
	r.check(CheckDiscoveryStatus, true, "200", "200")
	if !oidcContentTypeOK(res, "application/json") {
		r.check(CheckDiscoveryContentType, false, "absent or application/json", describeContentType(res))
		return nil, errDiscoveryStatus(iss, res.Status, res.Body, ReasonDiscoveryContentType, fmt.Sprintf(
			"the discovery document's Content-Type is %s; openidconnect accepts only an absent header or one whose part before ';' is application/json", describeContentType(res)))
	}
	r.check(CheckDiscoveryContentType, true, "absent or application/json", describeContentType(res))
	dv, derr := r.v.docs.get(docDiscovery, res.Body, func(b []byte) (any, error) { return parseDiscovery(b) })
	if derr != nil {
		r.check(CheckDiscoveryDocument, false, "OpenID provider metadata with issuer and jwks_uri", derr.Error())
		return nil, errDiscoveryBase(iss, ReasonDiscoveryParse, "the discovery document does not parse as provider metadata: "+derr.Error())
	}
	doc := dv.(*discoveryDoc)
	r.check(CheckDiscoveryDocument, true, "", "")
	r.res.Trace.DiscoveredIssuer = doc.Issuer
	if doc.Issuer != iss {
		r.check(CheckDiscoveryIssuer, false, iss, doc.Issuer)
		return nil, errDiscoveryBase(iss, ReasonDiscoveryIssuer, fmt.Sprintf(
			"the discovery document's issuer %q is not exactly the token's iss %q (compared as strings; a trailing slash counts)", doc.Issuer, iss))
	}
	r.check(CheckDiscoveryIssuer, true, iss, doc.Issuer)
	return doc, nil
}

// fetchOIDCKeys fetches and reads the key set at jwks_uri; its failures
// are discovery failures of iss.
func (r *run) fetchOIDCKeys(ctx context.Context, iss, jwksURI string) (*jose.OIDCKeySet, *AuthError) {
	r.res.Trace.JWKSURL = jwksURI
	res, err := r.fetch(ctx, fetch.JWKS, jwksURI)
	if err != nil {
		r.check(CheckJWKSFetch, false, "a response from "+jwksURI, err.Error())
		return nil, errDiscoveryBase(iss, ReasonJWKSTransport, fmt.Sprintf("GET %s (jwks_uri) failed: %v", jwksURI, err))
	}
	r.check(CheckJWKSFetch, true, "", jwksURI)
	if res.Status != 200 {
		r.check(CheckJWKSStatus, false, "200", strconv.Itoa(res.Status))
		return nil, errDiscoveryStatus(iss, res.Status, res.Body, ReasonJWKSStatus, fmt.Sprintf(
			"GET %s (jwks_uri) answered %s", jwksURI, RustStatusDisplay(res.Status)))
	}
	r.check(CheckJWKSStatus, true, "200", "200")
	const wantCT = "absent, application/json or application/jwk-set+json"
	if !oidcContentTypeOK(res, "application/json", "application/jwk-set+json") {
		r.check(CheckJWKSContentType, false, wantCT, describeContentType(res))
		return nil, errDiscoveryStatus(iss, res.Status, res.Body, ReasonJWKSContentType, fmt.Sprintf(
			"the JWKS Content-Type is %s; openidconnect accepts only an absent header, application/json or application/jwk-set+json", describeContentType(res)))
	}
	r.check(CheckJWKSContentType, true, wantCT, describeContentType(res))
	kv, kerr := r.v.docs.get(docOIDCJWKS, res.Body, func(b []byte) (any, error) { return jose.ParseOIDCKeySet(b) })
	if kerr != nil {
		r.check(CheckJWKSDocument, false, `{"keys": [...]}`, kerr.Error())
		return nil, errDiscoveryBase(iss, ReasonJWKSParse, "the JWKS does not parse: "+kerr.Error())
	}
	keys := kv.(*jose.OIDCKeySet)
	r.check(CheckJWKSDocument, true, "", keys.Summary())
	r.res.Trace.Keys = make([]KeyInfo, len(keys.Keys))
	for i, k := range keys.Keys {
		r.res.Trace.Keys[i] = KeyInfo{Kid: k.Kid, Kty: k.Kty, Alg: k.Alg, Use: k.Use}
	}
	return keys, nil
}

// parseIDToken is the OIDC structural parse, which runs only after
// discovery and the key set were fetched.
func (r *run) parseIDToken(pc *jose.Claims) (*jose.IDToken, *AuthError) {
	tok, err := jose.ParseIDToken(r.token, pc)
	if err != nil {
		r.check(CheckOIDCStructure, false, "three base64url parts, a known alg, iss URL, exp, iat, sub", err.Error())
		return nil, errInvalidAuthHeader(MsgOIDCUnparseable, ReasonOIDCParse, "openidconnect cannot parse the token: "+err.Error())
	}
	r.check(CheckOIDCStructure, true, "", "")
	r.res.Trace.Kid = tok.Header.Kid
	r.res.Trace.Alg = tok.Header.Alg
	return tok, nil
}

// checkIDTokenHeader is the verifier's header checks: typ absent or
// normalising to JWT or JOSE, no cty, no crit, and not a JWE.
func (r *run) checkIDTokenHeader(h *jose.Header) *AuthError {
	const wantTyp = "absent, JWT or JOSE"
	if h.HasTyp {
		norm, _ := jose.NormalizeJWTType(h.Typ)
		if norm != "application/jwt" && norm != "application/jose" {
			r.check(CheckTyp, false, wantTyp, h.Typ)
			return errOIDCUnverified(ReasonTyp, fmt.Sprintf("header typ %q is not JWT or JOSE; the verifier rejects it", h.Typ))
		}
		r.check(CheckTyp, true, wantTyp, h.Typ)
	} else {
		r.check(CheckTyp, true, wantTyp, "(absent)")
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
	if jose.OIDCAlgKind(h.Alg) == jose.AlgEncryption {
		r.check(CheckAlg, false, "RS256 or EdDSA", h.Alg)
		return errOIDCUnverified(ReasonAlgorithm, fmt.Sprintf("alg %s is a JWE encryption algorithm; encrypted ID tokens are not supported", h.Alg))
	}
	return nil
}

// checkIDTokenClaims is the verifier's claim checks in its order: iss is
// the discovered issuer, aud contains the applicationID and nothing else,
// and alg is one the OIDC path allows.
func (r *run) checkIDTokenClaims(tok *jose.IDToken, issuer, app string) *AuthError {
	if tok.Iss != issuer {
		r.check(CheckIssuer, false, issuer, tok.Iss)
		return errOIDCUnverified(ReasonIssuerMismatch, fmt.Sprintf("iss %q is not the discovered issuer %q", tok.Iss, issuer))
	}
	r.check(CheckIssuer, true, issuer, tok.Iss)
	audList := rustDebugList(tok.Aud)
	switch {
	case !tok.HasAud:
		r.check(CheckAudience, false, app, "(absent)")
		return errOIDCUnverified(ReasonAudienceMissing, "the token has no aud claim")
	case !contains(tok.Aud, app):
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
	switch alg := tok.Header.Alg; {
	case alg == "none":
		r.check(CheckAlg, false, "RS256 or EdDSA", alg)
		return errOIDCUnverified(ReasonAlgorithm, "alg none: the token is unsigned")
	case alg != "RS256" && alg != "EdDSA":
		r.check(CheckAlg, false, "RS256 or EdDSA", alg)
		instead := "use RS256"
		if alg == "ES256" {
			instead += ", or a customJwt provider for ES256" // customJwt allows RS256 and ES256
		}
		return errOIDCUnverified(ReasonAlgorithm, fmt.Sprintf(
			"alg %s is not allowed on the OIDC path (Convex allows RS256 and EdDSA only); %s", alg, instead))
	}
	r.check(CheckAlg, true, "RS256 or EdDSA", tok.Header.Alg)
	return nil
}

// selectKeyAndVerify picks the one key that fits the token's kid (if it
// has one), use, kty and alg, then checks the signature with it.
func (r *run) selectKeyAndVerify(tok *jose.IDToken, keys *jose.OIDCKeySet) *AuthError {
	h := tok.Header
	cands, why := keys.Candidates(h)
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
			detail += fmt.Sprintf("; the JWKS has kids %s — the signing key may have been rotated", rustDebugList(keys.Kids()))
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
			r.res.Trace.Keys[i].Matched = true
		}
	}
	r.check(CheckKey, true, keyWant, key.Kid)
	return r.verifyOIDC(tok, key)
}

func (r *run) verifyOIDC(tok *jose.IDToken, key *jose.OIDCKey) *AuthError {
	alg := tok.Header.Alg
	sigWant := "a valid " + alg + " signature"
	if key.Unusable != "" {
		r.res.Trace.Signature = SignatureFailed
		r.check(CheckSignature, false, sigWant, "the key cannot verify: "+key.Unusable)
		return errOIDCUnverified(ReasonKeyUnusable, "the selected key cannot verify the signature: "+key.Unusable)
	}
	if !jose.Verify(alg, key.Public, tok.SigningInput, tok.Signature) {
		r.res.Trace.Signature = SignatureFailed
		r.check(CheckSignature, false, sigWant, "invalid")
		return errOIDCUnverified(ReasonSignature, fmt.Sprintf("the %s signature does not verify with key %q", alg, key.Kid))
	}
	r.res.Trace.Signature = SignatureVerified
	r.check(CheckSignature, true, sigWant, "verified")
	return nil
}

// checkOIDCExpiry is the verifier's exp check: strict, no leeway, against
// whole-second now (SPEC.md "Time").
func (r *run) checkOIDCExpiry(tok *jose.IDToken) *AuthError {
	exp := formatNumericDate(tok.Exp)
	times := "now " + strconv.FormatInt(r.nowSec, 10) + ", exp " + exp
	if r.nowSec > tok.Exp.Secs || (r.nowSec == tok.Exp.Secs && tok.Exp.Nanos == 0) {
		r.check(CheckExp, false, "now < exp (no leeway)", times)
		return errOIDCUnverified(ReasonExpired, fmt.Sprintf(
			"the token expired: exp %s <= now %d (the OIDC path allows no leeway; the client should refetch before exp)", exp, r.nowSec))
	}
	r.check(CheckExp, true, "now < exp (no leeway)", times)
	return nil
}

// formatNumericDate writes seconds, with nine digits of fraction if any.
func formatNumericDate(t jose.NumericDate) string {
	out := strconv.AppendInt(nil, t.Secs, 10)
	if t.Nanos != 0 {
		out = append(out, '.')
		out = appendPadded(out, t.Nanos, 9)
	}
	return string(out)
}
