package flow

import (
	"fmt"

	"github.com/authscope/authscope/flow/convex/jose"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/provider"
)

// AssumedConfig is the auth config a Convex project would have for a
// token's issuer, following the guide of the provider the issuer names:
// for Clerk (and any issuer authscope does not know) one OIDC provider
// whose domain is the token's iss and whose applicationID is "convex"
// (https://docs.convex.dev/auth/clerk); for Auth0, AuthKit and Convex Auth
// their guides' (assumedProvider). It is used when a token is checked with
// no project to read; note says so in words for the user, and id is the
// provider the issuer names ("" when it names none authscope knows).
func AssumedConfig(raw string) (cfg rules.AuthConfig, note string, id provider.ID) {
	d, err := jose.Decode(raw)
	iss := ""
	if err == nil {
		iss = d.String("iss")
	}
	if iss == "" {
		return rules.AuthConfig{}, "no project found and the token has no readable iss: checking against an empty auth config", ""
	}
	p, guide := assumedProvider(iss, d.Audiences())
	cfg = rules.AuthConfig{Providers: []rules.Provider{p}}
	return cfg, fmt.Sprintf("no project found: assuming convex/auth.config.ts has %s, as %s writes it", describeAssumed(p), guide), provider.IssuerProvider(iss)
}

// assumedProvider is the provider a guide writes for a token's issuer
// (flow/provider SPEC.md "Token path"): Auth0's trusts the issuer with the
// client ID the ID token's aud carries; AuthKit's is a customJwt provider
// on WorkOS's JWKS for the client ID in the issuer, without
// applicationID; Clerk's and Convex Auth's expect aud "convex".
func assumedProvider(iss string, aud []string) (rules.Provider, string) {
	switch provider.IssuerProvider(iss) {
	case provider.Auth0:
		if len(aud) == 1 {
			return rules.Provider{Kind: rules.KindOIDC, Domain: iss, ApplicationID: aud[0], HasApplicationID: true}, "the Auth0 guide"
		}
	case provider.WorkOS:
		if kind, cid, ok := provider.WorkOSIssuer(iss); ok && kind == "user_management" && cid != "" {
			return rules.Provider{Kind: rules.KindCustomJWT, Issuer: iss, JWKS: provider.WorkOSJWKS(cid), Algorithm: "RS256"}, "the AuthKit guide"
		}
	case provider.ConvexAuth:
		return rules.Provider{Kind: rules.KindOIDC, Domain: iss, ApplicationID: "convex", HasApplicationID: true}, "Convex Auth's setup"
	}
	return rules.Provider{Kind: rules.KindOIDC, Domain: iss, ApplicationID: "convex", HasApplicationID: true}, "the Clerk guide"
}

// describeAssumed writes an assumed provider as auth.config.ts would.
func describeAssumed(p rules.Provider) string {
	if p.Kind == rules.KindCustomJWT {
		return fmt.Sprintf("{ type: \"customJwt\", issuer: %q, jwks: %q, algorithm: %q }", p.Issuer, p.JWKS, p.Algorithm)
	}
	return fmt.Sprintf("{ domain: %q, applicationID: %q }", p.Domain, p.ApplicationID)
}
