package backend

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/convex/wire"
)

// ActionFunc is an action the backend can run. identity is nil when the
// caller is signed out; args is the arguments object (convex-encoded
// JSON). The result is returned convex-encoded; an error fails the action
// with "Uncaught Error: <its text>".
type ActionFunc func(ctx context.Context, identity *rules.Identity, args json.RawMessage) (json.RawMessage, error)

// HTTP status of a function that failed (convex-js STATUS_CODE_UDF_FAILED).
const statusUDFFailed = 560

// runAction answers an Action on the sync socket: a registered action
// runs with the session's identity, checked as for any function call;
// any other path is the missing function's failure (SPEC.md "Functions").
func (s *session) runAction(m wire.Action) *ending {
	fn, ok := s.b.actions[m.UDFPath]
	if !ok {
		return s.runMissing(wire.ActionResponse{RequestID: m.RequestID, Result: notFound(m.UDFPath)})
	}
	ident, end := s.currentIdentity()
	if end != nil {
		return end
	}
	args, err := singleArgsObject(m.Args)
	var out json.RawMessage
	if err == nil {
		out, err = callAction(s.ctx, fn, identityOf(ident), args)
	}
	if err != nil {
		s.send(wire.ActionResponse{RequestID: m.RequestID, Result: uncaught(err)})
	} else {
		s.send(wire.ActionResponse{RequestID: m.RequestID, Success: true, Result: out})
	}
	s.updateScheduled = true
	return nil
}

func identityOf(ident *sessionIdentity) *rules.Identity {
	if ident == nil {
		return nil
	}
	return ident.identity
}

// callAction runs an action, turning a panic into its failure.
func callAction(ctx context.Context, fn ActionFunc, identity *rules.Identity, args json.RawMessage) (v json.RawMessage, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	v, err = fn(ctx, identity, args)
	if err == nil && !json.Valid(v) {
		err = fmt.Errorf("the action returned invalid JSON")
	}
	return v, err
}

// uncaught is a failed function's message as a JSON string.
func uncaught(err error) json.RawMessage {
	b, _ := json.Marshal("Uncaught Error: " + err.Error())
	return b
}

// serveAPI answers POST /api/action, the HTTP API ConvexHttpClient calls
// actions through (SPEC.md "Functions"); it reports whether the request
// was one.
func (b *Backend) serveAPI(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != "/api/action" {
		return false
	}
	// serveHTTP has already refused any Origin that is not this machine's.
	if origin := r.Header.Get("Origin"); origin != "" {
		// A browser app on this machine calls it; the answer carries no
		// cookies and the token travels in the Authorization header.
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Add("Vary", "Origin")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Convex-Client, Authorization")
			w.WriteHeader(http.StatusNoContent)
			return true
		}
	}
	if r.Method != http.MethodPost {
		writeHTTPError(w, &httpError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed", message: "POST only"})
		return true
	}
	var req struct {
		Path string            `json:"path"`
		Args []json.RawMessage `json:"args"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil || len(req.Args) != 1 {
		writeHTTPError(w, &httpError{status: http.StatusBadRequest, code: "BadJsonBody", message: "The request body is not {path, format, args: [object]}"})
		return true
	}
	identity, herr := b.httpIdentity(r)
	if herr != nil {
		writeHTTPError(w, herr)
		return true
	}
	w.Header().Set("Content-Type", "application/json")
	failed := func(msg string) bool {
		w.WriteHeader(statusUDFFailed)
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "error", "errorMessage": msg, "logLines": []string{}})
		return true
	}
	fn, ok := b.actions[req.Path]
	if !ok {
		return failed(notFoundMsg(req.Path))
	}
	out, err := callAction(r.Context(), fn, identity, req.Args[0])
	if err != nil {
		return failed("Uncaught Error: " + err.Error())
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "value": out, "logLines": []string{}})
	return true
}

// httpIdentity validates the Authorization header's bearer token, if any,
// answering a rejected one with the status its class calls for.
func (b *Backend) httpIdentity(r *http.Request) (*rules.Identity, *httpError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return nil, &httpError{status: http.StatusUnauthorized, code: "BadAuthHeader", message: "The Authorization header is not a bearer token"}
	}
	res := b.validate(r.Context(), token)
	if res == nil {
		return nil, &httpError{status: http.StatusInternalServerError, code: "InternalServerError", message: internalServerErrorMsg}
	}
	if res.Err != nil {
		return nil, &httpError{status: httpStatusOf(res.Err.Class), code: res.Err.Code, message: res.Err.Message}
	}
	return res.Identity, nil
}

// httpStatusOf is the HTTP status of an error class (rules SPEC.md "How
// errors reach a client").
func httpStatusOf(c rules.ErrorClass) int {
	switch c {
	case rules.ClassUnauthenticated:
		return http.StatusUnauthorized
	case rules.ClassBadRequest:
		return http.StatusBadRequest
	case rules.ClassForbidden:
		return http.StatusForbidden
	case rules.ClassNotFound:
		return http.StatusNotFound
	case rules.ClassOverloaded, rules.ClassRateLimited, rules.ClassMisdirected:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
