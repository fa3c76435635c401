package rules

import (
	"errors"
	"reflect"
	"testing"
)

// Push-time checks, SPEC.md "Push-time checks".

func oidcRaw(domain, app string) RawProvider {
	return RawProvider{Domain: strp(domain), ApplicationID: strp(app)}
}

func TestPushConfigAccepts(t *testing.T) {
	raw := []RawProvider{
		oidcRaw("clerk.example.com", "convex"),
		{Type: strp("oidc"), Domain: strp("https://auth.example.com/"), ApplicationID: strp("a")},
		{Type: strp("customJwt"), Issuer: strp("http://localhost:3000"), JWKS: strp("data:,{}"), Algorithm: strp("ES256")},
		{Type: strp("customJwt"), Issuer: strp("localhost:3000"), JWKS: strp("https://x.dev/jwks"), Algorithm: strp("RS256"), ApplicationID: strp("app")},
		oidcRaw("HTTPS://Upper.Example.COM", "x"),
		oidcRaw("auth.example.co.uk/tenant", "x"),
		oidcRaw("auth.example.ck", "x"),
		oidcRaw("вход.рф", "x"),
		oidcRaw("auth.example.XN--P1AI", "x"),
	}
	cfg, err := PushConfig(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := []Provider{
		{Kind: KindOIDC, Domain: "https://clerk.example.com", ApplicationID: "convex", HasApplicationID: true},
		{Kind: KindOIDC, Domain: "https://auth.example.com/", ApplicationID: "a", HasApplicationID: true},
		{Kind: KindCustomJWT, Issuer: "http://localhost:3000", JWKS: "data:,{}", Algorithm: "ES256"},
		{Kind: KindCustomJWT, Issuer: "https://localhost:3000", JWKS: "https://x.dev/jwks", Algorithm: "RS256", ApplicationID: "app", HasApplicationID: true},
		{Kind: KindOIDC, Domain: "HTTPS://Upper.Example.COM", ApplicationID: "x", HasApplicationID: true},
		{Kind: KindOIDC, Domain: "https://auth.example.co.uk/tenant", ApplicationID: "x", HasApplicationID: true},
		{Kind: KindOIDC, Domain: "https://auth.example.ck", ApplicationID: "x", HasApplicationID: true},
		{Kind: KindOIDC, Domain: "https://вход.рф", ApplicationID: "x", HasApplicationID: true},
		{Kind: KindOIDC, Domain: "https://auth.example.XN--P1AI", ApplicationID: "x", HasApplicationID: true},
	}
	if !reflect.DeepEqual(cfg.Providers, want) {
		t.Errorf("got  %+v\nwant %+v", cfg.Providers, want)
	}
	if cfg, err := PushConfig(nil); err != nil || len(cfg.Providers) != 0 {
		t.Errorf("empty config: %+v, %v", cfg, err)
	}
}

func TestPushConfigMessages(t *testing.T) {
	const schema = "auth config file must include a list of provider credentials: "
	tests := []struct {
		name  string
		raw   []RawProvider
		code  string
		msg   string
		index int
	}{
		{"missing env var", []RawProvider{oidcRaw("a.com", "x"), {Domain: strp(""), ApplicationID: strp("convex"), MissingEnv: []string{"CLERK_JWT_ISSUER_DOMAIN"}}},
			CodeMissingEnvironmentVar, "Environment variable CLERK_JWT_ISSUER_DOMAIN is used in auth config file but its value was not set", 1},
		{"applicationId misspelled", []RawProvider{{Domain: strp("a.com"), OtherKeys: []string{"applicationId"}}},
			CodeAuthConfigSchema, schema + "Provider at index 0 must have applicationID property spelled lowercase 'application', capital I, capital D.", 0},
		{"applicationid lower case", []RawProvider{oidcRaw("a.com", "x"), {Domain: strp("a.com"), OtherKeys: []string{"applicationid"}}},
			CodeAuthConfigSchema, schema + "Provider at index 1 must have applicationID property spelled lowercase 'application', capital I, capital D.", 1},
		{"unexpected type", []RawProvider{{Type: strp("saml"), Domain: strp("a.com"), ApplicationID: strp("x")}},
			CodeAuthConfigSchema, schema + "Provider at index 0 has unexpected 'type' value 'saml'", 0},
		{"customJwt with domain", []RawProvider{{Type: strp("customJwt"), Domain: strp("a.com"), Issuer: strp("a.com"), JWKS: strp("x"), Algorithm: strp("RS256")}},
			CodeAuthConfigSchema, schema + "Provider at index 0 is a customJwt so cannot have a 'domain' specified", 0},
		{"oidc with issuer", []RawProvider{{Domain: strp("a.com"), Issuer: strp("a.com"), ApplicationID: strp("x")}},
			CodeAuthConfigSchema, schema + "Provider at index 0 is oidc so cannot have an 'issuer' specified.", 0},
		{"WorkOS without applicationID", []RawProvider{{Type: strp("customJwt"), Issuer: strp("https://api.workos.com/"), JWKS: strp("x"), Algorithm: strp("RS256")}},
			CodeInsecureConfiguration, "This auth configuration appears potentially insecure: Provider at index 0 has an issuer that is shared among many applications, so must to specify an ApplicationID to check against an `aud` field of a JWT.", 0},
		{"confusions of a later provider come before schema errors", []RawProvider{{Domain: strp("a.com")}, {Type: strp("x")}},
			CodeAuthConfigSchema, schema + "Provider at index 1 has unexpected 'type' value 'x'", 1},
		{"OIDC without applicationID", []RawProvider{{Domain: strp("a.com")}},
			CodeAuthConfigSchema, schema + "data did not match any variant of untagged enum SerializedAuthInfo ", 0},
		{"customJwt without jwks", []RawProvider{{Type: strp("customJwt"), Issuer: strp("a.com"), Algorithm: strp("RS256")}},
			CodeAuthConfigSchema, schema + "data did not match any variant of untagged enum SerializedAuthInfo ", 0},
		{"algorithm HS256", []RawProvider{{Type: strp("customJwt"), Issuer: strp("a.com"), JWKS: strp("x"), Algorithm: strp("HS256")}},
			CodeInvalidSignatureAlg, `Invalid signature algorithm (only RS256 and ES256 are supported): "HS256"`, 0},
		{"domain starts with a quote", []RawProvider{oidcRaw(`"https://a.com"`, "x")},
			CodeInvalidProviderDomain, `Invalid provider domain URL ""https://a.com"": starts with a double quote (")`, 0},
		{"scheme ftp", []RawProvider{oidcRaw("ftp://a.com", "x")},
			CodeInvalidProviderDomain, `Invalid provider domain URL "ftp://a.com": scheme should be http or https`, 0},
		{"no TLD", []RawProvider{oidcRaw("token123", "x")},
			CodeInvalidProviderDomain, `Invalid provider domain URL "token123": Does not look like a URL (must have a scheme or end with a top-level domain)`, 0},
		{"unknown TLD", []RawProvider{oidcRaw("auth.internal", "x")},
			CodeInvalidProviderDomain, `Invalid provider domain URL "auth.internal": Does not look like a URL (must have a scheme or end with a top-level domain)`, 0},
		{"private suffix is not a TLD", []RawProvider{oidcRaw("auth.example.local", "x")},
			CodeInvalidProviderDomain, `Invalid provider domain URL "auth.example.local": Does not look like a URL (must have a scheme or end with a top-level domain)`, 0},
		{"IP without scheme", []RawProvider{oidcRaw("127.0.0.1:3000", "x")},
			CodeInvalidProviderDomain, `Invalid provider domain URL "127.0.0.1:3000": Does not look like a URL (must have a scheme or end with a top-level domain)`, 0},
		{"space in host", []RawProvider{oidcRaw("not a url", "x")},
			CodeInvalidProviderDomain, `Invalid provider domain URL "not a url": invalid domain character`, 0},
		{"bad port", []RawProvider{oidcRaw("https://a.com:99999", "x")},
			CodeInvalidProviderDomain, `Invalid provider domain URL "https://a.com:99999": invalid port number`, 0},
		{"empty host", []RawProvider{oidcRaw("https://", "x")},
			CodeInvalidProviderDomain, `Invalid provider domain URL "https://": empty host`, 0},
		{"bad IPv4", []RawProvider{oidcRaw("http://1.2.3.256", "x")},
			CodeInvalidProviderDomain, `Invalid provider domain URL "http://1.2.3.256": invalid IPv4 address`, 0},
		{"bad IPv6", []RawProvider{oidcRaw("http://[::1", "x")},
			CodeInvalidProviderDomain, `Invalid provider domain URL "http://[::1": invalid IPv6 address`, 0},
		{"customJwt issuer checked too", []RawProvider{{Type: strp("customJwt"), Issuer: strp("nope"), JWKS: strp("x"), Algorithm: strp("RS256")}},
			CodeInvalidProviderDomain, `Invalid provider domain URL "nope": Does not look like a URL (must have a scheme or end with a top-level domain)`, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PushConfig(tc.raw)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *ConfigError", err)
			}
			if ce.Code != tc.code || ce.Message != tc.msg || ce.Index != tc.index {
				t.Errorf("got  %s %q [%d]\nwant %s %q [%d]", ce.Code, ce.Message, ce.Index, tc.code, tc.msg, tc.index)
			}
		})
	}
}
