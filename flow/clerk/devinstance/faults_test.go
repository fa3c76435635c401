package devinstance

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

// Each fault changes exactly what its doc comment says.
func TestFaults(t *testing.T) {
	type env struct {
		d       *Instance
		session decodedJWT // a fresh session token (integration on)
		tmpl    decodedJWT // a fresh "convex" template token
		raw     string     // the session token
	}
	mintBoth := func(t *testing.T, d *Instance) env {
		s, err := d.MintToken(DemoUserAda, "")
		if err != nil {
			t.Fatal(err)
		}
		tm, err := d.MintToken(DemoUserAda, clerk.ConvexTemplateName)
		if err != nil {
			t.Fatal(err)
		}
		return env{d: d, session: decodeJWT(t, s), tmpl: decodeJWT(t, tm), raw: s}
	}
	tests := []struct {
		name  string
		fault Faults
		check func(t *testing.T, e env)
	}{
		{"DiscoveryStatus", Faults{DiscoveryStatus: 503}, func(t *testing.T, e env) {
			status, h, body := httpDo(t, "GET", e.d.Issuer()+clerk.PathDiscovery, nil, nil)
			if status != 503 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") || body != "authscope demo: this scenario breaks the discovery document on purpose" {
				t.Errorf("discovery: %d %q %q", status, h.Get("Content-Type"), body)
			}
			if status, _, _ := httpDo(t, "GET", e.d.Issuer()+clerk.PathJWKS, nil, nil); status != 200 {
				t.Errorf("JWKS affected: %d", status)
			}
		}},
		{"JWKSStatus", Faults{JWKSStatus: 404}, func(t *testing.T, e env) {
			if status, _, body := httpDo(t, "GET", e.d.Issuer()+clerk.PathJWKS, nil, nil); status != 404 || body != "authscope demo: this scenario breaks the JWKS on purpose" {
				t.Errorf("JWKS: %d %q", status, body)
			}
			if status, _, _ := httpDo(t, "GET", e.d.Issuer()+clerk.PathDiscovery, nil, nil); status != 200 {
				t.Errorf("discovery affected: %d", status)
			}
		}},
		{"status 200 and out of range are ignored", Faults{DiscoveryStatus: 200, JWKSStatus: 99}, func(t *testing.T, e env) {
			for _, p := range []string{clerk.PathDiscovery, clerk.PathJWKS} {
				if status, _, _ := httpDo(t, "GET", e.d.Issuer()+p, nil, nil); status != 200 {
					t.Errorf("%s: %d", p, status)
				}
			}
		}},
		{"DiscoveryIssuer", Faults{DiscoveryIssuer: "trailing/"}, func(t *testing.T, e env) {
			_, _, body := httpDo(t, "GET", e.d.Issuer()+clerk.PathDiscovery, nil, nil)
			var doc Discovery
			json.Unmarshal([]byte(body), &doc)
			if doc.Issuer != "trailing/" || doc.JWKSURI != e.d.Issuer()+clerk.PathJWKS {
				t.Errorf("issuer %q jwks_uri %q", doc.Issuer, doc.JWKSURI)
			}
			if e.session.Claims["iss"] != e.d.Issuer() {
				t.Errorf("token iss changed: %v", e.session.Claims["iss"])
			}
		}},
		{"JWKSContentType", Faults{JWKSContentType: "text/html"}, func(t *testing.T, e env) {
			if _, h, _ := httpDo(t, "GET", e.d.Issuer()+clerk.PathJWKS, nil, nil); h.Get("Content-Type") != "text/html" {
				t.Errorf("Content-Type %q", h.Get("Content-Type"))
			}
		}},
		{"JWKSContentType none", Faults{JWKSContentType: "-"}, func(t *testing.T, e env) {
			if _, h, _ := httpDo(t, "GET", e.d.Issuer()+clerk.PathJWKS, nil, nil); len(h.Values("Content-Type")) != 0 {
				t.Errorf("Content-Type %q, want none", h.Values("Content-Type"))
			}
		}},
		{"DiscoveryContentType", Faults{DiscoveryContentType: "application/json; charset=latin1"}, func(t *testing.T, e env) {
			if _, h, _ := httpDo(t, "GET", e.d.Issuer()+clerk.PathDiscovery, nil, nil); h.Get("Content-Type") != "application/json; charset=latin1" {
				t.Errorf("Content-Type %q", h.Get("Content-Type"))
			}
		}},
		{"WellKnownDelay", Faults{WellKnownDelay: 300 * time.Millisecond}, func(t *testing.T, e env) {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", e.d.Issuer()+clerk.PathJWKS, nil)
			if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("a 50 ms client got %v, want a deadline error", err)
			}
		}},
		{"ExtraAudience", Faults{ExtraAudience: "other"}, func(t *testing.T, e env) {
			for name, tok := range map[string]decodedJWT{"session": e.session, "template": e.tmpl} {
				aud, _ := tok.Claims["aud"].([]any)
				if len(aud) != 2 || aud[0] != "convex" || aud[1] != "other" {
					t.Errorf("%s aud = %v", name, tok.Claims["aud"])
				}
			}
			e.d.SetIntegration(false)
			s, _ := e.d.MintToken(DemoUserAda, "")
			if _, ok := decodeJWT(t, s).Claims["aud"]; ok {
				t.Errorf("a token without aud got one")
			}
		}},
		{"OmitClaims", Faults{OmitClaims: []string{"sub", "iat", "exp"}}, func(t *testing.T, e env) {
			for _, tok := range []decodedJWT{e.session, e.tmpl} {
				for _, c := range []string{"sub", "iat", "exp"} {
					if _, ok := tok.Claims[c]; ok {
						t.Errorf("claim %s still present", c)
					}
				}
				if tok.Claims["iss"] == nil {
					t.Errorf("other claims removed too")
				}
			}
		}},
		{"TokenLifetime", Faults{TokenLifetime: 5 * time.Second}, func(t *testing.T, e env) {
			for _, tok := range []decodedJWT{e.session, e.tmpl} {
				if tok.num(t, "exp")-tok.num(t, "iat") != 5 {
					t.Errorf("lifetime %d", tok.num(t, "exp")-tok.num(t, "iat"))
				}
			}
		}},
		{"TokenLifetime negative", Faults{TokenLifetime: -time.Minute}, func(t *testing.T, e env) {
			if e.session.num(t, "exp") >= time.Now().Unix() {
				t.Errorf("token not expired")
			}
		}},
		{"ClockOffset", Faults{ClockOffset: -10 * time.Minute}, func(t *testing.T, e env) {
			skew := time.Now().Unix() - e.session.num(t, "iat")
			if skew < 595 || skew > 605 {
				t.Errorf("iat is %d s behind, want 600", skew)
			}
			if e.session.num(t, "exp")-e.session.num(t, "iat") != 60 || e.session.num(t, "iat")-e.session.num(t, "nbf") != 10 {
				t.Errorf("offset changed the lifetime or nbf")
			}
		}},
		{"SignWithUnpublishedKey", Faults{SignWithUnpublishedKey: true}, func(t *testing.T, e env) {
			kid := e.session.Header["kid"]
			if kid != e.d.UnpublishedKID() || slices.Contains(e.d.PublishedKIDs(), e.d.UnpublishedKID()) {
				t.Errorf("kid %v, unpublished %s, published %v", kid, e.d.UnpublishedKID(), e.d.PublishedKIDs())
			}
			if err := verifyWithJWKS(t, e.raw, fetchJWKS(t, e.d)); !errors.Is(err, errKidNotPublished) {
				t.Errorf("verify: %v, want kid not published", err)
			}
		}},
		{"OmitKid", Faults{OmitKid: true}, func(t *testing.T, e env) {
			for _, tok := range []decodedJWT{e.session, e.tmpl} {
				if _, ok := tok.Header["kid"]; ok || tok.Header["alg"] != "RS256" {
					t.Errorf("header %v", tok.Header)
				}
			}
		}},
		{"IssuerOverride", Faults{IssuerOverride: "https://other.clerk.accounts.dev"}, func(t *testing.T, e env) {
			for _, tok := range []decodedJWT{e.session, e.tmpl} {
				if tok.Claims["iss"] != "https://other.clerk.accounts.dev" {
					t.Errorf("iss %v", tok.Claims["iss"])
				}
			}
			_, _, body := httpDo(t, "GET", e.d.Issuer()+clerk.PathDiscovery, nil, nil)
			if !strings.Contains(body, `"issuer":"`+e.d.Issuer()+`"`) {
				t.Errorf("discovery issuer changed")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := startInstance(t, Options{IntegrationOn: true})
			// The same instance without the fault is clean.
			clean := mintBoth(t, d)
			if clean.session.Claims["aud"] != "convex" || clean.session.Header["kid"] != d.SigningKID() {
				t.Fatalf("clean token: %v %v", clean.session.Header, clean.session.Claims)
			}
			d.SetFaults(tt.fault)
			if !faultsEqual(d.Faults(), tt.fault) {
				t.Errorf("Faults() = %+v", d.Faults())
			}
			tt.check(t, mintBoth(t, d))
		})
	}
}

func faultsEqual(a, b Faults) bool { return reflect.DeepEqual(a, b) }

func TestAlgorithmTemplates(t *testing.T) {
	d := startInstance(t, Options{Templates: []Template{ConvexTemplate(),
		{Name: "es", Algorithm: "ES256", Claims: map[string]any{"aud": "convex"}},
		{Name: "hs", Algorithm: "HS256", Claims: map[string]any{"aud": "convex"}}}})
	set := fetchJWKS(t, d)
	if len(set.Keys) != 2 || set.Keys[1].Kty != "EC" || set.Keys[1].Alg != "ES256" || set.Keys[1].Crv != "P-256" {
		t.Fatalf("JWKS with an ES256 template: %+v", set.Keys)
	}
	es, err := d.MintToken(DemoUserAda, "es")
	if err != nil {
		t.Fatal(err)
	}
	if h := decodeJWT(t, es).Header; h["alg"] != "ES256" || h["kid"] != set.Keys[1].Kid {
		t.Errorf("ES256 header %v", h)
	}
	if err := verifyWithJWKS(t, es, set); err != nil {
		t.Errorf("ES256 token: %v", err)
	}
	hs, _ := d.MintToken(DemoUserAda, "hs")
	if h := decodeJWT(t, hs).Header; h["alg"] != "HS256" {
		t.Errorf("HS256 header %v", h)
	}
	if err := verifyWithJWKS(t, hs, set); !errors.Is(err, errKidNotPublished) {
		t.Errorf("HS256 token kid is published: %v", err)
	}
	// Without an ES256 template the EC key is not published.
	d.SetTemplates(ConvexTemplate())
	if n := len(fetchJWKS(t, d).Keys); n != 1 {
		t.Errorf("%d keys without ES256 templates", n)
	}
}
