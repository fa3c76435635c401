package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/flow/diagnose"
)

// Every scenario runs end to end in flow/demo's tests; these check that
// the command lists them and wires them the same way.

// The list is grouped by provider: a heading naming the provider and the
// flags that run its scenarios, then one line per scenario, in script
// order; a blank line between groups.
func TestScenariosListsTheScript(t *testing.T) {
	code, out, _ := runArgs(t, "scenarios")
	if code != exitAuthenticated {
		t.Fatalf("exit %d", code)
	}
	groups := strings.Split(strings.TrimSuffix(out, "\n"), "\n\n")
	providers := demo.Providers()
	if len(groups) != len(providers) {
		t.Fatalf("%d groups for %d providers:\n%s", len(groups), len(providers), out)
	}
	for g, p := range providers {
		lines := strings.Split(groups[g], "\n")
		if !strings.HasPrefix(lines[0], p.Name+" (") || (p.ID != demo.ProviderClerk && !strings.Contains(lines[0], "--provider "+p.ID)) {
			t.Errorf("group %d opens with %q, want %s and how to run it", g+1, lines[0], p.Name)
		}
		of := demo.Of(p.ID)
		if len(lines)-1 != len(of) {
			t.Fatalf("%s: %d lines for %d scenarios:\n%s", p.ID, len(lines)-1, len(of), groups[g])
		}
		for i, sc := range of {
			if f := strings.Fields(lines[i+1]); len(f) == 0 || f[0] != sc.Name || !strings.HasSuffix(lines[i+1], sc.Title) {
				t.Errorf("%s line %d is %q, want %s and its title", p.ID, i+1, lines[i+1], sc.Name)
			}
		}
	}
}

// A scenario of another provider runs on it without --provider, and one
// named with the wrong provider is refused with the right one.
func TestScenarioPicksItsProvider(t *testing.T) {
	code, out, errs := runArgs(t, "check", "--demo", "--auto", "--scenario", "jwt-no-kid")
	if code != exitRejected || !strings.Contains(out, "customJwt token server") || !strings.Contains(out, "cause ["+diagnose.CodeCustomJWTMissingKid+"]") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = runArgs(t, "check", "--demo", "--provider", "auth0", "--scenario", "jwt-no-kid")
	if code != exitUsage || !strings.Contains(errs, "--provider custom-jwt") {
		t.Errorf("exit %d, stderr %q; want 2 naming --provider custom-jwt", code, errs)
	}
	code, _, errs = runArgs(t, "check", "--demo", "--provider", "okta")
	if code != exitUsage || !strings.Contains(errs, "custom-oidc") {
		t.Errorf("exit %d, stderr %q; want 2 listing the providers", code, errs)
	}
}

// Every flavour's healthy demo runs end to end from the command line,
// with --user picking the demo user by email address.
func TestDemoProviderHealthy(t *testing.T) {
	for _, p := range demo.Providers() {
		if p.ID == demo.ProviderClerk {
			continue
		}
		t.Run(p.ID, func(t *testing.T) {
			t.Parallel()
			code, out, errs := runArgs(t, "check", "--demo", "--provider", p.ID, "--user", "grace@example.com")
			if code != exitAuthenticated || !strings.Contains(out, "verdict: isAuthenticated: true") || !strings.Contains(out, "Grace") {
				t.Errorf("exit %d\n%s\n%s", code, out, errs)
			}
		})
	}
	code, _, errs := runArgs(t, "check", "--demo", "--provider", "auth0", "--user", "nobody")
	if code != exitUsage || !strings.Contains(errs, "ada (ada@example.com)") {
		t.Errorf("exit %d, stderr %q; want 2 listing the demo users", code, errs)
	}
}

// The production key is refused before the flow, so nothing decides
// isAuthenticated (exit 3); check still prints the finding that says why.
func TestCheckProductionKeyScenarioShowsTheFinding(t *testing.T) {
	code, out, errs := runArgs(t, "check", "--demo", "--auto", "--scenario", "production-key")
	if code != exitUndecided {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"verdict: undecided: the sign-in was refused", "cause [" + diagnose.CodeProductionKeyOnLoopback + "]", "pk_live_", "fix: "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckScenarioJSONCarriesTheDiagnosis(t *testing.T) {
	code, out, errs := runArgs(t, "check", "--demo", "--auto", "--json", "--scenario", "no-providers")
	if code != exitRejected {
		t.Fatalf("exit %d, want 1\n%s", code, errs)
	}
	var rep flow.Timeline
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	var v *flow.Verdict
	if r := rep.Decided(); r != nil {
		v = r.Verdict
	}
	if rep.Run == nil || rep.Run.Scenario != "no-providers" || v == nil || len(v.Findings) != 1 || v.Findings[0].Code != diagnose.CodeNoProviders {
		t.Fatalf("run %+v, verdict %+v", rep.Run, v)
	}
	const want = "No auth provider found matching the given token (no providers configured). Check convex/auth.config.ts."
	if v.Message != want {
		t.Errorf("message %q, want %q", v.Message, want)
	}
}

// --json --redact hides personal claims and identity fields in the report,
// with the same list the interface and check -v --redact use.
func TestCheckJSONRedactHidesPersonalClaims(t *testing.T) {
	code, out, errs := runArgs(t, "check", "--demo", "--auto", "--json", "--redact", "--scenario", "short-lifetime")
	if code != exitAuthenticated {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if strings.Contains(out, "ada@example.com") || strings.Contains(out, "Lovelace\\\"") || !strings.Contains(out, flow.Redacted) {
		t.Errorf("the redacted report shows personal values:\n%s", out)
	}
	if !strings.Contains(out, `"user_2demoAdaLovelace0000001"`) {
		t.Error("the subject is not personal data and stays")
	}
}
