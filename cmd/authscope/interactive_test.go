package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/tui"
)

// requireE2E skips a test whose tool is missing, or fails it in CI, where
// AUTHSCOPE_REQUIRE_E2E=1 says the tool must be there.
func requireE2E(t *testing.T, tool, install string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err == nil {
		return path
	}
	msg := tool + " is not installed (" + install + "); this test needs it"
	if os.Getenv("AUTHSCOPE_REQUIRE_E2E") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// TestInteractiveDemoWithTeatest runs the whole program, the real demo
// stack, runner and interface, through the demo flow: with no browser, the
// user presses a to sign in as the demo user and the view reaches
// isAuthenticated: true.
func TestInteractiveDemoWithTeatest(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	o, err := parseArgs([]string{"--demo", "--no-browser"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	env := &environment{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{},
		getenv: func(string) (string, bool) { return "", false }, getwd: os.Getwd}
	sess, err := setup(ctx, o, env)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.close()
	refresh := make(chan struct{}, 1)
	sess.cfg.Refresh, sess.cfg.RefreshNow = true, refresh
	runner, err := flow.NewRunner(sess.cfg)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan flow.Event, 64)
	go func() { _, _ = runner.Run(ctx, events) }()

	tm := teatest.NewTestModel(t, tui.New(tui.Options{Events: events, RefreshNow: refresh, AutoSignIn: autoSignIn(ctx, sess)}),
		teatest.WithInitialTermSize(120, 40))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Press a")) },
		teatest.WithDuration(20*time.Second))
	tm.Type("a")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("isAuthenticated: true")) },
		teatest.WithDuration(30*time.Second))
	tm.Type("q")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(tui.Model)
	if exitFor(context.Background(), final.Timeline()) != exitAuthenticated {
		t.Fatalf("final verdict %+v, want isAuthenticated true", final.Timeline().Decided())
	}
	cancel()
	for range events {
	}
}

// TestBinaryInTmux runs the built binary inside tmux, as a person would:
// it waits for the sign-in offer, presses a, waits for the verdict, looks
// at step 5's detail and quits.
func TestBinaryInTmux(t *testing.T) {
	tmux := requireE2E(t, "tmux", "apt-get install -y tmux")
	bin := filepath.Join(t.TempDir(), "authscope")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	name := "authscope-test"
	tm := func(args ...string) string {
		out, err := exec.Command(tmux, append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	exitFile := filepath.Join(t.TempDir(), "exit")
	script := bin + " --demo --no-browser; echo $? > " + exitFile + "; sleep 60"
	tm("new-session", "-d", "-s", name, "-x", "100", "-y", "30", "env", "TERM=xterm-256color", "sh", "-c", script)
	defer exec.Command(tmux, "-S", sock, "kill-server").Run()
	screen := func() string { return tm("capture-pane", "-p", "-t", name) }
	waitFor := func(what string, d time.Duration) string {
		t.Helper()
		deadline := time.Now().Add(d)
		for {
			s := screen()
			if strings.Contains(s, what) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("waited %v for %q; the screen shows:\n%s", d, what, s)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("Press a", 30*time.Second)
	tm("send-keys", "-t", name, "a")
	s := waitFor("isAuthenticated: true", 30*time.Second)
	for _, want := range []string{"1 User clicks the login button", "8 Backend confirms"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	// Select step 5 and expand it: the claims table shows the token's aud.
	// One key at a time: keys that arrive together reach the program as
	// one multi-rune key message.
	for _, k := range strings.Split("kkkkkkkkjjjj", "") {
		tm("send-keys", "-t", name, k)
		time.Sleep(30 * time.Millisecond)
	}
	tm("send-keys", "-t", name, "Enter")
	waitFor(`"convex"`, 10*time.Second)
	tm("send-keys", "-t", name, "q")
	deadline := time.Now().Add(15 * time.Second)
	for {
		b, err := os.ReadFile(exitFile)
		if err == nil && len(bytes.TrimSpace(b)) > 0 {
			if code := strings.TrimSpace(string(b)); code != "0" {
				t.Fatalf("exit status %s, want 0 after isAuthenticated: true\n%s", code, screen())
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("authscope did not exit after q:\n%s", screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The terminal is restored: the alt screen is gone, the shell's screen is back.
	if s := screen(); strings.Contains(s, "Backend confirms") {
		t.Errorf("the interface is still on screen after quitting:\n%s", s)
	}
}
