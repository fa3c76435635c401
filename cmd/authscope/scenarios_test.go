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

func TestScenariosListsTheScript(t *testing.T) {
	code, out, _ := runArgs(t, "scenarios")
	if code != exitAuthenticated {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	all := demo.All()
	if len(lines) != len(all) {
		t.Fatalf("%d lines for %d scenarios:\n%s", len(lines), len(all), out)
	}
	for i, sc := range all {
		if f := strings.Fields(lines[i]); len(f) == 0 || f[0] != sc.Name || !strings.HasSuffix(lines[i], sc.Title) {
			t.Errorf("line %d is %q, want %s and its title", i+1, lines[i], sc.Name)
		}
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
