package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// Every line on stderr is escaped and cut, whatever the value quoted: a
// flag, a file, the environment.
func TestStderrLinesAreEscapedAndCut(t *testing.T) {
	huge := strings.Repeat("x", 900_000) + "\x1b]52;c;aGk=\x07"
	for _, args := range [][]string{
		{"check", "--env", huge},                            // the flag package's own error and usage
		{"check", "--demo", "--scenario", huge},             // authscope's usage error
		{"check", "--token", "a", "--token-file", huge},     // a refused combination
		{"check", "--demo", "--auto", "--user", "u\x1b[2J"}, // a control sequence in a flag
	} {
		_, _, errs := runArgs(t, args...)
		if errs == "" {
			t.Errorf("%.40q: nothing on stderr", args)
		}
		for _, l := range strings.Split(errs, "\n") {
			if n := utf8.RuneCountInString(l); n > maxErrLine {
				t.Errorf("%.40q: a stderr line of %d runes", args, n)
			}
			if strings.ContainsAny(l, "\x1b\x07") {
				t.Errorf("%.40q: a raw control character on stderr: %.80q", args, l)
			}
		}
	}
}

// An auth config that is a link to a file that is no module is refused
// before anything quotes its content.
func TestLinkedNonConfigFileIsNotEchoed(t *testing.T) {
	root := t.TempDir()
	secret := filepath.Join(t.TempDir(), "id_secret")
	if err := os.WriteFile(secret, []byte("TOPSECRETWORD rest of the file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "convex"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(root, "convex", "auth.config.ts")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	code, out, errs := runIn(t, root, "", "check", "--token", "-", "--deployment", closedURL(t))
	if code != exitUsage || !strings.Contains(errs, "symbolic link") {
		t.Errorf("exit %d, stderr %q: want 2 and the link named", code, errs)
	}
	if strings.Contains(out+errs, "TOPSECRETWORD") {
		t.Errorf("the linked file's content was echoed:\n%s\n%s", out, errs)
	}
}
