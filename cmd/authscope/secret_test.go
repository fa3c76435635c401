package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// secretShown reports whether text holds the loopback page's secret.
func secretShown(text string) bool {
	return regexp.MustCompile(`#secret=[A-Za-z0-9_-]{20,}`).MatchString(text)
}

// checkWith runs check with a given stderr: a terminal or not.
func checkWith(t *testing.T, stderrTTY bool, args ...string) (int, string, string) {
	t.Helper()
	o, err := parseArgs(args, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	env := &environment{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, stderrTTY: stderrTTY,
		getenv: func(string) (string, bool) { return "", false }, getwd: func() (string, error) { return t.TempDir(), nil }}
	return check(t.Context(), o, env), out.String(), errb.String()
}

// The loopback secret is shown only where a person may open the URL.
func TestSecretShownOnlyToAPerson(t *testing.T) {
	cases := []struct {
		name      string
		tty       bool
		args      []string
		wantShown bool
	}{
		{"--json, stderr a terminal: a person opens the URL", true, []string{"check", "--demo", "--no-browser", "--timeout", "300ms", "--json"}, true},
		{"--json, stderr no terminal (a CI log)", false, []string{"check", "--demo", "--no-browser", "--timeout", "300ms", "--json"}, false},
		{"--json --auto: the HTTP browser opens it", true, []string{"check", "--demo", "--auto", "--json"}, false},
		{"--auto, plain", true, []string{"check", "--demo", "--auto"}, false},
		{"--redact, plain", true, []string{"check", "--demo", "--no-browser", "--timeout", "300ms", "--redact"}, false},
		{"plain, --no-browser: the person needs it", false, []string{"check", "--demo", "--no-browser", "--timeout", "300ms"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, out, errs := checkWith(t, c.tty, c.args...)
			if got := secretShown(out + errs); got != c.wantShown {
				t.Errorf("secret shown: %v, want %v\nstdout:\n%s\nstderr:\n%s", got, c.wantShown, out, errs)
			}
			if !strings.Contains(out+errs, "#secret=") {
				t.Error("the sign-in URL is not printed at all")
			}
		})
	}
}

// A token given on the command line draws a warning; stdin and a file
// do not.
func TestTokenOnTheCommandLineIsWarnedAbout(t *testing.T) {
	dev := startIssuer(t)
	tok, err := dev.MintToken(dev.Users()[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	_, _, errs := runIn(t, t.TempDir(), "", "check", "--token", tok)
	if !strings.Contains(errs, "warning: a token on the command line") || !strings.Contains(errs, "--token -") || !strings.Contains(errs, "--token-file") {
		t.Errorf("no warning for --token on the command line: %q", errs)
	}
	if strings.Count(errs, "\n") > 1 && strings.Count(errs, "warning") != 1 {
		t.Errorf("the warning is not one line: %q", errs)
	}
	_, _, errs = runIn(t, t.TempDir(), tok, "check", "--token", "-")
	if strings.Contains(errs, "warning") {
		t.Errorf("a warning for a token on stdin: %q", errs)
	}
}
