package devinstance

import (
	"net/http"
	"net/url"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

// RequestKind says what a request to the dev instance was for.
type RequestKind string

// Request kinds.
const (
	KindDiscovery     RequestKind = "discovery"
	KindJWKS          RequestKind = "jwks"
	KindDevBrowser    RequestKind = "dev_browser"
	KindEnvironment   RequestKind = "environment"
	KindClient        RequestKind = "client"
	KindSignIn        RequestKind = "sign_in"
	KindSessionToken  RequestKind = "session_token"
	KindTemplateToken RequestKind = "template_token"
	KindSignOut       RequestKind = "sign_out"
	KindSession       RequestKind = "session" // touch, remove
	KindScript        RequestKind = "script"
	KindSignInPage    RequestKind = "sign_in_page"
	KindAsset         RequestKind = "asset"
	KindPreflight     RequestKind = "preflight"
	KindOther         RequestKind = "other"
)

// Request is one request the dev instance answered. Query has the
// dev-browser value replaced by "…", so a log of requests holds no
// credential. Origin and Path came from the client: escape before display.
type Request struct {
	Time     time.Time
	Method   string
	Path     string
	Query    string
	Origin   string
	Kind     RequestKind
	Status   int
	Duration time.Duration
}

// requestLog is a bounded log plus per-kind counts. Guarded by
// Instance.mu.
type requestLog struct {
	entries []Request
	counts  map[RequestKind]int
}

func (l *requestLog) add(r Request) {
	if l.counts == nil {
		l.counts = map[RequestKind]int{}
	}
	l.counts[r.Kind]++
	if len(l.entries) == maxRequestLog {
		copy(l.entries, l.entries[1:])
		l.entries = l.entries[:maxRequestLog-1]
	}
	l.entries = append(l.entries, r)
}

// Requests returns the last requests answered (at most 1000), oldest
// first.
func (d *Instance) Requests() []Request {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Request(nil), d.log.entries...)
}

// Count is how many requests of a kind were answered since the start.
func (d *Instance) Count(kind RequestKind) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.log.counts[kind]
}

func redactQuery(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	c := url.Values{}
	for k, vs := range q {
		for _, v := range vs {
			if k == clerk.DevBrowserParam && v != "" {
				v = "…"
			}
			c.Add(k, v)
		}
	}
	return c.Encode()
}

// recorder remembers the status and the kind of a request for the log.
type recorder struct {
	http.ResponseWriter
	status int
	kind   RequestKind
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func setKind(w http.ResponseWriter, k RequestKind) {
	if rec, ok := w.(*recorder); ok {
		rec.kind = k
	}
}
