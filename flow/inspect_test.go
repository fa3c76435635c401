package flow_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex/rules"
)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// Inspect reads a token offline: the refetch time is iat + exp − iat − 10 s,
// and the identity follows the provider the token matches.
func TestInspect(t *testing.T) {
	tok := b64(`{"alg":"RS256","kid":"k"}`) + "." +
		b64(`{"iss":"https://auth.example.com","sub":"u1","aud":"convex","iat":1800000000,"exp":1800000060,"org":{"id":"o1"}}`) + "." + b64("sig")
	now := time.Unix(1800000005, 0)
	in, err := flow.Inspect(tok, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Unix(1800000050, 0); !in.Refetch.Equal(want) || in.RefetchDelay != 50*time.Second || in.RefetchProblem != "" {
		t.Errorf("refetch %v after %v (%q), want %v", in.Refetch, in.RefetchDelay, in.RefetchProblem, want)
	}
	if in.ProviderIndex != -1 || in.Provider.Kind != rules.KindOIDC || !strings.HasPrefix(in.ProviderNote, "assumed: an OIDC provider") {
		t.Errorf("provider %+v (%d): %s", in.Provider, in.ProviderIndex, in.ProviderNote)
	}
	if !strings.HasPrefix(in.Identity, `{"tokenIdentifier":"https://auth.example.com|u1"`) {
		t.Errorf("identity %s (%s)", in.Identity, in.IdentityProblem)
	}
	if in.Alg != "RS256" || in.Kid != "k" || in.SignatureSize != 3 || len(in.Warnings) != 0 {
		t.Errorf("header %s %s, signature %d, warnings %v", in.Alg, in.Kid, in.SignatureSize, in.Warnings)
	}

	// A customJwt provider of the project flattens custom claims.
	cfg := &rules.AuthConfig{Providers: []rules.Provider{{Kind: rules.KindCustomJWT, Issuer: "https://auth.example.com",
		JWKS: "https://auth.example.com/jwks", Algorithm: "RS256"}}}
	in, err = flow.Inspect(tok, cfg, now)
	if err != nil {
		t.Fatal(err)
	}
	if in.ProviderIndex != 0 || !strings.Contains(in.ProviderNote, "customJwt") || !strings.Contains(in.Identity, `"org.id":"o1"`) {
		t.Errorf("customJwt: %d %s, identity %s", in.ProviderIndex, in.ProviderNote, in.Identity)
	}

	// No sub: no identity on the OIDC path, and the parser says why.
	noSub := b64(`{"alg":"RS256","kid":"k"}`) + "." + b64(`{"iss":"https://auth.example.com","aud":"convex","iat":1,"exp":2}`) + "." + b64("s")
	in, err = flow.Inspect(noSub, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if in.Identity != "" || !strings.Contains(in.IdentityProblem, "sub") {
		t.Errorf("no sub: identity %q, problem %q", in.Identity, in.IdentityProblem)
	}
	if _, err := flow.Inspect("not a token", nil, now); err == nil {
		t.Error("Inspect accepted what is not a JWT")
	}
}
