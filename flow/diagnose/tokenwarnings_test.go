package diagnose

import (
	"slices"
	"testing"
	"time"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// Every offline check belongs to a rule of the table, so its warnings
// carry that rule's code and docs.
func TestTokenChecksAreRules(t *testing.T) {
	for code := range tokenChecks {
		if !slices.ContainsFunc(rules, func(r Rule) bool { return r.Code == code }) {
			t.Errorf("token check %q has no rule", code)
		}
	}
}

func TestTokenWarnings(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	at := func(d time.Duration) Claim {
		return Claim{JSON: "1", Time: now.Add(d)}
	}
	claim := func(name string, c Claim) Claim { c.Name = name; return c }
	healthy := &Token{
		Header: []Claim{{Name: "alg", JSON: `"RS256"`}, {Name: "kid", JSON: `"k1"`}},
		Claims: []Claim{{Name: "iss", JSON: `"https://a.example"`}, {Name: "sub", JSON: `"u"`}, {Name: "aud", JSON: `"convex"`},
			claim("iat", at(-10*time.Second)), claim("exp", at(50*time.Second))},
	}
	oidc := convexrules.Provider{Kind: convexrules.KindOIDC, ApplicationID: "convex"}
	custom := convexrules.Provider{Kind: convexrules.KindCustomJWT, Algorithm: "ES256", JWKS: "https://a.example/jwks"}
	codes := func(tok *Token, p convexrules.Provider, now time.Time) []string {
		var out []string
		for _, f := range TokenWarnings(tok, p, now) {
			if f.Docs == "" || f.Fix == "" || f.Title == "" {
				t.Errorf("%s: incomplete warning %+v", f.Code, f)
			}
			out = append(out, f.Code)
		}
		return out
	}
	if got := codes(healthy, oidc, now); len(got) != 0 {
		t.Errorf("a healthy token has warnings: %v", got)
	}
	noKid := &Token{Header: healthy.Header[:1], Claims: healthy.Claims}
	if got := codes(noKid, oidc, now); !slices.Equal(got, []string{CodeUnknownKid}) {
		t.Errorf("no kid, OIDC: %v", got)
	}
	// customJwt: no kid is fatal there, and RS256 is not the configured ES256.
	if got := codes(noKid, custom, now); !slices.Equal(got, []string{CodeCustomJWTMissingKid, CodeCustomJWTWrongAlgorithm}) {
		t.Errorf("no kid, customJwt: %v", got)
	}
	// Expired: OIDC allows no leeway, customJwt 5 s.
	if got := codes(healthy, oidc, now.Add(51*time.Second)); !slices.Equal(got, []string{CodeTokenExpired}) {
		t.Errorf("expired, OIDC: %v", got)
	}
	es := &Token{Header: []Claim{{Name: "alg", JSON: `"ES256"`}, {Name: "kid", JSON: `"k1"`}}, Claims: healthy.Claims}
	if got := codes(es, custom, now.Add(53*time.Second)); len(got) != 0 {
		t.Errorf("2 s past exp on customJwt is within its leeway: %v", got)
	}
	if got := codes(es, oidc, now); !slices.Equal(got, []string{CodeOIDCAlgorithm}) {
		t.Errorf("ES256 on OIDC: %v", got)
	}
}
