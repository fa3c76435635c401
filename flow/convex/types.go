// Package convex holds what authscope knows about Convex's side of the
// handshake: the auth config model, the token validation rules of the backend
// (reference/convex.md §1) with their exact messages, the sync protocol
// (§2) with a client, and an embedded Convex-like backend.
//
// Nothing here imports the flow engine: the engine adapts these types.
package convex

import (
	"context"
	"net/http"
	"time"
)

// ProviderKind says which validation path a provider takes (reference/convex.md §1.1).
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
// table order: the first match wins (reference/convex.md §1.1).
type AuthConfig struct {
	Providers []Provider `json:"providers"`
}

// ErrorClass is the backend's error category. It decides whether a
// WebSocket client sees an AuthError, a FatalError or only a close frame
// (reference/convex.md §1.11).
type ErrorClass string

const (
	ClassBadRequest      ErrorClass = "BadRequest"
	ClassUnauthenticated ErrorClass = "Unauthenticated"
	ClassForbidden       ErrorClass = "Forbidden"
	ClassNotFound        ErrorClass = "NotFound"
	ClassRateLimited     ErrorClass = "RateLimited"
	ClassOverloaded      ErrorClass = "Overloaded"
	// ClassInternal is an error without ErrorMetadata: close 1011 InternalServerError.
	ClassInternal ErrorClass = "Internal"
	// ClassMisdirected is Convex's ErrorCode::MisdirectedRequest, which a
	// 421 discovery response maps to (crates/errors/src/lib.rs
	// from_http_status_code); on a WebSocket it closes with 1013.
	ClassMisdirected ErrorClass = "MisdirectedRequest"
)

// Reason names the precise check that failed. The real backend folds many of
// these into one message ("Could not verify OIDC token claim…"); the replay
// keeps them apart so a user learns which check it was.
type Reason string

// Reasons, one per check of reference/convex.md §1.2–§1.4.
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

// AuthError is a rejected token: the exact message the backend sends
// (reference/convex.md §1.10), its short code and class, and the precise
// check that failed.
type AuthError struct {
	Code    string     `json:"code"`    // short code, e.g. "InvalidAuthHeader"
	Message string     `json:"message"` // exact backend text, string-equal to §1.10
	Class   ErrorClass `json:"class"`
	Reason  Reason     `json:"reason"`
	// Detail explains the reason in authscope's words (expected against
	// actual); it is never sent by the backend.
	Detail string `json:"detail,omitempty"`
	// HTTPStatus is the status of the discovery or JWKS response that failed, if any.
	HTTPStatus int `json:"httpStatus,omitempty"`
}

func (e *AuthError) Error() string { return e.Message }

// Timing breaks down one HTTP fetch (reference: DESIGN.md step 7).
type Timing struct {
	DNS       time.Duration `json:"dns"`
	Connect   time.Duration `json:"connect"`
	TLS       time.Duration `json:"tls"`
	FirstByte time.Duration `json:"firstByte"`
	Total     time.Duration `json:"total"`
}

// FetchKind says which document a fetch was for.
type FetchKind string

const (
	FetchDiscovery FetchKind = "discovery"
	FetchJWKS      FetchKind = "jwks"
)

// FetchResult is one HTTP response as the validator sees it.
type FetchResult struct {
	URL         string      `json:"url"`
	Status      int         `json:"status"`
	Header      http.Header `json:"-"`
	ContentType string      `json:"contentType,omitempty"`
	// HasContentType distinguishes an absent header from an empty one.
	HasContentType bool   `json:"-"`
	Body           []byte `json:"-"`
	// FromCache is true when a cache served the response without a request.
	FromCache bool `json:"fromCache"`
	// CacheLifetime is the freshness lifetime from Cache-Control (0: not cacheable).
	CacheLifetime time.Duration `json:"cacheLifetime"`
	Timing        Timing        `json:"timing"`
	// Date is the server's Date header, for clock-skew checks (zero if absent).
	Date time.Time `json:"date,omitempty"`
}

// FetchRecord is a fetch reported as it happened, for step 7 and for the
// embedded backend's own view (hit or miss).
type FetchRecord struct {
	Kind      FetchKind     `json:"kind"`
	URL       string        `json:"url"`
	Status    int           `json:"status,omitempty"`
	FromCache bool          `json:"fromCache"`
	Lifetime  time.Duration `json:"cacheLifetime"`
	Timing    Timing        `json:"timing"`
	Err       string        `json:"error,omitempty"`
	At        time.Time     `json:"at"`
}

// Fetcher performs the GETs of discovery and JWKS. Implementations apply a
// deadline and a response-size cap; a transport failure is an error, any
// HTTP status is a FetchResult.
type Fetcher interface {
	Fetch(ctx context.Context, kind FetchKind, url string) (*FetchResult, error)
}

// SignatureState keeps "not checked" apart from "failed" (peers-and-security.md §9.4).
type SignatureState string

// Signature states.
const (
	SignatureVerified   SignatureState = "verified"
	SignatureFailed     SignatureState = "failed"
	SignatureNotChecked SignatureState = "not checked"
)

// KeyInfo describes one key of a JWKS, and whether it was the key selected
// for the token.
type KeyInfo struct {
	Kid     string `json:"kid,omitempty"`
	Kty     string `json:"kty,omitempty"`
	Alg     string `json:"alg,omitempty"`
	Use     string `json:"use,omitempty"`
	Matched bool   `json:"matched"`
}

// Check is one rule the validator applied, in order, with what it expected
// and what it found.
type Check struct {
	Name     string `json:"name"`
	OK       bool   `json:"ok"`
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
}

// Trace is everything the validator looked at, successful or not; step 7
// and the diagnosis are built from it.
type Trace struct {
	// ProviderIndex is the matched provider's index, or -1.
	ProviderIndex int       `json:"providerIndex"`
	Provider      *Provider `json:"provider,omitempty"`
	Issuer        string    `json:"iss,omitempty"` // the token's raw iss
	Audiences     []string  `json:"aud,omitempty"`
	DiscoveryURL  string    `json:"discoveryUrl,omitempty"`
	// DiscoveredIssuer is the discovery document's issuer field.
	DiscoveredIssuer string         `json:"discoveredIssuer,omitempty"`
	JWKSURL          string         `json:"jwksUrl,omitempty"`
	Fetches          []FetchRecord  `json:"fetches,omitempty"`
	Keys             []KeyInfo      `json:"keys,omitempty"`
	Kid              string         `json:"kid,omitempty"`
	Alg              string         `json:"alg,omitempty"`
	Signature        SignatureState `json:"signature"`
	Checks           []Check        `json:"checks,omitempty"`
}

// Result is the outcome of validating one token: the trace always, the
// identity on success, the error on failure.
type Result struct {
	Trace    Trace      `json:"trace"`
	Identity *Identity  `json:"identity,omitempty"`
	Err      *AuthError `json:"error,omitempty"`
}

// IdentityField is one key of a UserIdentity.
type IdentityField struct {
	Key   string
	Value []byte // JSON
}

// Identity is what ctx.auth.getUserIdentity() returns (reference/convex.md
// §1.9), as an ordered JSON object.
type Identity struct {
	Fields []IdentityField
}

// RawProvider is a provider as written in auth.config.ts, before the
// push-time checks of reference/convex.md §1.1. A nil field was absent.
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
