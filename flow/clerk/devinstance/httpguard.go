package devinstance

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

// guard wraps every request: it never lets a panic escape, checks the Host
// header (so a DNS-rebinding page cannot reach the instance), caps the
// body, answers CORS for allowed origins only, sets the headers every
// response carries, and logs the request.
func (d *Instance) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, kind: KindOther}
		defer func() {
			if v := recover(); v != nil && rec.status == 0 {
				writeErrors(rec, http.StatusInternalServerError, clerk.APIError{Message: "internal error",
					LongMessage: "The demo instance failed on this request.", Code: CodeInternal})
			}
			d.record(r, rec, start)
		}()
		h := rec.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Add("Vary", "Origin")
		if !d.hostAllowed(r.Host) {
			writeErrors(rec, http.StatusMisdirectedRequest, clerk.APIError{Message: "Invalid host",
				LongMessage: "This demo instance only answers requests for " + d.host + ".", Code: CodeHostInvalid})
			return
		}
		r.Body = http.MaxBytesReader(rec, r.Body, maxBodyBytes)
		isAPI := strings.HasPrefix(r.URL.Path, "/v1/") || r.URL.Path == "/v1"
		origin := r.Header.Get("Origin")
		// The instance's own pages (the sign-in page) call its API from its
		// own origin, which is always allowed.
		allowed := origin != "" && (origin == d.issuer || d.allowedOrigin(origin))
		if allowed {
			// Echo the exact origin, never "*": the page sends
			// credentials: "include" as ClerkJS does.
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if origin != "" && !allowed && isAPI {
			writeErrors(rec, http.StatusForbidden, clerk.APIError{Message: "Invalid origin",
				LongMessage: "The Request HTTP Origin header must be a loopback origin for this demo instance.",
				Code:        clerk.CodeOriginInvalid})
			return
		}
		if r.Method == http.MethodOptions {
			rec.kind = KindPreflight
			if allowed {
				h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
				h.Set("Access-Control-Allow-Headers", "Content-Type")
				h.Set("Access-Control-Max-Age", "600")
			}
			rec.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(rec, r)
	})
}

func (d *Instance) record(r *http.Request, rec *recorder, start time.Time) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	req := Request{
		Time: start, Method: r.Method, Path: r.URL.Path, Query: redactQuery(r.URL.Query()),
		Origin: r.Header.Get("Origin"), Kind: rec.kind, Status: status, Duration: time.Since(start),
	}
	d.mu.Lock()
	d.log.add(req)
	d.mu.Unlock()
	if d.onRequest != nil {
		d.onRequest(req)
	}
}

// writeJSON answers a JSON document that must not be cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeErrors(w, http.StatusInternalServerError, clerk.APIError{Message: "internal error",
			LongMessage: "The demo instance could not encode its answer.", Code: CodeInternal})
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeErrors answers a ClerkErrors body.
func writeErrors(w http.ResponseWriter, status int, errs ...clerk.APIError) {
	for i := range errs {
		if errs[i].Meta == nil {
			errs[i].Meta = map[string]any{}
		}
	}
	b, _ := json.Marshal(clerk.ErrorBody{Errors: errs, ClerkTraceID: newHex(16)})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// bodyError turns a form-parsing failure into the right ClerkErrors answer.
func bodyError(w http.ResponseWriter, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeErrors(w, http.StatusRequestEntityTooLarge, clerk.APIError{Message: "Request body too large",
			LongMessage: "The request body is larger than the demo instance accepts (16 KiB).", Code: CodeBodyTooLarge})
		return
	}
	writeErrors(w, http.StatusBadRequest, clerk.APIError{Message: "is invalid",
		LongMessage: "The request body is not a valid form: " + oneLine(err.Error()), Code: clerk.CodeFormParamInvalid})
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	writeErrors(w, http.StatusMethodNotAllowed, clerk.APIError{Message: "Method not allowed",
		LongMessage: "This endpoint accepts " + allow + ".", Code: CodeMethodNotAllowed})
}

// plainError answers a non-API path with a short text.
func plainError(w http.ResponseWriter, status int, text string) {
	plainText(w, status, text+"\n")
}

// plainText answers with exactly text, as text/plain.
func plainText(w http.ResponseWriter, status int, text string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(text))
}
