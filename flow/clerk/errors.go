package clerk

import (
	"encoding/json"
	"fmt"
)

// APIError is one entry of a Frontend API error body (the ClerkErrors
// schema, SPEC.md "Error bodies").
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

// Clerk's Frontend API error codes that authscope reads or the dev
// instance sends (SPEC.md "Error bodies").
const (
	CodeDevBrowserUnauthenticated = "dev_browser_unauthenticated" // SPEC.md "Dev browser"
	CodeResourceNotFound          = "resource_not_found"          // SPEC.md "The two token paths"
	CodeOriginInvalid             = "origin_invalid"              // SPEC.md "Development and production hosts"
	CodeFormParamMissing          = "form_param_missing"
	CodeFormParamInvalid          = "form_param_value_invalid"
	CodeIdentifierNotFound        = "form_identifier_not_found"
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
// a JWT template does not exist (SPEC.md "The two token paths"; the texts
// are the ones seen in the wild, not confirmed from Clerk's source).
func MissingTemplateError(name string) APIError {
	return APIError{
		Message:     "JWT template not found",
		LongMessage: "No JWT template exists with name: " + name,
		Code:        CodeResourceNotFound,
	}
}

// DevBrowserUnauthenticatedError is the body of the 401 the Frontend API
// answers when a development instance's request has no valid dev browser;
// ClerkJS then creates a new one (SPEC.md "Dev browser").
func DevBrowserUnauthenticatedError() APIError {
	return APIError{
		Message:     "Browser unauthenticated",
		LongMessage: "Unable to authenticate this browser for your development instance. Check that your Clerk cookies are enabled.",
		Code:        CodeDevBrowserUnauthenticated,
	}
}

// OriginInvalidError is a production instance's answer to a page outside
// its domain (SPEC.md "Development and production hosts"): ClerkJS turns it
// into `Clerk: Production Keys are only allowed for domain "…"`. The long
// message is the one seen in the wild (unconfirmed from Clerk's source).
func OriginInvalidError() APIError {
	return APIError{
		Message:     "Invalid request origin",
		LongMessage: "The Request HTTP Origin header must be equal to or a subdomain of the requesting URL.",
		Code:        CodeOriginInvalid,
	}
}
