package rules

// ProviderKind says which validation path a provider takes (SPEC.md
// "Providers").
type ProviderKind string

const (
	// KindOIDC is the default provider kind: discovery on the token's iss, then JWKS.
	KindOIDC ProviderKind = "oidc"
	// KindCustomJWT is `type: "customJwt"`: a configured issuer, JWKS URL and algorithm.
	KindCustomJWT ProviderKind = "customJwt"
)

// Provider is one entry of `providers` in convex/auth.config.ts, as the
// backend stores it after push-time normalisation.
type Provider struct {
	Kind ProviderKind `json:"type"`
	// Domain is the OIDC issuer domain (OIDC only).
	Domain string `json:"domain,omitempty"`
	// ApplicationID is required for OIDC and optional for customJwt; when
	// HasApplicationID is false on a customJwt provider, aud is not checked.
	ApplicationID    string `json:"applicationID,omitempty"`
	HasApplicationID bool   `json:"-"`
	// Issuer, JWKS and Algorithm are customJwt only.
	Issuer    string `json:"issuer,omitempty"`
	JWKS      string `json:"jwks,omitempty"`
	Algorithm string `json:"algorithm,omitempty"`
}

// AuthConfig is the list of providers a deployment validates against, in
// table order: the first match wins.
type AuthConfig struct {
	Providers []Provider `json:"providers"`
}

// RawProvider is a provider as written in auth.config.ts, before the
// push-time checks (SPEC.md "Push-time checks"). A nil field was absent.
type RawProvider struct {
	Type          *string
	Domain        *string
	Issuer        *string
	JWKS          *string
	Algorithm     *string
	ApplicationID *string
	// OtherKeys are keys the backend does not know (e.g. "applicationId").
	OtherKeys []string
	// MissingEnv names environment variables the provider reads
	// (process.env.X) that have no value on the deployment; the first one
	// fails the push with AuthConfigMissingEnvironmentVariable.
	MissingEnv []string
}
