package flow_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/oauthloop"
	"github.com/authscope/authscope/oauthloop/chromium"
)

// TestChromiumFlowToVerdict is the whole flow in real headless Chromium:
// the landing page, the demo instance's ClerkJS stand-in and sign-in page,
// a click on the demo user, and the runner through steps 5–8 to the
// verdict. Steps 1–5 carry the browser's own timings.
func TestChromiumFlowToVerdict(t *testing.T) {
	execPath, err := chromium.FindExec()
	if err != nil {
		if os.Getenv("AUTHSCOPE_REQUIRE_E2E") == "1" {
			t.Fatalf("AUTHSCOPE_REQUIRE_E2E=1 but Chromium is missing: %v (apt-get install -y chromium)", err)
		}
		t.Skipf("Chromium is not installed (apt-get install -y chromium): %v", err)
	}
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
			sc, err := demo.Lookup(c.scenario)
			if err != nil {
				t.Fatal(err)
			}
			var br *chromium.Browser
			rep, _ := runDemoWith(t, sc, func(stack *demo.Stack) oauthloop.Opener {
				br = &chromium.Browser{ExecPath: execPath, UserDataDir: t.TempDir(),
					UserID: stack.Clerk.Users()[0].ID, Logf: t.Logf, Timeout: 30 * time.Second}
				return br
			})
			defer func() {
				if t.Failed() {
					br.Snapshot("at-failure")
					dir := t.TempDir()
					if root := os.Getenv("AUTHSCOPE_ARTIFACTS"); root != "" {
						dir = filepath.Join(root, strings.ReplaceAll(t.Name(), "/", "_"))
					}
					paths, err := br.SaveShots(dir)
					t.Logf("screenshots of the pages the test saw: %v %v", paths, err)
				}
				_ = br.Close()
			}()
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
