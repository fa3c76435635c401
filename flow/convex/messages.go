package convex

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Short codes the backend attaches to token errors (reference/convex.md
// §1.10). They are not sent over the WebSocket but appear in HTTP bodies
// and close reasons.
const (
	CodeInvalidAuthHeader = "InvalidAuthHeader"
	CodeNoAuthProvider    = "NoAuthProvider"
	CodeDiscoveryFailed   = "AuthProviderDiscoveryFailed"
	CodeUnauthenticated   = "Unauthenticated"
	CodeInternal          = "InternalServerError"
	CodeTokenExpired      = "TokenExpired"
)

// Exact messages of reference/convex.md §1.10, byte for byte.
const (
	// MsgPayloadUnparseable is A1.
	MsgPayloadUnparseable = "Could not parse JWT payload. Check that the token is a valid JWT format with three base64-encoded parts separated by dots."
	// MsgMissingIssuer is A2.
	MsgMissingIssuer = "Missing issuer claim ('iss') in JWT payload. The JWT must include an 'iss' claim that matches one of your configured auth providers."
	// MsgNoProviderRedacted is A3 on a deployment that redacts (§1.8).
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
	// same with and without redaction (§1.4 step 3).
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
		b.WriteString(providerLabel(p))
	}
	b.WriteByte(']')
	return b.String()
}

// providerLabel is enhance_no_provider_error's rendering of one provider.
func providerLabel(p Provider) string {
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
	var b strings.Builder
	b.WriteString("Invalid audience: ")
	b.WriteString(appID)
	b.WriteString(" not in [")
	for i, a := range auds {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(rustDebugStr(a))
	}
	b.WriteByte(']')
	return b.String()
}

// MsgTokenExpired is C9 for exp; n is whole seconds since exp.
func MsgTokenExpired(n int64) string {
	return "Could not validate token: Token expired " + strconv.FormatInt(n, 10) + " seconds ago"
}

// MsgTokenNotYetValid is C9 for nbf and iat in the future.
func MsgTokenNotYetValid(n int64) string {
	return "Could not validate token: Token will be valid in " + strconv.FormatInt(n, 10) + " seconds"
}

// Push-time short codes and messages (reference/convex.md §1.1).
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

// --- formatting helpers ------------------------------------------------------

// RustStatusDisplay is http::StatusCode's Display: "<code> <reason>", with
// "<unknown status code>" when the http crate has no canonical reason.
func RustStatusDisplay(status int) string {
	reason := canonicalReason(status)
	if reason == "" {
		reason = "<unknown status code>"
	}
	return strconv.Itoa(status) + " " + reason
}

// rustReasonExceptions are the codes whose reason phrase in Rust's http
// crate (StatusCode::canonical_reason, src/status.rs of
// github.com/hyperium/http, which reqwest and hyper use) differs from Go's
// http.StatusText: the http crate keeps older or shorter wordings.
var rustReasonExceptions = map[int]string{
	203: "Non Authoritative Information",
	413: "Payload Too Large",
	414: "URI Too Long",
	416: "Range Not Satisfiable",
}

// canonicalReason is the http crate's StatusCode::canonical_reason: Go's
// http.StatusText but for the four codes above; "" for a code neither
// knows.
func canonicalReason(status int) string {
	if r, ok := rustReasonExceptions[status]; ok {
		return r
	}
	return http.StatusText(status)
}

// ClassForStatus is ErrorMetadata::from_http_status_code as Convex applies
// it to discovery failures (§1.3 step 2): 401, 403, 404, 421, 429 have
// their own class, other 4xx are BadRequest, 5xx Overloaded, and anything
// else (200 with a wrong Content-Type, 3xx) falls back to BadRequest.
func ClassForStatus(status int) ErrorClass {
	switch {
	case status == 401:
		return ClassUnauthenticated
	case status == 403:
		return ClassForbidden
	case status == 404:
		return ClassNotFound
	case status == 421:
		return ClassMisdirected
	case status == 429:
		return ClassRateLimited
	case status >= 400 && status < 500:
		return ClassBadRequest
	case status >= 500 && status < 600:
		return ClassOverloaded
	}
	return ClassBadRequest
}

// LossyUTF8 is Rust's String::from_utf8_lossy: each maximal ill-formed
// subsequence becomes one U+FFFD (Go's strings.ToValidUTF8 would fold a
// whole run into one, and utf8.DecodeRune would split a truncated sequence
// into several).
func LossyUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			sb.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			sb.Write(b[i : i+size])
			i += size
			continue
		}
		// Length of the maximal subpart: a valid lead byte followed by as
		// many valid continuation bytes as fit, per the Unicode standard's
		// table of well-formed sequences.
		n := 1
		var need int
		lo, hi := byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need = 1
		case c == 0xE0:
			need, lo = 2, 0xA0
		case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
			need = 2
		case c == 0xED:
			need, hi = 2, 0x9F
		case c == 0xF0:
			need, lo = 3, 0x90
		case c >= 0xF1 && c <= 0xF3:
			need = 3
		case c == 0xF4:
			need, hi = 3, 0x8F
		}
		for k := 0; k < need && i+n < len(b); k++ {
			d := b[i+n]
			if k == 0 {
				if d < lo || d > hi {
					break
				}
			} else if d < 0x80 || d > 0xBF {
				break
			}
			n++
		}
		sb.WriteString("\uFFFD")
		i += n
	}
	return sb.String()
}

// rustDebugStr formats s as Rust's <str as Debug>: quoted, with \", \\,
// \n, \r, \t, \0 and \u{..} for other control characters.
func rustDebugStr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == 0:
			b.WriteString(`\0`)
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			b.WriteString(`\u{`)
			b.WriteString(strconv.FormatInt(int64(r), 16))
			b.WriteByte('}')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// --- error constructors -------------------------------------------------------

func newAuthError(code, msg string, class ErrorClass, reason Reason, detail string) *AuthError {
	return &AuthError{Code: code, Message: msg, Class: class, Reason: reason, Detail: detail}
}

// errInvalidAuthHeader is an Unauthenticated InvalidAuthHeader error (A1,
// A2, O2 and every customJwt error: all are ErrorMetadata::unauthenticated).
func errInvalidAuthHeader(msg string, reason Reason, detail string) *AuthError {
	return newAuthError(CodeInvalidAuthHeader, msg, ClassUnauthenticated, reason, detail)
}

// errOIDCUnverified is O3.
func errOIDCUnverified(reason Reason, detail string) *AuthError {
	return newAuthError(CodeUnauthenticated, MsgOIDCUnverified, ClassUnauthenticated, reason, detail)
}

// errInternal is O4 and the other failures without ErrorMetadata.
func errInternal(reason Reason, detail string) *AuthError {
	return newAuthError(CodeInternal, MsgInternal, ClassInternal, reason, detail)
}

// errDiscoveryBase is O1 without a status: network, parse, issuer
// mismatch. Class BadRequest.
func errDiscoveryBase(iss string, reason Reason, detail string) *AuthError {
	return newAuthError(CodeDiscoveryFailed, MsgDiscoveryFailed(iss), ClassBadRequest, reason, detail)
}

// errDiscoveryStatus is O1 for a "Response" error, classed by status.
func errDiscoveryStatus(iss string, status int, body []byte, reason Reason, detail string) *AuthError {
	e := newAuthError(CodeDiscoveryFailed, MsgDiscoveryFailedStatus(iss, status, body), ClassForStatus(status), reason, detail)
	e.HTTPStatus = status
	return e
}

// NewIdentityExpiredError is S1: the sync worker's check, later in a
// session, that now >= exp with no leeway (§1.6). It is sent as an
// AuthError with authUpdateAttempted false.
func NewIdentityExpiredError(detail string) *AuthError {
	return newAuthError(CodeTokenExpired, MsgIdentityExpired, ClassUnauthenticated, ReasonIdentityExpired, detail)
}
