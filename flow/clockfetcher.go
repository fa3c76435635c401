package flow

import (
	"context"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/diagnose"
)

// clockFetcher records the Date header of every response that really came
// from the server (not a cache), for the clock-skew diagnosis.
type clockFetcher struct {
	fetch.Fetcher
	now func() time.Time

	mu   sync.Mutex
	seen []diagnose.ServerClock
}

func newClockFetcher(f fetch.Fetcher, now func() time.Time) *clockFetcher {
	return &clockFetcher{Fetcher: f, now: now}
}

// Fetch fetches through the wrapped fetcher and notes the server's clock.
func (c *clockFetcher) Fetch(ctx context.Context, kind fetch.Kind, url string) (*fetch.Result, error) {
	res, err := c.Fetcher.Fetch(ctx, kind, url)
	if err == nil && res != nil && !res.FromCache && !res.Date.IsZero() {
		local := c.now()
		c.mu.Lock()
		c.seen = append(c.seen, diagnose.ServerClock{Server: "issuer", URL: url, Date: res.Date, Local: local})
		c.mu.Unlock()
	}
	return res, err
}

func (c *clockFetcher) clocks() []diagnose.ServerClock {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]diagnose.ServerClock(nil), c.seen...)
}
