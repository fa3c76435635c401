package rules

// Reason names the precise check that failed. The backend folds many of
// these into one message ("Could not verify OIDC token claim…"); the replay
// keeps them apart so a user learns which check it was. The ids in the
// comments are the rows of SPEC.md "Error catalogue".
type Reason string

// Reasons, one per check of the validation paths.
const (
	ReasonPayloadUnparseable   Reason = "payload_unparseable"       // A1
	ReasonMissingIssuer        Reason = "missing_iss"               // A2
	ReasonNoProviders          Reason = "no_providers_configured"   // A3 (no providers)
	ReasonNoProviderMatch      Reason = "no_provider_match"         // A3
	ReasonIssuerNotURL         Reason = "iss_not_absolute_url"      // O4
	ReasonDiscoveryTransport   Reason = "discovery_unreachable"     // O1 base
	ReasonDiscoveryStatus      Reason = "discovery_http_status"     // O1 with status
	ReasonDiscoveryContentType Reason = "discovery_content_type"    // O1 200 OK
	ReasonDiscoveryParse       Reason = "discovery_unparseable"     // O1 base
	ReasonDiscoveryIssuer      Reason = "discovery_issuer_mismatch" // O1 base
	ReasonJWKSTransport        Reason = "jwks_unreachable"
	ReasonJWKSStatus           Reason = "jwks_http_status"
	ReasonJWKSContentType      Reason = "jwks_content_type"
	ReasonJWKSParse            Reason = "jwks_unparseable"
	ReasonJWKSDataURL          Reason = "jwks_data_url_invalid"  // C1
	ReasonOIDCParse            Reason = "oidc_token_unparseable" // O2
	ReasonTyp                  Reason = "typ_not_allowed"
	ReasonCrit                 Reason = "crit_or_cty_present"
	ReasonIssuerMismatch       Reason = "iss_mismatch"
	ReasonAudienceMissing      Reason = "aud_missing"
	ReasonAudienceMismatch     Reason = "aud_mismatch"
	ReasonMultipleAudiences    Reason = "aud_multiple"
	ReasonAlgorithm            Reason = "alg_not_allowed"
	ReasonNoMatchingKey        Reason = "no_matching_key"
	ReasonAmbiguousKey         Reason = "ambiguous_key"
	ReasonMissingKid           Reason = "kid_missing"
	ReasonUnknownKid           Reason = "kid_unknown"
	ReasonSignature            Reason = "signature_invalid"
	ReasonExpired              Reason = "expired"
	ReasonNotYetValid          Reason = "not_yet_valid" // nbf or iat in the future (customJwt)
	ReasonMissingSubject       Reason = "sub_missing"
	ReasonMissingExpiry        Reason = "exp_missing"
	ReasonIdentityExpired      Reason = "identity_expired" // S1
	// ReasonHeaderUnparseable: the JOSE header could not be read (C6 "missing kid" text).
	ReasonHeaderUnparseable Reason = "header_unparseable"
	// ReasonKeyUnusable: the selected JWK cannot verify this algorithm
	// (wrong kty/curve, missing or malformed n/e/x/y, RSA modulus outside
	// 2048–8192 bits, OKP on the customJwt path).
	ReasonKeyUnusable Reason = "key_unusable"
	// ReasonTimestampRange: exp/nbf/iat is a number the backend cannot turn
	// into a date (beyond chrono's range); the real backend panics there.
	ReasonTimestampRange Reason = "timestamp_out_of_range"
	// ReasonJWKSURLInvalid: the customJwt jwks value is neither a usable
	// data: URL nor an http(s) URL.
	ReasonJWKSURLInvalid Reason = "jwks_url_invalid"
	// ReasonTokenParts: the customJwt decoder needs exactly three parts.
	ReasonTokenParts Reason = "token_not_three_parts"
)
