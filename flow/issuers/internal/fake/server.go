package fake

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configure the server of an issuer. The zero value is a plain
// HTTP server on 127.0.0.1 with a free port.
type Options struct {
	// Now is the issuer's clock; nil is time.Now.
	Now func() time.Time
	// Listener, when set, is a 127.0.0.1 TCP listener to serve on instead
	// of binding one, so a test knows the address to map PublicHost to
	// before the issuer exists. Close closes it.
	Listener net.Listener
	// PublicHost, when set, is the port-less host name the issuer is
	// reached at over TLS on port 443 (the client maps it to the loopback
	// address); the base URL becomes https://<PublicHost>. Requires TLS.
	PublicHost string
	// TLS serves a certificate for PublicHost.
	TLS *tls.Config
	// AllowedOrigin decides which browser origins may call the issuer
	// (CORS). nil allows http and https origins on a loopback host.
	AllowedOrigin func(origin string) bool
	// CacheMaxAge is the Cache-Control max-age of the well-known documents:
	// 0 means DefaultCacheMaxAge, a negative value sends no-store.
	CacheMaxAge time.Duration
}

// DefaultCacheMaxAge is the lifetime the issuers give their discovery
// document and key set unless told otherwise: long enough that a refresh
// round shows the backend's cache hit, short enough to run out in a demo.
const DefaultCacheMaxAge = 5 * time.Minute

// maxBodyBytes caps a request body: the issuers take small forms only.
const maxBodyBytes = 16 << 10

// Server is the HTTP side of one issuer. Register handlers with Handle
// before Start.
type Server struct {
	now           func() time.Time
	allowedOrigin func(string) bool
	cacheMaxAge   time.Duration

	ln   net.Listener
	srv  *http.Server
	mux  *http.ServeMux
	addr string // 127.0.0.1:<port>
	host string // addr, or PublicHost
	base string // http://addr or https://PublicHost

	mu        sync.Mutex
	started   bool
	closeOnce sync.Once
	closeErr  error
}

// Listen binds the server's port at once, so its base URL is known
// before Start. Close releases it whether or not Start was called.
func Listen(opts Options) (*Server, error) {
	s := &Server{now: opts.Now, allowedOrigin: opts.AllowedOrigin, cacheMaxAge: opts.CacheMaxAge, mux: http.NewServeMux()}
	if s.now == nil {
		s.now = time.Now
	}
	if s.allowedOrigin == nil {
		s.allowedOrigin = loopbackOrigin
	}
	if s.cacheMaxAge == 0 {
		s.cacheMaxAge = DefaultCacheMaxAge
	}
	if err := s.listen(opts.Listener, opts.PublicHost, opts.TLS); err != nil {
		return nil, err
	}
	s.srv = &http.Server{
		Handler:           s.guard(s.mux),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		// net/http logs failed handshakes and the like to the process's
		// stderr, which is the user's terminal (and the interface's screen).
		ErrorLog: log.New(io.Discard, "", 0),
	}
	return s, nil
}

func (s *Server) listen(ln net.Listener, publicHost string, cfg *tls.Config) error {
	if publicHost != "" {
		if cfg == nil {
			return errors.New("fake issuer: PublicHost needs a TLS configuration with a certificate for it")
		}
		if strings.ContainsAny(publicHost, ":/@") || !strings.Contains(publicHost, ".") {
			return fmt.Errorf("fake issuer: PublicHost %q must be a port-less host name", publicHost)
		}
	}
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return fmt.Errorf("fake issuer: cannot listen on 127.0.0.1: %w", err)
		}
	}
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !tcp.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		ln.Close()
		return fmt.Errorf("fake issuer: the listener's address %s is not 127.0.0.1", ln.Addr())
	}
	s.addr = "127.0.0.1:" + strconv.Itoa(tcp.Port)
	s.host, s.base = s.addr, "http://"+s.addr
	if publicHost != "" {
		ln = tls.NewListener(ln, cfg)
		s.host, s.base = publicHost, "https://"+publicHost
	}
	s.ln = ln
	return nil
}

// Handle registers a handler, as http.ServeMux.HandleFunc does.
func (s *Server) Handle(pattern string, h http.HandlerFunc) { s.mux.HandleFunc(pattern, h) }

// Start serves until ctx is done or Close is called; it returns at once.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return errors.New("fake issuer: already started")
	}
	s.started = true
	s.mu.Unlock()
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = s.srv.Serve(s.ln)
	}()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-served:
		}
	}()
	return nil
}

// Close stops the server and releases the port; it is safe to call twice.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		// Close, not Shutdown: a browser's idle preconnect would hold
		// Shutdown for seconds, and nothing in flight matters at the end.
		s.closeErr = s.srv.Close()
		_ = s.ln.Close()
	})
	return s.closeErr
}

// Base is the server's URL without a trailing slash:
// http://127.0.0.1:<port>, or https://<PublicHost>.
func (s *Server) Base() string { return s.base }

// Host is the host its URLs name (the loopback address, or PublicHost).
func (s *Server) Host() string { return s.host }

// Addr is the loopback address it listens on; with PublicHost, clients
// map PublicHost:443 to it.
func (s *Server) Addr() string { return s.addr }

// Now is the issuer's clock.
func (s *Server) Now() time.Time { return s.now() }

// hostAllowed checks the Host header, so that a DNS-rebinding page cannot
// reach the issuer: its own host (with :443 behind TLS), or localhost on
// the bound port.
func (s *Server) hostAllowed(host string) bool {
	if s.host != s.addr {
		return host == s.host || host == s.host+":443"
	}
	return host == s.addr || host == "localhost"+s.addr[len("127.0.0.1"):]
}

// guard wraps every request: no panic escapes, the Host header is
// checked, the body is capped, CORS is answered for allowed origins only
// (never "*"), and every answer says nosniff and no-referrer.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				http.Error(w, "the demo issuer failed on this request", http.StatusInternalServerError)
			}
		}()
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Add("Vary", "Origin")
		if !s.hostAllowed(r.Host) {
			http.Error(w, "this demo issuer only answers requests for "+s.host, http.StatusMisdirectedRequest)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		if origin := r.Header.Get("Origin"); origin != "" && (origin == s.base || s.allowedOrigin(origin)) {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
				if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
					h.Set("Access-Control-Allow-Headers", req)
				}
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackOrigin allows http and https origins on a loopback host.
func loopbackOrigin(origin string) bool {
	rest, ok := strings.CutPrefix(origin, "http://")
	if !ok {
		if rest, ok = strings.CutPrefix(origin, "https://"); !ok {
			return false
		}
	}
	host, _, err := net.SplitHostPort(rest)
	if err != nil {
		host = rest
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// OriginAllowed reports whether a browser origin may call the issuer and
// be redirected back to.
func (s *Server) OriginAllowed(origin string) bool { return s.allowedOrigin(origin) }
