package clerk

// Error codes of the demo's own: Clerk has codes for these cases too, but
// they are not written down anywhere public, so the demo names them plainly.
const (
	CodeBodyTooLarge     = "request_body_too_large"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeHostInvalid      = "host_invalid"
	CodeInternal         = "internal_clerk_error"
)

func notFoundError(what string) APIError {
	return APIError{Message: "not found", LongMessage: what, Code: CodeResourceNotFound}
}
