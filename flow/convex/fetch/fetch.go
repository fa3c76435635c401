package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/authscope/authscope/flow/reach"
)

// The HTTP side of discovery and key sets (SPEC.md "Requests"): GET with
// Accept: application/json and User-Agent Convex/1.0, redirects followed
// with reqwest's default Policy::limited(10), which like net/http's default
// refuses the redirect that would make an 11th request. Unlike the backend,
// every fetch has a deadline and a size cap.

// Options configure NewHTTP.
type Options struct {
	// Timeout bounds each fetch, redirects and body included (default 10 s).
	Timeout time.Duration
	// MaxBytes caps the response body (default 1 MiB); a larger body is an error.
	MaxBytes int64
	// Now is the clock for Record.At and cache lifetimes (nil: time.Now).
	Now func() time.Time
	// OnFetch, if set, is called once for every fetch, failed or not.
	OnFetch func(Record)
}

// Defaults of Options.
const (
	DefaultTimeout  = 10 * time.Second
	DefaultMaxBytes = 1 << 20
	userAgent       = "Convex/1.0"
	maxRedirects    = 10
)

// ErrBodyTooLarge is wrapped by the error of a fetch whose body exceeds MaxBytes.
var ErrBodyTooLarge = errors.New("response body too large")

type httpFetcher struct {
	client *http.Client
	opts   Options
}

// NewHTTP returns a Fetcher that GETs over HTTP. client may be nil for a
// fresh client; a client without a redirect policy stops after 10
// redirects as the backend's does.
func NewHTTP(client *http.Client, opts Options) Fetcher {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
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

// Fetch performs one GET. Any HTTP status is a Result; transport
// failures, a timeout and an oversized body are errors.
func (f *httpFetcher) Fetch(ctx context.Context, kind Kind, url string) (*Result, error) {
	at := f.now()
	res, err := f.do(ctx, url)
	if f.opts.OnFetch != nil {
		f.opts.OnFetch(NewRecord(kind, url, at, res, err))
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (f *httpFetcher) do(ctx context.Context, url string) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	clock := startTiming()
	req, err := http.NewRequestWithContext(clock.trace(ctx), http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("cannot build a request for %s: %w", url, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	proxy := reach.ClientProxy(f.client, url)
	resp, err := f.client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			err = fmt.Errorf("GET %s: no complete response within %s: %w", url, f.opts.Timeout, err)
		} else {
			err = fmt.Errorf("GET %s: %w", url, err)
		}
		if failure := reach.Classify(err, proxy != ""); failure != "" {
			err = &NetError{Failure: failure, Proxy: proxy, Err: err}
		}
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: reading the body: %w", url, err)
	}
	if int64(len(body)) > f.opts.MaxBytes {
		return nil, fmt.Errorf("GET %s: the body is larger than the %d-byte limit authscope applies: %w", url, f.opts.MaxBytes, ErrBodyTooLarge)
	}
	res := &Result{
		URL:            url,
		Status:         resp.StatusCode,
		Header:         resp.Header,
		Body:           body,
		Timing:         withProxy(clock.done(), proxy),
		HasContentType: len(resp.Header.Values("Content-Type")) > 0,
		ContentType:    resp.Header.Get("Content-Type"),
	}
	if d := resp.Header.Get("Date"); d != "" {
		if dt, err := http.ParseTime(d); err == nil {
			res.Date = dt
		}
	}
	if resp.StatusCode == http.StatusOK {
		res.CacheLifetime = CacheLifetime(resp.Header, f.now())
	}
	return res, nil
}

func withProxy(t Timing, proxy string) Timing {
	t.Proxy = proxy
	return t
}
