package fetch

import (
	"context"
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"time"
)

// stopwatch collects the phases of one request from httptrace hooks. The
// hooks can run on the dialer's goroutines (happy-eyeballs dials race), so
// the timings are guarded.
type stopwatch struct {
	mu                            sync.Mutex
	start                         time.Time
	dnsStart, connStart, tlsStart time.Time
	t                             Timing
}

func startTiming() *stopwatch { return &stopwatch{start: time.Now()} }

// trace returns ctx with hooks that time the request made with it.
func (w *stopwatch) trace(ctx context.Context) context.Context {
	at := func(p *time.Time) { w.mu.Lock(); *p = time.Now(); w.mu.Unlock() }
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		DNSStart:          func(httptrace.DNSStartInfo) { at(&w.dnsStart) },
		DNSDone:           func(httptrace.DNSDoneInfo) { w.add(&w.t.DNS, w.dnsStart, true) },
		ConnectStart:      func(_, _ string) { at(&w.connStart) },
		ConnectDone:       func(_, _ string, _ error) { w.add(&w.t.Connect, w.connStart, false) },
		TLSHandshakeStart: func() { at(&w.tlsStart) },
		TLSHandshakeDone:  func(tls.ConnectionState, error) { w.add(&w.t.TLS, w.tlsStart, true) },
		GotFirstResponseByte: func() {
			w.mu.Lock()
			w.t.FirstByte = time.Since(w.start)
			w.mu.Unlock()
		},
	})
}

// add records the time since from in d: summed over repeats when sum is
// set (DNS and TLS of each redirect), else only the first (the connection
// that won the dial race).
func (w *stopwatch) add(d *time.Duration, from time.Time, sum bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if from.IsZero() || (!sum && *d != 0) {
		return
	}
	*d += time.Since(from)
}

// done stops the watch and returns the timings.
func (w *stopwatch) done() Timing {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.t.Total = time.Since(w.start)
	return w.t
}
