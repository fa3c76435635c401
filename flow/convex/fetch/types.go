// Package fetch performs the HTTP GETs of OIDC discovery and key sets as
// Convex's backend does, with its in-memory HTTP cache, and times each
// one. SPEC.md beside this file says what is emulated and where authscope
// differs on purpose (a deadline and a size cap on every fetch).
package fetch

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/authscope/authscope/flow/reach"
)

// Kind says which document a fetch was for.
type Kind string

// Kinds of documents.
const (
	Discovery Kind = "discovery"
	JWKS      Kind = "jwks"
)

// Timing breaks one HTTP fetch down into its phases, as httptrace sees them.
type Timing struct {
	DNS       time.Duration `json:"dns"`
	Connect   time.Duration `json:"connect"`
	TLS       time.Duration `json:"tls"`
	FirstByte time.Duration `json:"firstByte"`
	Total     time.Duration `json:"total"`
	// Proxy is the proxy the request went through (HTTPS_PROXY,
	// HTTP_PROXY), empty when direct. Through a proxy, the proxy resolves
	// the host's name (DNS is then this machine's lookup of the proxy,
	// often none) and Connect is the connection to the proxy.
	Proxy string `json:"proxy,omitempty"`
}

// Result is one HTTP response as the validator sees it.
type Result struct {
	URL         string      `json:"url"`
	Status      int         `json:"status"`
	Header      http.Header `json:"-"`
	ContentType string      `json:"contentType,omitempty"`
	// HasContentType distinguishes an absent header from an empty one.
	HasContentType bool   `json:"-"`
	Body           []byte `json:"-"`
	// FromCache is true when a cache served the response without a request.
	FromCache bool `json:"fromCache"`
	// CacheLifetime is the freshness lifetime from Cache-Control (0: not cacheable).
	CacheLifetime time.Duration `json:"cacheLifetime"`
	Timing        Timing        `json:"timing"`
	// Date is the server's Date header, for clock-skew checks (zero if absent).
	Date time.Time `json:"date,omitempty"`
}

// Record is a fetch reported as it happened: for the report's step 7 and
// for the embedded backend's own view (hit or miss).
type Record struct {
	Kind      Kind          `json:"kind"`
	URL       string        `json:"url"`
	Status    int           `json:"status,omitempty"`
	FromCache bool          `json:"fromCache"`
	Lifetime  time.Duration `json:"cacheLifetime"`
	Timing    Timing        `json:"timing"`
	Err       string        `json:"error,omitempty"`
	// Network says how the connection failed, when it did: this machine
	// could not resolve, connect, pass its proxy or complete TLS.
	Network reach.Failure `json:"network,omitempty"`
	At      time.Time     `json:"at"`
}

// NewRecord describes one fetch of url, begun at at, from its outcome.
func NewRecord(kind Kind, url string, at time.Time, res *Result, err error) Record {
	rec := Record{Kind: kind, URL: url, At: at}
	if err != nil {
		rec.Err = err.Error()
		var ne *NetError
		if errors.As(err, &ne) {
			rec.Network, rec.Timing.Proxy = ne.Failure, ne.Proxy
		}
	}
	if res != nil {
		rec.Status = res.Status
		rec.FromCache = res.FromCache
		rec.Lifetime = res.CacheLifetime
		rec.Timing = res.Timing
	}
	return rec
}

// Fetcher performs the GETs of discovery and key sets. Implementations
// apply a deadline and a response-size cap; a transport failure is an
// error, any HTTP status is a Result.
type Fetcher interface {
	Fetch(ctx context.Context, kind Kind, url string) (*Result, error)
}

// NetError is a fetch whose connection failed, with how it failed (see
// package reach) and the proxy it went through, if any.
type NetError struct {
	Failure reach.Failure
	Proxy   string
	Err     error
}

func (e *NetError) Error() string { return e.Err.Error() }

func (e *NetError) Unwrap() error { return e.Err }
