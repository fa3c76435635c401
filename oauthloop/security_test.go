package oauthloop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk/devinstance"
)

// hostile describes one refused request: start from a request the loopback
// would accept (a valid click event with every header right) and break one
// thing.
type hostile struct {
	name   string
	method string
	path   string
	body   func(c *pageConn) io.Reader // nil: the valid click event
	edit   func(r *http.Request, c *pageConn)
	want   int
}

func validClick(c *pageConn) []byte {
	ev := scriptedEvents()[0]
	ev.State = c.state
	b, _ := json.Marshal(ev)
	return b
}

// hideLength makes a body of unknown length (sent chunked).
type hideLength struct{ io.Reader }

func hostileRequests() []hostile {
	big := func(*pageConn) io.Reader {
		return bytes.NewReader(append(append([]byte(`{"state":"`), bytes.Repeat([]byte("a"), MaxBodyBytes+10)...), '"', '}'))
	}
	return []hostile{
		{name: "missing secret", edit: func(r *http.Request, _ *pageConn) { r.Header.Del(HeaderSecret) }, want: 401},
		{name: "wrong secret", edit: func(r *http.Request, c *pageConn) { r.Header.Set(HeaderSecret, c.secret[:len(c.secret)-1]+"x") }, want: 403},
		{name: "wrong state", body: func(c *pageConn) io.Reader {
			return bytes.NewReader(bytes.Replace(validClick(c), []byte(c.state), []byte("forged-state"), 1))
		}, want: 403},
		{name: "missing state", body: func(c *pageConn) io.Reader {
			return bytes.NewReader(bytes.Replace(validClick(c), []byte(c.state), nil, 1))
		}, want: 403},
		{name: "foreign Host (DNS rebinding)", edit: func(r *http.Request, c *pageConn) { r.Host = "evil.example:" + port(c) }, want: 403},
		{name: "localhost Host", edit: func(r *http.Request, c *pageConn) { r.Host = "localhost:" + port(c) }, want: 403},
		{name: "foreign Host on the page", method: http.MethodGet, path: PathLanding, edit: func(r *http.Request, c *pageConn) { r.Host = "evil.example" }, want: 403},
		{name: "cross-origin POST", edit: func(r *http.Request, _ *pageConn) { r.Header.Set("Origin", "http://evil.example") }, want: 403},
		{name: "POST without Origin", edit: func(r *http.Request, _ *pageConn) { r.Header.Del("Origin") }, want: 403},
		{name: "null Origin", edit: func(r *http.Request, _ *pageConn) { r.Header.Set("Origin", "null") }, want: 403},
		{name: "cross-site fetch metadata", edit: func(r *http.Request, _ *pageConn) { r.Header.Set("Sec-Fetch-Site", "cross-site") }, want: 403},
		{name: "text/plain body", edit: func(r *http.Request, _ *pageConn) { r.Header.Set("Content-Type", "text/plain") }, want: 415},
		{name: "form body", edit: func(r *http.Request, _ *pageConn) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") }, want: 415},
		{name: "no content type", edit: func(r *http.Request, _ *pageConn) { r.Header.Del("Content-Type") }, want: 415},
		{name: "oversized body", body: big, want: 413},
		{name: "oversized chunked body", body: func(c *pageConn) io.Reader { return hideLength{big(c)} }, want: 413},
		{name: "a valid value, then 10 MiB (chunked)", body: func(c *pageConn) io.Reader {
			return hideLength{io.MultiReader(bytes.NewReader(validClick(c)), bytes.NewReader(bytes.Repeat([]byte(" "), 10<<20)))}
		}, want: 413},
		{name: "a valid value, then 10 MiB of another value (chunked)", body: func(c *pageConn) io.Reader {
			return hideLength{io.MultiReader(bytes.NewReader(validClick(c)), strings.NewReader(`{"state":"`), bytes.NewReader(bytes.Repeat([]byte("a"), 10<<20)))}
		}, want: 413},
		{name: "malformed JSON", body: func(*pageConn) io.Reader { return strings.NewReader(`{"state":`) }, want: 400},
		{name: "unknown field", body: func(c *pageConn) io.Reader {
			return strings.NewReader(`{"state":"` + c.state + `","step":"click","status":"ok","start":1,"end":2,"admin":true}`)
		}, want: 400},
		{name: "two JSON values", body: func(c *pageConn) io.Reader {
			return io.MultiReader(bytes.NewReader(validClick(c)), bytes.NewReader(validClick(c)))
		}, want: 400},
		{name: "unknown step", body: func(c *pageConn) io.Reader {
			return strings.NewReader(`{"state":"` + c.state + `","step":"jwks","status":"ok","start":1,"end":2}`)
		}, want: 400},
		{name: "running is not a final status", body: func(c *pageConn) io.Reader {
			return strings.NewReader(`{"state":"` + c.state + `","step":"click","status":"running","start":1,"end":2}`)
		}, want: 400},
		{name: "token for a round never requested", path: PathToken, body: func(c *pageConn) io.Reader {
			return strings.NewReader(`{"state":"` + c.state + `","round":7,"path":"session","skipCache":true,"token":"x","start":1,"end":2}`)
		}, want: 409},
		{name: "unknown token path", path: PathToken, body: func(c *pageConn) io.Reader {
			return strings.NewReader(`{"state":"` + c.state + `","round":0,"path":"cookie","skipCache":false,"token":"x","start":1,"end":2}`)
		}, want: 400},
		{name: "unknown path", method: http.MethodGet, path: "/robots.txt", want: 404},
		{name: "path with trailing slash", path: PathEvent + "/", want: 404},
		{name: "path outside the API", path: "/api/evil", want: 404},
		{name: "GET on a POST-only path", method: http.MethodGet, path: PathEvent, want: 405},
		{name: "GET on the command path", method: http.MethodGet, path: PathCommand, want: 405},
		{name: "PUT on a POST-only path", method: http.MethodPut, want: 405},
		{name: "POST on the landing page", path: PathLanding, want: 405},
		{name: "landing page without state", method: http.MethodGet, path: PathLanding, edit: func(r *http.Request, _ *pageConn) { r.URL.RawQuery = "" }, want: 403},
		{name: "landing page with another run's state", method: http.MethodGet, path: PathLanding, edit: func(r *http.Request, _ *pageConn) { r.URL.RawQuery = "state=someone-else" }, want: 403},
	}
}

func port(c *pageConn) string {
	_, p, _ := net.SplitHostPort(strings.TrimPrefix(c.origin, "http://"))
	return p
}

// send builds the request of h against c's loopback and returns the
// response and its body.
func send(t *testing.T, c *pageConn, h hostile) (*http.Response, string) {
	t.Helper()
	method, path := h.method, h.path
	if method == "" {
		method = http.MethodPost
	}
	if path == "" {
		path = PathEvent
	}
	var body io.Reader = bytes.NewReader(validClick(c))
	if h.body != nil {
		body = h.body(c)
	}
	if method == http.MethodGet {
		body = nil
	}
	u := c.origin + path
	if path == PathLanding {
		u += "?state=" + c.state
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.origin)
	req.Header.Set(HeaderSecret, c.secret)
	if h.edit != nil {
		h.edit(req, c)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", h.name, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, string(b)
}

// checkRefusal checks what every answer must (and must not) carry.
func checkRefusal(t *testing.T, c *pageConn, name string, resp *http.Response, body string) {
	t.Helper()
	if v := resp.Header.Get("Access-Control-Allow-Origin"); v != "" {
		t.Errorf("%s: Access-Control-Allow-Origin: %q", name, v)
	}
	if v := resp.Header.Get("Referrer-Policy"); v != "no-referrer" {
		t.Errorf("%s: Referrer-Policy %q", name, v)
	}
	if strings.Contains(body, c.secret) || strings.Contains(body, c.state) {
		t.Errorf("%s: the answer repeats the secret or the state: %s", name, body)
	}
	if resp.StatusCode == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == "" {
		t.Errorf("%s: 405 without Allow", name)
	}
}

// TestLoopbackRefusesHostileRequests sends every refused request to a
// loopback whose sign-in is under way, then runs a legitimate page through
// the same run: nothing the refused requests did may have consumed a step
// or a round.
func TestLoopbackRefusesHostileRequests(t *testing.T) {
	src := newTestSource(t, SourceConfig{})
	c := connect(t, src)
	rep := &recorder{}
	signedIn := runSignIn(t.Context(), src, rep)

	for _, h := range hostileRequests() {
		resp, body := send(t, c, h)
		if resp.StatusCode != h.want {
			t.Errorf("%s: status %d, want %d (body %s)", h.name, resp.StatusCode, h.want, body)
		}
		checkRefusal(t, c, h.name, resp, body)
	}

	// The legitimate page, afterwards: every step is still open.
	ctx := t.Context()
	for _, ev := range scriptedEvents() {
		ev.State = c.state
		if err := c.post(ctx, PathEvent, ev, nil, time.Second*10); err != nil {
			t.Fatalf("legitimate %s event refused: %v", ev.Step, err)
		}
	}
	if err := waitErr(t, signedIn); err != nil {
		t.Fatalf("SignIn after the hostile requests: %v", err)
	}
	finals := rep.finals()
	for _, id := range []flow.StepID{flow.StepClick, flow.StepRedirect, flow.StepReturn, flow.StepProvider} {
		if s := finals[id]; s.Status != flow.StatusOK || !s.BrowserTimed {
			t.Errorf("step %s: %+v, want ok and browser-timed", id, s)
		}
	}

	// A second report of a step, and a second result of a round: 409.
	ev := scriptedEvents()[0]
	ev.State = c.state
	wantStatus(t, "second click event", c.post(ctx, PathEvent, ev, nil, 10*time.Second), http.StatusConflict)

	round0 := TokenReport{State: c.state, Round: 0, Path: flow.TokenPathSession, Token: strp("first"), Start: browserNow() - 20, End: browserNow()}
	if err := c.post(ctx, PathToken, round0, nil, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	forged := round0
	forged.Token = strp("second")
	wantStatus(t, "second result for round 0", c.post(ctx, PathToken, forged, nil, 10*time.Second), http.StatusConflict)
	res, err := src.FetchToken(ctx, false)
	if err != nil || res.Token != "first" {
		t.Fatalf("FetchToken = %q, %v; want the first report", res.Token, err)
	}

	// A refresh round works, and its result is also taken once.
	fetched := make(chan flow.TokenResult, 1)
	go func() {
		r, err := src.FetchToken(ctx, true)
		if err != nil {
			t.Error(err)
		}
		fetched <- r
	}()
	cmd, err := c.poll(ctx, 0, 0)
	if err != nil || cmd.Kind != CommandRefresh || cmd.Round != 1 || !cmd.SkipCache {
		t.Fatalf("poll = %+v, %v; want refresh of round 1 with skipCache", cmd, err)
	}
	refresh := TokenReport{State: c.state, Round: 1, Path: flow.TokenPathSession, SkipCache: true, Token: strp("refreshed"), Start: browserNow() - 20, End: browserNow()}
	if err := c.post(ctx, PathToken, refresh, nil, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if r := <-fetched; r.Token != "refreshed" || !r.BrowserTimed {
		t.Fatalf("refresh result %+v", r)
	}
	wantStatus(t, "second result for round 1", c.post(ctx, PathToken, refresh, nil, 10*time.Second), http.StatusConflict)
}

func wantStatus(t *testing.T, what string, err error, status int) {
	t.Helper()
	var refused *RefusedError
	if !errors.As(err, &refused) || refused.Status != status {
		t.Errorf("%s: %v, want status %d", what, err, status)
	}
}

func TestLandingPageHeaders(t *testing.T) {
	src := newTestSource(t, SourceConfig{})
	c := connect(t, src)
	resp, body := send(t, c, hostile{method: http.MethodGet, path: PathLanding})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("landing page: %d", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self' http://127.0.0.1:9;", "connect-src 'self' http://127.0.0.1:9;", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
		t.Errorf("CSP is not strict: %q", csp)
	}
	for h, want := range map[string]string{"Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if !strings.Contains(body, `data-clerk-js-url="http://127.0.0.1:9/npm/@clerk/clerk-js@6/dist/clerk.browser.js"`) {
		t.Errorf("landing page does not name ClerkJS on the Frontend API:\n%s", body)
	}
	if strings.Contains(body, c.secret) {
		t.Error("the landing page contains the secret")
	}
	js, _ := send(t, c, hostile{method: http.MethodGet, path: PathScript})
	if ct := js.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("page script Content-Type %q", ct)
	}
}

func TestErrorPagesEscapeReflectedContent(t *testing.T) {
	src := newTestSource(t, SourceConfig{})
	c := connect(t, src)
	resp, body := send(t, c, hostile{method: http.MethodGet, path: `/<script>alert(1)</script>"><img src=x>`})
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img") {
		t.Errorf("reflected path not escaped:\n%s", body)
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("escaped path missing:\n%s", body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("error page CSP %q", csp)
	}
}

func TestSecretAndStateAreFreshPerRun(t *testing.T) {
	a := connect(t, newTestSource(t, SourceConfig{}))
	b := connect(t, newTestSource(t, SourceConfig{}))
	if a.secret == b.secret || a.state == b.state || len(a.secret) != 43 || len(a.state) != 43 {
		t.Errorf("secret/state not fresh 256-bit values: %d/%d chars", len(a.secret), len(a.state))
	}
	if !strings.HasPrefix(a.origin, "http://127.0.0.1:") || a.origin == b.origin {
		t.Errorf("origins %s %s: want distinct 127.0.0.1 ports", a.origin, b.origin)
	}
	// a's secret does not open b.
	a.origin, a.state = b.origin, b.state
	wantStatus(t, "another run's secret", a.post(t.Context(), PathEvent, scriptedEvents()[0], nil, 5*time.Second), http.StatusForbidden)
}

func TestPortTakenFailsClearly(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	p := ln.Addr().(*net.TCPAddr).Port
	src := newTestSource(t, SourceConfig{Port: p})
	_, err = src.Start()
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:"+strconv.Itoa(p)) || !strings.Contains(err.Error(), "taken") {
		t.Fatalf("Start on a taken port: %v", err)
	}
	rep := &recorder{}
	if err := src.SignIn(t.Context(), rep); err == nil || rep.finals()[flow.StepClick].Status != flow.StatusFail {
		t.Errorf("SignIn on a taken port: %v, steps %+v", err, rep.steps)
	}
}

func TestBindsBeforeTheURLIsShown(t *testing.T) {
	opened := make(urlOpener, 1)
	src := newTestSource(t, SourceConfig{Opener: opened})
	rep := &recorder{}
	ctx, cancel := context.WithCancel(t.Context())
	done := runSignIn(ctx, src, rep)
	u := <-opened
	// The URL exists only once the port listens: it must answer now.
	resp, err := testClient.Get(u)
	if err != nil {
		t.Fatalf("the opened URL does not answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("landing status %d", resp.StatusCode)
	}
	rep.mu.Lock()
	printed := len(rep.notices) > 0 && strings.Contains(rep.notices[0], u)
	rep.mu.Unlock()
	if !printed {
		t.Errorf("the URL was not given as a notice: %v", rep.notices)
	}
	cancel()
	if err := waitErr(t, done); !errors.Is(err, context.Canceled) {
		t.Errorf("SignIn after cancel: %v", err)
	}
}

// TestHostileRequestsLeaveARealRunIntact sends every refused request before
// the sign-in, then runs the real thing (dev instance, HTTP browser): the
// run must not notice, and a forged second result is still refused after.
func TestHostileRequestsLeaveARealRunIntact(t *testing.T) {
	dev := startDev(t, devinstance.Options{IntegrationOn: true})
	hb := &HTTPBrowser{Client: testClient, UserID: dev.Users()[0].ID}
	src := newTestSource(t, SourceConfig{PublishableKey: dev.PublishableKey(), Opener: hb})
	c := connect(t, src)
	for _, h := range hostileRequests() {
		if resp, body := send(t, c, h); resp.StatusCode != h.want {
			t.Errorf("%s: status %d, want %d (body %s)", h.name, resp.StatusCode, h.want, body)
		}
	}
	rep := &recorder{}
	if err := src.SignIn(t.Context(), rep); err != nil {
		t.Fatalf("SignIn: %v (browser: %v)", err, hb.Err())
	}
	res, err := src.FetchToken(t.Context(), false)
	if err != nil || res.Token == "" {
		t.Fatalf("FetchToken: %v, %+v", err, res)
	}
	forged := TokenReport{State: c.state, Round: 0, Path: flow.TokenPathSession, Token: strp("forged"), Start: browserNow(), End: browserNow()}
	wantStatus(t, "forged round 0 after the real one", c.post(t.Context(), PathToken, forged, nil, 5*time.Second), http.StatusConflict)
	res2, err := src.FetchToken(t.Context(), true)
	if err != nil || res2.Token == "" || res2.Token == res.Token {
		t.Fatalf("refresh: %v", err)
	}
	forged.Round = 1
	wantStatus(t, "forged round 1 after the real one", c.post(t.Context(), PathToken, forged, nil, 5*time.Second), http.StatusConflict)
}
