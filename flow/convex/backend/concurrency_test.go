package backend

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/convex/wire"
)

// TestColdCacheBurst: 500 sockets authenticate at the same moment against a
// backend that has never fetched the issuer's documents. The issuer must see
// one discovery request and one JWKS request; once the Cache-Control
// lifetime has passed on the backend's clock, exactly one more of each.
func TestColdCacheBurst(t *testing.T) {
	const sockets = 500
	is := newIssuer(t)
	is.maxAge = 300
	// Hold the first discovery answer long enough for every Authenticate
	// to arrive while it is outstanding.
	is.discoveryDelay = 200 * time.Millisecond
	clock := newFakeClock()
	var log fetchLog
	b := startBackend(t, Options{Config: is.config(), Now: clock.Now, OnFetch: log.add})

	round := func(n int) {
		t.Helper()
		token := is.token(t, clock.Now(), nil)
		conns := make([]*wire.Conn, n)
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := wire.Dial(context.Background(), b.URL(), wire.ClientOptions{Timeout: 30 * time.Second})
				if err != nil {
					errs <- err
					return
				}
				conns[i] = c
			}()
		}
		wg.Wait()
		start := make(chan struct{})
		for _, c := range conns {
			if c == nil {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				out, err := c.Authenticate(context.Background(), token)
				if err == nil && !out.Accepted {
					t.Errorf("not accepted: %+v", out)
				}
				if err != nil {
					errs <- err
				}
				_ = c.Close()
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}

	round(sockets)
	if d, j := is.discoveryHits.Load(), is.jwksHits.Load(); d != 1 || j != 1 {
		t.Fatalf("cold burst of %d: issuer saw %d discovery and %d JWKS requests, want 1 and 1", sockets, d, j)
	}
	hits, misses := log.counts()
	if misses != 2 || hits != 2*sockets-2 {
		t.Errorf("OnFetch: %d misses and %d hits, want 2 and %d", misses, hits, 2*sockets-2)
	}

	clock.Advance(time.Duration(is.maxAge-1) * time.Second)
	round(sockets / 10)
	if d, j := is.discoveryHits.Load(), is.jwksHits.Load(); d != 1 || j != 1 {
		t.Fatalf("within the lifetime: %d discovery and %d JWKS requests, want still 1 and 1", d, j)
	}

	clock.Advance(2 * time.Second)
	round(sockets / 5)
	if d, j := is.discoveryHits.Load(), is.jwksHits.Load(); d != 2 || j != 2 {
		t.Fatalf("after the Cache-Control lifetime: %d discovery and %d JWKS requests, want 2 and 2", d, j)
	}
}
