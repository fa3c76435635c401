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
