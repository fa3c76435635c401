package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/authscope/authscope/cmd/authscope/internal/e2e"
	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/oauthloop"
)

// End-to-end tests in headless Chromium: the dev instance's ClerkJS
// stand-in and sign-in page, authscope's landing page, and the runner.

// standInApp runs clerk.browser.js the way a page using ClerkJS would and
// writes what it saw into #out.
const standInApp = `
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

// serveApp serves a page that loads the instance's ClerkJS and then app,
// on its own loopback port, and returns its URL.
func serveApp(t *testing.T, d *devinstance.Instance, app string) string {
	t.Helper()
	return servePage(t, fmt.Sprintf(`<!doctype html><html><head><meta charset="utf-8">
<script defer crossorigin="anonymous" data-clerk-publishable-key="%s" src="%s"></script>
<script defer src="/app.js"></script></head><body><pre id="out"></pre></body></html>`,
		html.EscapeString(d.PublishableKey()), html.EscapeString(clerk.ScriptURL(d.Issuer()))), []byte(app))
}

// servePage serves page at / and js at /app.js on a loopback port, for the
// rest of the test, and returns the page's URL.
func servePage(t *testing.T, page string, js []byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(page))
		case "/app.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(js)
		default:
			http.NotFound(w, r)
		}
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

// standInSignIn opens the page of serveApp in headless Chromium, clicks
// the demo user on the sign-in page and waits for #out[data-done]. It
// returns #out's text, the landing URL and the tab, open until the test
// ends.
func standInSignIn(t *testing.T, d *devinstance.Instance, app, userID string) (out, landingURL string, tab context.Context) {
	t.Helper()
	browser := e2e.StartChromium(t)
	landingURL = serveApp(t, d, app)
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	ctx, tcancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(tcancel)
	err := chromedp.Do(ctx, chromedp.Navigate(landingURL))
	if err == nil {
		// signIn clicks only once the sign-in page has loaded and its
		// script listens (a click on a button parsed earlier is lost).
		signIn(t, ctx, userID, func() bool { return false })
		err = chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(`#out[data-done="1"]`)))
	}
	if err == nil {
		out, err = chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(`#out`)))
	}
	if err != nil {
		t.Fatalf("chromedp: %v (requests: %+v)", err, d.Requests())
	}
	return out, landingURL, ctx
}

// TestBrowserScriptInChromium runs the dev instance's clerk.browser.js in a
// real headless Chromium through the whole demo sign-in: load without a
// session, redirectToSignIn, the sign-in page (hash → query move, click),
// the handoff back, the token cache, a template 404 and signOut.
func TestBrowserScriptInChromium(t *testing.T) {
	d := startInstance(t, devinstance.Options{IntegrationOn: true})
	out, landingURL, _ := standInSignIn(t, d, standInApp, devinstance.DemoUserGrace)
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
	if r.User != devinstance.DemoUserGrace || r.Email != "grace@example.com" || r.FullName != "Grace Hopper" || r.Aud != "convex" ||
		!r.Loaded || r.Version != clerk.ScriptVersion || r.InstanceType != "development" {
		t.Errorf("state %+v", r)
	}
	if r.T1 == "" || r.T1 != r.T2 {
		t.Errorf("getToken() twice: not served from the cache")
	}
	if r.T3 == r.T1 || r.T4 != r.T3 {
		t.Errorf("skipCache did not fetch a new token, or the new one was not cached")
	}
	set := fetchJWKS(t, http.DefaultClient, d.Issuer())
	for name, tok := range map[string]string{"t1": r.T1, "t3": r.T3, "tpl": r.Tpl} {
		if err := verifyRS256(t, tok, set); err != nil {
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
		r.Err.LongMessage != "No JWT template exists with name: missing" || r.Err.Message != r.Err.LongMessage || r.Err.Trace {
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
	if n := d.Count(devinstance.KindSessionToken); n != 1 {
		t.Errorf("%d session token requests, want 1", n)
	}
	if n := d.Count(devinstance.KindTemplateToken); n != 2 {
		t.Errorf("%d template token requests, want 2", n)
	}
	var pages []string
	for _, req := range d.Requests() {
		if req.Kind == devinstance.KindSignInPage {
			pages = append(pages, req.Query)
		}
		if req.Kind == devinstance.KindSessionToken && !strings.Contains(req.Query, "debug=skip_cache") {
			t.Errorf("session token request without skip_cache: %s", req.Query)
		}
	}
	if len(pages) != 2 || strings.Contains(pages[0], "redirect_url") || !strings.Contains(pages[1], "redirect_url=") {
		t.Errorf("sign-in page requests %q: want the hash moved into the query", pages)
	}
}

// TestBrowserScriptBackgroundRefresh checks the stand-in's copy of
// ClerkJS's background refresh: a cached token is refetched (without
// skip_cache) at exp − 15 s − 2 s, and the next getToken reads the new one
// from the cache. Tokens live 20 s here, so the refresh comes 3 s after
// sign-in.
func TestBrowserScriptBackgroundRefresh(t *testing.T) {
	d := startInstance(t, devinstance.Options{Faults: devinstance.Faults{TokenLifetime: 20 * time.Second}})
	app := `window.addEventListener('load', async () => {
  const out = document.getElementById('out');
  await Clerk.load();
  if (!Clerk.isSignedIn) { await Clerk.redirectToSignIn({ redirectUrl: location.href }); return; }
  out.textContent = Clerk.session.lastActiveToken.getRawString();
  out.dataset.done = '1';
});`
	first, _, tab := standInSignIn(t, d, app, devinstance.DemoUserAda)
	if d.Count(devinstance.KindSessionToken) != 0 {
		t.Fatalf("the page fetched a session token before the refresh was due")
	}
	deadline := time.Now().Add(20 * time.Second)
	for d.Count(devinstance.KindSessionToken) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no background refresh within 20 s of sign-in")
		}
		time.Sleep(100 * time.Millisecond) // polling the instance's counter
	}
	var refresh devinstance.Request
	for _, r := range d.Requests() {
		if r.Kind == devinstance.KindSessionToken {
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
	if got == first || got == "" || d.Count(devinstance.KindSessionToken) != 1 {
		t.Errorf("getToken after the refresh: new token %v, requests %d (want the refreshed token from the cache)",
			got != first, d.Count(devinstance.KindSessionToken))
	}
}

// newBrowser is a Chromium driver for one run, cleaned up with the test.
func newBrowser(t *testing.T, userID string, flags ...chromedp.ExecAllocatorOption) *e2e.Browser {
	br := &e2e.Browser{ExecPath: e2e.Chromium(t), UserDataDir: t.TempDir(), UserID: userID, Logf: t.Logf,
		Timeout: 30 * time.Second, Flags: flags}
	t.Cleanup(func() { _ = br.Close() })
	return br
}

// TestChromiumFlowToVerdict is the whole flow in real headless Chromium:
// the landing page, the demo instance's ClerkJS stand-in and sign-in page,
// a click on the demo user, and the runner through steps 5–8 to the
// verdict. Steps 1–5 carry the browser's own timings.
func TestChromiumFlowToVerdict(t *testing.T) {
	cases := []struct {
		scenario string
		want     bool
		cause    string
	}{
		{"healthy", true, ""},
		{"integration-off", false, diagnose.CodeIntegrationOffNoTemplate},
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			sc, err := demo.Lookup("", c.scenario)
			if err != nil {
				t.Fatal(err)
			}
			var br *e2e.Browser
			rep, _ := runScenario(t, sc, demo.Options{}, func(stack *demo.Stack) oauthloop.Opener {
				br = newBrowser(t, stack.Clerk.Users()[0].ID)
				return br
			})
			defer keepEvidence(t, br)
			if rep.Authenticated != c.want {
				t.Fatalf("isAuthenticated = %v, want %v: %+v", rep.Authenticated, c.want, rep.Decided().Verdict)
			}
			steps := rep.Rounds[0].Steps
			for _, s := range steps[:5] {
				if s.ID == flow.StepToken && !c.want {
					continue // no token: step 5 failed in the page
				}
				if !s.BrowserTimed || s.Start.IsZero() {
					t.Errorf("step %s is not timed by the browser: %+v", s.ID, s)
				}
			}
			if c.want {
				for _, s := range steps {
					if s.Status != flow.StatusOK {
						t.Errorf("step %s is %s: %s", s.ID, s.Status, s.Error)
					}
				}
				return
			}
			tok := steps[4].Detail.Token
			if tok.HTTPStatus != 404 || !strings.Contains(tok.Body, "No JWT template exists with name: convex") {
				t.Errorf("step 5: status %d body %q, want Clerk's 404 for the missing template", tok.HTTPStatus, tok.Body)
			}
			f := rep.Decided().Verdict.Findings
			if len(f) != 1 || f[0].Code != c.cause {
				t.Errorf("findings %+v, want exactly %s", f, c.cause)
			}
		})
	}
}

// newLoopSource is the loopback sign-in of a run, closed with the test.
func newLoopSource(t *testing.T, cfg oauthloop.SourceConfig) *oauthloop.Source {
	t.Helper()
	if cfg.Kind == "" {
		cfg.Kind = oauthloop.KindDemo
	}
	src, err := oauthloop.NewSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// landingSignIn opens authscope's landing page for dev in a Chromium of its
// own (started with flags) and signs in as the first demo user. It returns
// the source, for token rounds, and the page's step reports; a failed
// sign-in fails the test with the instance's request log.
func landingSignIn(t *testing.T, dev *devinstance.Instance, flags []chromedp.ExecAllocatorOption) (*oauthloop.Source, *stepRecorder) {
	t.Helper()
	br := newBrowser(t, dev.Users()[0].ID, flags...)
	src := newLoopSource(t, oauthloop.SourceConfig{PublishableKey: dev.PublishableKey(), Opener: br,
		Timeout: 60 * time.Second, TokenTimeout: 30 * time.Second})
	t.Cleanup(func() { keepEvidence(t, br) })
	rep := &stepRecorder{}
	if err := src.SignIn(t.Context(), rep); err != nil {
		logRequests(t, dev)
		t.Fatalf("SignIn: %v (browser: %v)", err, br.Wait(t.Context()))
	}
	return src, rep
}

// tokenRounds fetches the first token and rounds−1 refreshes through the
// page and checks each with checkRound.
func tokenRounds(t *testing.T, src *oauthloop.Source, rounds int, path string, wantStatus int) {
	t.Helper()
	for round := range rounds {
		res, err := src.FetchToken(t.Context(), round > 0)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		checkRound(t, round, res, path, wantStatus)
	}
}

// logRequests logs what the dev instance answered, one line a request.
func logRequests(t *testing.T, dev *devinstance.Instance) {
	for _, r := range dev.Requests() {
		t.Logf("dev instance: %s %s?%s (origin %s) -> %d", r.Method, r.Path, r.Query, r.Origin, r.Status)
	}
}

// TestChromiumEndToEnd runs the demo sign-in in real headless Chromium:
// the real landing page and page script, the dev instance's clerk.browser.js
// and sign-in page, a click on the demo user, and then token fetches and
// refresh commands through the page.
func TestChromiumEndToEnd(t *testing.T) {
	renamed := devinstance.ConvexTemplate()
	renamed.Name = "convex-renamed"
	tests := []struct {
		name        string
		integration bool
		templates   []devinstance.Template
		path        string
		wantStatus  int // 0: a token
	}{
		{name: "integration on", integration: true, path: flow.TokenPathSession},
		{name: "integration off, template renamed", templates: []devinstance.Template{renamed}, path: flow.TokenPathTemplate, wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := startInstance(t, devinstance.Options{IntegrationOn: tt.integration, Templates: tt.templates})
			src, rep := landingSignIn(t, dev, nil)
			checkBrowserSteps(t, rep.finals())
			tokenRounds(t, src, 2, tt.path, tt.wantStatus)
		})
	}
}

// checkBrowserSteps: steps 1–4 passed, timed by the browser, in Chromium.
func checkBrowserSteps(t *testing.T, finals map[flow.StepID]flow.StepReport) {
	t.Helper()
	for _, id := range []flow.StepID{flow.StepClick, flow.StepRedirect, flow.StepReturn, flow.StepProvider} {
		if s := finals[id]; s.Status != flow.StatusOK || !s.BrowserTimed || s.Start.IsZero() {
			t.Errorf("step %s: %+v", id, s)
		}
	}
	for _, f := range finals[flow.StepClick].Fields {
		if f.Label == "browser" && !strings.Contains(f.Value, "Chrome") {
			t.Errorf("step 1 browser %q: not Chromium", f.Value)
		}
	}
}

// checkRound: a token on path with aud "convex", or (wantStatus ≠ 0) a
// null token with Clerk's 404 for the missing template.
func checkRound(t *testing.T, round int, res flow.TokenResult, path string, wantStatus int) {
	t.Helper()
	if res.Path != path || !res.BrowserTimed || res.Start.IsZero() {
		t.Errorf("round %d: path %q, browser-timed %v, start %v", round, res.Path, res.BrowserTimed, res.Start)
	}
	if wantStatus == 0 {
		if res.Token == "" || decodeJWT(t, res.Token).Claims["aud"] != "convex" {
			t.Errorf("round %d: no convex token (status %d, %s)", round, res.HTTPStatus, res.Err)
		}
		return
	}
	if res.Token != "" || res.HTTPStatus != wantStatus || !strings.Contains(res.Body, "No JWT template exists with name: convex") {
		t.Errorf("round %d: token %v, status %d, body %q; want null with %d and Clerk's body", round, res.Token != "", res.HTTPStatus, res.Body, wantStatus)
	}
}

// TestChromiumClerkJSLoadFailure: when ClerkJS cannot be loaded from the
// Frontend API, the real page reports step 2 as failed with the reason.
func TestChromiumClerkJSLoadFailure(t *testing.T) {
	br := newBrowser(t, "user_x")
	br.Timeout = 2 * time.Second
	dead := clerk.BuildPublishableKey("127.0.0.1:1", clerk.InstanceDevelopment)
	src := newLoopSource(t, oauthloop.SourceConfig{PublishableKey: dead, Opener: br, Timeout: 60 * time.Second})
	defer keepEvidence(t, br)
	rep := &stepRecorder{}
	err := src.SignIn(t.Context(), rep)
	if err == nil || !strings.Contains(err.Error(), "ClerkJS could not be loaded from http://127.0.0.1:1/") {
		t.Fatalf("SignIn: %v", err)
	}
	finals := rep.finals()
	if finals[flow.StepClick].Status != flow.StatusOK {
		t.Errorf("step 1: %+v", finals[flow.StepClick])
	}
	if s := finals[flow.StepRedirect]; s.Status != flow.StatusFail || !s.BrowserTimed {
		t.Errorf("step 2: %+v", s)
	}
}
