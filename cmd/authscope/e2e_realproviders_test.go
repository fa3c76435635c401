package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/authscope/authscope/cmd/authscope/internal/e2e"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/flow/issuers/convexauth"
)

// Real React apps of the other providers (testdata/node/app/auth0.jsx:
// Auth0Provider from @auth0/auth0-react and ConvexProviderWithAuth0;
// app/authkit.jsx: AuthKitProvider from @workos-inc/authkit-react and
// ConvexProviderWithAuthKit from @convex-dev/workos; app/convexauth.jsx:
// ConvexAuthProvider from @convex-dev/auth), bundled
// with esbuild and run in Chromium against the provider's demo flavour and
// the embedded backend, for every scenario of the flavour. Each must end
// as authscope's verdict says: the same isAuthenticated, and the real
// Convex client's `Failed to authenticate: "<message>"` the backend's
// message authscope reports.

// providerState is what the apps render: useConvexAuth() and the
// provider's own state.
type providerState struct {
	IsLoading       bool   `json:"isLoading"`
	IsAuthenticated bool   `json:"isAuthenticated"`
	ProviderLoaded  bool   `json:"providerLoaded"`
	SignedIn        bool   `json:"signedIn"`
	ProviderError   string `json:"providerError"`
}

// realProviderApp is one provider's app in the harness.
type realProviderApp struct {
	entry string
	// data are the app's data attributes for the scenario.
	data func(s *demo.Stack, sc *demo.Scenario) map[string]string
	// signIn completes the provider's sign-in in the tab, if the app
	// leaves one to the user.
	signIn func(t *testing.T, ctx context.Context)
}

// auth0App: the SPA SDK calls https://<domain>, the Auth0-like tenant
// behind its TLS front at authscope-demo.us.auth0.com, which Chromium
// maps to the tenant's loopback address.
var auth0App = realProviderApp{
	entry: "app/auth0.jsx",
	data: func(s *demo.Stack, sc *demo.Scenario) map[string]string {
		d := map[string]string{"domain": s.Auth0.Domain(), "client-id": s.Auth0.ClientID()}
		if sc.SendsAccessToken {
			// The app that sends the access token asks for the API's.
			d["client"], d["audience"] = "access-token", s.Auth0.Audience()
		}
		return d
	},
	signIn: func(t *testing.T, ctx context.Context) {
		clickWhenShown(t, ctx, `button[data-user="ada"]`)
	},
}

// authkitApp: AuthKit's browser SDK calls https://api.workos.com, the
// WorkOS-like API behind its TLS front, which Chromium maps to its
// loopback port.
var authkitApp = realProviderApp{
	entry: "app/authkit.jsx",
	data: func(s *demo.Stack, _ *demo.Scenario) map[string]string {
		return map[string]string{"client-id": s.WorkOS.ClientID(), "api-hostname": strings.TrimPrefix(s.WorkOS.BaseURL(), "https://")}
	},
	signIn: func(t *testing.T, ctx context.Context) {
		clickWhenShown(t, ctx, `button[data-user="ada"]`)
	},
}

var convexAuthApp = realProviderApp{
	entry: "app/convexauth.jsx",
	data: func(s *demo.Stack, _ *demo.Scenario) map[string]string {
		return map[string]string{"email": s.Users()[0].Email, "password": convexauth.DefaultPassword}
	},
}

// TestRealConvexProviderWithAuth0EveryScenario runs every Auth0 scenario
// through authscope and as the real Auth0 + Convex React app.
func TestRealConvexProviderWithAuth0EveryScenario(t *testing.T) {
	compareRealApp(t, demo.ProviderAuth0, auth0App)
}

// TestRealAuthKitEveryScenario runs every WorkOS AuthKit scenario through
// authscope and as the real AuthKit + Convex React app.
func TestRealAuthKitEveryScenario(t *testing.T) {
	compareRealApp(t, demo.ProviderWorkOS, authkitApp)
}

// TestRealConvexAuthEveryScenario runs every Convex Auth scenario through
// authscope and as the real Convex Auth React app.
func TestRealConvexAuthEveryScenario(t *testing.T) {
	compareRealApp(t, demo.ProviderConvexAuth, convexAuthApp)
}

func compareRealApp(t *testing.T, provider string, app realProviderApp) {
	bundleApp(t, app.entry)
	var mu sync.Mutex
	rows := map[string]string{}
	t.Cleanup(func() {
		names := make([]string, 0, len(rows))
		for n := range rows {
			names = append(names, n)
		}
		sort.Strings(names)
		var b strings.Builder
		b.WriteString("scenario | authscope: isAuthenticated, message | real app: isAuthenticated (isLoading), message | agree\n")
		for _, n := range names {
			b.WriteString(n + " | " + rows[n] + "\n")
		}
		t.Log("\n" + b.String())
	})
	for _, sc := range demo.Of(provider) {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			rep, stack := runScenario(t, sc, demo.Options{}, nil)
			concluded := rep.Concluded()
			if concluded == nil || !concluded.Verdict.Decided {
				t.Fatalf("authscope reached no decided verdict: %+v, %s", concluded, rep.Error)
			}
			v := concluded.Verdict
			st, msg, console := runProviderApp(t, sc, app)
			want, got := normaliseMessage(v.Message, stack), normaliseMessage(msg.text, stack)
			agree := "equal"
			if msg.via != "" {
				agree += ", read from " + msg.via
			}
			if st.IsAuthenticated != v.Authenticated || st.IsLoading || got != want {
				agree = "DIFFERENT"
				t.Errorf("authscope: isAuthenticated %v, message %q\nreal app: %+v, message %q\nconsole %q",
					v.Authenticated, want, st, got, console)
			}
			mu.Lock()
			rows[sc.Name] = fmt.Sprintf("%v, %q | %v (%v), %q | %s", v.Authenticated, want, st.IsAuthenticated, st.IsLoading, got, agree)
			mu.Unlock()
		})
	}
}

// runProviderApp starts a stack for sc, opens the app in Chromium, lets
// it sign in and waits for its state to settle.
func runProviderApp(t *testing.T, sc *demo.Scenario, app realProviderApp) (providerState, realMessage, []string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	stack, err := demo.Start(ctx, demo.Options{Scenario: sc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stack.Close() })
	var flags []chromedp.ExecAllocatorOption
	if rules := stack.HostRules(); len(rules) > 0 {
		// The issuer's provider host name, mapped to its TLS front, whose
		// throwaway certificate Chromium is told to accept.
		flags = append(flags, chromedp.Flag("host-resolver-rules", strings.Join(rules, ", ")),
			chromedp.Flag("ignore-certificate-errors", true))
	}
	data := app.data(stack, sc)
	data["convex-url"] = stack.Backend.URL()
	var attrs strings.Builder
	for k, v := range data {
		fmt.Fprintf(&attrs, ` data-%s="%s"`, k, html.EscapeString(v))
	}
	appURL := servePage(t, `<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body>
<div id="root"`+attrs.String()+`></div><script src="/app.js"></script></body></html>`, bundleApp(t, app.entry))
	tab, cancelTab := chromedp.NewContext(e2e.StartChromium(t, flags...))
	defer cancelTab()
	log := listenConsole(t, tab)
	if err := chromedp.Do(tab, chromedp.Navigate(appURL)); err != nil {
		t.Fatal(err)
	}
	if app.signIn != nil {
		app.signIn(t, tab)
	}
	text := settleText(t, tab)
	var st providerState
	if err := json.Unmarshal([]byte(text), &st); err != nil {
		t.Fatalf("the app rendered no state (%q)", text)
	}
	console, msg := log.snapshot()
	via := ""
	if msg != "" {
		via = `its "Failed to authenticate" line`
	} else {
		// The client can give up without its "Failed to authenticate" line
		// (a forced refresh that brings back the same token): its verbose
		// log still names the backend's message it retried on.
		for _, line := range console {
			if m := reauthenticating.FindStringSubmatch(line); m != nil {
				msg, via = m[1], `its verbose "attempting to reauthenticate" line (it gave up without "Failed to authenticate": the forced refresh brought back the same token)`
			}
		}
	}
	return st, realMessage{text: msg, via: via}, console
}

// realMessage is the backend's message as the real client showed it, and
// which of its lines showed it.
type realMessage struct{ text, via string }

// reauthenticating is the real client's verbose line for an AuthError
// (its config version, " [v2]", follows the message).
var reauthenticating = regexp.MustCompile(`attempting to reauthenticate: (.*?)(?: \[v[0-9]+\])?$`)

// clickWhenShown clicks the element once the tab shows it, within 20 s.
func clickWhenShown(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	// Only on a loaded page: a button parsed before the script that
	// listens to it has run would take the click and do nothing.
	js := `document.readyState === 'complete' && !!document.querySelector(` + jsString(sel) + `)`
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		if shown, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); shown {
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err == nil {
				return
			}
		}
		time.Sleep(200 * time.Millisecond) // polling the page
	}
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
	t.Fatalf("%s never showed; the page says %q", sel, text)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
