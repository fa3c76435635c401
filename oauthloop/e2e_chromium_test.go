package oauthloop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/oauthloop/chromium"
)

// requireChromium returns the Chromium binary, or skips the test; with
// AUTHSCOPE_REQUIRE_E2E=1 a missing Chromium fails it instead.
func requireChromium(t *testing.T) string {
	t.Helper()
	required := os.Getenv("AUTHSCOPE_REQUIRE_E2E") == "1"
	if testing.Short() && !required {
		t.Skip("skipping the headless-Chromium end-to-end test in -short mode")
	}
	p, err := chromium.FindExec()
	if err != nil {
		if required {
			t.Fatalf("AUTHSCOPE_REQUIRE_E2E=1 but the headless-Chromium test cannot run: %v", err)
		}
		t.Skipf("skipping the headless-Chromium end-to-end test: %v (set AUTHSCOPE_REQUIRE_E2E=1 to make this a failure)", err)
	}
	return p
}

// artifactsDir is where screenshots of a failed run go: under
// $AUTHSCOPE_ARTIFACTS when set, else in the test's temporary directory.
func artifactsDir(t *testing.T) string {
	if root := os.Getenv("AUTHSCOPE_ARTIFACTS"); root != "" {
		return filepath.Join(root, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()))
	}
	return t.TempDir()
}

// keepEvidence saves what the browser saw when the test failed.
func keepEvidence(t *testing.T, br *chromium.Browser) {
	if !t.Failed() {
		return
	}
	if text, err := br.PageText(); err == nil {
		t.Logf("page at failure:\n%s", text)
	}
	br.Snapshot("at-failure")
	paths, err := br.SaveShots(artifactsDir(t))
	if err != nil {
		t.Logf("saving screenshots: %v", err)
	}
	for _, p := range paths {
		t.Logf("screenshot: %s", p)
	}
}

// TestChromiumEndToEnd runs the demo sign-in in real headless Chromium:
// the real landing page and page script, the dev instance's clerk.browser.js
// and sign-in page, a click on the demo user, and then token fetches and
// refresh commands through the page.
func TestChromiumEndToEnd(t *testing.T) {
	execPath := requireChromium(t)
	tests := []struct {
		name        string
		integration bool
		templates   []devinstance.Template
		path        string
		wantStatus  int // 0: a token
	}{
		{name: "integration on", integration: true, path: flow.TokenPathSession},
		{name: "integration off, template renamed", templates: []devinstance.Template{renamed()}, path: flow.TokenPathTemplate, wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := startDev(t, devinstance.Options{IntegrationOn: tt.integration, Templates: tt.templates})
			user := dev.Users()[0]
			br := &chromium.Browser{ExecPath: execPath, UserDataDir: t.TempDir(), UserID: user.ID, Logf: t.Logf, Timeout: 30 * time.Second}
			t.Cleanup(func() { br.Close() })
			src := newTestSource(t, SourceConfig{Kind: KindDemo, PublishableKey: dev.PublishableKey(), Opener: br,
				Timeout: 60 * time.Second, TokenTimeout: 30 * time.Second})
			defer keepEvidence(t, br)

			rep := &recorder{}
			if err := src.SignIn(t.Context(), rep); err != nil {
				t.Fatalf("SignIn: %v (browser: %v)", err, br.Wait(t.Context()))
			}
			finals := rep.finals()
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

			for round := range 2 {
				res, err := src.FetchToken(t.Context(), round > 0)
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				if res.Path != tt.path || !res.BrowserTimed || res.Start.IsZero() {
					t.Errorf("round %d: path %q, browser-timed %v, start %v", round, res.Path, res.BrowserTimed, res.Start)
				}
				if tt.wantStatus == 0 {
					if res.Token == "" || claimsOfToken(t, res.Token)["aud"] != "convex" {
						t.Errorf("round %d: no convex token (status %d, %s)", round, res.HTTPStatus, res.Err)
					}
					continue
				}
				if res.Token != "" || res.HTTPStatus != tt.wantStatus || !strings.Contains(res.Body, "No JWT template exists with name: convex") {
					t.Errorf("round %d: token %v, status %d, body %q; want null with %d and Clerk's body", round, res.Token != "", res.HTTPStatus, res.Body, tt.wantStatus)
				}
			}
			if err := br.Wait(t.Context()); err != nil {
				t.Errorf("driving the browser: %v", err)
			}
		})
	}
}

// TestChromiumClerkJSLoadFailure: when ClerkJS cannot be loaded from the
// Frontend API, the real page reports step 2 as failed with the reason.
func TestChromiumClerkJSLoadFailure(t *testing.T) {
	execPath := requireChromium(t)
	br := &chromium.Browser{ExecPath: execPath, UserDataDir: t.TempDir(), UserID: "user_x", Logf: t.Logf, Timeout: 2 * time.Second}
	t.Cleanup(func() { br.Close() })
	dead := clerk.BuildPublishableKey("127.0.0.1:1", clerk.InstanceDevelopment)
	src := newTestSource(t, SourceConfig{PublishableKey: dead, Opener: br, Timeout: 60 * time.Second})
	defer keepEvidence(t, br)
	rep := &recorder{}
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
