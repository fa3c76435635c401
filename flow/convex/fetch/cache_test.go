package fetch

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestCacheLifetime(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Add(kv[i], kv[i+1])
		}
		return h
	}
	date := now.Format(http.TimeFormat)
	tests := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"none", hdr(), 0},
		{"max-age", hdr("Cache-Control", "public, max-age=300"), 300 * time.Second},
		{"upper case", hdr("Cache-Control", "Max-Age=10"), 10 * time.Second},
		{"s-maxage wins", hdr("Cache-Control", "max-age=300, s-maxage=60"), 60 * time.Second},
		{"private is fine here", hdr("Cache-Control", "private, max-age=30"), 30 * time.Second},
		{"no-store", hdr("Cache-Control", "max-age=300, no-store"), 0},
		{"no-cache", hdr("Cache-Control", "no-cache, max-age=300"), 0},
		{"Age subtracted", hdr("Cache-Control", "max-age=300", "Age", "100"), 200 * time.Second},
		{"Age beyond max-age", hdr("Cache-Control", "max-age=300", "Age", "400"), 0},
		{"Expires minus Date", hdr("Date", date, "Expires", now.Add(90*time.Second).Format(http.TimeFormat)), 90 * time.Second},
		{"max-age beats Expires", hdr("Cache-Control", "max-age=5", "Expires", now.Add(time.Hour).Format(http.TimeFormat)), 5 * time.Second},
		{"invalid Expires is expired", hdr("Expires", "0", "Last-Modified", now.Add(-time.Hour).Format(http.TimeFormat)), 0},
		{"heuristic from Last-Modified", hdr("Date", date, "Last-Modified", now.Add(-100*time.Minute).Format(http.TimeFormat)), 10 * time.Minute},
		{"immutable", hdr("Cache-Control", "immutable"), 24 * time.Hour},
		{"Vary star", hdr("Cache-Control", "max-age=60", "Vary", "Accept, *"), 0},
		{"Pragma no-cache without Cache-Control", hdr("Pragma", "no-cache", "Expires", now.Add(time.Hour).Format(http.TimeFormat)), 0},
		{"quoted comma", hdr("Cache-Control", `private="a, b", max-age=7`), 7 * time.Second},
		{"bad max-age ignored", hdr("Cache-Control", "max-age=abc"), 0},
		{"two header lines", hdr("Cache-Control", "public", "Cache-Control", "max-age=42"), 42 * time.Second},
	}
	for _, tc := range tests {
		if got := CacheLifetime(tc.h, now); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// upstream counts requests per path and holds them until released.
type upstream struct {
	srv     *httptest.Server
	release chan struct{}
	mu      sync.Mutex
	counts  map[string]int
	status  int
	cc      string
	// arrivals receives each request's path as it reaches the server.
	arrivals chan string
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{release: make(chan struct{}), counts: map[string]int{}, status: 200, cc: "max-age=60", arrivals: make(chan string, 4096)}
	close(u.release)
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.counts[r.URL.Path]++
		release, status, cc := u.release, u.status, u.cc
		u.mu.Unlock()
		select {
		case u.arrivals <- r.URL.Path:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", cc)
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"path":%q}`, r.URL.Path)
	}))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *upstream) hold() {
	u.mu.Lock()
	u.release = make(chan struct{})
	u.mu.Unlock()
}

func (u *upstream) let() {
	u.mu.Lock()
	close(u.release)
	u.mu.Unlock()
}

func (u *upstream) count(path string) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.counts[path]
}

// 500 concurrent fetches on a cold cache make one upstream request per
// URL; when the lifetime has passed, the next wave makes exactly one more.
func TestCachingFetcherCoalesces(t *testing.T) {
	u := newUpstream(t)
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	var onFetch atomic.Int64
	f := NewCache(NewHTTP(nil, Options{Now: clock.now}), clock.now, func(Record) { onFetch.Add(1) })
	urls := []string{u.srv.URL + "/.well-known/openid-configuration", u.srv.URL + "/.well-known/jwks.json"}

	wave := func() (misses map[string]int) {
		misses = map[string]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		u.hold()
		for i := 0; i < 500; i++ {
			for _, url := range urls {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
					defer cancel()
					res, err := f.Fetch(ctx, JWKS, url)
					if err != nil {
						t.Error(err)
						return
					}
					if !res.FromCache {
						mu.Lock()
						misses[url]++
						mu.Unlock()
					}
				}()
			}
		}
		u.let()
		wg.Wait()
		return misses
	}

	misses := wave()
	for _, url := range urls {
		path := url[len(u.srv.URL):]
		if n := u.count(path); n != 1 {
			t.Errorf("cold wave: %d upstream requests for %s, want 1", n, path)
		}
		if misses[url] != 1 {
			t.Errorf("cold wave: %d callers saw a miss for %s, want 1", misses[url], path)
		}
	}
	if n := onFetch.Load(); n != 1000 {
		t.Errorf("onFetch called %d times, want 1000", n)
	}

	clock.advance(59 * time.Second)
	wave()
	for _, url := range urls {
		if n := u.count(url[len(u.srv.URL):]); n != 1 {
			t.Errorf("within the lifetime: %d upstream requests, want still 1", n)
		}
	}

	clock.advance(2 * time.Second) // 61 s after the fetch: stale
	wave()
	for _, url := range urls {
		if n := u.count(url[len(u.srv.URL):]); n != 2 {
			t.Errorf("after the lifetime: %d upstream requests for %s, want 2", n, url)
		}
	}
}

func TestCachingFetcherRules(t *testing.T) {
	u := newUpstream(t)
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	var recs []Record
	var mu sync.Mutex
	f := NewCache(NewHTTP(nil, Options{Now: clock.now}), clock.now, func(r Record) {
		mu.Lock()
		recs = append(recs, r)
		mu.Unlock()
	})
	ctx := context.Background()

	// A hit: FromCache, no timing, the remaining lifetime.
	if res, err := f.Fetch(ctx, JWKS, u.srv.URL+"/a"); err != nil || res.FromCache || res.CacheLifetime != time.Minute {
		t.Fatalf("miss: %+v, %v", res, err)
	}
	clock.advance(20 * time.Second)
	res, err := f.Fetch(ctx, JWKS, u.srv.URL+"/a")
	if err != nil || !res.FromCache || res.CacheLifetime != 40*time.Second || res.Timing != (Timing{}) || string(res.Body) != `{"path":"/a"}` {
		t.Fatalf("hit: %+v, %v", res, err)
	}
	mu.Lock()
	if len(recs) != 2 || recs[0].FromCache || !recs[1].FromCache || recs[1].Lifetime != 40*time.Second {
		t.Errorf("records: %+v", recs)
	}
	mu.Unlock()

	// Only 200 is cached.
	u.mu.Lock()
	u.status = 500
	u.mu.Unlock()
	for i := 0; i < 3; i++ {
		if res, err := f.Fetch(ctx, JWKS, u.srv.URL+"/err"); err != nil || res.Status != 500 || res.FromCache {
			t.Fatalf("500: %+v, %v", res, err)
		}
	}
	if n := u.count("/err"); n != 3 {
		t.Errorf("a 500 was served from cache: %d upstream requests, want 3", n)
	}

	// no-store is not cached.
	u.mu.Lock()
	u.status, u.cc = 200, "no-store"
	u.mu.Unlock()
	f.Fetch(ctx, JWKS, u.srv.URL+"/nostore")
	f.Fetch(ctx, JWKS, u.srv.URL+"/nostore")
	if n := u.count("/nostore"); n != 2 {
		t.Errorf("no-store: %d upstream requests, want 2", n)
	}

	// A caller that gives up gets its context's error; the request goes on
	// and its result is cached for the next caller.
	u.mu.Lock()
	u.cc = "max-age=60"
	u.mu.Unlock()
	u.hold()
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := f.Fetch(cctx, JWKS, u.srv.URL+"/late")
		done <- err
	}()
	for path := range u.arrivals {
		if path == "/late" {
			break
		}
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("cancelled caller: %v", err)
	}
	u.let()
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, err := f.Fetch(ctx, JWKS, u.srv.URL+"/late")
		if err != nil {
			t.Fatal(err)
		}
		if u.count("/late") != 1 {
			t.Fatalf("the abandoned request was repeated")
		}
		if res.FromCache || time.Now().After(deadline) {
			break
		}
	}
}
