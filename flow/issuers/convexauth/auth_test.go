package convexauth_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authscope/authscope/flow/convex/jose"
	"github.com/authscope/authscope/flow/issuers/convexauth"
)

func newAuth(t *testing.T, f convexauth.Faults) *convexauth.Auth {
	t.Helper()
	a, err := convexauth.New(convexauth.Options{Faults: f})
	if err != nil {
		t.Fatal(err)
	}
	a.SetSiteURL("https://tidy-otter-427.convex.site/")
	return a
}

func call(t *testing.T, a *convexauth.Auth, path, args string) (json.RawMessage, error) {
	t.Helper()
	return a.Actions()[path](context.Background(), nil, json.RawMessage(args))
}

// auth:signIn with the Password provider, then with the refresh token, as
// the React client calls it.
func TestSignInThenRefresh(t *testing.T) {
	a := newAuth(t, convexauth.Faults{})
	out, err := call(t, a, convexauth.PathSignIn, `{"provider":"password","params":{"email":"ada@example.com","password":"demo-password","flow":"signIn"}}`)
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Tokens *convexauth.Tokens }
	if json.Unmarshal(out, &got) != nil || got.Tokens == nil {
		t.Fatalf("signIn answered %s", out)
	}
	d, err := jose.Decode(got.Tokens.Token)
	if err != nil {
		t.Fatal(err)
	}
	if d.String("iss") != "https://tidy-otter-427.convex.site" || d.String("aud") != "convex" || !strings.Contains(d.String("sub"), "|") ||
		d.HeaderString("kid") != "" || len(d.Header) != 1 {
		t.Errorf("token: header %v, iss %q aud %q sub %q", d.Header, d.String("iss"), d.String("aud"), d.String("sub"))
	}
	if names := claimNames(d); strings.Join(names, ",") != "sub,iat,iss,aud,exp" {
		t.Errorf("claims in the order %v", names)
	}
	out, err = call(t, a, convexauth.PathSignIn, `{"refreshToken":`+quote(got.Tokens.RefreshToken)+`}`)
	if err != nil || !strings.Contains(string(out), `"token":"ey`) {
		t.Errorf("refresh: %s, %v", out, err)
	}
	if out, err := call(t, a, convexauth.PathSignIn, `{"refreshToken":"nope|nope"}`); err != nil || string(out) != `{"tokens":null}` {
		t.Errorf("an unknown refresh token: %s, %v; want tokens null", out, err)
	}
	if _, err := call(t, a, convexauth.PathSignIn, `{"provider":"password","params":{"email":"ada@example.com","password":"x","flow":"signIn"}}`); err == nil || err.Error() != "InvalidSecret" {
		t.Errorf("a wrong password: %v, want InvalidSecret", err)
	}
}

func claimNames(d *jose.Decoded) []string {
	var out []string
	for _, m := range d.Claims {
		out = append(out, m.Name)
	}
	return out
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// The site's well-known routes: the issuer and the JWKS variable as it is;
// the mismatch fault publishes another key than the one that signs.
func TestSiteRoutes(t *testing.T) {
	for _, other := range []bool{false, true} {
		a := newAuth(t, convexauth.Faults{JWKSFromOtherKey: other})
		srv := httptest.NewServer(a.Site())
		doc := fetch(t, srv.URL+convexauth.PathDiscovery)
		if !strings.Contains(doc, `"issuer":"https://tidy-otter-427.convex.site"`) || !strings.Contains(doc, `"jwks_uri":"https://tidy-otter-427.convex.site/.well-known/jwks.json"`) {
			t.Errorf("discovery %s", doc)
		}
		jwks := fetch(t, srv.URL+convexauth.PathJWKS)
		env, _ := a.Env()
		if jwks != env["JWKS"] || strings.Contains(jwks, "kid") || !strings.Contains(env["JWT_PRIVATE_KEY"], "-----BEGIN PRIVATE KEY----- ") {
			t.Errorf("jwks %s, env %v", jwks, env)
		}
		tok, _ := a.SignIn("ada")
		set, err := jose.ParseCustomKeySet([]byte(jwks))
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(tok.Token, ".")
		sig, _ := jose.DecodeStrict(parts[2])
		pub, _ := set.Keys[0].PublicKeyFor("RS256")
		if ok := jose.Verify("RS256", pub, parts[0]+"."+parts[1], sig); ok == other {
			t.Errorf("JWKSFromOtherKey %v: the token verifies with the JWKS: %v", other, ok)
		}
		srv.Close()
	}
}

func fetch(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "public, max-age=15, stale-while-revalidate=15, stale-if-error=86400" {
		t.Errorf("%s: %d, Cache-Control %q", u, resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	return string(b)
}
