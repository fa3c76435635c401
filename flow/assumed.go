package flow

import (
	"fmt"

	"github.com/authscope/authscope/flow/convex"
	"github.com/authscope/authscope/flow/token"
)

// AssumedConfig is the auth config a Convex + Clerk project would have for
// a token's issuer, following the Convex and Clerk guides: one OIDC
// provider whose domain is the token's iss and whose applicationID is
// "convex" (reference/convex.md §4.2). It is used when a token is checked
// with no project to read; note says so in words for the user.
func AssumedConfig(raw string) (cfg convex.AuthConfig, note string) {
	d, err := token.Decode(raw)
	iss := ""
	if err == nil {
		iss = d.String("iss")
	}
	if iss == "" {
		return convex.AuthConfig{}, "no project found and the token has no readable iss: checking against an empty auth config"
	}
	cfg = convex.AuthConfig{Providers: []convex.Provider{{Kind: convex.KindOIDC, Domain: iss, ApplicationID: "convex", HasApplicationID: true}}}
	return cfg, fmt.Sprintf("no project found: assuming convex/auth.config.ts has { domain: %q, applicationID: \"convex\" }, as the Clerk guide writes it", iss)
}
