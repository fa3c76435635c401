package fetch

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// The backend fetches discovery and key sets through an in-memory HTTP
// cache that follows the standard caching headers (SPEC.md "Cache":
// http-cache-reqwest in CacheMode::Default). NewCache plays that part for
// the embedded backend and for replays.

// CacheLifetime is the freshness lifetime of a response with headers h
// received at now, as an HTTP cache computes it (RFC 9111 section 4.2):
// no-store, no-cache and Vary: * make it 0; otherwise s-maxage, then
// max-age, then Expires minus Date (or now), then 10% of the time since
// Last-Modified (24 h for immutable); the Age header is subtracted. The
// private directive is ignored: this cache is in one process, for one
// user. Never negative.
func CacheLifetime(h http.Header, now time.Time) time.Duration {
	cc := parseCacheControl(h.Values("Cache-Control"))
	if _, ok := cc["no-store"]; ok {
		return 0
	}
	if _, ok := cc["no-cache"]; ok {
		return 0
	}
	if len(h.Values("Cache-Control")) == 0 && strings.Contains(strings.ToLower(h.Get("Pragma")), "no-cache") {
		return 0
	}
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.TrimSpace(f) == "*" {
				return 0
			}
		}
	}
	var fresh time.Duration
	explicit := false
	for _, name := range []string{"s-maxage", "max-age"} {
		if v, ok := cc[name]; ok {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
				fresh = secondsDuration(n)
				explicit = true
				break
			}
		}
	}
	date := now
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		date = d
	}
	if !explicit {
		if exp := h.Values("Expires"); len(exp) > 0 {
			explicit = true
			if t, err := http.ParseTime(exp[0]); err == nil {
				fresh = t.Sub(date)
			} // an invalid Expires (such as "0") means already expired
		}
	}
	if !explicit {
		if _, ok := cc["immutable"]; ok {
			fresh = 24 * time.Hour
		} else if lm, err := http.ParseTime(h.Get("Last-Modified")); err == nil && date.After(lm) {
			fresh = date.Sub(lm) / 10
		}
	}
	if age, err := strconv.ParseInt(strings.TrimSpace(h.Get("Age")), 10, 64); err == nil && age > 0 {
		fresh -= secondsDuration(age)
	}
	if fresh < 0 {
		return 0
	}
	return fresh
}

func secondsDuration(n int64) time.Duration {
	const maxSecs = int64(1<<63-1) / int64(time.Second)
	if n > maxSecs {
		n = maxSecs
	}
	return time.Duration(n) * time.Second
}

// parseCacheControl splits Cache-Control values into lowercase directive
// names and their (unquoted) values.
func parseCacheControl(values []string) map[string]string {
	out := map[string]string{}
	for _, v := range values {
		for _, part := range splitDirectives(v) {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			name, val, _ := strings.Cut(part, "=")
			name = strings.ToLower(strings.TrimSpace(name))
			val = strings.Trim(strings.TrimSpace(val), `"`)
			if _, dup := out[name]; !dup {
				out[name] = val
			}
		}
	}
	return out
}

// splitDirectives splits on commas outside quoted strings.
func splitDirectives(v string) []string {
	var parts []string
	start, quoted := 0, false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				parts = append(parts, v[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, v[start:])
}

// cacheMaxEntries bounds the cache; discovery and JWKS are a handful of URLs.
const cacheMaxEntries = 256

type cacheEntry struct {
	res     *Result
	expires time.Time
}

type cachingFetcher struct {
	inner   Fetcher
	now     func() time.Time
	onFetch func(Record)

	mu      sync.Mutex
	entries map[string]cacheEntry
	group   singleflight.Group
}

// NewCache wraps inner with an in-memory HTTP cache: 200
// responses are kept for their CacheLifetime, and concurrent misses for
// one URL share a single upstream request. Hits, and callers that joined
// another caller's request, get FromCache true. now may be nil
// (time.Now); onFetch, if set, is called for every Fetch, hit or miss.
// Bodies are shared between callers and must not be modified.
func NewCache(inner Fetcher, now func() time.Time, onFetch func(Record)) Fetcher {
	if now == nil {
		now = time.Now
	}
	return &cachingFetcher{inner: inner, now: now, onFetch: onFetch, entries: map[string]cacheEntry{}}
}

// lookup returns a fresh entry's response as a hit.
func (c *cachingFetcher) lookup(url string, now time.Time) (*Result, bool) {
	c.mu.Lock()
	e, ok := c.entries[url]
	c.mu.Unlock()
	if !ok || !now.Before(e.expires) {
		return nil, false
	}
	hit := *e.res
	hit.FromCache = true
	hit.Timing = Timing{}
	hit.CacheLifetime = e.expires.Sub(now)
	return &hit, true
}

func (c *cachingFetcher) store(url string, res *Result, now time.Time) {
	lifetime := res.CacheLifetime
	if lifetime == 0 && res.Header != nil {
		lifetime = CacheLifetime(res.Header, now) // an inner fetcher that left it out
	}
	if res.Status != http.StatusOK || lifetime <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= cacheMaxEntries {
		for k, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, k)
			}
		}
		for k := range c.entries {
			if len(c.entries) < cacheMaxEntries {
				break
			}
			delete(c.entries, k)
		}
	}
	c.entries[url] = cacheEntry{res: res, expires: now.Add(lifetime)}
}

type flightResult struct {
	res *Result
	hit bool
}

// Fetch serves url from the cache when fresh, and otherwise fetches it once
// for all concurrent callers.
func (c *cachingFetcher) Fetch(ctx context.Context, kind Kind, url string) (*Result, error) {
	at := c.now()
	if hit, ok := c.lookup(url, at); ok {
		c.record(kind, url, at, hit, nil)
		return hit, nil
	}
	leader := false
	ch := c.group.DoChan(url, func() (any, error) {
		leader = true
		// Another flight may have stored the URL since our lookup.
		now := c.now()
		if hit, ok := c.lookup(url, now); ok {
			return flightResult{res: hit, hit: true}, nil
		}
		// The request outlives a caller that gives up; the inner fetcher's
		// own deadline bounds it.
		res, err := c.inner.Fetch(context.WithoutCancel(ctx), kind, url)
		if err != nil {
			return nil, err
		}
		if res == nil {
			return nil, fmt.Errorf("the fetcher returned no response for %s", url)
		}
		c.store(url, res, c.now())
		return flightResult{res: res}, nil
	})
	select {
	case <-ctx.Done():
		c.record(kind, url, at, nil, ctx.Err())
		return nil, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			c.record(kind, url, at, nil, r.Err)
			return nil, r.Err
		}
		fr := r.Val.(flightResult)
		res := *fr.res
		if !leader || fr.hit {
			res.FromCache = true
			res.Timing = Timing{}
		}
		c.record(kind, url, at, &res, nil)
		return &res, nil
	}
}

func (c *cachingFetcher) record(kind Kind, url string, at time.Time, res *Result, err error) {
	if c.onFetch != nil {
		c.onFetch(NewRecord(kind, url, at, res, err))
	}
}
