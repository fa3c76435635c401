package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/charmbracelet/x/term"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/oauthloop"
	"github.com/authscope/authscope/tui"
)

// interactive runs the Bubble Tea view, or the plain check output when
// stdout is not a terminal or the terminal cannot move its cursor
// (TERM=dumb).
func interactive(ctx context.Context, o *options, env *environment) int {
	terminal := tui.DetectTerminal(env.getenv)
	if !env.terminal() || terminal.Dumb {
		return check(ctx, o, env)
	}
	if err := refuse(terminalConflicts, situation{o: o, terminal: true}); err != nil {
		return fail(env, err)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	o.interactive = true
	sess, err := setup(ctx, o, env)
	if err != nil {
		return fail(env, err)
	}
	defer sess.close()
	refresh := make(chan struct{}, 1)
	sess.cfg.Refresh = true
	sess.cfg.RefreshNow = refresh
	sess.cfg.ReopenHint = "press o to reopen it"
	opts := tui.Options{RefreshNow: refresh, Redact: o.redact, Terminal: terminal}
	if err := signInPage(o, env, sess, &opts); err != nil {
		return fail(env, err)
	}
	runner, err := flow.NewRunner(sess.cfg)
	if err != nil {
		return fail(env, err)
	}
	events := make(chan flow.Event, 64)
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		_, _ = runner.Run(ctx, events)
	}()
	opts.Events = events
	if _, ok := sess.cfg.Source.(flow.PageSource); ok {
		opts.Reopen = func() { _ = runner.Reopen(ctx) }
	}
	if sess.demo != nil {
		opts.AutoSignIn = autoSignIn(ctx, sess)
	}
	m, err := tui.Run(ctx, opts, env.stdin, env.stdout)
	// The runner may still be sending; stop it and drain what is left so it
	// can close its servers.
	cancel()
	for range events {
	}
	<-runDone
	if m.Interrupted() || errors.Is(err, tea.ErrInterrupted) || errors.Is(parent.Err(), context.Canceled) {
		return exitInterrupted // Ctrl+C, SIGINT or SIGTERM: the user stopped the run
	}
	if err != nil {
		return fail(env, err)
	}
	return exitFor(parent, m.Timeline())
}

// signInPage binds the loopback of a browser sign-in before anything is
// drawn, prints its URL on stderr (it stays on the terminal after the
// interface has gone, and is there should the interface not come up), and
// gives the interface the URL, which it shows whole and copies with u.
// With --auto no person opens the URL, so it is not printed.
func signInPage(o *options, env *environment, sess *session, opts *tui.Options) error {
	src, ok := sess.cfg.Source.(*oauthloop.Source)
	if !ok {
		return nil
	}
	url, err := src.Start()
	if err != nil {
		return err
	}
	if !o.auto {
		fmt.Fprintf(env.stderr, "authscope: sign-in page: %s\n", url)
	}
	opts.SignInURL = url
	return nil
}

// autoSignIn returns the action behind the interface's "sign in as the demo
// user" key: an HTTP browser opens the landing page in place of a real one.
func autoSignIn(ctx context.Context, sess *session) func() {
	src, ok := sess.cfg.Source.(*oauthloop.Source)
	if !ok {
		return nil
	}
	return func() {
		b := &oauthloop.HTTPBrowser{Client: sess.cfg.HTTPClient, UserID: sess.user}
		go func() { _ = b.Open(ctx, src.LandingURL()) }()
	}
}

func (e *environment) terminal() bool {
	if e.isTerminal != nil {
		return e.isTerminal()
	}
	return isTerminal(e.stdout)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
