package rules

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/authscope/authscope/flow/convex/jose"
)

// The identity preview (SPEC.md "Identity"), built from tokens the
// validator accepted.

func TestIdentityOIDC(t *testing.T) {
	k := loadKeys(t)
	p := okIDP(t, rsaJWK(&k.rsaA.PublicKey, "kid", "k1", "use", "sig"))
	iss := p.url() + "/" // the raw iss keeps its slash in tokenIdentifier
	p.set(func(p *idp) { p.issuer = iss })
	v := oidcValidator(p.url()) // configured without the slash: matching trims it
	payload := jobj(
		"iss", iss, "sub", "user_1", "aud", "convex", "iat", testNow.Unix()-5, "exp", testNow.Unix()+55,
		"azp", "http://localhost:3000", "jti", "jti-1", "nbf", testNow.Unix()-5, "fva", []int{1, -1}, "sid", "sess_1",
		"name", "Ada Lovelace", "name#fr", "Ada (fr)", "given_name", "Ada", "family_name", "Lovelace", "middle_name", "Augusta",
		"nickname", "ada", "preferred_username", "ada_l", "profile", "https://p.example", "picture", "https://img.example/a.png",
		"website", "https://w.example", "email", "ada@example.com", "email_verified", true,
		"gender", "female", "birthdate", "1815-12-10", "zoneinfo", "Europe/London", "locale", "en-GB",
		"phone_number", "+44 20", "phone_number_verified", false,
		"address", raw(`{"formatted":"12 St James's Square\nLondon","country":"UK"}`),
		"updated_at", raw("1700000000.25"),
		"org", raw(`{ "id": "org_1", "roles": ["admin"] }`),
		"custom", raw(`"a\u00e9\/"`),
	)
	res := validate(t, v, mkToken(rsHeader("k1"), payload, rs256(k.rsaA)))
	if res.Err != nil {
		t.Fatalf("rejected: %s", describeResult(res))
	}
	got, _ := json.Marshal(res.Identity)
	want := `{"tokenIdentifier":"` + iss + `|user_1","issuer":"` + iss + `","subject":"user_1",` +
		`"name":"Ada Lovelace","givenName":"Ada","familyName":"Lovelace","nickname":"ada","preferredUsername":"ada_l",` +
		`"profileUrl":"https://p.example","pictureUrl":"https://img.example/a.png","websiteUrl":"https://w.example",` +
		`"email":"ada@example.com","emailVerified":true,"gender":"female","birthday":"1815-12-10","timezone":"Europe/London",` +
		`"language":"en-GB","phoneNumber":"+44 20","phoneNumberVerified":false,"address":"12 St James's Square\nLondon",` +
		`"updatedAt":"2023-11-14T22:13:20.250+00:00",` +
		`"custom":"aé/","org":{"id":"org_1","roles":["admin"]},"sid":"sess_1"}`
	if string(got) != want {
		t.Errorf("identity\n got %s\nwant %s", got, want)
	}
	for _, dropped := range []string{"jti", "nbf", "fva", "azp", "middle_name", "name#fr", "aud", "iat", "exp"} {
		if _, ok := res.Identity.Get(dropped); ok {
			t.Errorf("%s should not be in the identity", dropped)
		}
	}
	if v, ok := res.Identity.Get("emailVerified"); !ok || string(v) != "true" {
		t.Errorf("Get(emailVerified) = %s, %v", v, ok)
	}
}

// openidconnect as Convex builds it: a language tag only on localized
// claims, booleans only as JSON booleans, and times also as RFC 3339
// strings (the accept-rfc3339-timestamps feature).
func TestIdentityOIDCTyping(t *testing.T) {
	base := func(extra ...any) map[string]json.RawMessage {
		m := map[string]json.RawMessage{"iss": json.RawMessage(`"https://a.example"`), "sub": json.RawMessage(`"u"`),
			"exp": json.RawMessage(`2000000000`), "iat": json.RawMessage(`1`)}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i].(string)] = json.RawMessage(extra[i+1].(string))
		}
		return m
	}
	refused := map[string]map[string]json.RawMessage{
		"tag on a claim that is not localized": base("email#fr", `"x@example.fr"`),
		"tag on sub":                           base("sub#fr", `"u2"`),
		"string boolean":                       base("email_verified", `"true"`),
		"time that is not RFC 3339":            base("updated_at", `"yesterday"`),
		"name and name# (the same claim)":      base("name", `"A"`, "name#", `"B"`),
	}
	for name, claims := range refused {
		if id := IdentityOIDC(claims, nil); id != nil {
			t.Errorf("%s: accepted, identity %s", name, mustJSON(id))
		}
	}
	accepted := []struct {
		claims map[string]json.RawMessage
		want   string
	}{
		{base("updated_at", `"2021-12-22T02:10:37.250Z"`), `"updatedAt":"2021-12-22T02:10:37.250+00:00"`},
		{base("updated_at", `"2021-12-22t03:10:37+01:00"`), `"updatedAt":"2021-12-22T02:10:37+00:00"`},
		{base("name#", `"B"`), `"name":"B"`},
		{base("iss#x", `1`), `"iss#x":1`},
		{base("name#fr", `"N"`, "unknown#fr", `"u"`), `"unknown#fr":"u"`},
	}
	for _, tc := range accepted {
		id := IdentityOIDC(tc.claims, []string{"iss", "sub"})
		if got := mustJSON(id); !strings.Contains(got, tc.want) {
			t.Errorf("identity %s lacks %s", got, tc.want)
		}
	}
}

func mustJSON(id *Identity) string {
	b, _ := json.Marshal(id)
	return string(b)
}

func TestIdentityCustomJWT(t *testing.T) {
	k := loadKeys(t)
	jwks := jwksOf(ecJWK(&k.ec.PublicKey, "P-256", "kid", "ec1", "alg", "ES256", "use", "sig"))
	dataURL := "data:text/plain;charset=utf-8;base64," + base64.StdEncoding.EncodeToString([]byte(jwks))
	v := customValidator("https://issuer.example.com", dataURL, "ES256", strp("my-app"), false)
	payload := jobj(
		"iss", "issuer.example.com", // scheme-less: matched as https://issuer.example.com, kept raw
		"sub", "user_9", "aud", []string{"other", "my-app"}, "exp", testNow.Unix()+3600, "iat", testNow.Unix(),
		"nbf", testNow.Unix(), "jti", "j", "fva", []int{0, 0},
		"name", "Grace", "email", "grace@example.com", "picture", "https://img.example/g.png",
		"properties", raw(`{"email":"p@example.com","nested":{"deep":1,"deep":2},"empty":{}}`),
		"list", raw(`[1, {"a": 2}]`),
		"nothing", nil,
	)
	res := validate(t, v, mkToken(jobj("alg", "ES256", "kid", "ec1", "typ", "JWT"), payload, es256(k.ec)))
	if res.Err != nil {
		t.Fatalf("rejected: %s", describeResult(res))
	}
	got, _ := json.Marshal(res.Identity)
	want := `{"tokenIdentifier":"issuer.example.com|user_9","issuer":"issuer.example.com","subject":"user_9",` +
		`"email":"grace@example.com","list":[1,{"a":2}],"name":"Grace","nothing":null,"picture":"https://img.example/g.png",` +
		`"properties.email":"p@example.com","properties.nested.deep":2}`
	if string(got) != want {
		t.Errorf("identity\n got %s\nwant %s", got, want)
	}
	if res.Trace.Signature != SignatureVerified || !strings.HasPrefix(res.Trace.JWKSURL, "data:") {
		t.Errorf("trace: signature %s, jwks %q", res.Trace.Signature, res.Trace.JWKSURL)
	}
}

func TestIdentityConstructors(t *testing.T) {
	claimsMap := map[string]json.RawMessage{
		"iss": json.RawMessage(`"https://a.example"`), "sub": json.RawMessage(`"u"`), "exp": json.RawMessage(`2000000000`),
		"iat": json.RawMessage(`1`), "aud": json.RawMessage(`"convex"`), "name": json.RawMessage(`"N"`),
		"nested": json.RawMessage(`{"b":1}`),
	}
	id := IdentityOIDC(claimsMap, []string{"iss", "sub"})
	if id == nil {
		t.Fatal("IdentityOIDC returned nil for valid claims")
	}
	if got, _ := json.Marshal(id); string(got) != `{"tokenIdentifier":"https://a.example|u","issuer":"https://a.example","subject":"u","name":"N","nested":{"b":1}}` {
		t.Errorf("OIDC identity %s", got)
	}
	cid := IdentityCustomJWT(claimsMap, nil)
	if got, _ := json.Marshal(cid); string(got) != `{"tokenIdentifier":"https://a.example|u","issuer":"https://a.example","subject":"u","name":"N","nested.b":1}` {
		t.Errorf("custom identity %s", got)
	}
	bad := map[string]json.RawMessage{"iss": json.RawMessage(`"https://a.example"`), "sub": json.RawMessage(`"u"`), "exp": json.RawMessage(`1`),
		"iat": json.RawMessage(`1`), "email_verified": json.RawMessage(`"yes"`)}
	if IdentityOIDC(bad, nil) != nil {
		t.Error("IdentityOIDC accepted an email_verified the backend cannot parse")
	}
	var nilID *Identity
	if b, _ := nilID.MarshalJSON(); string(b) != "null" {
		t.Errorf("nil identity marshals to %s", b)
	}
}

func TestRFC3339(t *testing.T) {
	tests := []struct {
		t    jose.NumericDate
		want string
	}{
		{jose.NumericDate{Secs: 1700000000}, "2023-11-14T22:13:20+00:00"},
		{jose.NumericDate{Secs: 1700000000, Nanos: 250_000_000}, "2023-11-14T22:13:20.250+00:00"},
		{jose.NumericDate{Secs: 0, Nanos: 1000}, "1970-01-01T00:00:00.000001+00:00"},
		{jose.NumericDate{Secs: -1, Nanos: 1}, "1969-12-31T23:59:59.000000001+00:00"},
	}
	for _, tc := range tests {
		if got := rfc3339(tc.t); got != tc.want {
			t.Errorf("rfc3339(%+v) = %s, want %s", tc.t, got, tc.want)
		}
	}
}
