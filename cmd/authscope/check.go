package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/flow/untrusted"
	"github.com/authscope/authscope/tui"
)

// check runs the flow without the interactive view and prints it as text
// or JSON.
func check(ctx context.Context, o *options, env *environment) int {
	sess, err := setup(ctx, o, env)
	if err != nil {
		return fail(env, err)
	}
	defer sess.close()
	sess.cfg.MaxRefreshes = o.refresh
	sess.cfg.Refresh = o.refresh > 0
	sess.cfg.StepTimeout = env.stepTimeout
	runner, err := flow.NewRunner(sess.cfg)
	if err != nil {
		return fail(env, err)
	}
	events := make(chan flow.Event, 64)
	go func() { _, _ = runner.Run(ctx, events) }()

	if !o.jsonOut {
		// With --auto the HTTP browser opens the URL: no person will.
		p := &tui.Plain{W: env.stdout, Verbose: o.verbose, Redact: o.redact, HideSecret: o.auto, Width: env.width()}
		return exitFor(ctx, p.Consume(events))
	}
	// The report comes at the end; the sign-in URL is needed now, on
	// stderr, with its secret only when a person may open it: not with
	// --auto, --redact, or a stderr that is no terminal (a CI log).
	hide := o.auto || o.redact || !env.stderrTTY
	tl := flow.NewTimeline()
	for ev := range events {
		if ev.Kind == flow.EventNotice {
			text := ev.Notice
			if hide {
				text = flow.HideSecret(text)
			}
			fmt.Fprintf(env.stderr, "authscope: %s\n", untrusted.Text(text, maxErrLine))
		}
		tl.Apply(ev)
	}
	report := tl
	if o.redact {
		report = tl.Redacted()
	}
	if err := report.WriteJSON(env.stdout); err != nil {
		return fail(env, fmt.Errorf("write the JSON report: %w", err))
	}
	return exitFor(ctx, tl)
}

// exitFor is the exit status of a finished run: 130 when it was
// interrupted (ctx cancelled by SIGINT or SIGTERM), else the latest
// decided round's verdict: 0 for isAuthenticated: true, 1 for false, and
// 3 when no round was decided.
func exitFor(ctx context.Context, tl *flow.Timeline) int {
	r := tl.Decided()
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return exitInterrupted
	case r == nil:
		return exitUndecided
	case r.Verdict.Authenticated:
		return exitAuthenticated
	}
	return exitRejected
}

// listScenarios prints the scenarios grouped by provider: a heading with
// the command that runs them, then one line each.
func listScenarios(w io.Writer) int {
	for i, p := range demo.Providers() {
		if i > 0 {
			fmt.Fprintln(w)
		}
		how := "--demo --provider " + p.ID + " --scenario NAME"
		if p.ID == demo.ProviderClerk {
			how = "the default: --demo --scenario NAME"
		}
		fmt.Fprintf(w, "%s (%s; %s)\n", p.Name, p.Issuer, how)
		for _, s := range demo.Of(p.ID) {
			fmt.Fprintf(w, "  %-28s %s\n", s.Name, s.Title)
		}
	}
	return exitAuthenticated
}

// width is the terminal's width when stdout is one, else 0: the plain
// outputs then wrap at tui.DefaultWidth.
func (e *environment) width() int {
	if e.isTerminal != nil {
		return 0
	}
	f, ok := e.stdout.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0
	}
	w, _, err := term.GetSize(f.Fd())
	if err != nil {
		return 0
	}
	return w
}
