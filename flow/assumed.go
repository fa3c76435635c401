package flow

import (
	"fmt"

	"github.com/authscope/authscope/flow/convex/jose"
	"github.com/authscope/authscope/flow/convex/rules"
)

// AssumedConfig is the auth config a Convex + Clerk project would have for
// a token's issuer, following the Convex and Clerk guides: one OIDC
// provider whose domain is the token's iss and whose applicationID is
// "convex" (https://docs.convex.dev/auth/clerk). It is used when a token is checked
// with no project to read; note says so in words for the user.
func AssumedConfig(raw string) (cfg rules.AuthConfig, note string) {
	d, err := jose.Decode(raw)
	iss := ""
	if err == nil {
		iss = d.String("iss")
	}
	if iss == "" {
		return rules.AuthConfig{}, "no project found and the token has no readable iss: checking against an empty auth config"
	}
	cfg = rules.AuthConfig{Providers: []rules.Provider{{Kind: rules.KindOIDC, Domain: iss, ApplicationID: "convex", HasApplicationID: true}}}
	return cfg, fmt.Sprintf("no project found: assuming convex/auth.config.ts has { domain: %q, applicationID: \"convex\" }, as the Clerk guide writes it", iss)
}
