package rules

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/jose"
)

func TestOIDCAcceptedTrace(t *testing.T) {
	k := loadKeys(t)
	p := okIDP(t, rsaJWK(&k.rsaB.PublicKey, "kid", "old"), rsaJWK(&k.rsaA.PublicKey, "kid", "k1", "alg", "RS256", "use", "sig"))
	v := oidcValidator(p.url())
	res := validate(t, v, mkToken(rsHeader("k1"), claims(p.url(), "convex"), rs256(k.rsaA)))
	if res.Err != nil {
		t.Fatalf("rejected: %s", describeResult(res))
	}
	tr := res.Trace
	if tr.ProviderIndex != 0 || tr.Provider == nil || tr.Issuer != p.url() || tr.DiscoveredIssuer != p.url() {
		t.Errorf("provider/issuer trace: %+v", tr)
	}
	if tr.DiscoveryURL != p.url()+"/.well-known/openid-configuration" || tr.JWKSURL != p.jwksURL() {
		t.Errorf("URLs: %q %q", tr.DiscoveryURL, tr.JWKSURL)
	}
	if len(tr.Fetches) != 2 || tr.Fetches[0].Kind != fetch.Discovery || tr.Fetches[1].Kind != fetch.JWKS || tr.Fetches[1].Status != 200 {
		t.Errorf("fetches: %+v", tr.Fetches)
	}
	if len(tr.Keys) != 2 || tr.Keys[0].Matched || !tr.Keys[1].Matched || tr.Keys[1].Kid != "k1" {
		t.Errorf("keys: %+v", tr.Keys)
	}
	if tr.Kid != "k1" || tr.Alg != "RS256" || tr.Signature != SignatureVerified {
		t.Errorf("kid %q alg %q signature %s", tr.Kid, tr.Alg, tr.Signature)
	}
	for _, c := range tr.Checks {
		if !c.OK {
			t.Errorf("check %q failed on an accepted token", c.Name)
		}
	}
	if last := tr.Checks[len(tr.Checks)-1]; last.Name != CheckExp {
		t.Errorf("last check %q, want exp", last.Name)
	}
}

// Accepted and rejected tokens around the rules that are easy to get wrong.
func TestOIDCRules(t *testing.T) {
	k := loadKeys(t)
	edPub := k.ed.Public().(ed25519.PublicKey)
	tests := []struct {
		name   string
		keys   []string
		header string
		sign   signer
		// payload gets iss filled in with %[1]s.
		payload string
		reason  Reason // "" means accepted
	}{
		{"EdDSA without kid, one suitable key", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "r"), edJWK(edPub, "kid", "e")},
			jobj("alg", "EdDSA"), eddsa(k.ed), "", ""},
		{"RS256 without kid, one RSA key", []string{rsaJWK(&k.rsaA.PublicKey)}, jobj("alg", "RS256"), rs256(k.rsaA), "", ""},
		{"typ JWT in lower case", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, jobj("alg", "RS256", "kid", "k1", "typ", "jwt"), rs256(k.rsaA), "", ""},
		{"typ application/jose", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, jobj("alg", "RS256", "kid", "k1", "typ", "application/JOSE"), rs256(k.rsaA), "", ""},
		{"typ with a parameter", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, jobj("alg", "RS256", "kid", "k1", "typ", "application/jwt;x=1"), rs256(k.rsaA), "", ReasonTyp},
		{"key use enc", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1", "use", "enc")}, rsHeader("k1"), rs256(k.rsaA), "", ReasonNoMatchingKey},
		{"key alg RS512", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1", "alg", "RS512")}, rsHeader("k1"), rs256(k.rsaA), "", ReasonNoMatchingKey},
		{"key alg RSA-OAEP skips the key", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1", "alg", "RSA-OAEP")}, rsHeader("k1"), rs256(k.rsaA), "", ReasonNoMatchingKey},
		{"key alg A128GCM is not a signing alg", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1", "alg", "A128GCM")}, rsHeader("k1"), rs256(k.rsaA), "", ReasonNoMatchingKey},
		{"duplicate kid", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1"), rsaJWK(&k.rsaB.PublicKey, "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA), "", ReasonAmbiguousKey},
		{"EdDSA key without crv", []string{`{"kty":"OKP","kid":"e","x":"` + base64.RawURLEncoding.EncodeToString(edPub) + `"}`}, jobj("alg", "EdDSA", "kid", "e"), eddsa(k.ed), "", ReasonKeyUnusable},
		{"JWE alg", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, jobj("alg", "A128GCM", "kid", "k1"), rs256(k.rsaA), "", ReasonAlgorithm},
		{"PS256", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, jobj("alg", "PS256", "kid", "k1"), rs256(k.rsaA), "", ReasonAlgorithm},
		{"aud listed twice is one audience", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA),
			jobj("iss", "%[1]s", "sub", "u", "aud", []string{"convex", "convex"}, "iat", 1, "exp", testNow.Unix()+1), ""},
		{"fractional exp a moment after now", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA),
			jobj("iss", "%[1]s", "sub", "u", "aud", "convex", "iat", 1, "exp", raw(fmt.Sprint(testNow.Unix())+".5")), ""},
		{"exp one second ago", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA),
			jobj("iss", "%[1]s", "sub", "u", "aud", "convex", "iat", 1, "exp", testNow.Unix()-1), ReasonExpired},
		{"iat and nbf in the future are not checked", []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA),
			jobj("iss", "%[1]s", "sub", "u", "aud", "convex", "iat", testNow.Unix()+9999, "nbf", testNow.Unix()+9999, "exp", testNow.Unix()+99999), ""},
		{"key with bad n is kept and fails at verification", []string{`{"kty":"RSA","kid":"k1","n":"%%%","e":"AQAB"}`}, rsHeader("k1"), rs256(k.rsaA), "", ReasonKeyUnusable},
		{"unknown kty is skipped", []string{`{"kty":"XYZ","kid":"k1"}`, rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA), "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := okIDP(t, tc.keys...)
			payload := claims(p.url(), "convex")
			if tc.payload != "" {
				payload = strings.ReplaceAll(tc.payload, "%[1]s", p.url())
			}
			res := validate(t, oidcValidator(p.url()), mkToken(tc.header, payload, tc.sign))
			switch {
			case tc.reason == "" && res.Err != nil:
				t.Fatalf("rejected: %s", describeResult(res))
			case tc.reason != "" && (res.Err == nil || res.Err.Reason != tc.reason):
				t.Fatalf("got %s, want reason %s", describeResult(res), tc.reason)
			case tc.reason != "" && res.Err.Message != MsgOIDCUnverified:
				t.Fatalf("message %q", res.Err.Message)
			}
		})
	}
}

func TestCustomJWTRules(t *testing.T) {
	k := loadKeys(t)
	tests := []struct {
		name    string
		alg     string
		app     *string
		keys    []string
		header  string
		sign    signer
		payload string
		reason  Reason // "" means accepted
	}{
		{"RS256 with JWK alg", "RS256", nil, []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1", "alg", "RS256")}, rsHeader("k1"), rs256(k.rsaA), "", ""},
		{"first JWK with the kid is used", "RS256", nil, []string{rsaJWK(&k.rsaB.PublicKey, "kid", "k1"), rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA), "", ReasonSignature},
		{"JWK alg differs from configured", "RS256", nil, []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1", "alg", "RS384")}, jobj("alg", "RS384", "kid", "k1"), rs256(k.rsaA), "", ReasonAlgorithm},
		{"JWK alg RSA-OAEP", "RS256", nil, []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1", "alg", "RSA-OAEP")}, rsHeader("k1"), rs256(k.rsaA), "", ReasonAlgorithm},
		{"ES256 config, RSA key", "ES256", nil, []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, jobj("alg", "ES256", "kid", "k1"), es256(k.ec), "", ReasonKeyUnusable},
		{"ES256 with P-384 key", "ES256", nil, []string{ecJWK(&k.ec384.PublicKey, "P-384", "kid", "k1")}, jobj("alg", "ES256", "kid", "k1"), es256(k.ec), "", ReasonKeyUnusable},
		{"OKP key unsupported", "RS256", nil, []string{edJWK(k.ed.Public().(ed25519.PublicKey), "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA), "", ReasonKeyUnusable},
		{"typ is not checked", "RS256", nil, []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, jobj("alg", "RS256", "kid", "k1", "typ", "whatever+jwt"), rs256(k.rsaA), "", ""},
		{"jwk header object breaks biscuit's header", "RS256", nil, []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, jobj("alg", "RS256", "kid", "k1", "jwk", raw(`{}`)), rs256(k.rsaA), "", ReasonHeaderUnparseable},
		{"exp within the 5 s leeway", "RS256", nil, []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA),
			jobj("iss", "https://issuer.example.com", "sub", "u", "exp", testNow.Unix()-5), ""},
		{"nbf within the 5 s leeway", "RS256", nil, []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA),
			jobj("iss", "https://issuer.example.com", "sub", "u", "exp", testNow.Unix()+60, "nbf", testNow.Unix()+5), ""},
		{"no aud and no applicationID", "RS256", nil, []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA),
			jobj("iss", "https://issuer.example.com", "sub", "u", "exp", testNow.Unix()+60), ""},
		{"four parts", "RS256", nil, []string{rsaJWK(&k.rsaA.PublicKey, "kid", "k1")}, rsHeader("k1"), rs256(k.rsaA), "", ReasonTokenParts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := okIDP(t, tc.keys...)
			payload := tc.payload
			if payload == "" {
				payload = claims("https://issuer.example.com", "convex")
			}
			tok := mkToken(tc.header, payload, tc.sign)
			if tc.name == "four parts" {
				tok += ".extra"
			}
			res := validate(t, customValidator("https://issuer.example.com", p.jwksURL(), tc.alg, tc.app, false), tok)
			switch {
			case tc.reason == "" && res.Err != nil:
				t.Fatalf("rejected: %s", describeResult(res))
			case tc.reason != "" && (res.Err == nil || res.Err.Reason != tc.reason):
				t.Fatalf("got %s, want reason %s", describeResult(res), tc.reason)
			}
		})
	}
}

// Discovery happens before the OIDC structural parse (SPEC.md "OIDC path"): a
// token that only the OIDC parser rejects still causes both fetches.
func TestDiscoveryBeforeOIDCParse(t *testing.T) {
	k := loadKeys(t)
	p := okIDP(t, rsaJWK(&k.rsaA.PublicKey, "kid", "k1"))
	// Two parts only: step 1 reads the payload, the OIDC parser needs three.
	tok := b64(rsHeader("k1")) + "." + b64(claims(p.url(), "convex"))
	res := validate(t, oidcValidator(p.url()), tok)
	if res.Err == nil || res.Err.Message != MsgOIDCUnparseable {
		t.Fatalf("got %s, want O2", describeResult(res))
	}
	if p.count("/.well-known/openid-configuration") != 1 || p.count("/.well-known/jwks.json") != 1 {
		t.Errorf("fetches before O2: discovery %d, jwks %d", p.count("/.well-known/openid-configuration"), p.count("/.well-known/jwks.json"))
	}
}

// Malformed tokens: each gives its AuthError and nothing panics.
func TestMalformedTokens(t *testing.T) {
	k := loadKeys(t)
	iss := "https://issuer.example.com"
	cfg := AuthConfig{Providers: []Provider{oidcProvider("https://nowhere.invalid", "convex")}}
	sig := base64.RawURLEncoding.EncodeToString(make([]byte, 256))
	hdr := b64(rsHeader("k1"))
	big := strings.Repeat("a", 1<<20)
	deep := strings.Repeat("[", 200) + strings.Repeat("]", 200)
	tests := []struct {
		name   string
		token  string
		msg    string
		reason Reason
	}{
		{"empty", "", MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"one part", "abc", MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"bad base64", hdr + ".!!!." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"padded base64", hdr + "." + base64.URLEncoding.EncodeToString([]byte(`{"iss":"x"}`)) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"newline in base64", hdr + "." + b64(claims(iss, "convex"))[:10] + "\n" + b64(claims(iss, "convex"))[10:] + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"non-zero trailing bits", hdr + "." + b64(`{"iss":"x"}`)[:len(b64(`{"iss":"x"}`))-1] + "1." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"bad JSON", hdr + "." + b64(`{"iss":`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"JSON array", hdr + "." + b64(`["iss"]`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"trailing comma", hdr + "." + b64(`{"iss":"x",}`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"1 MiB token", big + "." + big + "." + big[:1000], MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"non-string iss", hdr + "." + b64(`{"iss":5}`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"numeric aud", hdr + "." + b64(`{"iss":"x","aud":5}`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"aud array with a number", hdr + "." + b64(`{"iss":"x","aud":["a",1]}`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"string exp", hdr + "." + b64(`{"iss":"x","exp":"1700000000"}`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"negative exp", hdr + "." + b64(`{"iss":"x","exp":-5}`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"exp over 2^64", hdr + "." + b64(`{"iss":"x","exp":1e20}`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"exp 1e400", hdr + "." + b64(`{"iss":"x","exp":1e400}`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"duplicate iss", hdr + "." + b64(`{"iss":"x","iss":"y"}`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"lone surrogate", hdr + "." + b64(`{"iss":"\ud800"}`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"invalid UTF-8", hdr + "." + base64.RawURLEncoding.EncodeToString([]byte("{\"iss\":\"\xff\"}")) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"nested 200 deep", hdr + "." + b64(`{"iss":"x","d":`+deep+`}`) + "." + sig, MsgPayloadUnparseable, ReasonPayloadUnparseable},
		{"exp beyond chrono's range", hdr + "." + b64(`{"iss":"x","exp":9000000000000000}`) + "." + sig, MsgInternal, ReasonTimestampRange},
		{"null iss", hdr + "." + b64(`{"iss":null}`) + "." + sig, MsgMissingIssuer, ReasonMissingIssuer},
		{"header garbage but payload fine", "!!." + b64(claims(iss, "convex")) + ".x", "", ReasonNoProviderMatch},
		{"alg none, no provider", mkToken(jobj("alg", "none"), claims(iss, "convex"), noSig), "", ReasonNoProviderMatch},
	}
	v := newValidator(cfg, false)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := validate(t, v, tc.token)
			if res.Err == nil {
				t.Fatal("accepted")
			}
			if res.Err.Reason != tc.reason || (tc.msg != "" && res.Err.Message != tc.msg) {
				t.Errorf("got %s, want %s %q", describeResult(res), tc.reason, tc.msg)
			}
		})
	}
	// Step 1 accepts what only later steps refuse: fractional and "-0" times.
	for _, payload := range []string{`{"iss":"x","exp":1.5}`, `{"iss":"x","exp":-0}`, `{"iss":"x","exp":1e3,"aud":[]}`} {
		if _, err := jose.ParseClaims([]byte(payload)); err != nil {
			t.Errorf("jose.ParseClaims(%s): %v", payload, err)
		}
	}
	_ = k
}

// Malformed discovery documents and key sets on both paths.
func TestMalformedDocuments(t *testing.T) {
	k := loadKeys(t)
	good := rsaJWK(&k.rsaA.PublicKey, "kid", "k1")
	huge := `{"keys":[],"pad":"` + strings.Repeat("x", 2<<20) + `"}`
	tests := []struct {
		name   string
		set    func(p *idp)
		oidc   Reason // the reason on the OIDC path
		custom Reason // the reason on the customJwt path ("" = not applicable)
	}{
		{"discovery not JSON", func(p *idp) { p.discBody = "nope" }, ReasonDiscoveryParse, ""},
		{"discovery JSON array", func(p *idp) { p.discBody = `["issuer"]` }, ReasonDiscoveryParse, ""},
		{"discovery missing jwks_uri", func(p *idp) { p.discBody = jobj("issuer", p.srv.URL) }, ReasonDiscoveryParse, ""},
		{"discovery jwks_uri not a URL", func(p *idp) { p.discBody = jobj("issuer", p.srv.URL, "jwks_uri", "keys.json") }, ReasonDiscoveryParse, ""},
		{"discovery scopes_supported not a list", func(p *idp) {
			p.discBody = jobj("issuer", p.srv.URL, "jwks_uri", p.jwksURL(), "scopes_supported", "openid")
		}, ReasonDiscoveryParse, ""},
		{"discovery without Content-Type is fine", func(p *idp) { p.discCT = "-" }, "", ""},
		{"discovery Content-Type with space before ;", func(p *idp) { p.discCT = "application/json ; charset=utf-8" }, ReasonDiscoveryContentType, ""},
		{"JWKS not JSON", func(p *idp) { p.jwksBody = "nope" }, ReasonJWKSParse, ReasonJWKSParse},
		{"JWKS JSON array", func(p *idp) { p.jwksBody = "[" + good + "]" }, ReasonJWKSParse, ReasonJWKSParse},
		{"keys not an array", func(p *idp) { p.jwksBody = `{"keys":` + good + `}` }, ReasonJWKSParse, ReasonJWKSParse},
		{"keys missing", func(p *idp) { p.jwksBody = `{}` }, ReasonJWKSParse, ReasonJWKSParse},
		{"huge JWKS over the cap", func(p *idp) { p.jwksBody = huge }, ReasonJWKSTransport, ReasonJWKSTransport},
		{"JWKS wrong Content-Type", func(p *idp) { p.jwksCT = "text/html" }, ReasonJWKSContentType, ReasonJWKSContentType},
		{"JWKS jwk-set+json", func(p *idp) { p.jwksCT = "application/jwk-set+json" }, "", ""},
		{"JWKS without Content-Type", func(p *idp) { p.jwksCT = "-" }, "", ReasonJWKSContentType},
		{"JWKS charset UTF-8", func(p *idp) { p.jwksCT = "application/json; charset=UTF-8" }, "", ""},
		{"key with bad n", func(p *idp) { p.jwksBody = jwksOf(`{"kty":"RSA","kid":"k1","n":"***","e":"AQAB"}`) }, ReasonKeyUnusable, ReasonJWKSParse},
		{"key with padded e", func(p *idp) {
			p.jwksBody = jwksOf(strings.Replace(good, `"e":"AQAB"`, `"e":"AQAB=="`, 1))
		}, ReasonKeyUnusable, ReasonJWKSParse},
		{"key without e", func(p *idp) { p.jwksBody = jwksOf(strings.Replace(good, `,"e":"AQAB"`, ``, 1)) }, ReasonKeyUnusable, ReasonJWKSParse},
		{"a bad key next to a good one", func(p *idp) { p.jwksBody = jwksOf(`{"kty":"nope"}`, good) }, "", ReasonJWKSParse},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := okIDP(t, good)
			p.set(tc.set)
			tok := mkToken(rsHeader("k1"), claims(p.url(), "convex"), rs256(k.rsaA))
			res := validate(t, oidcValidator(p.url()), tok)
			if got := reasonOf(res); got != tc.oidc {
				t.Errorf("OIDC: got %s, want %q", describeResult(res), tc.oidc)
			}
			if strings.HasPrefix(tc.name, "discovery") {
				return
			}
			ctok := mkToken(rsHeader("k1"), claims("https://issuer.example.com", "convex"), rs256(k.rsaA))
			cres := validate(t, customValidator("https://issuer.example.com", p.jwksURL(), "RS256", nil, false), ctok)
			if got := reasonOf(cres); got != tc.custom {
				t.Errorf("customJwt: got %s, want %q", describeResult(cres), tc.custom)
			}
		})
	}
}

func reasonOf(r *Result) Reason {
	if r.Err == nil {
		return ""
	}
	return r.Err.Reason
}

func TestDataURLs(t *testing.T) {
	jwks := `{"keys":[]}`
	tests := []struct {
		in     string
		isData bool
		body   string
		fails  bool
	}{
		{"data:application/json;base64," + base64.StdEncoding.EncodeToString([]byte(jwks)), true, jwks, false},
		{"DATA:application/json;BASE64," + base64.RawStdEncoding.EncodeToString([]byte(jwks)), true, jwks, false},
		{"data:application/json," + strings.ReplaceAll(jwks, "{", "%7B"), true, jwks, false},
		{"data:," + jwks, true, jwks, false},
		{"data:;base64,e30=#frag", true, "{}", false},
		{"data:;base64,e 3 0 =", true, "{}", false},
		{"data:;base64,e30-", true, "", true},
		{"data:;base64,e", true, "", true},
		{"data:application/json;base64", false, "", false},
		{"https://example.com/jwks", false, "", false},
	}
	for _, tc := range tests {
		isData, data, err := decodeDataURL(tc.in)
		if isData != tc.isData || (err != nil) != tc.fails || (!tc.fails && isData && string(data) != tc.body) {
			t.Errorf("decodeDataURL(%q) = %v, %q, %v", tc.in, isData, data, err)
		}
	}
}

// The validator is safe for concurrent use, and a warm cache does no I/O.
func TestConcurrentValidation(t *testing.T) {
	k := loadKeys(t)
	p := okIDP(t, rsaJWK(&k.rsaA.PublicKey, "kid", "k1"))
	p.set(func(p *idp) { p.cacheControl = "public, max-age=300" })
	v := &Validator{Config: AuthConfig{Providers: []Provider{oidcProvider(p.url(), "convex")}}, Now: fixedNow,
		Fetcher: fetch.NewCache(fetch.NewHTTP(nil, fetch.Options{}), fixedNow, nil)}
	tok := mkToken(rsHeader("k1"), claims(p.url(), "convex"), rs256(k.rsaA))
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if r := v.Validate(ctx, tok); r.Err != nil {
				errs <- describeResult(r)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if d, j := p.count("/.well-known/openid-configuration"), p.count("/.well-known/jwks.json"); d != 1 || j != 1 {
		t.Errorf("upstream requests: discovery %d, jwks %d; want 1 each", d, j)
	}
	r := validate(t, v, tok)
	if !r.Trace.Fetches[0].FromCache || !r.Trace.Fetches[1].FromCache {
		t.Errorf("warm validation fetches: %+v", r.Trace.Fetches)
	}
}

// A jwks value that is neither a data: URL nor an http(s) URL.
func TestCustomJWKSURLForms(t *testing.T) {
	k := loadKeys(t)
	tok := mkToken(rsHeader("k1"), claims("https://issuer.example.com", "convex"), rs256(k.rsaA))
	tests := []struct {
		jwks  string
		code  string
		msg   string
		class ErrorClass
	}{
		{"not a url", CodeInternal, MsgInternal, ClassInternal},
		{"data:no-comma", CodeInternal, MsgInternal, ClassInternal},
		{"example.com/jwks.json", CodeInternal, MsgInternal, ClassInternal},
		{"ftp://example.com/jwks.json", CodeInvalidAuthHeader,
			"Could not fetch JWKS from URL 'ftp://example.com/jwks.json': builder error for url (ftp://example.com/jwks.json). Check that the URL is correct and accessible.", ClassUnauthenticated},
		{"example.com", CodeInvalidAuthHeader,
			"Could not fetch JWKS from URL 'example.com': builder error. Check that the URL is correct and accessible.", ClassUnauthenticated},
	}
	for _, tc := range tests {
		res := validate(t, customValidator("https://issuer.example.com", tc.jwks, "RS256", nil, false), tok)
		if res.Err == nil || res.Err.Code != tc.code || res.Err.Message != tc.msg || res.Err.Class != tc.class || res.Err.Reason != ReasonJWKSURLInvalid {
			t.Errorf("jwks %q: got %s", tc.jwks, describeResult(res))
		}
		if len(res.Trace.Fetches) != 0 {
			t.Errorf("jwks %q: nothing should be fetched: %+v", tc.jwks, res.Trace.Fetches)
		}
	}
}
