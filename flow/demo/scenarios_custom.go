package demo

import (
	"time"

	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/issuers/custom"
)

// The custom OIDC flavour's script
// (https://docs.convex.dev/auth/advanced/custom-auth): the OIDC checks of
// discovery and of the verifier, on an issuer of the app's own.
var customOIDCScript = []func() *Scenario{customOIDCHealthy, oidcDiscoveryIssuerSlash, oidcES256, oidcNoAud, oidcSeveralAudiences}

func customOIDCHealthy() *Scenario {
	return &Scenario{Name: "healthy", Title: "An OIDC provider of your own: discovery, JWKS and an RS256 ID token with aud = the client ID"}
}

func oidcDiscoveryIssuerSlash() *Scenario {
	return &Scenario{Name: "oidc-discovery-issuer-slash", Cause: diagnose.CodeDiscoveryIssuerMismatch,
		Title: "The provider's discovery document names its issuer with a trailing slash; its tokens' iss has none",
		Custom: func(o *custom.Options) {
			o.Faults.DiscoveryIssuer = "" // set once the URL is known (After)
		},
		After: func(s *Stack) error {
			f := s.Custom.Faults()
			f.DiscoveryIssuer = s.Custom.Issuer() + "/"
			s.Custom.SetFaults(f)
			return nil
		}}
}

func oidcES256() *Scenario {
	return &Scenario{Name: "oidc-es256", Cause: diagnose.CodeOIDCAlgorithm,
		Title:  "The provider signs ID tokens with ES256; Convex's OIDC path takes RS256 and EdDSA only",
		Custom: func(o *custom.Options) { o.Algorithm = "ES256" }}
}

func oidcNoAud() *Scenario {
	return &Scenario{Name: "oidc-no-aud", Cause: diagnose.CodeAudienceMismatch,
		Title:  "The provider's tokens have no aud, which an OIDC provider entry requires (use customJwt)",
		Custom: func(o *custom.Options) { o.Faults.OmitClaims = []string{"aud"} }}
}

func oidcSeveralAudiences() *Scenario {
	return &Scenario{Name: "oidc-several-audiences", Cause: diagnose.CodeMultipleAudiences,
		Title:  `The provider adds "account" to aud, as identity servers do for their account console`,
		Custom: func(o *custom.Options) { o.Faults.ExtraAudience = "account" }}
}

// The custom JWT flavour's script
// (https://docs.convex.dev/auth/advanced/custom-jwt): the customJwt
// path's rules on a token server of the app's own.
var customJWTScript = []func() *Scenario{customJWTHealthy, jwtNoKid, jwtWrongAlgorithm, jwtJWKSTextPlain, jwtJWKS404, jwtNotYetValid}

func customJWTHealthy() *Scenario {
	return &Scenario{Name: "healthy", Title: "A token server of your own: ES256 JWTs with a kid, checked against its JWKS URL"}
}

func jwtNoKid() *Scenario {
	return &Scenario{Name: "jwt-no-kid", Cause: diagnose.CodeCustomJWTMissingKid,
		Title:  "The token server leaves kid out of the header; customJwt needs it to pick the key",
		Custom: func(o *custom.Options) { o.Faults.OmitKid = true }}
}

func jwtWrongAlgorithm() *Scenario {
	return &Scenario{Name: "jwt-wrong-algorithm", Cause: diagnose.CodeCustomJWTWrongAlgorithm,
		Title: `auth.config.ts says algorithm "RS256"; the token server signs with ES256`,
		Deploy: func(_ *Stack, local rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
			local.Providers = append([]rules.Provider(nil), local.Providers...)
			local.Providers[0].Algorithm = "RS256"
			return local, local
		}}
}

func jwtJWKSTextPlain() *Scenario {
	return &Scenario{Name: "jwt-jwks-text-plain", Cause: diagnose.CodeCustomJWTJWKSContentType,
		Title:  "The token server serves its JWKS as text/plain",
		Custom: func(o *custom.Options) { o.Faults.JWKSContentType = "text/plain; charset=utf-8" }}
}

func jwtJWKS404() *Scenario {
	return &Scenario{Name: "jwt-jwks-404", Cause: diagnose.CodeCustomJWTJWKSFailed,
		Title:  "The JWKS URL answers 404",
		Custom: func(o *custom.Options) { o.Faults.JWKSStatus = 404 }}
}

func jwtNotYetValid() *Scenario {
	return &Scenario{Name: "jwt-not-yet-valid", Cause: diagnose.CodeTokenNotYetValid,
		Title:  "The token server's clock runs 2 minutes ahead: iat and nbf are in the future (customJwt allows 5 s)",
		Custom: func(o *custom.Options) { o.Faults.ClockOffset = 2 * time.Minute }}
}
