package backend

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

// The embedded backend listens on 127.0.0.1 inside authscope, next to the
// loopback sign-in page, and checks what a deployment does not need to: a
// request must name this server in Host (so a page whose name rebinds to
// 127.0.0.1 cannot reach it), and a browser's Origin, when it sends one,
// must be a loopback origin (so another site cannot open a socket to it).
// Both are refused before the WebSocket upgrade. Clients that are not
// browsers send no Origin and pass.

// refuse answers a request the guard does not let through, or returns nil.
func (b *Backend) refuse(r *http.Request) *httpError {
	host := b.hostPort()
	if r.Host != host && r.Host != "localhost"+strings.TrimPrefix(host, "127.0.0.1") {
		return &httpError{status: http.StatusMisdirectedRequest, code: "MisdirectedRequest",
			message: "This embedded backend only answers requests for " + host}
	}
	if o := r.Header.Get("Origin"); o != "" && !loopbackOrigin(o) {
		return &httpError{status: http.StatusForbidden, code: "Forbidden",
			message: "Cross-origin request refused: only pages on a loopback origin may connect to this embedded backend"}
	}
	return nil
}

// hostPort is 127.0.0.1:<port>, the Host a request must name.
func (b *Backend) hostPort() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ln == nil {
		return ""
	}
	return b.ln.Addr().String()
}

// loopbackOrigin reports whether an Origin header is an http(s) origin on
// a loopback host.
func loopbackOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.Path != "" || u.RawQuery != "" {
		return false
	}
	h := u.Hostname()
	ip := net.ParseIP(h)
	return strings.EqualFold(h, "localhost") || (ip != nil && ip.IsLoopback())
}
