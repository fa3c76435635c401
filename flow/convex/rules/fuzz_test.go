package rules

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/internal/strictjson"
	"github.com/authscope/authscope/flow/convex/jose"
)

// mapFetcher serves fixed responses with no network: the fuzz targets run offline.
type mapFetcher map[string]*fetch.Result

func (m mapFetcher) Fetch(_ context.Context, _ fetch.Kind, url string) (*fetch.Result, error) {
	if r, ok := m[url]; ok {
		return r, nil
	}
	return nil, errors.New("offline: no response for " + url)
}

func jsonResult(url, body string) *fetch.Result {
	return &fetch.Result{URL: url, Status: 200, Body: []byte(body), HasContentType: true, ContentType: "application/json"}
}

// fuzzValidator has one OIDC and one customJwt provider whose documents
// come from memory.
func fuzzValidator(t testing.TB) *Validator {
	k := loadKeys(t)
	const oidcIss = "https://issuer.example.com"
	const customIss = "https://custom.example.com"
	f := mapFetcher{
		oidcIss + "/.well-known/openid-configuration": jsonResult("", jobj("issuer", oidcIss, "jwks_uri", oidcIss+"/jwks")),
		oidcIss + "/jwks":   jsonResult("", jwksOf(rsaJWK(&k.rsaA.PublicKey, "kid", "k1"))),
		customIss + "/jwks": jsonResult("", jwksOf(rsaJWK(&k.rsaA.PublicKey, "kid", "k1"), ecJWK(&k.ec.PublicKey, "P-256", "kid", "e1"))),
	}
	return &Validator{
		Config: AuthConfig{Providers: []Provider{
			oidcProvider(oidcIss, "convex"),
			customProvider(customIss, customIss+"/jwks", "RS256", strp("convex")),
		}},
		Fetcher: f,
		Now:     fixedNow,
	}
}

func FuzzValidate(f *testing.F) {
	k := loadKeys(f)
	f.Add(mkToken(rsHeader("k1"), claims("https://issuer.example.com", "convex"), rs256(k.rsaA)))
	f.Add(mkToken(rsHeader("k1"), claims("https://custom.example.com", "convex", "nested", raw(`{"a":{"b":[1]}}`)), rs256(k.rsaA)))
	f.Add(mkToken(jobj("alg", "none"), claims("https://issuer.example.com", []string{"convex", "x"}), noSig))
	f.Add(mkToken(jobj("alg", "ES256", "kid", "e1"), claims("custom.example.com", "convex"), es256(k.ec)))
	f.Add("")
	f.Add("a.b.c")
	f.Add(b64(`{"alg":"RS256"}`) + "." + b64(`{"iss":"issuer.example.com","aud":"convex"}`))
	v := fuzzValidator(f)
	f.Fuzz(func(t *testing.T, token string) {
		res := v.Validate(context.Background(), token)
		if res == nil {
			t.Fatal("nil result")
		}
		if res.Err == nil {
			if res.Identity == nil {
				t.Fatal("accepted without an identity")
			}
			b, err := json.Marshal(res.Identity)
			if err != nil || !json.Valid(b) {
				t.Fatalf("identity JSON %s: %v", b, err)
			}
			if res.Trace.Signature != SignatureVerified {
				t.Fatal("accepted without a verified signature")
			}
			return
		}
		if res.Err.Message == "" || res.Err.Code == "" || res.Err.Class == "" || res.Err.Reason == "" {
			t.Fatalf("incomplete error %+v", res.Err)
		}
		if res.Identity != nil {
			t.Fatal("identity on a rejected token")
		}
	})
}

func FuzzParsePayload(f *testing.F) {
	for _, s := range []string{
		`{"iss":"https://a","aud":["x","y"],"exp":1.5,"nbf":0,"iat":-0,"sub":"s","jti":null}`,
		`{"iss":"\ud83d\ude00","x":[{"y":{}}]}`,
		`[]`, `{"iss":1}`, `{"exp":1e400}`, `{"a":"\u0000"}`, ` {} `, `{"iss":"a","iss":"b"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pc, perr := jose.ParseClaims(data)
		if perr == nil {
			// Accepting is always a subset of what encoding/json accepts.
			if !json.Valid(data) {
				t.Fatalf("jose.ParseClaims accepted invalid JSON %q", data)
			}
			if pc.Aud == nil {
				t.Fatal("nil audience list")
			}
			_ = buildCustomIdentity(pc)
		}
		if _, err := jose.ParseIDTokenClaims(data); err == nil && !json.Valid(data) {
			t.Fatalf("jose.ParseIDTokenClaims accepted invalid JSON %q", data)
		}
		if strictjson.Check(data) == nil && !json.Valid(data) {
			t.Fatalf("strictjson.Valid accepted %q", data)
		}
		_, _ = parseDiscovery(data)
		_, _ = jose.ParseOIDCKeySet(data)
		_, _ = jose.ParseCustomKeySet(data)
	})
}
