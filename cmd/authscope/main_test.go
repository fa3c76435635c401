package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
)

func runArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	code := run(ctx, args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckDemoAutoPlain(t *testing.T) {
	code, out, errs := runArgs(t, "check", "--demo", "--auto")
	if code != exitAuthenticated {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errs)
	}
	for _, id := range flow.Steps {
		line := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "] "+string(id)+" ") {
				line = l
			}
		}
		if !strings.Contains(line, "[ ok ]") {
			t.Errorf("step %s line %q is not ok", id, line)
		}
	}
	if !strings.Contains(out, "verdict: isAuthenticated: true") {
		t.Errorf("no verdict line in\n%s", out)
	}
}

func TestCheckDemoAutoJSON(t *testing.T) {
	code, out, errs := runArgs(t, "check", "--demo", "--auto", "--json")
	if code != exitAuthenticated {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var rep flow.Timeline
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("the report is not JSON: %v\n%s", err, out)
	}
	if !rep.Authenticated || len(rep.Rounds) != 1 || len(rep.Rounds[0].Steps) != 8 {
		t.Fatalf("report: authenticated %v, %d rounds", rep.Authenticated, len(rep.Rounds))
	}
	// The token is a bearer credential: it must not be in the report.
	if strings.Count(out, "eyJ") > 0 {
		t.Error("the JSON report contains something that looks like a JWT")
	}
	// The loopback's per-run secret is hidden in the report, and on
	// stderr too: with --auto no person opens the URL.
	if !strings.Contains(out, "#secret=<hidden>") || !strings.Contains(errs, "#secret=<hidden>") || secretShown(errs) {
		t.Errorf("secret handling: report notices %v, stderr %q", rep.Notices, errs)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	cases := [][]string{
		{"frobnicate"},
		{"check", "--refresh", "-1"},
		{"check", "--token", "a", "--token-file", "b"},
		{"check", "--demo", "--scenario", "no-such-scenario"},
		{"check", "--demo", "--auto", "--user", "user_nobody"},
		{"check", "--bogus-flag"},
	}
	for _, args := range cases {
		code, _, errs := runArgs(t, args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, errs)
		}
		if !strings.HasPrefix(errs, "authscope: ") && !strings.Contains(errs, "flag provided but not defined") {
			t.Errorf("%v: stderr %q does not explain", args, errs)
		}
	}
}

// Without the interface and without a browser, the demo signs in by itself
// instead of waiting for the sign-in timeout.
func TestDemoFallsBackToAutomaticSignInWithoutABrowser(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no xdg-open, no browser
	code, out, errs := runArgs(t, "check", "--demo")
	if code != exitAuthenticated {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	// The notices say what happened: the URL, then that no browser
	// started and the automatic browser took over; never that one opened.
	if flat := unwrap(out); !strings.Contains(flat, "The browser did not open (could not start a browser") || !strings.Contains(flat, "signs in as the demo user instead") ||
		strings.Contains(out, "Opened the sign-in page") {
		t.Errorf("the output does not say why it signed in by itself: %q", out)
	}
}
