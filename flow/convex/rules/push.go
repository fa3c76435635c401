package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
	"github.com/authscope/authscope/flow/convex/internal/weburl"
)

// Push-time checks of convex/auth.config.ts (SPEC.md "Push-time checks";
// crates/isolate auth_config.rs check_for_common_confusions, then serde's
// SerializedAuthConfig, then crates/common auth.rs deserialize_issuer_url).

// ConfigError is a push rejected by the backend: its short code, its exact
// message, and the index of the provider at fault (-1 if none).
type ConfigError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Index   int    `json:"index"`
}

func (e *ConfigError) Error() string { return e.Message }

// protocolRE is PROTOCOL_REGEX `^\w+://` (Rust's \w is Unicode-aware).
var protocolRE = regexp.MustCompile(`^[\p{L}\p{M}\p{Nd}\p{Pc}]+://`)

// PushConfig applies the backend's push-time checks to the providers of an
// auth config, in the backend's order, and returns the config as the
// backend stores it: a domain or issuer without a scheme gets "https://"
// in front (accepted only when its host is localhost or ends in a real
// TLD); nothing else is normalised (a trailing slash stays).
//
// The order is: a missing environment variable (the config's evaluation
// fails first); then the common-confusion checks for every provider; then
// the schema of every provider; then each provider's URL.
func PushConfig(raw []RawProvider) (AuthConfig, error) {
	for i, p := range raw {
		if len(p.MissingEnv) > 0 {
			return AuthConfig{}, &ConfigError{Code: CodeMissingEnvironmentVar, Index: i,
				Message: "Environment variable " + p.MissingEnv[0] + " is used in auth config file but its value was not set"}
		}
	}
	for i, p := range raw {
		if err := checkConfusions(i, p); err != nil {
			return AuthConfig{}, err
		}
	}
	for i, p := range raw {
		if err := checkSchema(i, p); err != nil {
			return AuthConfig{}, err
		}
	}
	cfg := AuthConfig{Providers: make([]Provider, 0, len(raw))}
	for i, p := range raw {
		var prov Provider
		if p.Type != nil && *p.Type == "customJwt" {
			iss, err := normalizeIssuerURL(i, *p.Issuer)
			if err != nil {
				return AuthConfig{}, err
			}
			prov = Provider{Kind: KindCustomJWT, Issuer: iss, JWKS: *p.JWKS, Algorithm: *p.Algorithm}
			if p.ApplicationID != nil {
				prov.ApplicationID, prov.HasApplicationID = *p.ApplicationID, true
			}
		} else {
			dom, err := normalizeIssuerURL(i, *p.Domain)
			if err != nil {
				return AuthConfig{}, err
			}
			prov = Provider{Kind: KindOIDC, Domain: dom, ApplicationID: *p.ApplicationID, HasApplicationID: true}
		}
		cfg.Providers = append(cfg.Providers, prov)
	}
	return cfg, nil
}

func schemaError(i int, msg string) *ConfigError {
	return &ConfigError{Code: CodeAuthConfigSchema, Index: i, Message: msgSchemaPrefix + msg}
}

// checkConfusions is check_for_common_confusions for one provider.
func checkConfusions(i int, p RawProvider) *ConfigError {
	for _, k := range p.OtherKeys {
		if k == "applicationId" || k == "applicationid" {
			return schemaError(i, fmt.Sprintf("Provider at index %d must have applicationID property spelled lowercase 'application', capital I, capital D.", i))
		}
	}
	typ := "unknown"
	if p.Type != nil {
		typ = *p.Type
	}
	if typ != "customJwt" && typ != "oidc" && typ != "unknown" {
		return schemaError(i, fmt.Sprintf("Provider at index %d has unexpected 'type' value '%s'", i, typ))
	}
	if typ == "customJwt" && p.Domain != nil {
		return schemaError(i, fmt.Sprintf("Provider at index %d is a customJwt so cannot have a 'domain' specified", i))
	}
	if (typ == "oidc" || typ == "unknown") && p.Issuer != nil {
		return schemaError(i, fmt.Sprintf("Provider at index %d is oidc so cannot have an 'issuer' specified.", i))
	}
	if p.ApplicationID == nil && p.Issuer != nil && (*p.Issuer == "https://api.workos.com/" || *p.Issuer == "https://api.workos.com") {
		return &ConfigError{Code: CodeInsecureConfiguration, Index: i, Message: msgInsecurePrefix + fmt.Sprintf(
			"Provider at index %d has an issuer that is shared among many applications, so must to specify an ApplicationID to check against an `aud` field of a JWT.", i)}
	}
	return nil
}

// checkSchema is serde's SerializedAuthInfo: tagged "customJwt", or the
// untagged OIDC fallback. A mismatch is serde's untagged-enum error with
// its position stripped (which leaves a trailing space).
func checkSchema(i int, p RawProvider) *ConfigError {
	if p.Type != nil && *p.Type == "customJwt" {
		if p.Issuer == nil || p.JWKS == nil || p.Algorithm == nil {
			return schemaError(i, msgSchemaUntaggedMismatch)
		}
		if a := *p.Algorithm; a != "RS256" && a != "ES256" {
			return &ConfigError{Code: CodeInvalidSignatureAlg, Index: i, Message: "Invalid signature algorithm (only RS256 and ES256 are supported): " + string(strictjson.AppendString(nil, a))}
		}
		return nil
	}
	if p.ApplicationID == nil || p.Domain == nil {
		return schemaError(i, msgSchemaUntaggedMismatch)
	}
	return nil
}

// normalizeIssuerURL is deserialize_issuer_url.
func normalizeIssuerURL(i int, original string) (string, *ConfigError) {
	fail := func(why string) *ConfigError {
		return &ConfigError{Code: CodeInvalidProviderDomain, Index: i, Message: msgProviderDomainURLPrefix + original + "\": " + why}
	}
	if strings.HasPrefix(original, `"`) {
		return "", fail(`starts with a double quote (")`)
	}
	hadScheme := protocolRE.MatchString(original)
	u := original
	if !hadScheme {
		u = "https://" + original
	}
	parsed, err := weburl.Parse(u)
	if err != nil {
		return "", fail(err.Error())
	}
	if parsed.Scheme != "http" && parsed.Scheme != "https" {
		return "", fail("scheme should be http or https")
	}
	if !hadScheme && !endsWithTLD(parsed.Host) {
		return "", fail("Does not look like a URL (must have a scheme or end with a top-level domain)")
	}
	return u, nil
}
