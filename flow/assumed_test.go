package flow_test

import (
	"strings"
	"testing"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/provider"
)

// TestAssumedConfigFollowsTheIssuer: with no project, the config assumed
// for a token is the one its provider's guide writes, and the note names
// that guide.
func TestAssumedConfigFollowsTheIssuer(t *testing.T) {
	for _, tc := range []struct {
		iss, aud string
		want     rules.Provider
		guide    string
		id       provider.ID
	}{
		{"https://happy-animal-1.clerk.accounts.dev", `"convex"`,
			rules.Provider{Kind: rules.KindOIDC, Domain: "https://happy-animal-1.clerk.accounts.dev", ApplicationID: "convex", HasApplicationID: true}, "the Clerk guide", provider.Clerk},
		{"https://acme.us.auth0.com/", `"Xq1ClientId"`,
			rules.Provider{Kind: rules.KindOIDC, Domain: "https://acme.us.auth0.com/", ApplicationID: "Xq1ClientId", HasApplicationID: true}, "the Auth0 guide", provider.Auth0},
		{"https://api.workos.com/user_management/client_01ABC", `null`,
			rules.Provider{Kind: rules.KindCustomJWT, Issuer: "https://api.workos.com/user_management/client_01ABC",
				JWKS: "https://api.workos.com/sso/jwks/client_01ABC", Algorithm: "RS256"}, "the AuthKit guide", provider.WorkOS},
		{"https://happy-animal-123.convex.site", `"convex"`,
			rules.Provider{Kind: rules.KindOIDC, Domain: "https://happy-animal-123.convex.site", ApplicationID: "convex", HasApplicationID: true}, "Convex Auth's setup", provider.ConvexAuth},
		{"https://auth.example.com", `"convex"`,
			rules.Provider{Kind: rules.KindOIDC, Domain: "https://auth.example.com", ApplicationID: "convex", HasApplicationID: true}, "the Clerk guide", ""},
	} {
		tok := b64(`{"alg":"RS256","kid":"k"}`) + "." + b64(`{"iss":"`+tc.iss+`","sub":"u1","aud":`+tc.aud+`,"iat":1800000000,"exp":1800000060}`) + "." + b64("sig")
		cfg, note, id := flow.AssumedConfig(tok)
		if id != tc.id {
			t.Errorf("%s: provider %q, want %q", tc.iss, id, tc.id)
		}
		if len(cfg.Providers) != 1 || cfg.Providers[0] != tc.want {
			t.Errorf("%s: assumed %+v, want %+v", tc.iss, cfg.Providers, tc.want)
		}
		if !strings.Contains(note, "as "+tc.guide+" writes it") {
			t.Errorf("%s: note %q does not name %s", tc.iss, note, tc.guide)
		}
	}
}
