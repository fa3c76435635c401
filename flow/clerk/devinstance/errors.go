package devinstance

import (
	"strings"

	"github.com/authscope/authscope/flow/clerk"
)

// Error codes of the demo's own: Clerk has codes for these cases too, but
// they are not written down anywhere public, so the demo names them plainly.
const (
	CodeBodyTooLarge     = "request_body_too_large"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeHostInvalid      = "host_invalid"
	CodeInternal         = "internal_clerk_error"
)

func notFoundError(what string) clerk.APIError {
	return clerk.APIError{Message: "not found", LongMessage: what, Code: clerk.CodeResourceNotFound}
}

// oneLine folds an error's text onto one line for a long_message.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
