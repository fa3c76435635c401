package clerk

import (
	"encoding/json"
	"fmt"
	"strings"
)

// APIError is one entry of a Frontend API error body (the ClerkErrors schema,
// reference/clerk.md §2.3).
type APIError struct {
	Message     string         `json:"message"`
	LongMessage string         `json:"long_message"`
	Code        string         `json:"code"`
	Meta        map[string]any `json:"meta,omitempty"`
}

// ErrorBody is the ClerkErrors body: {"errors": […], "clerk_trace_id": "…"}.
type ErrorBody struct {
	Errors       []APIError `json:"errors"`
	ClerkTraceID string     `json:"clerk_trace_id,omitempty"`
}

// Frontend API error codes the dev instance sends. Codes marked "real" are
// Clerk's; the others are the demo's own.
const (
	CodeDevBrowserUnauthenticated = "dev_browser_unauthenticated" // real (§1.3)
	CodeResourceNotFound          = "resource_not_found"          // real (§2.3)
	CodeOriginInvalid             = "origin_invalid"              // real (§1.4)
	CodeFormParamMissing          = "form_param_missing"          // real
	CodeFormParamInvalid          = "form_param_value_invalid"    // real
	CodeIdentifierNotFound        = "form_identifier_not_found"   // real
)

// APIResponseError is a Frontend API answer with a non-2xx status, like
// ClerkJS's ClerkAPIResponseError: the status, the parsed errors and the raw
// body (cut to the client's size cap).
type APIResponseError struct {
	Status  int
	Errors  []APIError
	TraceID string
	Body    string
	URL     string // without the dev-browser value
}

func (e *APIResponseError) Error() string {
	msg := fmt.Sprintf("Frontend API answered %d", e.Status)
	if len(e.Errors) > 0 {
		first := e.Errors[0]
		text := first.LongMessage
		if text == "" {
			text = first.Message
		}
		msg += ": " + text
		if first.Code != "" {
			msg += " (" + first.Code + ")"
		}
	}
	if e.URL != "" {
		msg += " for " + e.URL
	}
	return msg
}

// HasCode reports whether any error entry has code.
func (e *APIResponseError) HasCode(code string) bool {
	for _, x := range e.Errors {
		if x.Code == code {
			return true
		}
	}
	return false
}

// parseErrorBody reads a ClerkErrors body; a body that is not one gives no
// errors.
func parseErrorBody(body []byte) ErrorBody {
	var eb ErrorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		return ErrorBody{}
	}
	return eb
}

// MissingTemplateError is the body the Frontend API answers with a 404 when
// a JWT template does not exist (reference/clerk.md §2.3; the texts are the
// ones seen in the wild, not confirmed from Clerk's source).
func MissingTemplateError(name string) APIError {
	return APIError{
		Message:     "JWT template not found",
		LongMessage: "No JWT template exists with name: " + name,
		Code:        CodeResourceNotFound,
	}
}

func DevBrowserUnauthenticatedError() APIError {
	return APIError{
		Message:     "Browser unauthenticated",
		LongMessage: "Unable to authenticate this browser for your development instance. Check that your Clerk cookies are enabled.",
		Code:        CodeDevBrowserUnauthenticated,
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
