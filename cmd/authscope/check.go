package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

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
	runner, err := flow.NewRunner(sess.cfg)
	if err != nil {
		return fail(env, err)
	}
	events := make(chan flow.Event, 64)
	go func() { _, _ = runner.Run(ctx, events) }()

	if o.jsonOut {
		var rep flow.Report
		for ev := range events {
			if ev.Kind == flow.EventNotice {
				// The report comes at the end; the sign-in URL is needed now.
				fmt.Fprintf(env.stderr, "authscope: %s\n", untrusted.Text(ev.Notice, 0))
			}
			rep.Apply(ev)
		}
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(&rep); err != nil {
			return fail(env, fmt.Errorf("write the JSON report: %w", err))
		}
		return exitFor(rep.Authenticated, rep.Last() != nil && rep.Last().Verdict != nil)
	}
	p := &tui.Plain{W: env.stdout, Verbose: o.verbose, Redact: o.redact}
	last := p.Consume(events)
	return exitFor(last != nil && last.Authenticated, last != nil)
}

func exitFor(authenticated, decided bool) int {
	if decided && authenticated {
		return exitAuthenticated
	}
	return exitRejected
}

func listScenarios(w io.Writer) int {
	for _, s := range demo.All() {
		fmt.Fprintf(w, "%-28s %s\n", s.Name, s.Title)
	}
	return exitAuthenticated
}
