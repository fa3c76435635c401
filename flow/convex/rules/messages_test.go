package rules

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// Every message of SPEC.md "Error catalogue", produced by a real token
// against a config and real loopback servers, compared byte for byte.

// msgCase builds a validator and a token, and names the exact error.
type msgCase struct {
	name       string
	build      func(t *testing.T, f *fixture) (*Validator, string)
	code       string
	msg        func(f *fixture) string
	class      ErrorClass
	reason     Reason
	httpStatus int
}

// fixture holds what a case's setup produced, for message templates.
type fixture struct {
	iss, jwks string
}

func TestEveryMessage(t *testing.T) {
	k := loadKeys(t)
	cases := []msgCase{
		// --- A1, A2 -------------------------------------------------------
		{
			name: "A1 garbage",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				return newValidator(AuthConfig{}, false), "not-a-jwt"
			},
			code: CodeInvalidAuthHeader, msg: lit(MsgPayloadUnparseable), class: ClassUnauthenticated, reason: ReasonPayloadUnparseable,
		},
		{
			name: "A2 no iss",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				return newValidator(AuthConfig{}, false), mkToken(rsHeader("k1"), jobj("sub", "u", "aud", "convex"), rs256(k.rsaA))
			},
			code: CodeInvalidAuthHeader, msg: lit(MsgMissingIssuer), class: ClassUnauthenticated, reason: ReasonMissingIssuer,
		},
		// --- A3 ×3 ----------------------------------------------------------
		{
			name: "A3 no providers configured",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				return newValidator(AuthConfig{}, false), mkToken(rsHeader("k1"), claims("https://a.example.com", "convex"), rs256(k.rsaA))
			},
			code: CodeNoAuthProvider, msg: lit(MsgNoProvidersConfigured), class: ClassUnauthenticated, reason: ReasonNoProviders,
		},
		{
			name: "A3 list unredacted",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				cfg := AuthConfig{Providers: []Provider{
					oidcProvider("https://clerk.example.com", "convex"),
					customProvider("https://issuer.example.com", "https://issuer.example.com/jwks", "RS256", nil),
					customProvider("https://other.example.com/", "https://other.example.com/jwks", "ES256", strp("app")),
				}}
				return newValidator(cfg, false), mkToken(rsHeader("k1"), claims("https://a.example.com", "convex"), rs256(k.rsaA))
			},
			code: CodeNoAuthProvider,
			msg: lit("No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: " +
				"[OIDC(domain=https://clerk.example.com, app_id=convex), CustomJWT(issuer=https://issuer.example.com, app_id=none), CustomJWT(issuer=https://other.example.com/, app_id=app)]"),
			class: ClassUnauthenticated, reason: ReasonNoProviderMatch,
		},
		{
			name: "A3 redacted",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				cfg := AuthConfig{Providers: []Provider{oidcProvider("https://clerk.example.com", "convex")}}
				return newValidator(cfg, true), mkToken(rsHeader("k1"), claims("https://clerk.example.com", "wrong-aud"), rs256(k.rsaA))
			},
			code: CodeNoAuthProvider, msg: lit(MsgNoProviderRedacted), class: ClassUnauthenticated, reason: ReasonNoProviderMatch,
		},
		// --- O1 ---------------------------------------------------------------
		{
			name: "O1 base: discovery unreachable",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				f.iss = closedURL(t)
				return oidcValidator(f.iss), mkToken(rsHeader("k1"), claims(f.iss, "convex"), rs256(k.rsaA))
			},
			code: CodeDiscoveryFailed, msg: func(f *fixture) string { return "Auth provider discovery of " + f.iss + " failed" },
			class: ClassBadRequest, reason: ReasonDiscoveryTransport,
		},
		o1Status("O1 discovery 404", 404, "no config here", ClassNotFound, true),
		o1Status("O1 discovery 500", 500, "boom", ClassOverloaded, true),
		o1Status("O1 discovery 401", 401, "login", ClassUnauthenticated, true),
		o1Status("O1 discovery 403", 403, "", ClassForbidden, true),
		o1Status("O1 discovery 429", 429, "slow down", ClassRateLimited, true),
		o1Status("O1 discovery 421", 421, "", ClassMisdirected, true),
		o1Status("O1 discovery 418", 418, "tea", ClassBadRequest, true),
		o1Status("O1 discovery 599", 599, "odd", ClassOverloaded, true),
		o1Status("O1 JWKS 404", 404, "gone", ClassNotFound, false),
		o1Status("O1 JWKS 503", 503, "later", ClassOverloaded, false),
		{
			name: "O1 discovery 200 with wrong Content-Type",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				p := newIDP(t)
				p.set(func(p *idp) { p.discCT = "text/html; charset=utf-8"; p.discBody = "<html>hi</html>" })
				f.iss = p.url()
				return oidcValidator(f.iss), mkToken(rsHeader("k1"), claims(f.iss, "convex"), rs256(k.rsaA))
			},
			code: CodeDiscoveryFailed, msg: func(f *fixture) string {
				return "Auth provider discovery of " + f.iss + " failed: 200 OK <html>hi</html>"
			},
			class: ClassBadRequest, reason: ReasonDiscoveryContentType, httpStatus: 200,
		},
		{
			name: "O1 JWKS 200 with wrong Content-Type",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				p := newIDP(t)
				p.set(func(p *idp) { p.jwksCT = "text/plain"; p.jwksBody = jwksOf(rsaJWK(&k.rsaA.PublicKey, "kid", "k1")) })
				f.iss = p.url()
				f.jwks = jwksOf(rsaJWK(&k.rsaA.PublicKey, "kid", "k1"))
				return oidcValidator(f.iss), mkToken(rsHeader("k1"), claims(f.iss, "convex"), rs256(k.rsaA))
			},
			code: CodeDiscoveryFailed, msg: func(f *fixture) string { return "Auth provider discovery of " + f.iss + " failed: 200 OK " + f.jwks },
			class: ClassBadRequest, reason: ReasonJWKSContentType, httpStatus: 200,
		},
		{
			name: "O1 issuer mismatch (trailing slash)",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				p := newIDP(t)
				p.set(func(p *idp) { p.issuer = p.srv.URL + "/" })
				f.iss = p.url()
				return oidcValidator(f.iss), mkToken(rsHeader("k1"), claims(f.iss, "convex"), rs256(k.rsaA))
			},
			code: CodeDiscoveryFailed, msg: func(f *fixture) string { return "Auth provider discovery of " + f.iss + " failed" },
			class: ClassBadRequest, reason: ReasonDiscoveryIssuer,
		},
		{
			name: "O1 discovery not JSON",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				p := newIDP(t)
				p.set(func(p *idp) { p.discBody = "not json" })
				f.iss = p.url()
				return oidcValidator(f.iss), mkToken(rsHeader("k1"), claims(f.iss, "convex"), rs256(k.rsaA))
			},
			code: CodeDiscoveryFailed, msg: func(f *fixture) string { return "Auth provider discovery of " + f.iss + " failed" },
			class: ClassBadRequest, reason: ReasonDiscoveryParse,
		},
		// --- O2 ---------------------------------------------------------------
		{
			name: "O2 unknown alg (after discovery)",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				p := okIDP(t, rsaJWK(&k.rsaA.PublicKey, "kid", "k1"))
				f.iss = p.url()
				return oidcValidator(f.iss), mkToken(jobj("alg", "XS999", "kid", "k1"), claims(f.iss, "convex"), rs256(k.rsaA))
			},
			code: CodeInvalidAuthHeader, msg: lit(MsgOIDCUnparseable), class: ClassUnauthenticated, reason: ReasonOIDCParse,
		},
		// --- O3, one per hidden reason ------------------------------------------
		o3("O3 signature", ReasonSignature, func(t *testing.T, iss string) string {
			tok := mkToken(rsHeader("k1"), claims(iss, "convex"), rs256(k.rsaB)) // signed by the wrong key
			return tok
		}),
		o3("O3 expired (exp == now, no leeway)", ReasonExpired, func(t *testing.T, iss string) string {
			return mkToken(rsHeader("k1"), jobj("iss", iss, "sub", "u", "aud", "convex", "iat", testNow.Unix()-60, "exp", testNow.Unix()), rs256(k.rsaA))
		}),
		o3("O3 several audiences", ReasonMultipleAudiences, func(t *testing.T, iss string) string {
			return mkToken(rsHeader("k1"), claims(iss, []string{"convex", "other"}), rs256(k.rsaA))
		}),
		o3("O3 alg ES256", ReasonAlgorithm, func(t *testing.T, iss string) string {
			return mkToken(jobj("alg", "ES256", "kid", "k1"), claims(iss, "convex"), es256(k.ec))
		}),
		o3("O3 alg HS256", ReasonAlgorithm, func(t *testing.T, iss string) string {
			return mkToken(jobj("alg", "HS256", "kid", "k1"), claims(iss, "convex"), hs256([]byte("secret")))
		}),
		o3("O3 alg none", ReasonAlgorithm, func(t *testing.T, iss string) string {
			return mkToken(jobj("alg", "none"), claims(iss, "convex"), noSig)
		}),
		o3("O3 no matching kid", ReasonNoMatchingKey, func(t *testing.T, iss string) string {
			return mkToken(rsHeader("rotated-away"), claims(iss, "convex"), rs256(k.rsaA))
		}),
		o3("O3 typ at+jwt", ReasonTyp, func(t *testing.T, iss string) string {
			return mkToken(jobj("alg", "RS256", "kid", "k1", "typ", "at+jwt"), claims(iss, "convex"), rs256(k.rsaA))
		}),
		o3("O3 crit", ReasonCrit, func(t *testing.T, iss string) string {
			return mkToken(jobj("alg", "RS256", "kid", "k1", "crit", []string{"exp"}), claims(iss, "convex"), rs256(k.rsaA))
		}),
		o3("O3 cty", ReasonCrit, func(t *testing.T, iss string) string {
			return mkToken(jobj("alg", "RS256", "kid", "k1", "cty", "JWT"), claims(iss, "convex"), rs256(k.rsaA))
		}),
		{
			name: "O3 ambiguous key (no kid, two RSA keys)",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				p := okIDP(t, rsaJWK(&k.rsaA.PublicKey, "kid", "k1"), rsaJWK(&k.rsaB.PublicKey, "kid", "k2"))
				f.iss = p.url()
				return oidcValidator(f.iss), mkToken(rsHeader(""), claims(f.iss, "convex"), rs256(k.rsaA))
			},
			code: CodeUnauthenticated, msg: lit(MsgOIDCUnverified), class: ClassUnauthenticated, reason: ReasonAmbiguousKey,
		},
		{
			name: "O3 key too small (1024-bit RSA)",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				p := okIDP(t, rsaJWK(&k.rsa1024.PublicKey, "kid", "k1"))
				f.iss = p.url()
				return oidcValidator(f.iss), mkToken(rsHeader("k1"), claims(f.iss, "convex"), rs256(k.rsa1024))
			},
			code: CodeUnauthenticated, msg: lit(MsgOIDCUnverified), class: ClassUnauthenticated, reason: ReasonKeyUnusable,
		},
		// --- O4 ----------------------------------------------------------------
		{
			name: "O4 iss without scheme",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				return oidcValidator("https://issuer.example.com"), mkToken(rsHeader("k1"), claims("issuer.example.com", "convex"), rs256(k.rsaA))
			},
			code: CodeInternal, msg: lit(MsgInternal), class: ClassInternal, reason: ReasonIssuerNotURL,
		},
		// --- C1–C6 --------------------------------------------------------------
		{
			name: "C1 data URL with base64url characters",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				body := base64.RawURLEncoding.EncodeToString([]byte(jwksOf(rsaJWK(&k.rsaA.PublicKey, "kid", "k1"), rsaJWK(&k.rsaB.PublicKey, "kid", "k2"))))
				if !strings.ContainsAny(body, "-_") {
					body += "-_"
				}
				v := customValidator("https://issuer.example.com", "data:application/json;base64,"+body, "RS256", nil, false)
				return v, mkToken(rsHeader("k1"), claims("https://issuer.example.com", "convex"), rs256(k.rsaA))
			},
			code: CodeInvalidAuthHeader, msg: lit(MsgJWKSDataURL), class: ClassUnauthenticated, reason: ReasonJWKSDataURL,
		},
		{
			name: "C2 JWKS unreachable",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				f.jwks = closedURL(t) + "/jwks.json"
				return customValidator("https://issuer.example.com", f.jwks, "RS256", nil, false), mkToken(rsHeader("k1"), claims("https://issuer.example.com", "convex"), rs256(k.rsaA))
			},
			code: CodeInvalidAuthHeader,
			msg: func(f *fixture) string {
				return "Could not fetch JWKS from URL '" + f.jwks + "': error sending request for url (" + f.jwks + "). Check that the URL is correct and accessible."
			},
			class: ClassUnauthenticated, reason: ReasonJWKSTransport,
		},
		c3("C3 404", 404, "HTTP 404 Not Found"),
		c3("C3 599", 599, "HTTP 599 Unknown"),
		c4("C4 missing Content-Type", "-", "unknown"),
		c4("C4 text/plain", "text/plain", "text/plain"),
		c4("C4 charset latin1", "application/json; charset=iso-8859-1", "application/json; charset=iso-8859-1"),
		{
			name: "C5 JWKS not JSON",
			build: func(t *testing.T, f *fixture) (*Validator, string) {
				p := newIDP(t)
				p.set(func(p *idp) { p.jwksBody = "<html>" })
				f.jwks = p.jwksURL()
				return customValidator("https://issuer.example.com", f.jwks, "RS256", nil, false), mkToken(rsHeader("k1"), claims("https://issuer.example.com", "convex"), rs256(k.rsaA))
			},
			code: CodeInvalidAuthHeader,
			msg: func(f *fixture) string {
				return "Invalid JWKS response body from '" + f.jwks + "'. The response is not valid JSON or doesn't match the expected JWKS format."
			},
			class: ClassUnauthenticated, reason: ReasonJWKSParse,
		},
		c6Case("C6 unknown kid, unredacted", false, rsHeader("nope"), rs256(k.rsaA),
			"Could not decode token. The JWT's 'kid' (key ID) header is 'nope', does this key match any key in the provider's JWKS?", ReasonUnknownKid),
		c6Case("C6 unknown kid, redacted", true, rsHeader("nope"), rs256(k.rsaA), MsgDecodeKidRedacted, ReasonUnknownKid),
		c6Case("C6 bad signature, unredacted", false, rsHeader("k1"), rs256(k.rsaB),
			"Could not decode token. The JWT's 'kid' (key ID) header is 'k1', does this key match any key in the provider's JWKS?", ReasonSignature),
		c6Case("C6 no kid, unredacted", false, rsHeader(""), rs256(k.rsaA), MsgDecodeNoKid, ReasonMissingKid),
		c6Case("C6 no kid, redacted (same text)", true, rsHeader(""), rs256(k.rsaA), MsgDecodeNoKid, ReasonMissingKid),
		c6Case("C6 header alg differs from configured", false, jobj("alg", "RS384", "kid", "k1"), rs256(k.rsaA),
			"Could not decode token. The JWT's 'kid' (key ID) header is 'k1', does this key match any key in the provider's JWKS?", ReasonAlgorithm),
		// --- C9, C10 ------------------------------------------------------------
		c9("C9 expired 100 s ago", jobj("iss", "https://issuer.example.com", "sub", "u", "exp", testNow.Unix()-100), "Could not validate token: Token expired 100 seconds ago", ReasonExpired),
		c9("C9 expired 6 s ago (beyond 5 s leeway)", jobj("iss", "https://issuer.example.com", "sub", "u", "exp", testNow.Unix()-6), "Could not validate token: Token expired 6 seconds ago", ReasonExpired),
		c9("C9 nbf 60 s ahead", jobj("iss", "https://issuer.example.com", "sub", "u", "exp", testNow.Unix()+600, "nbf", testNow.Unix()+60), "Could not validate token: Token will be valid in 60 seconds", ReasonNotYetValid),
		c9("C9 iat 30 s ahead", jobj("iss", "https://issuer.example.com", "sub", "u", "exp", testNow.Unix()+600, "iat", testNow.Unix()+30), "Could not validate token: Token will be valid in 30 seconds", ReasonNotYetValid),
		c9("C9 fractional exp rounds", jobj("iss", "https://issuer.example.com", "sub", "u", "exp", raw(fmt.Sprintf("%d.6", testNow.Unix()-10))), "Could not validate token: Token expired 9 seconds ago", ReasonExpired),
		c9("C10 missing sub", jobj("iss", "https://issuer.example.com", "exp", testNow.Unix()+60), MsgClaimsUnverified, ReasonMissingSubject),
		c9("C10 missing exp", jobj("iss", "https://issuer.example.com", "sub", "u"), MsgClaimsUnverified, ReasonMissingExpiry),
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &fixture{}
			v, tok := tc.build(t, f)
			res := validate(t, v, tok)
			if res.Err == nil {
				t.Fatalf("token accepted; want %s", tc.msg(f))
			}
			e := res.Err
			if e.Message != tc.msg(f) {
				t.Errorf("message\n got %q\nwant %q", e.Message, tc.msg(f))
			}
			if e.Code != tc.code || e.Class != tc.class || e.Reason != tc.reason {
				t.Errorf("got %s/%s/%s, want %s/%s/%s (detail: %s)", e.Code, e.Class, e.Reason, tc.code, tc.class, tc.reason, e.Detail)
			}
			if e.HTTPStatus != tc.httpStatus {
				t.Errorf("HTTPStatus %d, want %d", e.HTTPStatus, tc.httpStatus)
			}
			if e.Detail == "" {
				t.Errorf("no Detail for %s", e.Reason)
			}
			checks := res.Trace.Checks
			if len(checks) == 0 || checks[len(checks)-1].OK {
				t.Errorf("the last check should be the failing one: %+v", checks)
			}
		})
	}
}

func lit(s string) func(*fixture) string { return func(*fixture) string { return s } }

func oidcValidator(domain string) *Validator {
	return newValidator(AuthConfig{Providers: []Provider{oidcProvider(domain, "convex")}}, false)
}

func customValidator(issuer, jwks, alg string, app *string, redact bool) *Validator {
	return newValidator(AuthConfig{Providers: []Provider{customProvider(issuer, jwks, alg, app)}}, redact)
}

// okIDP serves a valid discovery document and the given keys.
func okIDP(t testing.TB, keys ...string) *idp {
	p := newIDP(t)
	p.set(func(p *idp) { p.jwksBody = jwksOf(keys...) })
	return p
}

func o1Status(name string, status int, body string, class ErrorClass, discovery bool) msgCase {
	reason := ReasonDiscoveryStatus
	if !discovery {
		reason = ReasonJWKSStatus
	}
	return msgCase{
		name: name,
		build: func(t *testing.T, f *fixture) (*Validator, string) {
			k := loadKeys(t)
			p := newIDP(t)
			p.set(func(p *idp) {
				p.jwksBody = jwksOf(rsaJWK(&k.rsaA.PublicKey, "kid", "k1"))
				if discovery {
					p.discStatus, p.discBody, p.discCT, p.discEmpty = status, body, "text/plain", body == ""
				} else {
					p.jwksStatus, p.jwksBody, p.jwksCT = status, body, "text/plain"
				}
			})
			f.iss = p.url()
			return oidcValidator(f.iss), mkToken(rsHeader("k1"), claims(f.iss, "convex"), rs256(k.rsaA))
		},
		code: CodeDiscoveryFailed,
		msg: func(f *fixture) string {
			return "Auth provider discovery of " + f.iss + " failed: " + RustStatusDisplay(status) + " " + body
		},
		class: class, reason: reason, httpStatus: status,
	}
}

// o3 is an OIDC token rejected with the O3 message for a hidden reason.
func o3(name string, reason Reason, token func(t *testing.T, iss string) string) msgCase {
	return msgCase{
		name: name,
		build: func(t *testing.T, f *fixture) (*Validator, string) {
			k := loadKeys(t)
			p := okIDP(t, rsaJWK(&k.rsaA.PublicKey, "kid", "k1", "use", "sig", "alg", "RS256"))
			f.iss = p.url()
			return oidcValidator(f.iss), token(t, f.iss)
		},
		code: CodeUnauthenticated, msg: lit(MsgOIDCUnverified), class: ClassUnauthenticated, reason: reason,
	}
}

// c3 is a JWKS URL answering status.
func c3(name string, status int, text string) msgCase {
	return msgCase{
		name: name,
		build: func(t *testing.T, f *fixture) (*Validator, string) {
			k := loadKeys(t)
			p := newIDP(t)
			p.set(func(p *idp) { p.jwksStatus, p.jwksBody = status, "nope" })
			f.jwks = p.jwksURL()
			return customValidator("https://issuer.example.com", f.jwks, "RS256", nil, false), mkToken(rsHeader("k1"), claims("https://issuer.example.com", "convex"), rs256(k.rsaA))
		},
		code: CodeInvalidAuthHeader,
		msg: func(f *fixture) string {
			return "Could not fetch JWKS from URL '" + f.jwks + "': " + text + ". Check that the URL is correct and accessible."
		},
		class: ClassUnauthenticated, reason: ReasonJWKSStatus, httpStatus: status,
	}
}

// c4 is a JWKS served with Content-Type ct ("-": none).
func c4(name, ct, shown string) msgCase {
	return msgCase{
		name: name,
		build: func(t *testing.T, f *fixture) (*Validator, string) {
			k := loadKeys(t)
			p := newIDP(t)
			p.set(func(p *idp) { p.jwksCT, p.jwksBody = ct, jwksOf(rsaJWK(&k.rsaA.PublicKey, "kid", "k1")) })
			f.jwks = p.jwksURL()
			return customValidator("https://issuer.example.com", f.jwks, "RS256", nil, false), mkToken(rsHeader("k1"), claims("https://issuer.example.com", "convex"), rs256(k.rsaA))
		},
		code: CodeInvalidAuthHeader,
		msg: func(f *fixture) string {
			return "Invalid Content-Type '" + shown + "' when fetching JWKS from '" + f.jwks + "'. Expected 'application/json' or 'application/jwk-set+json'."
		},
		class: ClassUnauthenticated, reason: ReasonJWKSContentType,
	}
}

// c6Case is a customJwt token whose decoding fails, against key k1 (rsaA).
func c6Case(name string, redact bool, header string, sign signer, msg string, reason Reason) msgCase {
	return msgCase{
		name: name,
		build: func(t *testing.T, f *fixture) (*Validator, string) {
			k := loadKeys(t)
			p := newIDP(t)
			p.set(func(p *idp) {
				p.jwksBody = jwksOf(rsaJWK(&k.rsaA.PublicKey, "kid", "k1"), rsaJWK(&k.rsaB.PublicKey, "kid", "k2"))
			})
			return customValidator("https://issuer.example.com", p.jwksURL(), "RS256", nil, redact), mkToken(header, claims("https://issuer.example.com", "convex"), sign)
		},
		code: CodeInvalidAuthHeader, msg: lit(msg), class: ClassUnauthenticated, reason: reason,
	}
}

// c9 is a customJwt token with the given payload, correctly signed.
func c9(name, payload, msg string, reason Reason) msgCase {
	return msgCase{
		name: name,
		build: func(t *testing.T, f *fixture) (*Validator, string) {
			k := loadKeys(t)
			p := okIDP(t, rsaJWK(&k.rsaA.PublicKey, "kid", "k1", "alg", "RS256"))
			return customValidator("https://issuer.example.com", p.jwksURL(), "RS256", nil, false), mkToken(rsHeader("k1"), payload, rs256(k.rsaA))
		},
		code: CodeInvalidAuthHeader, msg: lit(msg), class: ClassUnauthenticated, reason: reason,
	}
}

// The messages no token can produce through Validate (C7, C8 of SPEC.md
// "Error catalogue": the checks repeat the routing match) and S1, which the
// sync worker raises later in a session: their exact text.
func TestMessagesWithoutAPath(t *testing.T) {
	tests := []struct{ got, want string }{
		{MsgInvalidIssuer("issuer.example.com", "https://other.example.com"), "Invalid issuer: issuer.example.com != https://other.example.com"},
		{MsgMissingAudience, "Missing audience claim ('aud') in JWT payload. The JWT must include an 'aud' claim that matches your configured application ID."},
		{MsgInvalidAudience("convex", []string{"a", "b"}), `Invalid audience: convex not in ["a", "b"]`},
		{MsgInvalidAudience("convex", []string{"q\"x", "new\nline"}), `Invalid audience: convex not in ["q\"x", "new\nline"]`},
		{MsgInvalidAudience("convex", nil), `Invalid audience: convex not in []`},
		{MsgIdentityExpired, "Convex token identity expired"},
		{NewIdentityExpiredError("exp passed").Message, "Convex token identity expired"},
		{NewIdentityExpiredError("").Code, "TokenExpired"},
		{RustStatusDisplay(203), "203 Non Authoritative Information"},
		{RustStatusDisplay(418), "418 I'm a teapot"},
		{RustStatusDisplay(413), "413 Payload Too Large"},
		{RustStatusDisplay(414), "414 URI Too Long"},
		{RustStatusDisplay(416), "416 Range Not Satisfiable"},
		{RustStatusDisplay(425), "425 Too Early"},
		{RustStatusDisplay(299), "299 <unknown status code>"},
		{MsgJWKSStatus("https://x", 299), "Could not fetch JWKS from URL 'https://x': HTTP 299 Unknown. Check that the URL is correct and accessible."},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got  %q\nwant %q", tc.got, tc.want)
		}
	}
	if e := NewIdentityExpiredError(""); e.Class != ClassUnauthenticated || e.Reason != ReasonIdentityExpired {
		t.Errorf("S1 class/reason: %+v", e)
	}
}

func TestLossyUTF8(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte("plain"), "plain"},
		{[]byte("a\xffb"), "a\uFFFDb"},
		{[]byte("\xff\xfe"), "\uFFFD\uFFFD"},           // two bytes, two replacements
		{[]byte("\xe2\x82"), "\uFFFD"},                 // truncated 3-byte sequence: one
		{[]byte("\xe2\x82x"), "\uFFFDx"},               // truncated then ASCII
		{[]byte("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD"}, // surrogate: ED then A0 is not allowed
		{[]byte("\xf0\x9f\x98"), "\uFFFD"},             // truncated emoji
		{[]byte("é\xc3"), "é\uFFFD"},
	}
	for _, tc := range tests {
		if got := LossyUTF8(tc.in); got != tc.want {
			t.Errorf("LossyUTF8(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClassForStatus(t *testing.T) {
	want := map[int]ErrorClass{200: ClassBadRequest, 302: ClassBadRequest, 400: ClassBadRequest, 401: ClassUnauthenticated,
		403: ClassForbidden, 404: ClassNotFound, 421: ClassMisdirected, 429: ClassRateLimited, 451: ClassBadRequest,
		500: ClassOverloaded, 503: ClassOverloaded}
	for status, class := range want {
		if got := ClassForStatus(status); got != class {
			t.Errorf("ClassForStatus(%d) = %s, want %s", status, got, class)
		}
	}
}
