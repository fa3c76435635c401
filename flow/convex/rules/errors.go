package rules

// ErrorClass is the backend's error category. It decides whether a
// WebSocket client sees an AuthError, a FatalError or only a close frame
// (SPEC.md "How errors reach a client").
type ErrorClass string

// Error classes.
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

// AuthError is a rejected token: the exact message the backend sends, its
// short code and class, and the precise check that failed.
type AuthError struct {
	Code    string     `json:"code"`    // short code, e.g. "InvalidAuthHeader"
	Message string     `json:"message"` // the backend's text, byte for byte
	Class   ErrorClass `json:"class"`
	Reason  Reason     `json:"reason"`
	// Detail explains the reason in authscope's words (expected against
	// actual); it is never sent by the backend.
	Detail string `json:"detail,omitempty"`
	// HTTPStatus is the status of the discovery or JWKS response that failed, if any.
	HTTPStatus int `json:"httpStatus,omitempty"`
}

func (e *AuthError) Error() string { return e.Message }

// ClassForStatus is ErrorMetadata::from_http_status_code as Convex applies
// it to discovery failures (SPEC.md "OIDC path"): 401, 403, 404, 421, 429
// have their own class, other 4xx are BadRequest, 5xx Overloaded, and
// anything else (200 with a wrong Content-Type, 3xx) falls back to
// BadRequest.
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
// session, that now >= exp with no leeway (SPEC.md "Time"). It is sent as
// an AuthError with authUpdateAttempted false.
func NewIdentityExpiredError(detail string) *AuthError {
	return newAuthError(CodeTokenExpired, MsgIdentityExpired, ClassUnauthenticated, ReasonIdentityExpired, detail)
}
