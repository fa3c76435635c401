package devinstance

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/chromedp/chromedp"
)

// The landing page of the browser test: it runs clerk.browser.js the way a
// page using ClerkJS would and writes what it saw into #out.
const browserTestApp = `
window.addEventListener('load', async () => {
  const out = document.getElementById('out');
  const done = (v) => { out.textContent = JSON.stringify(v); out.dataset.done = '1'; };
  try {
    const events = [];
    Clerk.addListener((r) => events.push(r.session ? r.session.id : null));
    await Clerk.load();
    if (!Clerk.isSignedIn) { await Clerk.redirectToSignIn({ redirectUrl: location.href }); return; }
    const s = Clerk.session;
    const r = { url: location.href, user: Clerk.user.id, email: Clerk.user.primaryEmailAddress.emailAddress,
      fullName: Clerk.user.fullName, sid: s.id, aud: s.lastActiveToken.jwt.claims.aud, loaded: Clerk.loaded,
      version: Clerk.version, instanceType: Clerk.instanceType };
    r.t1 = await s.getToken();
    r.t2 = await s.getToken();
    r.t3 = await s.getToken({ skipCache: true });
    r.t4 = await s.getToken();
    r.tpl = await s.getToken({ template: 'convex' });
    try { await s.getToken({ template: 'missing' }); r.err = null; } catch (e) {
      r.err = { name: e.name, status: e.status, code: e.errors[0].code, longMessage: e.errors[0].longMessage,
        message: e.message, trace: !!e.clerkTraceId };
    }
    await Clerk.signOut();
    r.after = { isSignedIn: Clerk.isSignedIn, session: Clerk.session, token: await s.getToken() };
    r.events = events;
    done(r);
  } catch (e) { done({ fatal: String((e && e.stack) || e) }); }
});
`

// One headless Chromium serves every browser test (each gets its own tab;
// the pages run on different origins, so they share no storage). Starting
// it is the slow part.
var browser struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	dir    string
	err    error
}

func sharedBrowser(t *testing.T, execPath string) context.Context {
	t.Helper()
	browser.once.Do(func() {
		browser.dir, browser.err = os.MkdirTemp("", "authscope-clerk-chromium-")
		if browser.err != nil {
			return
		}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(execPath), chromedp.NoSandbox, chromedp.UserDataDir(browser.dir))...)
		bctx, bcancel := chromedp.NewContext(actx)
		// Start the browser now, in its own first tab, so later tabs
		// do not own (and close) it.
		browser.err = chromedp.Do(bctx)
		browser.ctx = bctx
		browser.cancel = func() { bcancel(); acancel() }
	})
	if browser.err != nil {
		t.Fatalf("starting Chromium: %v", browser.err)
	}
	return browser.ctx
}

func TestMain(m *testing.M) {
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	if browser.dir != "" {
		os.RemoveAll(browser.dir)
	}
	os.Exit(code)
}

func findChromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("headless Chromium test skipped in -short mode")
	}
	if p := os.Getenv("AUTHSCOPE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("AUTHSCOPE_REQUIRE_E2E") != "" {
		t.Fatal("no Chromium on PATH and AUTHSCOPE_REQUIRE_E2E is set")
	}
	t.Skip("no Chromium on PATH (Debian: apt-get install chromium)")
	return ""
}

// browserSignIn serves a landing page running app (plain JS after
// clerk.browser.js) on another loopback port, opens it in headless
// Chromium, clicks the demo user on the sign-in page and waits for the page
// to set #out[data-done]. It returns #out's text, the landing URL and the
// tab, which stays open until the test ends.
func browserSignIn(t *testing.T, d *Instance, app, userID string) (out, landingURL string, tab context.Context) {
	t.Helper()
	execPath := findChromium(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf(`<!doctype html><html><head><meta charset="utf-8">
<script defer crossorigin="anonymous" data-clerk-publishable-key="%s" src="%s"></script>
<script defer src="/app.js"></script></head><body><pre id="out"></pre></body></html>`,
		html.EscapeString(d.PublishableKey()), html.EscapeString(clerk.ScriptURL(d.Issuer())))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(page))
		case "/app.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(app))
		default:
			http.NotFound(w, r)
		}
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	landingURL = "http://" + ln.Addr().String() + "/"

	ctx, cancel := chromedp.NewContext(sharedBrowser(t, execPath))
	t.Cleanup(cancel)
	ctx, tcancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(tcancel)

	button := chromedp.CSS(`button[data-user-id="` + userID + `"]`)
	err = chromedp.Do(ctx,
		chromedp.Navigate(landingURL),
		chromedp.WaitVisible(button),
		chromedp.Click(button),
		chromedp.WaitReady(chromedp.CSS(`#out[data-done="1"]`)),
	)
	if err == nil {
		out, err = chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(`#out`)))
	}
	if err != nil {
		t.Fatalf("chromedp: %v (requests: %+v)", err, d.Requests())
	}
	return out, landingURL, ctx
}

// TestBrowserScriptInChromium runs assets/clerk.browser.js in a real
// headless Chromium through the whole demo sign-in: load without a session,
// redirectToSignIn, the sign-in page (hash → query move, click), the
// handoff back, the token cache, a template 404 and signOut.
func TestBrowserScriptInChromium(t *testing.T) {
	d := startInstance(t, Options{IntegrationOn: true})
	out, landingURL, _ := browserSignIn(t, d, browserTestApp, DemoUserGrace)
	var r struct {
		Fatal, URL, User, Email, FullName, Sid, Aud, Version, InstanceType string
		Loaded                                                             bool
		T1, T2, T3, T4, Tpl                                                string
		Err                                                                *struct {
			Name, Code, LongMessage, Message string
			Status                           int
			Trace                            bool
		}
		After struct {
			IsSignedIn bool
			Session    any
			Token      *string
		}
		Events []*string
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("page output %q: %v", out, err)
	}
	if r.Fatal != "" {
		t.Fatalf("page failed: %s", r.Fatal)
	}
	if r.URL != landingURL {
		t.Errorf("page URL %q: the handoff was not stripped", r.URL)
	}
	if r.User != DemoUserGrace || r.Email != "grace@example.com" || r.FullName != "Grace Hopper" || r.Aud != "convex" ||
		!r.Loaded || r.Version != clerk.ScriptVersion || r.InstanceType != "development" {
		t.Errorf("state %+v", r)
	}
	if r.T1 == "" || r.T1 != r.T2 {
		t.Errorf("getToken() twice: not served from the cache")
	}
	if r.T3 == r.T1 || r.T4 != r.T3 {
		t.Errorf("skipCache did not fetch a new token, or the new one was not cached")
	}
	set := fetchJWKS(t, d)
	for name, tok := range map[string]string{"t1": r.T1, "t3": r.T3, "tpl": r.Tpl} {
		if err := verifyWithJWKS(t, tok, set); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if azp := decodeJWT(t, r.T3).Claims["azp"]; azp != strings.TrimSuffix(landingURL, "/") {
		t.Errorf("azp %v, want the landing origin", azp)
	}
	if decodeJWT(t, r.Tpl).Claims["name"] != "Grace Hopper" {
		t.Errorf("template claims %v", decodeJWT(t, r.Tpl).Claims)
	}
	if r.Err == nil || r.Err.Name != "ClerkAPIResponseError" || r.Err.Status != 404 || r.Err.Code != "resource_not_found" ||
		r.Err.LongMessage != "No JWT template exists with name: missing" || r.Err.Message != r.Err.LongMessage || !r.Err.Trace {
		t.Errorf("missing template error %+v", r.Err)
	}
	if r.After.IsSignedIn || r.After.Session != nil || r.After.Token != nil {
		t.Errorf("after signOut: %+v", r.After)
	}
	if len(r.Events) < 2 || r.Events[0] == nil || *r.Events[0] != r.Sid || r.Events[len(r.Events)-1] != nil {
		t.Errorf("listener events %v", r.Events)
	}

	// What the instance saw: one session token request (the skipCache one;
	// the others came from the cache), the hash moved into the query, the
	// dev browser never in the log.
	if n := d.Count(KindSessionToken); n != 1 {
		t.Errorf("%d session token requests, want 1", n)
	}
	if n := d.Count(KindTemplateToken); n != 2 {
		t.Errorf("%d template token requests, want 2", n)
	}
	var pages []string
	for _, req := range d.Requests() {
		if req.Kind == KindSignInPage {
			pages = append(pages, req.Query)
		}
		if req.Kind == KindSessionToken && !strings.Contains(req.Query, "debug=skip_cache") {
			t.Errorf("session token request without skip_cache: %s", req.Query)
		}
	}
	if len(pages) != 2 || strings.Contains(pages[0], "redirect_url") || !strings.Contains(pages[1], "redirect_url=") {
		t.Errorf("sign-in page requests %q: want the hash moved into the query", pages)
	}
}

// TestBrowserScriptBackgroundRefresh checks ClerkJS's background refresh:
// a cached token is refetched (without skip_cache) at exp − 15 s − 2 s, and
// the next getToken reads the new one from the cache. Tokens live 20 s here,
// so the refresh comes 3 s after sign-in.
func TestBrowserScriptBackgroundRefresh(t *testing.T) {
	d := startInstance(t, Options{Faults: Faults{TokenLifetime: 20 * time.Second}})
	app := `window.addEventListener('load', async () => {
  const out = document.getElementById('out');
  await Clerk.load();
  if (!Clerk.isSignedIn) { await Clerk.redirectToSignIn({ redirectUrl: location.href }); return; }
  out.textContent = Clerk.session.lastActiveToken.getRawString();
  out.dataset.done = '1';
});`
	first, _, tab := browserSignIn(t, d, app, DemoUserAda)
	if d.Count(KindSessionToken) != 0 {
		t.Fatalf("the page fetched a session token before the refresh was due")
	}
	deadline := time.Now().Add(20 * time.Second)
	for d.Count(KindSessionToken) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no background refresh within 20 s of sign-in")
		}
		time.Sleep(100 * time.Millisecond) // polling the instance's counter
	}
	var refresh Request
	for _, r := range d.Requests() {
		if r.Kind == KindSessionToken {
			refresh = r
		}
	}
	if strings.Contains(refresh.Query, "skip_cache") {
		t.Errorf("background refresh sent skip_cache: %s", refresh.Query)
	}
	exp := decodeJWT(t, first).num(t, "exp")
	if lead := time.Unix(exp, 0).Sub(refresh.Time); lead < 10*time.Second || lead > 19*time.Second {
		t.Errorf("refresh came %s before exp, want about 17 s", lead)
	}
	got, err := chromedp.Run(tab, chromedp.Evaluate[string](`Clerk.session.getToken()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if got == first || got == "" || d.Count(KindSessionToken) != 1 {
		t.Errorf("getToken after the refresh: new token %v, requests %d (want the refreshed token from the cache)",
			got != first, d.Count(KindSessionToken))
	}
}
