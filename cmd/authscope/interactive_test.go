package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/tui"
)

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

// TestDumbTerminalGetsPlainText: TERM=dumb cannot move the cursor, so even
// on a terminal authscope prints the plain output, with no alternate
// screen.
func TestDumbTerminalGetsPlainText(t *testing.T) {
	o, err := parseArgs([]string{"--demo", "--auto"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	env := &environment{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getwd: os.Getwd,
		getenv: func(k string) (string, bool) {
			return map[string]string{"TERM": "dumb", "LANG": "C.UTF-8"}[k], k == "TERM" || k == "LANG"
		},
		isTerminal: func() bool { return true }}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if code := interactive(ctx, o, env); code != exitAuthenticated {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	if out := stdout.String(); !strings.Contains(out, "verdict: isAuthenticated: true") || strings.Contains(out, "\x1b[") {
		t.Errorf("TERM=dumb output is not the plain text:\n%q", out)
	}
}

// TestSignInPagePrintedBeforeTheInterface: the loopback is bound and its
// URL printed on stderr before the interface takes the screen, and handed
// to the interface, which shows it whole and copies it with u; with --auto
// nobody opens it, so nothing is printed.
func TestSignInPagePrintedBeforeTheInterface(t *testing.T) {
	for _, args := range [][]string{{"--demo", "--no-browser"}, {"--demo", "--auto"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		o, err := parseArgs(args, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		env := &environment{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &stderr,
			getenv: func(string) (string, bool) { return "", false }, getwd: os.Getwd}
		sess, err := setup(ctx, o, env)
		if err != nil {
			t.Fatal(err)
		}
		var opts tui.Options
		if err := signInPage(o, env, sess, &opts); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(opts.SignInURL, "#secret=") {
			t.Errorf("%v: the interface gets URL %q", args, opts.SignInURL)
		}
		printed := strings.Contains(stderr.String(), "authscope: sign-in page: "+opts.SignInURL+"\n")
		if want := !o.auto; printed != want {
			t.Errorf("%v: URL printed %v, want %v: %q", args, printed, want, stderr.String())
		}
		sess.close()
		cancel()
	}
}
