package devinstance

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

func TestWellKnownDocuments(t *testing.T) {
	d := startInstance(t, Options{})
	status, h, body := httpDo(t, "GET", d.Issuer()+clerk.PathDiscovery, nil, nil)
	if status != 200 || h.Get("Content-Type") != "application/json" || h.Get("Cache-Control") != "public, max-age=300" {
		t.Fatalf("discovery: %d %v", status, h)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["issuer"] != d.Issuer() || doc["jwks_uri"] != d.Issuer()+"/.well-known/jwks.json" {
		t.Errorf("issuer %v jwks_uri %v", doc["issuer"], doc["jwks_uri"])
	}
	// Every required field of the Frontend API's OpenID configuration
	// (SPEC.md "Well-known documents").
	for _, f := range []string{"issuer", "authorization_endpoint", "token_endpoint", "revocation_endpoint",
		"introspection_endpoint", "userinfo_endpoint", "jwks_uri", "scopes_supported", "response_types_supported",
		"response_modes_supported", "grant_types_supported", "subject_types_supported",
		"id_token_signing_alg_values_supported", "token_endpoint_auth_methods_supported", "claims_supported",
		"code_challenge_methods_supported", "backchannel_logout_supported", "frontchannel_logout_supported"} {
		if _, ok := doc[f]; !ok {
			t.Errorf("discovery lacks %s", f)
		}
	}

	status, h, body = httpDo(t, "GET", d.Issuer()+clerk.PathJWKS, nil, nil)
	if status != 200 || h.Get("Content-Type") != "application/json" || h.Get("Cache-Control") != "public, max-age=300" {
		t.Fatalf("JWKS: %d %v", status, h)
	}
	var set JWKS
	if err := json.Unmarshal([]byte(body), &set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("JWKS %s: %v", body, err)
	}
	k := set.Keys[0]
	if k.Kty != "RSA" || k.Alg != "RS256" || k.Use != "sig" || k.Kid != d.SigningKID() || k.E != "AQAB" || len(k.N) < 340 {
		t.Errorf("key %+v", k)
	}
	if status, h, body = httpDo(t, "HEAD", d.Issuer()+clerk.PathJWKS, nil, nil); status != 200 || body != "" || h.Get("Cache-Control") == "" {
		t.Errorf("HEAD: %d %q", status, body)
	}
	if status, _, body = httpDo(t, "POST", d.Issuer()+clerk.PathJWKS, nil, nil); status != 405 || !strings.Contains(body, CodeMethodNotAllowed) {
		t.Errorf("POST JWKS: %d %s", status, body)
	}
}

func TestCacheMaxAge(t *testing.T) {
	for _, tt := range []struct {
		age  time.Duration
		want string
	}{{0, "public, max-age=300"}, {time.Hour, "public, max-age=3600"}, {-1, "no-store"}} {
		d := startInstance(t, Options{CacheMaxAge: tt.age})
		for _, p := range []string{clerk.PathDiscovery, clerk.PathJWKS} {
			if _, h, _ := httpDo(t, "GET", d.Issuer()+p, nil, nil); h.Get("Cache-Control") != tt.want {
				t.Errorf("CacheMaxAge %v %s: Cache-Control %q, want %q", tt.age, p, h.Get("Cache-Control"), tt.want)
			}
		}
	}
}

func TestRotateKey(t *testing.T) {
	d := startInstance(t, Options{})
	before, _ := d.MintToken(DemoUserAda, "")
	first := d.SigningKID()
	oldKid, newKid := d.RotateKey()
	if oldKid != first || newKid == first || d.SigningKID() != newKid {
		t.Fatalf("RotateKey = %s, %s (signing %s, first %s)", oldKid, newKid, d.SigningKID(), first)
	}
	after, _ := d.MintToken(DemoUserAda, "")
	if kid := decodeJWT(t, after).Header["kid"]; kid != newKid {
		t.Errorf("token after rotation has kid %v, want %s", kid, newKid)
	}
	set := fetchJWKS(t, d)
	if len(set.Keys) != 2 || set.Keys[0].Kid != oldKid || set.Keys[1].Kid != newKid {
		t.Fatalf("JWKS after rotation: %+v", set.Keys)
	}
	// Graceful: both tokens verify.
	for name, tok := range map[string]string{"old": before, "new": after} {
		if err := verifyWithJWKS(t, tok, set); err != nil {
			t.Errorf("%s token: %v", name, err)
		}
	}
	if d.RetireKey(newKid) {
		t.Errorf("the signing key was retired")
	}
	if !d.RetireKey(oldKid) || d.RetireKey(oldKid) {
		t.Errorf("RetireKey(old) did not remove it exactly once")
	}
	set = fetchJWKS(t, d)
	if err := verifyWithJWKS(t, before, set); !errors.Is(err, errKidNotPublished) {
		t.Errorf("old token after RetireKey: %v, want kid not published", err)
	}
	// At most three RSA keys stay published.
	for i := 0; i < 4; i++ {
		d.RotateKey()
	}
	if n := len(fetchJWKS(t, d).Keys); n != 3 {
		t.Errorf("%d keys published after many rotations, want 3", n)
	}
	if got := d.PublishedKIDs(); len(got) != 3 || got[2] != d.SigningKID() {
		t.Errorf("PublishedKIDs = %v", got)
	}
}
