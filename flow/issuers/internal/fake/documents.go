package fake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// CacheControl is the Cache-Control header of the well-known documents.
func (s *Server) CacheControl() string {
	if s.cacheMaxAge < 0 {
		return "no-store"
	}
	return "public, max-age=" + strconv.FormatInt(int64(s.cacheMaxAge/time.Second), 10)
}

// Document is one answer of a well-known URL.
type Document struct {
	// Body is the JSON document.
	Body []byte
	// What names it in a fault's answer ("JWKS").
	What string
	// FaultStatus, when 200–599 and not 200, answers that status with a
	// one-line text/plain body instead.
	FaultStatus int
	// ContentType replaces application/json; "-" sends none.
	ContentType string
	// CacheControl replaces the server's Cache-Control header.
	CacheControl string
}

// ServeDocument answers GET and HEAD with d, with the server's
// Cache-Control unless d has its own.
func (s *Server) ServeDocument(w http.ResponseWriter, r *http.Request, d Document) {
	if d.CacheControl == "" {
		d.CacheControl = s.CacheControl()
	}
	ServeDocument(w, r, d)
}

// ServeDocument answers GET and HEAD with d, outside a Server (a handler
// another server mounts).
func ServeDocument(w http.ResponseWriter, r *http.Request, d Document) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if d.FaultStatus >= 200 && d.FaultStatus <= 599 && d.FaultStatus != http.StatusOK {
		// Convex quotes this body in its message ("…failed: 404 Not Found
		// <body>"): one sentence, no newline.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(d.FaultStatus)
		_, _ = w.Write([]byte("authscope demo: this scenario breaks the " + d.What + " on purpose"))
		return
	}
	h := w.Header()
	switch d.ContentType {
	case "":
		h.Set("Content-Type", "application/json")
	case "-":
		h["Content-Type"] = nil // stops net/http from sniffing one
	default:
		h.Set("Content-Type", d.ContentType)
	}
	if d.CacheControl != "" {
		h.Set("Cache-Control", d.CacheControl)
	}
	h.Set("Content-Length", strconv.Itoa(len(d.Body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(d.Body)
	}
}

// WriteJSON answers status with v as JSON, never cached.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "cannot encode the answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
