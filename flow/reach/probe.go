package reach

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"
)

// ProbeTimeout bounds a whole Probe: a run that cannot reach its servers
// says so within it, instead of waiting for a browser that cannot load
// ClerkJS.
const ProbeTimeout = 2 * time.Second

// Result is what probing one server found.
type Result struct {
	// URL is the server probed (scheme://host[:port]).
	URL string
	// Proxy is the proxy the connection went through, as the environment
	// names it (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); empty when direct.
	Proxy string
	// Failure and Err say how the connection failed; both empty when it
	// was made (TLS included for https).
	Failure Failure
	Err     error
	Elapsed time.Duration
}

// OK reports whether the server was reached.
func (r Result) OK() bool { return r.Err == nil }

// Probe resolves and connects to every URL at once, with a TLS handshake
// for https, the way hc's transport connects (its proxy, its trust store),
// and reports each within timeout (ProbeTimeout when 0). A server is
// reached once the connection is ready for a request: no request is sent.
func Probe(ctx context.Context, hc *http.Client, timeout time.Duration, urls ...string) []Result {
	if timeout <= 0 {
		timeout = ProbeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rt := transport(hc)
	out := make([]Result, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = probeOne(ctx, rt, u, timeout)
		}()
	}
	wg.Wait()
	return out
}

func transport(hc *http.Client) http.RoundTripper {
	if hc != nil && hc.Transport != nil {
		return hc.Transport
	}
	return http.DefaultTransport
}

// ProxyFor is the proxy rt would use for rawURL, or "" when it connects
// directly (or does not say).
func ProxyFor(rt http.RoundTripper, rawURL string) string {
	t, ok := rt.(*http.Transport)
	if !ok || t.Proxy == nil {
		return ""
	}
	req, err := http.NewRequest(http.MethodHead, rawURL, nil)
	if err != nil {
		return ""
	}
	p, err := t.Proxy(req)
	if err != nil || p == nil {
		return ""
	}
	return p.Redacted()
}

// ClientProxy is ProxyFor with hc's transport.
func ClientProxy(hc *http.Client, rawURL string) string { return ProxyFor(transport(hc), rawURL) }

func probeOne(ctx context.Context, rt http.RoundTripper, raw string, timeout time.Duration) Result {
	start := time.Now()
	res := Result{URL: raw}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		res.Err = fmt.Errorf("%q is not an http(s) URL", raw)
		return res
	}
	origin := u.Scheme + "://" + u.Host + "/"
	res.URL = u.Scheme + "://" + u.Host
	res.Proxy = ProxyFor(rt, origin)
	// Once the transport has a connection (dialled, tunnelled, TLS done),
	// the probe has its answer: the request is cancelled unsent.
	reached := make(chan struct{})
	var once sync.Once
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) {
		once.Do(func() { close(reached); cancel() })
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(pctx, trace), http.MethodHead, origin, nil)
	if err != nil {
		res.Err = err
		return res
	}
	resp, err := rt.RoundTrip(req)
	if resp != nil {
		resp.Body.Close()
	}
	res.Elapsed = time.Since(start)
	select {
	case <-reached:
		return res
	default:
	}
	if err == nil {
		return res
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		res.Err = ctx.Err() // the run was stopped: no failure to name
		return res
	}
	res.Failure = Classify(err, res.Proxy != "")
	switch {
	case ctx.Err() != nil:
		// The probe's own deadline cut the attempt, whatever error the
		// transport made of it.
		res.Failure, err = Timeout, fmt.Errorf("no connection within %s", timeout)
	case res.Failure == "":
		res.Failure = Connect
	}
	res.Err = err
	return res
}
