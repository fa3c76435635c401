package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/backend"
	"github.com/authscope/authscope/flow/convex/jose"
	"github.com/authscope/authscope/flow/convex/rules"
)

const fixtureDir = "../../flow/project/testdata/"

// A project authscope cannot sign in with says which provider it found,
// which token the app sends, and the snippet that prints it, with the
// project's own values; without a terminal to paste into, it stops.
func TestProviderProjectAsksForTheToken(t *testing.T) {
	tests := []struct {
		dir  string
		want []string
	}{
		{"auth0-vite", []string{"signs in with Auth0", "ConvexProviderWithAuth0 sends the ID token",
			`"@@auth0spajs@@::Qm8TzL2vYk4NwR7pXc1sHd6FbJ0aGe5u::@@user@@"`, "loopback page"}},
		{"convex-auth-vite", []string{"signs in with Convex Auth", `"__convexAuthJWT_httpstidymarmot640convexcloud"`}},
		{"workos-vite", []string{"signs in with WorkOS AuthKit", `m.type==="Authenticate"`, "Offline and back"}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			code, out, errs := runIn(t, fixtureDir+tt.dir, "", "check")
			if code != exitUsage {
				t.Fatalf("exit %d\n%s\n%s", code, out, errs)
			}
			for _, w := range append(tt.want, "authscope check --token -") {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if strings.Contains(strings.ToLower(errs), "clerk") {
				t.Errorf("Clerk wording for a project that does not use it:\n%s", errs)
			}
		})
	}
}

// A token the Auth0 app sends, checked against the project's config on a
// backend that runs it: steps 4 and 5 in Auth0's words, the provider's
// cause, and no word of Clerk.
func TestProviderTokenAgainstProject(t *testing.T) {
	b := backend.New(backend.Options{Config: rules.AuthConfig{Providers: []rules.Provider{{
		Kind: rules.KindOIDC, Domain: "https://acme-dev.eu.auth0.com", ApplicationID: "https://api.acme.dev", HasApplicationID: true}}}})
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	now := time.Now()
	tok := unsignedJWT(map[string]any{"alg": "RS256", "kid": "k1"}, map[string]any{"iss": "https://acme-dev.eu.auth0.com/", "sub": "auth0|1",
		"aud": "Vb3nQw9ZtK1xLr5YcM7pHs2DgF8jAe4o", "iat": now.Unix(), "exp": now.Add(10 * time.Hour).Unix(), "email": "ada@example.com"})
	code, out, errs := runIn(t, fixtureDir+"auth0-next", tok, "check", "--token", "-", "--deployment", b.URL())
	if code != exitRejected {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"provider: Auth0: the ID token your app sends", "Auth0Provider knows the user is signed in",
		"ConvexProviderWithAuth0 gets the ID token", "ID token given, as ConvexProviderWithAuth0 sends it", "[auth0-application-id-is-api-audience]"} {
		if !strings.Contains(unwrap(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(strings.ToLower(out+errs), "clerk") {
		t.Errorf("Clerk wording in an Auth0 project's run:\n%s\n%s", out, errs)
	}
}

// The customJwt rules are reachable from a real project: the fixture's
// JWKS comes from the deployment's environment (--env here), a data: URL
// the embedded backend reads offline.
func TestCustomJWTProjectReachesItsRules(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	set, err := jose.JWKS(jose.PublicJWK{Key: &key.PublicKey, Kid: "k1", Alg: "RS256"})
	if err != nil {
		t.Fatal(err)
	}
	jwks := "ACME_JWKS=data:application/json;base64," + base64.StdEncoding.EncodeToString(set)
	now := time.Now()
	payload, _ := json.Marshal(map[string]any{"iss": "https://auth.acme.dev", "sub": "u1", "aud": "my-app", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()})
	for _, tt := range []struct {
		name, kid string
		exit      int
		want      string
	}{
		{"healthy", "k1", exitAuthenticated, "verdict: isAuthenticated: true"},
		{"no kid", "", exitRejected, "[custom-jwt-missing-kid]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := jose.Sign(payload, jose.SigningKey{Alg: "RS256", Key: key, Kid: tt.kid, Typ: "JWT"})
			if err != nil {
				t.Fatal(err)
			}
			code, out, errs := runIn(t, t.TempDir(), tok, "check", "--project", fixtureDir+"custom-jwt-issuer", "--env", jwks, "--token", "-")
			if code != tt.exit || !strings.Contains(unwrap(out), tt.want) || !strings.Contains(out, "provider: your JWT issuer") {
				t.Fatalf("exit %d, want %d and %q\n%s\n%s", code, tt.exit, tt.want, out, errs)
			}
		})
	}
}

// The OIDC verifier's rules are reachable from a real project: the
// fixture's issuer is the deployment's OIDC_ISSUER (--env here), an
// issuer on this machine whose templates break one check each.
func TestCustomOIDCProjectReachesItsRules(t *testing.T) {
	dev, err := devinstance.New(devinstance.Options{Templates: []devinstance.Template{
		{Name: "es", Algorithm: "ES256", Claims: map[string]any{"aud": "my-app"}},
		{Name: "two", Claims: map[string]any{"aud": []any{"my-app", "other"}}},
		{Name: "ok", Claims: map[string]any{"aud": "my-app"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	for _, tt := range []struct {
		template string
		exit     int
		want     string
	}{
		{"ok", exitAuthenticated, "verdict: isAuthenticated: true"},
		{"es", exitRejected, "[oidc-algorithm]"},
		{"two", exitRejected, "[multiple-audiences]"},
	} {
		t.Run(tt.template, func(t *testing.T) {
			tok, err := dev.MintToken(dev.Users()[0].ID, tt.template)
			if err != nil {
				t.Fatal(err)
			}
			code, out, errs := runIn(t, t.TempDir(), tok, "check", "--project", fixtureDir+"custom-oidc", "--env", "OIDC_ISSUER="+dev.Issuer(), "--token", "-")
			if code != tt.exit || !strings.Contains(unwrap(out), tt.want) || !strings.Contains(out, "ConvexProviderWithAuth fetches a token") {
				t.Fatalf("exit %d, want %d and %q\n%s\n%s", code, tt.exit, tt.want, out, errs)
			}
		})
	}
}

func unsignedJWT(header, claims map[string]any) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(header) + "." + enc(claims) + ".c2ln"
}
