package devinstance

import (
	"strings"

	"github.com/authscope/authscope/flow/clerk"
)

// Error codes of the demo's own, for the guards of SPEC.md "Guards": Clerk
// has answers for these cases too, but their codes are not written down
// anywhere public, so the demo names them plainly.
const (
	CodeBodyTooLarge     = "request_body_too_large"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeHostInvalid      = "host_invalid"
	CodeInternal         = "internal_clerk_error"
)

// notFoundError is the demo's 404 body; its code is Clerk's.
func notFoundError(what string) clerk.APIError {
	return clerk.APIError{Message: "not found", LongMessage: what, Code: clerk.CodeResourceNotFound}
}

// oneLine folds an error's text onto one line for a long_message.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
