package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// conflictRow is one row of the README's table of refused combinations.
type conflictRow struct{ args, where, says string }

// readmeConflicts reads the table of refused combinations from the README.
func readmeConflicts(t *testing.T) []conflictRow {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "| given | where | authscope says |")
	if start < 0 {
		t.Fatal("the README has no table of refused combinations")
	}
	var rows []conflictRow
	for _, line := range strings.Split(text[start:], "\n")[2:] {
		if !strings.HasPrefix(line, "| `") {
			break
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 3 {
			t.Fatalf("row %q has %d cells", line, len(cells))
		}
		rows = append(rows, conflictRow{args: strings.Trim(cells[0], "`"), where: cells[1], says: cells[2]})
	}
	return rows
}

// runWhere runs args in a folder with no project, in a project, or as if
// stdout were a terminal.
func runWhere(t *testing.T, where string, args []string) (int, string, string) {
	t.Helper()
	dir, terminal := t.TempDir(), false
	switch where {
	case "anywhere", "outside a project":
	case "in a project":
		dir = "../../flow/project/testdata/vite-react"
	case "in a terminal":
		terminal = true
	default:
		t.Fatalf("unknown place %q", where)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	env := &environment{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) (string, bool) { return "", false }, getwd: func() (string, error) { return dir, nil },
		isTerminal: func() bool { return terminal }}
	return execute(ctx, args, env), out.String(), errb.String()
}

// TestRefusedCombinations runs every row of the README's table: exit 2,
// the row's sentence on stderr, nothing on stdout. Every conflict the
// code knows has a row.
func TestRefusedCombinations(t *testing.T) {
	rows := readmeConflicts(t)
	for _, r := range rows {
		code, out, errs := runWhere(t, r.where, strings.Fields(r.args))
		if code != exitUsage || errs != "authscope: "+r.says+"\n" || out != "" {
			t.Errorf("%s (%s): exit %d, stderr %q, stdout %q; want 2 and %q", r.args, r.where, code, errs, out, r.says)
		}
	}
	for _, table := range [][]conflict{flagConflicts, projectConflicts, terminalConflicts} {
		for _, c := range table {
			re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(c.why), "%s", `\S+`) + "$")
			found := false
			for _, r := range rows {
				found = found || re.MatchString(r.says)
			}
			if !found {
				t.Errorf("the README has no row for %q", c.why)
			}
		}
	}
}

// The same flags are accepted where they apply.
func TestAcceptedCombinations(t *testing.T) {
	for _, args := range [][]string{
		{"--demo", "--json", "--no-browser", "--timeout", "200ms"}, // not a terminal: the check output
		{"check", "--demo", "--user", "user_2demoGraceHopper000002", "--auto", "--redact", "-v"},
	} {
		code, out, errs := runWhere(t, "anywhere", args)
		if code == exitUsage || code == exitInterrupted {
			t.Errorf("%v: exit %d: %s\n%s", args, code, errs, out)
		}
	}
}

// --deployment and --publishable-key are checked before anything runs,
// with the Convex client's and Clerk's own rules.
func TestDeploymentAndKeyCheckedUpFront(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--deployment", "notaurl"}, `authscope: --deployment: Invalid deployment address: Must start with "https://" or "http://". Found "notaurl".`},
		{[]string{"check", "--deployment", "https://"}, `authscope: --deployment: Invalid deployment address: "https://" is not a valid URL.`},
		{[]string{"check", "--deployment", "https://happy-otter-123.convex.site"}, "ends with .convex.site, which is used for HTTP Actions"},
		{[]string{"--publishable-key", "pk_test_garbage"}, "authscope: --publishable-key pk_test_garbage is not a Clerk publishable key: it decodes to"},
		{[]string{"check", "--publishable-key", "sk_test_abc"}, `the key starts with "sk_test_", not pk_test_ or pk_live_ (Clerk says "Publishable key not valid (expected format: pk_test_... or pk_live_...).")`},
	} {
		code, out, errs := runWhere(t, "anywhere", c.args)
		if code != exitUsage || !strings.Contains(errs, c.want) || out != "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errs, c.want)
		}
		if strings.Contains(errs, "running the offline demo") {
			t.Errorf("%v: ran the demo", c.args)
		}
	}
}

// --version and version print the module version, or "(devel)" when the
// build recorded none (go run, go test).
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, errs := runWhere(t, "anywhere", args)
		if code != exitAuthenticated || !regexp.MustCompile(`^authscope (v\S+|\(devel\)) \(.*go1\.\d+`).MatchString(out) || errs != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}
