package convex

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync"
	"time"
)

// The HTTP side of discovery and JWKS (reference/convex.md §1.7): GET with
// Accept: application/json and User-Agent Convex/1.0, redirects followed
// with reqwest's default Policy::limited(10), which like net/http's default
// refuses the redirect that would make an 11th request. Unlike the backend,
// every fetch has a deadline and a size cap.

// FetchOptions configure NewHTTPFetcher.
type FetchOptions struct {
	// Timeout bounds each fetch, redirects and body included (default 10 s).
	Timeout time.Duration
	// MaxBytes caps the response body (default 1 MiB); a larger body is an error.
	MaxBytes int64
	// Now is the clock for FetchRecord.At and cache lifetimes (nil: time.Now).
	Now func() time.Time
	// OnFetch, if set, is called once for every fetch, failed or not.
	OnFetch func(FetchRecord)
}

// Defaults of FetchOptions.
const (
	DefaultFetchTimeout  = 10 * time.Second
	DefaultFetchMaxBytes = 1 << 20
	userAgent            = "Convex/1.0"
	maxRedirects         = 10
)

// ErrBodyTooLarge is wrapped by the error of a fetch whose body exceeds MaxBytes.
var ErrBodyTooLarge = errors.New("response body too large")

type httpFetcher struct {
	client *http.Client
	opts   FetchOptions
}

// NewHTTPFetcher returns a Fetcher that GETs over HTTP. client may be nil
// for a fresh client; a client without a redirect policy stops after 10
// redirects as the backend's does.
func NewHTTPFetcher(client *http.Client, opts FetchOptions) Fetcher {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultFetchTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultFetchMaxBytes
	}
	if client == nil {
		client = &http.Client{}
	}
	if client.CheckRedirect == nil {
		c := *client
		c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("stopped after %d redirects", len(via))
			}
			return nil
		}
		client = &c
	}
	return &httpFetcher{client: client, opts: opts}
}

func (f *httpFetcher) now() time.Time {
	if f.opts.Now != nil {
		return f.opts.Now()
	}
	return time.Now()
}

// Fetch performs one GET. Any HTTP status is a FetchResult; transport
// failures, a timeout and an oversized body are errors.
func (f *httpFetcher) Fetch(ctx context.Context, kind FetchKind, url string) (*FetchResult, error) {
	at := f.now()
	res, err := f.do(ctx, url)
	if f.opts.OnFetch != nil {
		rec := FetchRecord{Kind: kind, URL: url, At: at}
		if err != nil {
			rec.Err = err.Error()
		}
		if res != nil {
			rec.Status = res.Status
			rec.Lifetime = res.CacheLifetime
			rec.Timing = res.Timing
		}
		f.opts.OnFetch(rec)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (f *httpFetcher) do(ctx context.Context, url string) (*FetchResult, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()

	// The trace hooks can run on the dialer's goroutines (happy-eyeballs
	// dials race), so the timings are guarded.
	var mu sync.Mutex
	var t Timing
	start := time.Now()
	var dnsStart, connStart, tlsStart time.Time
	trace := &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { mu.Lock(); dnsStart = time.Now(); mu.Unlock() },
		DNSDone: func(httptrace.DNSDoneInfo) {
			mu.Lock()
			if !dnsStart.IsZero() {
				t.DNS += time.Since(dnsStart)
			}
			mu.Unlock()
		},
		ConnectStart: func(_, _ string) { mu.Lock(); connStart = time.Now(); mu.Unlock() },
		ConnectDone: func(_, _ string, _ error) {
			mu.Lock()
			if !connStart.IsZero() && t.Connect == 0 {
				t.Connect = time.Since(connStart)
			}
			mu.Unlock()
		},
		TLSHandshakeStart: func() { mu.Lock(); tlsStart = time.Now(); mu.Unlock() },
		TLSHandshakeDone: func(tls.ConnectionState, error) {
			mu.Lock()
			if !tlsStart.IsZero() {
				t.TLS += time.Since(tlsStart)
			}
			mu.Unlock()
		},
		GotFirstResponseByte: func() { mu.Lock(); t.FirstByte = time.Since(start); mu.Unlock() },
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("cannot build a request for %s: %w", url, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	resp, err := f.client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return nil, fmt.Errorf("GET %s: no complete response within %s: %w", url, f.opts.Timeout, err)
		}
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: reading the body: %w", url, err)
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return nil, fmt.Errorf("GET %s: the body is larger than the %d-byte limit authscope applies: %w", url, f.opts.MaxBytes, ErrBodyTooLarge)
	}
	mu.Lock()
	t.Total = time.Since(start)
	timing := t
	mu.Unlock()
	now := f.now()
	res := &FetchResult{
		URL:            url,
		Status:         resp.StatusCode,
		Header:         resp.Header,
		Body:           body,
		Timing:         timing,
		HasContentType: len(resp.Header.Values("Content-Type")) > 0,
		ContentType:    resp.Header.Get("Content-Type"),
	}
	if d := resp.Header.Get("Date"); d != "" {
		if dt, err := http.ParseTime(d); err == nil {
			res.Date = dt
		}
	}
	if resp.StatusCode == http.StatusOK {
		res.CacheLifetime = CacheLifetime(resp.Header, now)
	}
	return res, nil
}
