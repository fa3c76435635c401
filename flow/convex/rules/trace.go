package rules

import "github.com/authscope/authscope/flow/convex/fetch"

// SignatureState keeps "not checked" apart from "failed".
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

// Names of the checks recorded in Trace.Checks, in the order they can run,
// with the SPEC.md section that describes each.
const (
	CheckPayload              = "payload decodes"              // "Routing"
	CheckIssuerPresent        = "iss present"                  // "Routing"
	CheckProvider             = "provider matches iss and aud" // "Routing"
	CheckIssuerURL            = "iss is an absolute URL"       // "OIDC path"
	CheckDiscoveryFetch       = "discovery fetched"            // "OIDC path"
	CheckDiscoveryStatus      = "discovery status 200"         // "OIDC path"
	CheckDiscoveryContentType = "discovery Content-Type"       // "OIDC path"
	CheckDiscoveryDocument    = "discovery document parses"    // "OIDC path"
	CheckDiscoveryIssuer      = "discovery issuer equals iss"  // "OIDC path"
	CheckJWKSSource           = "jwks data: URL decodes"       // "customJwt path"
	CheckJWKSFetch            = "JWKS fetched"                 // both paths
	CheckJWKSStatus           = "JWKS status 200"              // both paths
	CheckJWKSContentType      = "JWKS Content-Type"            // both paths
	CheckJWKSDocument         = "JWKS parses"                  // both paths
	CheckOIDCStructure        = "OIDC ID token structure"      // "OIDC path"
	CheckTyp                  = "typ header"                   // "OIDC path"
	CheckCty                  = "cty header absent"            // "OIDC path"
	CheckCrit                 = "crit header absent"           // "OIDC path"
	CheckIssuer               = "iss"                          // both paths
	CheckAudience             = "aud contains applicationID"   // both paths
	CheckSingleAudience       = "no other audiences"           // "OIDC path"
	CheckAlg                  = "alg"                          // both paths
	CheckTokenParts           = "three parts"                  // "customJwt path"
	CheckHeader               = "header decodes"               // "customJwt path"
	CheckKid                  = "kid header present"           // "customJwt path"
	CheckKey                  = "key selected"                 // both paths
	CheckSignature            = "signature"                    // both paths
	CheckExp                  = "exp"                          // both paths
	CheckNbf                  = "nbf"                          // "customJwt path"
	CheckIat                  = "iat"                          // "customJwt path"
	CheckSubjectPresent       = "sub present"                  // "customJwt path"
	CheckExpiryPresent        = "exp present"                  // "customJwt path"
)

// Trace is everything the validator looked at, successful or not; the
// report's step 7 and the diagnosis are built from it.
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
	Fetches          []fetch.Record `json:"fetches,omitempty"`
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
