package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/authscope/authscope/cmd/authscope/internal/e2e"
	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/oauthloop"
)

// The real @clerk/clerk-js 6.40.0 against the dev instance, behind a TLS
// front at a Clerk dev-suffix host (devinstance's SPEC.md "Behind a TLS
// front"), running authscope's own landing page.

// realClerkJS is the dist folder of the pinned @clerk/clerk-js.
func realClerkJS(t *testing.T) fs.FS {
	t.Helper()
	return os.DirFS(e2e.NodeModule(t, "@clerk/clerk-js/dist"))
}

// realInstance starts a dev instance at e2e.DevHost over TLS, serving the
// real ClerkJS, and returns it with the host's certificate.
func realInstance(t *testing.T, opts devinstance.Options) (*devinstance.Instance, *e2e.TLSHost) {
	t.Helper()
	opts.ClerkJS = realClerkJS(t)
	host := e2e.NewTLSHost(t, e2e.DevHost)
	opts.PublicHost, opts.TLS = host.Host, host.Server
	return startInstance(t, opts), host
}

// TestRealClerkJSLandingPage signs in with authscope's landing page and
// the real ClerkJS, then fetches the first token and two refreshes through
// the page: the session token with the integration on, the "convex"
// template with it off, and Clerk's 404 when the template is missing.
func TestRealClerkJSLandingPage(t *testing.T) {
	renamed := devinstance.ConvexTemplate()
	renamed.Name = "Convex"
	tests := []struct {
		name        string
		integration bool
		templates   []devinstance.Template
		path        string
		wantStatus  int // 0: a token
	}{
		{name: "integration on", integration: true, path: flow.TokenPathSession},
		{name: "integration off", path: flow.TokenPathTemplate},
		{name: "integration off, template renamed", templates: []devinstance.Template{renamed}, path: flow.TokenPathTemplate, wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev, host := realInstance(t, devinstance.Options{IntegrationOn: tt.integration, Templates: tt.templates})
			src, rep := landingSignIn(t, dev, host.ChromiumFlags(dev.Addr()))
			checkBrowserSteps(t, rep.finals())
			tokenRounds(t, src, 3, tt.path, tt.wantStatus)
		})
	}
}

// redirectParam is the landing URL inside a sign-in URL (its state differs
// from run to run).
var redirectParam = regexp.MustCompile(`(redirect_url=)[^&#]*`)

// landingRun signs in through authscope's landing page in Chromium and
// fetches the first token and two refreshes, returning what the page
// reported, normalised so that runs against different instances compare:
// the issuer, the loopback port, times and the ClerkJS version are
// replaced by placeholders.
func landingRun(t *testing.T, dev *devinstance.Instance, flags []chromedp.ExecAllocatorOption) []string {
	t.Helper()
	src, rep := landingSignIn(t, dev, flags)
	loop, _, _ := strings.Cut(strings.TrimPrefix(src.LandingURL(), "http://"), "/")
	norm := strings.NewReplacer(dev.Issuer(), "<issuer>", loop, "<loopback>", clerk.ScriptVersion, "<version>", "6.40.0", "<version>")
	var out []string
	finals := rep.finals()
	for _, id := range []flow.StepID{flow.StepClick, flow.StepRedirect, flow.StepReturn, flow.StepProvider} {
		s := finals[id]
		line := fmt.Sprintf("step %s: %s %q", id, s.Status, s.Error)
		for _, f := range s.Fields {
			switch f.Label {
			case "page", "browser", "browser clock", "time signing in", "user", "session":
				line += " " + f.Label + "=…"
			default:
				line += " " + f.Label + "=" + redirectParam.ReplaceAllString(norm.Replace(f.Value), "${1}<landing>")
			}
		}
		out = append(out, line)
	}
	for round := range 3 {
		res, err := src.FetchToken(t.Context(), round > 0)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var body struct {
			Errors []struct {
				Code, Message string
				LongMessage   string `json:"long_message"`
			}
			Trace string `json:"clerk_trace_id"`
		}
		_ = json.Unmarshal([]byte(res.Body), &body)
		out = append(out, fmt.Sprintf("round %d: path %s template %q token %v aud %v status %d errors %+v trace %v error %q",
			round, res.Path, res.Template, res.Token != "", tokenAud(t, res.Token), res.HTTPStatus, body.Errors, body.Trace != "", res.Err))
	}
	return out
}

func tokenAud(t *testing.T, jwt string) any {
	if jwt == "" {
		return nil
	}
	return decodeJWT(t, jwt).Claims["aud"]
}

// TestRealClerkJSMatchesStandIn runs authscope's landing page against the
// dev instance's ClerkJS stand-in and against the real ClerkJS, and
// requires the same step reports and token rounds from both, for both
// token paths and the missing template.
func TestRealClerkJSMatchesStandIn(t *testing.T) {
	renamed := devinstance.ConvexTemplate()
	renamed.Name = "Convex"
	for _, tc := range []struct {
		name string
		opts devinstance.Options
	}{
		{"integration on", devinstance.Options{IntegrationOn: true}},
		{"integration off", devinstance.Options{}},
		{"template renamed", devinstance.Options{Templates: []devinstance.Template{renamed}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			standIn := landingRun(t, startInstance(t, tc.opts), nil)
			dev, host := realInstance(t, tc.opts)
			real := landingRun(t, dev, host.ChromiumFlags(dev.Addr()))
			if len(real) != len(standIn) {
				t.Fatalf("real ClerkJS reported %d lines, the stand-in %d", len(real), len(standIn))
			}
			for i := range real {
				if real[i] != standIn[i] {
					t.Errorf("the stand-in and the real ClerkJS differ:\n stand-in %s\n real     %s", standIn[i], real[i])
				}
			}
		})
	}
}

// TestLandingPageTrustsNothingUnseen makes the Frontend API misbehave, for
// the stand-in and for the real ClerkJS, and requires the landing page to
// fail the right step with the reason within a bounded time: a degraded
// load(), a sign-in URL on the page's own origin, and a getToken that
// ClerkJS would retry for minutes.
func TestLandingPageTrustsNothingUnseen(t *testing.T) {
	const tokenTimeout = 8 * time.Second
	cases := []struct {
		name   string
		faults devinstance.Faults
		step   flow.StepID // the step that fails; StepToken: the first token
		reason string
	}{
		{"degraded load", devinstance.Faults{EnvironmentStatus: 500}, flow.StepRedirect, `ClerkJS loaded with status "degraded"`},
		{"sign-in URL on the page's origin", devinstance.Faults{SignInURL: "/sign-in"}, flow.StepRedirect, "gave this page itself"},
		{"getToken retried for minutes", devinstance.Faults{TokenStatus: 503}, flow.StepToken, "did not finish within 6 s: ClerkJS retries"},
	}
	for _, c := range cases {
		for _, real := range []bool{false, true} {
			name := c.name + ", stand-in"
			if real {
				name = c.name + ", real ClerkJS"
			}
			t.Run(name, func(t *testing.T) {
				opts := devinstance.Options{Faults: c.faults} // integration off: the first token is fetched
				var dev *devinstance.Instance
				var flags []chromedp.ExecAllocatorOption
				if real {
					var host *e2e.TLSHost
					dev, host = realInstance(t, opts)
					flags = host.ChromiumFlags(dev.Addr())
				} else {
					dev = startInstance(t, opts)
				}
				br := newBrowser(t, dev.Users()[0].ID, flags...)
				src := newLoopSource(t, oauthloop.SourceConfig{PublishableKey: dev.PublishableKey(), Opener: br,
					Timeout: 30 * time.Second, TokenTimeout: tokenTimeout})
				defer keepEvidence(t, br)
				rep := &stepRecorder{}
				start := time.Now()
				err := src.SignIn(t.Context(), rep)
				if c.step != flow.StepToken {
					s := rep.finals()[c.step]
					if err == nil || s.Status != flow.StatusFail || !strings.Contains(s.Error, c.reason) {
						t.Fatalf("SignIn: %v; step %s: %s %q; want a failure saying %q", err, c.step, s.Status, s.Error, c.reason)
					}
					if d := time.Since(start); d > 20*time.Second {
						t.Errorf("the failure took %s", d)
					}
					return
				}
				if err != nil {
					t.Fatalf("SignIn: %v", err)
				}
				res, err := src.FetchToken(t.Context(), false)
				if err != nil || res.Token != "" || !strings.Contains(res.Err, c.reason) {
					t.Fatalf("first token: %v, token %v, error %q; want the page's reason %q", err, res.Token != "", res.Err, c.reason)
				}
				if res.Latency > tokenTimeout {
					t.Errorf("the page took %s to give up, more than FetchToken waits", res.Latency)
				}
			})
		}
	}
}

// TestRealClerkJSRecoversAStaleDevBrowser signs in twice in one browser,
// against two instances one after the other at the same host and port: the
// second run's ClerkJS finds the first run's dev browser in its cookie, the
// new instance answers 401 dev_browser_unauthenticated, and ClerkJS makes a
// new dev browser and signs in.
func TestRealClerkJSRecoversAStaleDevBrowser(t *testing.T) {
	host := e2e.NewTLSHost(t, e2e.DevHost)
	first, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := first.Addr().String()
	browser := e2e.StartChromium(t, host.ChromiumFlags(addr)...)
	clerkJS := realClerkJS(t)
	for run := range 2 {
		ln := first
		if run > 0 {
			if ln, err = net.Listen("tcp", addr); err != nil {
				t.Fatalf("binding %s again: %v", addr, err)
			}
		}
		dev := startInstance(t, devinstance.Options{IntegrationOn: true, Listener: ln, PublicHost: host.Host, TLS: host.Server, ClerkJS: clerkJS})
		br := &e2e.Browser{Parent: browser, UserID: dev.Users()[0].ID, Logf: t.Logf, Timeout: 30 * time.Second}
		src := newLoopSource(t, oauthloop.SourceConfig{PublishableKey: dev.PublishableKey(), Opener: br,
			Timeout: 60 * time.Second, TokenTimeout: 30 * time.Second})
		if err := src.SignIn(t.Context(), &stepRecorder{}); err != nil {
			keepEvidence(t, br)
			logRequests(t, dev)
			t.Fatalf("run %d: SignIn: %v", run+1, err)
		}
		if res, err := src.FetchToken(t.Context(), true); err != nil || res.Token == "" {
			t.Fatalf("run %d: token: %v %+v", run+1, err, res)
		}
		var unauthenticated, created int
		for _, r := range dev.Requests() {
			switch {
			case r.Status == 401 && (r.Kind == devinstance.KindEnvironment || r.Kind == devinstance.KindClient):
				unauthenticated++
			case r.Kind == devinstance.KindDevBrowser && unauthenticated > 0:
				created++
			}
		}
		if run == 1 && (unauthenticated == 0 || created == 0) {
			logRequests(t, dev)
			t.Errorf("second run: %d answers 401, %d dev browsers made after them; want ClerkJS to replace the stale one", unauthenticated, created)
		}
		_ = src.Close()
		_ = br.Close()
		_ = dev.Close()
	}
}
