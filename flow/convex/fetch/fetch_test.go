package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestHTTPFetcher(t *testing.T) {
	var mu sync.Mutex
	var gotAccept, gotUA string
	date := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	mux := http.NewServeMux()
	mux.HandleFunc("/doc", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotAccept, gotUA = r.Header.Get("Accept"), r.Header.Get("User-Agent")
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=60")
		w.Header().Set("Date", date.Format(http.TimeFormat))
		fmt.Fprint(w, `{"ok":true}`)
	})
	mux.HandleFunc("/bare", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		fmt.Fprint(w, `{}`)
	})
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		http.Error(w, "nope", http.StatusNotFound)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, strings.Repeat("x", 2048))
	})
	mux.HandleFunc("/exact", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, strings.Repeat("x", 1024))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // the client's deadline ends the request
	})
	mux.HandleFunc("/hop/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/hop/"), "%d", &n)
		if n == 0 {
			mu.Lock()
			gotAccept = r.Header.Get("Accept")
			mu.Unlock()
			fmt.Fprint(w, "arrived")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	var records []Record
	var recMu sync.Mutex
	f := NewHTTP(nil, Options{Timeout: 300 * time.Millisecond, MaxBytes: 1024, Now: func() time.Time { return date },
		OnFetch: func(r Record) { recMu.Lock(); records = append(records, r); recMu.Unlock() }})
	ctx := context.Background()

	res, err := f.Fetch(ctx, Discovery, srv.URL+"/doc")
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if gotAccept != "application/json" || gotUA != "Convex/1.0" {
		t.Errorf("request headers: Accept %q, User-Agent %q", gotAccept, gotUA)
	}
	mu.Unlock()
	if res.Status != 200 || string(res.Body) != `{"ok":true}` || !res.HasContentType || res.ContentType != "application/json" {
		t.Errorf("result: %+v", res)
	}
	if !res.Date.Equal(date) || res.CacheLifetime != 60*time.Second {
		t.Errorf("date %v, lifetime %v", res.Date, res.CacheLifetime)
	}
	if res.Timing.Total <= 0 || res.Timing.FirstByte <= 0 || res.Timing.FirstByte > res.Timing.Total {
		t.Errorf("timing: %+v", res.Timing)
	}

	if res, err := f.Fetch(ctx, JWKS, srv.URL+"/bare"); err != nil || res.HasContentType {
		t.Errorf("no Content-Type: %+v, %v", res, err)
	}
	if res, err := f.Fetch(ctx, JWKS, srv.URL+"/missing"); err != nil || res.Status != 404 || res.CacheLifetime != 0 {
		t.Errorf("404 is a result, with no lifetime: %+v, %v", res, err)
	}
	if _, err := f.Fetch(ctx, JWKS, srv.URL+"/big"); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("over the cap: %v", err)
	}
	if res, err := f.Fetch(ctx, JWKS, srv.URL+"/exact"); err != nil || len(res.Body) != 1024 {
		t.Errorf("at the cap: %v", err)
	}
	start := time.Now()
	if _, err := f.Fetch(ctx, JWKS, srv.URL+"/slow"); err == nil || !strings.Contains(err.Error(), "no complete response within") {
		t.Errorf("timeout: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("the deadline did not stop the fetch")
	}
	// reqwest's Policy::limited(10), like net/http's default, refuses the
	// redirect that would make the 11th request.
	if res, err := f.Fetch(ctx, JWKS, srv.URL+"/hop/9"); err != nil || string(res.Body) != "arrived" {
		t.Errorf("9 redirects: %v", err)
	}
	mu.Lock()
	if gotAccept != "application/json" {
		t.Errorf("Accept lost on redirect: %q", gotAccept)
	}
	mu.Unlock()
	if _, err := f.Fetch(ctx, JWKS, srv.URL+"/hop/10"); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("10 redirects: %v", err)
	}
	if _, err := f.Fetch(ctx, JWKS, closedURL(t)); err == nil {
		t.Error("closed port: no error")
	}
	recMu.Lock()
	defer recMu.Unlock()
	if len(records) != 9 {
		t.Fatalf("OnFetch called %d times, want 9", len(records))
	}
	if records[0].Kind != Discovery || records[0].Status != 200 || records[0].Lifetime != time.Minute || records[0].FromCache {
		t.Errorf("first record: %+v", records[0])
	}
	if last := records[len(records)-1]; last.Err == "" {
		t.Errorf("a failed fetch must record its error: %+v", last)
	}
}

// closedURL returns an http URL on 127.0.0.1 where nothing listens.
func closedURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// TestFetchNamesHowTheConnectionFailed: a fetch that never got a response
// says whether this machine could not connect or its proxy failed, and a
// fetch through a proxy says so in its timings, where DNS is the proxy's.
func TestFetchNamesHowTheConnectionFailed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()
	var recs []Record
	onFetch := func(r Record) { recs = append(recs, r) }

	direct := NewHTTP(&http.Client{Transport: &http.Transport{}}, Options{OnFetch: onFetch})
	_, err = direct.Fetch(context.Background(), Discovery, "http://"+dead+"/.well-known/openid-configuration")
	var ne *NetError
	if !errors.As(err, &ne) || ne.Failure != "refused" || recs[0].Network != "refused" || recs[0].Timing.Proxy != "" {
		t.Fatalf("direct: %v, record %+v", err, recs[0])
	}

	proxied := &http.Client{Transport: &http.Transport{Proxy: func(*http.Request) (*url.URL, error) {
		return url.Parse("http://" + dead)
	}}}
	_, err = NewHTTP(proxied, Options{OnFetch: onFetch}).Fetch(context.Background(), JWKS, "https://issuer.example/.well-known/jwks.json")
	if !errors.As(err, &ne) || ne.Failure != "proxy" || recs[1].Network != "proxy" || recs[1].Timing.Proxy != "http://"+dead {
		t.Fatalf("through a dead proxy: %v, record %+v", err, recs[1])
	}

	// A proxy that answers: the response's timing names it.
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{}`) }))
	defer origin.Close()
	viaOrigin := &http.Client{Transport: &http.Transport{Proxy: func(*http.Request) (*url.URL, error) { return url.Parse(origin.URL) }}}
	res, err := NewHTTP(viaOrigin, Options{}).Fetch(context.Background(), Discovery, "http://issuer.example/doc")
	if err != nil || res.Timing.Proxy != origin.URL {
		t.Fatalf("through a proxy: %v, timing %+v", err, res.Timing)
	}
}
