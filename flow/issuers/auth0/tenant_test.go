package auth0_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/convex/jose"
	"github.com/authscope/authscope/flow/issuers/auth0"
)

func start(t *testing.T) *auth0.Tenant {
	t.Helper()
	tn, err := auth0.New(auth0.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tn.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tn.Close() })
	return tn
}

// noRedirect stops at each redirect, as the test follows the sign-in by hand.
var noRedirect = &http.Client{Timeout: 5 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// The SPA SDK's sign-in: /authorize, the login page, the code, the token
// exchange with the PKCE verifier, then a refresh.
func TestAuthorizationCodeWithPKCEThenRefresh(t *testing.T) {
	tn := start(t)
	verifier := "a-verifier-of-the-demo-0123456789-abcdefghij"
	sum := sha256.Sum256([]byte(verifier))
	callback := "http://127.0.0.1:5173/"
	q := url.Values{"client_id": {tn.ClientID()}, "redirect_uri": {callback}, "response_type": {"code"},
		"scope": {auth0.DefaultScope}, "state": {"st"}, "nonce": {"nn"}, "audience": {tn.Audience()},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	resp := get(t, tn.BaseURL()+"/authorize?"+q.Encode())
	login := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(login, "/u/login?state=") {
		t.Fatalf("authorize: %d %q", resp.StatusCode, login)
	}
	page := get(t, tn.BaseURL()+login)
	body, _ := io.ReadAll(page.Body)
	if !strings.Contains(string(body), `data-user="ada"`) {
		t.Fatalf("the login page lists no demo user:\n%s", body)
	}
	resp, err := noRedirect.PostForm(tn.BaseURL()+"/u/login", url.Values{"state": {strings.TrimPrefix(login, "/u/login?state=")}, "user": {"ada"}})
	if err != nil {
		t.Fatal(err)
	}
	back, _ := url.Parse(resp.Header.Get("Location"))
	if back.Query().Get("state") != "st" || back.Query().Get("code") == "" {
		t.Fatalf("callback %q", back)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {tn.ClientID()}, "code": {back.Query().Get("code")},
		"redirect_uri": {callback}}
	if status, _ := token(t, tn, form); status != http.StatusForbidden {
		t.Errorf("a code without its verifier got %d, want 403", status)
	}
	// The code was spent by the failed exchange, as Auth0 spends it.
	if status, _ := token(t, tn, withVerifier(form, verifier)); status != http.StatusForbidden {
		t.Errorf("a spent code got %d, want 403", status)
	}
	set := signIn(t, tn, callback, verifier, sum[:])
	id, err := jose.Decode(set.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	if id.String("iss") != tn.Issuer() || !strings.HasSuffix(tn.Issuer(), "/") || id.String("aud") != tn.ClientID() ||
		id.String("nonce") != "nn" || !strings.HasPrefix(id.String("sub"), "auth0|") {
		t.Errorf("ID token claims: iss %q aud %q nonce %q sub %q", id.String("iss"), id.String("aud"), id.String("nonce"), id.String("sub"))
	}
	at, err := jose.Decode(set.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if aud := at.Audiences(); len(aud) != 2 || aud[0] != tn.Audience() || aud[1] != tn.Issuer()+"userinfo" || at.String("scope") == "" {
		t.Errorf("access token aud %v scope %q", aud, at.String("scope"))
	}
	status, b := token(t, tn, url.Values{"grant_type": {"refresh_token"}, "client_id": {tn.ClientID()}, "refresh_token": {set.RefreshToken}})
	var again auth0.TokenSet
	if status != http.StatusOK || json.Unmarshal(b, &again) != nil || again.IDToken == "" {
		t.Fatalf("refresh: %d %s", status, b)
	}
}

func signIn(t *testing.T, tn *auth0.Tenant, callback, verifier string, challenge []byte) auth0.TokenSet {
	t.Helper()
	q := url.Values{"client_id": {tn.ClientID()}, "redirect_uri": {callback}, "response_type": {"code"},
		"scope": {auth0.DefaultScope}, "state": {"s2"}, "nonce": {"nn"}, "audience": {tn.Audience()},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(challenge)}, "code_challenge_method": {"S256"}}
	login := get(t, tn.BaseURL()+"/authorize?"+q.Encode()).Header.Get("Location")
	resp, err := noRedirect.PostForm(tn.BaseURL()+"/u/login", url.Values{"state": {strings.TrimPrefix(login, "/u/login?state=")}, "user": {"ada"}})
	if err != nil {
		t.Fatal(err)
	}
	back, _ := url.Parse(resp.Header.Get("Location"))
	status, b := token(t, tn, withVerifier(url.Values{"grant_type": {"authorization_code"}, "client_id": {tn.ClientID()},
		"code": {back.Query().Get("code")}, "redirect_uri": {callback}}, verifier))
	var set auth0.TokenSet
	if status != http.StatusOK || json.Unmarshal(b, &set) != nil || set.RefreshToken == "" {
		t.Fatalf("token: %d %s", status, b)
	}
	return set
}

func withVerifier(v url.Values, verifier string) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = x
	}
	out.Set("code_verifier", verifier)
	return out
}

func get(t *testing.T, u string) *http.Response {
	t.Helper()
	resp, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func token(t *testing.T, tn *auth0.Tenant, form url.Values) (int, []byte) {
	t.Helper()
	resp, err := noRedirect.PostForm(tn.BaseURL()+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// A silent request cannot succeed: the tenant keeps no login session.
func TestPromptNoneIsLoginRequired(t *testing.T) {
	tn := start(t)
	q := url.Values{"client_id": {tn.ClientID()}, "redirect_uri": {"http://localhost:3000/"}, "prompt": {"none"}, "state": {"x"}}
	loc, _ := url.Parse(get(t, tn.BaseURL()+"/authorize?"+q.Encode()).Header.Get("Location"))
	if loc.Query().Get("error") != "login_required" || loc.Query().Get("state") != "x" {
		t.Errorf("prompt=none redirected to %q", loc)
	}
	q.Set("redirect_uri", "https://evil.example/cb")
	if resp := get(t, tn.BaseURL()+"/authorize?"+q.Encode()); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a callback off this machine got %d, want 400", resp.StatusCode)
	}
}
