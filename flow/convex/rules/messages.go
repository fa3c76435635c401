package rules

import (
	"strconv"
	"strings"
)

// Short codes the backend attaches to token errors (SPEC.md "Error
// catalogue"). They are not sent over the WebSocket but appear in HTTP
// bodies and close reasons.
const (
	CodeInvalidAuthHeader = "InvalidAuthHeader"
	CodeNoAuthProvider    = "NoAuthProvider"
	CodeDiscoveryFailed   = "AuthProviderDiscoveryFailed"
	CodeUnauthenticated   = "Unauthenticated"
	CodeInternal          = "InternalServerError"
	CodeTokenExpired      = "TokenExpired"
)

// The backend's messages, byte for byte (SPEC.md "Error catalogue").
const (
	// MsgPayloadUnparseable is A1.
	MsgPayloadUnparseable = "Could not parse JWT payload. Check that the token is a valid JWT format with three base64-encoded parts separated by dots."
	// MsgMissingIssuer is A2.
	MsgMissingIssuer = "Missing issuer claim ('iss') in JWT payload. The JWT must include an 'iss' claim that matches one of your configured auth providers."
	// MsgNoProviderRedacted is A3 on a deployment that redacts (SPEC.md
	// "Redaction").
	MsgNoProviderRedacted = "No auth provider found matching the given token"
	// MsgNoProvidersConfigured is A3 when the config has no providers.
	MsgNoProvidersConfigured = "No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts."
	// MsgOIDCUnparseable is O2.
	MsgOIDCUnparseable = "Could not parse as OIDC ID token. Token might not be an OIDC-compliant JWT."
	// MsgOIDCUnverified is O3: every OIDC verification failure.
	MsgOIDCUnverified = "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired."
	// MsgInternal is O4: an error without ErrorMetadata (crates/errors
	// INTERNAL_SERVER_ERROR_MSG); on a WebSocket only the close reason
	// "InternalServerError" is seen.
	MsgInternal = "Your request couldn't be completed. Try again later."
	// MsgJWKSDataURL is C1.
	MsgJWKSDataURL = "Invalid JWKS data URL. Check that the data URL is properly formatted and contains valid base64-encoded JSON."
	// MsgDecodeNoKid is C6 when the header has no kid or cannot be read; the
	// same with and without redaction (SPEC.md "customJwt path").
	MsgDecodeNoKid = "Could not decode token. JWT may be missing a 'kid' (key ID) header."
	// MsgDecodeKidRedacted is C6 with a kid on a redacting deployment.
	MsgDecodeKidRedacted = "Could not decode token. The JWT's 'kid' (key ID) header doesn't match any key in the provider's JWKS, or the JWT signature is invalid."
	// MsgMissingAudience is the first C8 message.
	MsgMissingAudience = "Missing audience claim ('aud') in JWT payload. The JWT must include an 'aud' claim that matches your configured application ID."
	// MsgClaimsUnverified is C10 (missing sub or exp on customJwt).
	MsgClaimsUnverified = "Could not verify token claim. Check that the JWT contains valid claims and matches your auth provider configuration."
	// MsgIdentityExpired is S1, sent when a session's token expires later.
	MsgIdentityExpired = "Convex token identity expired"
)

// MsgNoProviderList is A3 unredacted with at least one provider: the list
// is joined with ", " and each item shows the stored domain or issuer.
func MsgNoProviderList(providers []Provider) string {
	var b strings.Builder
	b.WriteString("No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [")
	for i, p := range providers {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ProviderLabel(p))
	}
	b.WriteByte(']')
	return b.String()
}

// ProviderLabel is enhance_no_provider_error's rendering of one provider:
// OIDC(domain=…, app_id=…) or CustomJWT(issuer=…, app_id=… or none).
func ProviderLabel(p Provider) string {
	if p.Kind == KindCustomJWT {
		app := "none"
		if p.HasApplicationID {
			app = p.ApplicationID
		}
		return "CustomJWT(issuer=" + p.Issuer + ", app_id=" + app + ")"
	}
	return "OIDC(domain=" + p.Domain + ", app_id=" + p.ApplicationID + ")"
}

// MsgDiscoveryFailed is O1's base message; iss is the token's raw iss.
func MsgDiscoveryFailed(iss string) string {
	return "Auth provider discovery of " + iss + " failed"
}

// MsgDiscoveryFailedStatus is O1 for a "Response" error: a non-200 status or
// a wrong Content-Type on the discovery document or the JWKS. status is
// shown as Rust's http::StatusCode Display ("404 Not Found") and body as
// lossy UTF-8. The body is whatever the fetcher kept, at most its
// MaxBytes (1 MiB by default); a larger body is a fetch error instead, so
// the message is never silently cut.
func MsgDiscoveryFailedStatus(iss string, status int, body []byte) string {
	return MsgDiscoveryFailed(iss) + ": " + RustStatusDisplay(status) + " " + LossyUTF8(body)
}

// MsgJWKSTransport is C2. err is the transport error's text.
func MsgJWKSTransport(uri, err string) string {
	return "Could not fetch JWKS from URL '" + uri + "': " + err + ". Check that the URL is correct and accessible."
}

// MsgJWKSStatus is C3: "HTTP <code> <canonical reason or Unknown>".
func MsgJWKSStatus(uri string, status int) string {
	reason := canonicalReason(status)
	if reason == "" {
		reason = "Unknown"
	}
	return "Could not fetch JWKS from URL '" + uri + "': HTTP " + strconv.Itoa(status) + " " + reason + ". Check that the URL is correct and accessible."
}

// MsgJWKSContentType is C4; ct is the header value, or "unknown" when it
// is absent or not visible ASCII.
func MsgJWKSContentType(ct, uri string) string {
	return "Invalid Content-Type '" + ct + "' when fetching JWKS from '" + uri + "'. Expected 'application/json' or 'application/jwk-set+json'."
}

// MsgJWKSBody is C5.
func MsgJWKSBody(uri string) string {
	return "Invalid JWKS response body from '" + uri + "'. The response is not valid JSON or doesn't match the expected JWKS format."
}

// MsgDecodeKid is C6 unredacted, for a header with a kid.
func MsgDecodeKid(kid string) string {
	return "Could not decode token. The JWT's 'kid' (key ID) header is '" + kid + "', does this key match any key in the provider's JWKS?"
}

// MsgInvalidIssuer is C7: the token's iss against the configured issuer.
func MsgInvalidIssuer(iss, issuer string) string {
	return "Invalid issuer: " + iss + " != " + issuer
}

// MsgInvalidAudience is the second C8 message; the list is Rust Debug
// formatting of a Vec<&str>: ["a", "b"].
func MsgInvalidAudience(appID string, auds []string) string {
	return "Invalid audience: " + appID + " not in " + rustDebugList(auds)
}

// MsgTokenExpired is C9 for exp; n is whole seconds since exp.
func MsgTokenExpired(n int64) string {
	return "Could not validate token: Token expired " + strconv.FormatInt(n, 10) + " seconds ago"
}

// MsgTokenNotYetValid is C9 for nbf and iat in the future.
func MsgTokenNotYetValid(n int64) string {
	return "Could not validate token: Token will be valid in " + strconv.FormatInt(n, 10) + " seconds"
}

// Push-time short codes and messages (SPEC.md "Push-time checks").
const (
	CodeAuthConfigSchema       = "AuthConfigNotMatchingSchemaError"
	CodeInsecureConfiguration  = "InsecureConfiguration"
	CodeMissingEnvironmentVar  = "AuthConfigMissingEnvironmentVariable"
	CodeInvalidSignatureAlg    = "InvalidSignatureAlgorithm"
	CodeInvalidProviderDomain  = "InvalidProviderDomainUrl"
	msgSchemaPrefix            = "auth config file must include a list of provider credentials: "
	msgInsecurePrefix          = "This auth configuration appears potentially insecure: "
	msgSchemaUntaggedMismatch  = "data did not match any variant of untagged enum SerializedAuthInfo "
	msgProviderDomainURLPrefix = "Invalid provider domain URL \""
)
