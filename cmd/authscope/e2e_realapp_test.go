package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/authscope/authscope/cmd/authscope/internal/e2e"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/demo"
)

// A real Convex + Clerk React app (testdata/node/app/app.jsx: ClerkProvider
// from @clerk/react, ConvexProviderWithClerk from convex/react-clerk, a
// component rendering useConvexAuth()), bundled with esbuild and run in
// Chromium against the dev instance (real ClerkJS, TLS front at
// e2e.DevHost) and the embedded backend, for every demo scenario.

// bundles are the apps bundled once per test binary, by entry file.
var bundles struct {
	mu   sync.Mutex
	byJS map[string]*appBundle
}

type appBundle struct {
	once sync.Once
	js   []byte
	err  error
}

func buildApp(t *testing.T) []byte { return bundleApp(t, "app/app.jsx") }

// bundleApp bundles an app of testdata/node (its entry file, relative to
// that folder) with the pinned esbuild, once per test binary.
func bundleApp(t *testing.T, entry string) []byte {
	t.Helper()
	dir := e2e.NodeDir(t)
	bundles.mu.Lock()
	if bundles.byJS == nil {
		bundles.byJS = map[string]*appBundle{}
	}
	b := bundles.byJS[entry]
	if b == nil {
		b = &appBundle{}
		bundles.byJS[entry] = b
	}
	bundles.mu.Unlock()
	b.once.Do(func() {
		out := filepath.Join(t.TempDir(), "app.js")
		cmd := exec.Command(filepath.Join(dir, "node_modules", ".bin", "esbuild"), entry, "--bundle",
			"--format=iife", "--jsx=automatic", `--define:process.env.NODE_ENV="production"`, "--minify",
			"--outfile="+out, "--log-level=warning")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("esbuild %s: %v\n%s", entry, err, out)
			return
		}
		b.js, b.err = readFile(out)
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.js
}

// serveRealApp serves the bundled app on a loopback port and returns its URL.
func serveRealApp(t *testing.T, js []byte, publishableKey, convexURL, client string) string {
	t.Helper()
	return servePage(t, fmt.Sprintf(`<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body>
<div id="root" data-publishable-key="%s" data-convex-url="%s" data-client="%s"></div>
<script src="/app.js"></script></body></html>`, html.EscapeString(publishableKey), html.EscapeString(convexURL), html.EscapeString(client)), js)
}

// appState is what the app rendered from useConvexAuth() and useAuth().
type appState struct {
	IsLoading       bool `json:"isLoading"`
	IsAuthenticated bool `json:"isAuthenticated"`
	ClerkLoaded     bool `json:"clerkLoaded"`
	SignedIn        bool `json:"signedIn"`
}

// appRun is how the real app ended: its last state, the message of the
// real Convex client's `Failed to authenticate: "<message>"` console line
// (when there was one), and the console.
type appRun struct {
	stack   *demo.Stack
	state   appState
	message string
	console []string
}

var failedToAuthenticate = regexp.MustCompile(`Failed to authenticate: "(.*)", check your server auth config`)

// runRealApp starts a stack for sc behind the TLS front, opens the app in
// Chromium, signs in as the first demo user when the sign-in page shows,
// and waits for the app's state to settle.
func runRealApp(t *testing.T, sc *demo.Scenario, client string) appRun {
	t.Helper()
	js := buildApp(t)
	stack, host, ln := startRealStack(t, sc)
	appURL := serveRealApp(t, js, stack.PublishableKey(), stack.Backend.URL(), client)
	browser := e2e.StartChromium(t, host.ChromiumFlags(ln)...)
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	log := listenConsole(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(appURL)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, stack.Clerk.Users()[0].ID, func() bool { return log.has("Production Keys are only allowed") })
	run := appRun{stack: stack, state: settle(t, ctx)}
	run.console, run.message = log.snapshot()
	return run
}

// consoleLog collects a tab's console lines.
type consoleLog struct {
	mu    sync.Mutex
	lines []string
}

// listenConsole starts the tab of ctx and collects its console.
func listenConsole(t *testing.T, ctx context.Context) *consoleLog {
	t.Helper()
	// Listen needs a running tab: start it first.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	log := &consoleLog{}
	err := chromedp.Listen(ctx, func(ev any) {
		if c, ok := ev.(*cdpruntime.EventConsoleAPICalled); ok {
			var parts []string
			for _, a := range c.Args {
				var s string
				if json.Unmarshal(a.Value, &s) == nil {
					parts = append(parts, s)
				} else if a.Description != "" {
					parts = append(parts, a.Description)
				}
			}
			log.mu.Lock()
			log.lines = append(log.lines, string(c.Type)+": "+strings.Join(parts, " "))
			log.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return log
}

func (l *consoleLog) has(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return appRun{console: l.lines}.consoleHas(s)
}

// snapshot returns the console so far and the message of the real Convex
// client's last `Failed to authenticate: "<message>"` line.
func (l *consoleLog) snapshot() ([]string, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	msg := ""
	for _, line := range l.lines {
		if m := failedToAuthenticate.FindStringSubmatch(line); m != nil {
			msg = m[1]
		}
	}
	return append([]string(nil), l.lines...), msg
}

// signIn clicks the demo user on the sign-in page once it shows, within
// 15 s, unless stop says the app will never get there.
func signIn(t *testing.T, ctx context.Context, userID string, stop func() bool) {
	t.Helper()
	// The sign-in page first moves ClerkJS's hash into its query and
	// reloads: click only on the reloaded page, and only once it has
	// loaded: its buttons are in the HTML before the script that listens
	// to them has run, and a click in between is lost.
	js := `document.readyState === 'complete' && location.search.includes('redirect_url') && !!document.querySelector('button[data-user-id="` + userID + `"]')`
	var err error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline) && !stop(); {
		shown, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if shown {
			if err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`button[data-user-id="`+userID+`"]`))); err == nil {
				return
			}
		}
		time.Sleep(200 * time.Millisecond) // polling the page
	}
	if err != nil {
		t.Fatalf("clicking the demo user: %v", err)
	}
}

// settle polls the app's state until it has not changed for 4 s (the
// Convex client has given up or been confirmed), at most 40 s.
func settle(t *testing.T, ctx context.Context) appState {
	t.Helper()
	last := settleText(t, ctx)
	var st appState
	if err := json.Unmarshal([]byte(last), &st); err != nil {
		where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + ': ' + (document.body ? document.body.innerText.slice(0, 300) : '')`))
		t.Fatalf("the app rendered no state (%q); the tab shows %s", last, where)
	}
	return st
}

// navigating tells the errors of a read that raced a navigation: the
// document it ran in went away, the next read runs in the new one.
func navigating(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "navigated or closed") || strings.Contains(msg, "Cannot find context") ||
		strings.Contains(msg, "Execution context was destroyed")
}

// settleText polls the text of the app's #state until it has not changed
// for 4 s, at most 40 s, and returns it.
func settleText(t *testing.T, ctx context.Context) string {
	t.Helper()
	var last string
	stable := time.Now()
	deadline := time.Now().Add(40 * time.Second)
	for time.Now().Before(deadline) {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById('state')||{}).textContent||''`))
		if err != nil && navigating(err) {
			// The page reloaded under the read (the SDK may reload it);
			// its new document renders the state again.
			last, stable = "", time.Now()
			time.Sleep(250 * time.Millisecond)
			continue
		}
		if err != nil {
			t.Fatalf("reading the app's state: %v", err)
		}
		if text != last {
			last, stable = text, time.Now()
		}
		if last != "" && time.Since(stable) >= 4*time.Second {
			break
		}
		time.Sleep(250 * time.Millisecond) // polling the page
	}
	return last
}

// realStackOptions are demo options that put the dev instance behind the
// TLS front at e2e.DevHost, serving the real ClerkJS, with an HTTP client
// (for the backend, the runner and authscope's HTTP browser) that reaches
// it. It returns them with the host and the instance's loopback address.
func realStackOptions(t *testing.T) (demo.Options, *e2e.TLSHost, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	host := e2e.NewTLSHost(t, e2e.DevHost)
	clerkJS := realClerkJS(t)
	return demo.Options{HTTPClient: host.Client(ln.Addr().String(), 10*time.Second),
		DevInstance: func(o *devinstance.Options) {
			o.Listener, o.PublicHost, o.TLS, o.ClerkJS = ln, host.Host, host.Server, clerkJS
		}}, host, ln.Addr().String()
}

// startRealStack starts the demo stack for sc with realStackOptions.
func startRealStack(t *testing.T, sc *demo.Scenario) (*demo.Stack, *e2e.TLSHost, string) {
	t.Helper()
	opts, host, addr := realStackOptions(t)
	opts.Scenario = sc
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	stack, err := demo.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stack.Close() })
	return stack, host, addr
}

// appClient is the app's client code for scenarios that change it (their
// Scenario.Client), as app.jsx names it.
var appClient = map[string]string{"client-wiring": "miswired", "token-altered": "altered"}

// notDecided are the scenarios where the real app never reaches a
// decision the way authscope's verdict does, with why and how that shows.
// Its isAuthenticated (false while loading) and message (none) are still
// compared; check asserts the reason.
var notDecided = map[string]struct {
	why   string
	check func(appRun) bool
}{
	"production-key": {`ClerkJS refuses the production key ("Production Keys are only allowed for domain …", origin_invalid): the app never signs in, so no token exists`,
		func(r appRun) bool {
			return !r.state.SignedIn && r.consoleHas(`Production Keys are only allowed for domain`)
		}},
	"backend-down": {"the backend is down: the real client keeps reconnecting and useConvexAuth().isLoading stays true",
		func(r appRun) bool {
			return r.state.SignedIn && r.state.IsLoading && r.consoleHas("WebSocket closed with code 1006")
		}},
	"discovery-404": {"the backend closes the socket without an AuthError (AuthProviderDiscoveryFailed): the real client reconnects in a loop and useConvexAuth().isLoading stays true",
		func(r appRun) bool {
			return r.state.IsLoading && r.consoleHas("disconnect due to AuthProviderDiscoveryFailed")
		}},
	"discovery-503": {"the backend closes the socket with 1013 without an AuthError (AuthProviderDiscoveryFailed): the real client reconnects in a loop and useConvexAuth().isLoading stays true",
		func(r appRun) bool {
			return r.state.IsLoading && r.consoleHas("disconnect due to AuthProviderDiscoveryFailed")
		}},
}

func (r appRun) consoleHas(s string) bool {
	for _, l := range r.console {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// loopbackURL and the signing kid differ between two stacks of the same
// scenario; messages are compared with them replaced.
var loopbackURL = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)

func normaliseMessage(msg string, stack *demo.Stack) string {
	if stack.Clerk == nil {
		return loopbackURL.ReplaceAllString(msg, "http://127.0.0.1:<port>")
	}
	for _, kid := range append(stack.Clerk.PublishedKIDs(), stack.Clerk.SigningKID(), stack.Clerk.UnpublishedKID()) {
		if kid != "" {
			msg = strings.ReplaceAll(msg, kid, "<kid>")
		}
	}
	return loopbackURL.ReplaceAllString(msg, "http://127.0.0.1:<port>")
}

// TestRealConvexProviderWithClerkEveryScenario runs every demo scenario
// twice: through authscope's runner (its verdict and the backend's
// message), and as the real React app in Chromium (its final
// useConvexAuth().isAuthenticated and the real Convex client's
// `Failed to authenticate: "<message>"` line). Both must agree.
func TestRealConvexProviderWithClerkEveryScenario(t *testing.T) {
	buildApp(t)
	var mu sync.Mutex
	rows := map[string]string{}
	t.Cleanup(func() {
		var b strings.Builder
		b.WriteString("scenario | authscope: isAuthenticated, message | real app: isAuthenticated (isLoading), message | agree\n")
		for _, sc := range demo.Of(demo.ProviderClerk) {
			if r, ok := rows[sc.Name]; ok {
				b.WriteString(sc.Name + " | " + r + "\n")
			}
		}
		t.Log("\n" + b.String())
	})
	for _, sc := range demo.Of(demo.ProviderClerk) {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			if _, ok := appClient[sc.Name]; sc.Client != nil && !ok {
				t.Fatalf("scenario %s changes the app's client code, and app.jsx has no counterpart (appClient)", sc.Name)
			}
			opts, _, _ := realStackOptions(t)
			rep, stack := runScenario(t, sc, opts, nil)
			run := runRealApp(t, sc, appClient[sc.Name])
			got := normaliseMessage(run.message, run.stack)
			nd, appUndecided := notDecided[sc.Name]
			if appUndecided && !nd.check(run) {
				t.Errorf("the real app did not end as expected (%s): state %+v, console %q", nd.why, run.state, run.console)
			}
			concluded := rep.Concluded()
			if concluded == nil {
				t.Fatalf("authscope reached no verdict at all: %s", rep.Error)
			}
			v := concluded.Verdict
			if !v.Decided {
				// authscope says undecided: the app must not settle either.
				if !appUndecided {
					t.Fatalf("authscope is undecided (%s: %s) but the real app is expected to decide", v.Undecided, v.Problem)
				}
				mu.Lock()
				rows[sc.Name] = fmt.Sprintf("undecided (%s) | %v (%v), %q | equal; neither decides: %s", v.Undecided, run.state.IsAuthenticated, run.state.IsLoading, got, nd.why)
				mu.Unlock()
				return
			}
			want := normaliseMessage(v.Message, stack)
			agree := "equal"
			if appUndecided {
				agree = "equal; the app never decides: " + nd.why
			}
			if run.state.IsAuthenticated != v.Authenticated || got != want {
				agree = "DIFFERENT"
				t.Errorf("authscope: isAuthenticated %v, message %q\nreal app: isAuthenticated %v, message %q\nconsole %q",
					v.Authenticated, want, run.state.IsAuthenticated, got, run.console)
			}
			mu.Lock()
			rows[sc.Name] = fmt.Sprintf("%v, %q | %v (%v), %q | %s", v.Authenticated, want, run.state.IsAuthenticated, run.state.IsLoading, got, agree)
			mu.Unlock()
		})
	}
}
