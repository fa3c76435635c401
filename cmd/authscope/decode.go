package main

import (
	"context"
	"fmt"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/untrusted"
	"github.com/authscope/authscope/tui"
)

// decode prints what a token says, offline, like jwt.io: nothing is sent
// or fetched. With --verify it then checks the token as check --token
// does. Exit status: 0 for a well-formed token (whatever its warnings), 2
// when the input is not a JWT; with --verify, the run's status.
func decode(ctx context.Context, o *options, env *environment) int {
	if len(o.args) == 1 {
		if o.args[0] == "-" {
			o.token = "-"
		} else {
			o.token, o.tokenLabel = o.args[0], "the command line"
		}
	} else if o.token == "" && o.tokenFile == "" {
		o.token = "-"
	}
	tok, label, err := readToken(ctx, o, env)
	if err != nil {
		return fail(env, err)
	}
	cfg, err := decodeConfig(o, env)
	if err != nil {
		return fail(env, err)
	}
	in, err := flow.Inspect(tok, cfg, time.Now())
	if err != nil {
		fmt.Fprintf(env.stderr, "authscope: this is not a JWT: %s\n", untrusted.Text(err.Error(), 300))
		return exitUsage
	}
	if !o.jsonOut {
		tui.Decoded{W: env.stdout, Width: env.width(), Redact: o.redact}.Print(in)
	}
	if !o.verify {
		fmt.Fprintln(env.stdout, "offline: nothing was sent or fetched; authscope decode --verify checks the token with the backend")
		return exitAuthenticated
	}
	if !o.jsonOut {
		fmt.Fprintln(env.stdout, "\nthe backend's view (--verify):")
	}
	o.token, o.tokenFile, o.tokenLabel = tok, "", label
	return check(ctx, o, env)
}

// decodeConfig is the project's auth config the token is read against,
// or nil when there is no project (or it cannot be read, which is said on
// stderr: decode still shows the token).
func decodeConfig(o *options, env *environment) (*rules.AuthConfig, error) {
	p, err := loadProject(o, env)
	if err := refuse(projectConflicts, situation{o: o, project: p != nil || err != nil}); err != nil {
		return nil, err
	}
	switch {
	case err != nil:
		fmt.Fprintf(env.stderr, "authscope: %s; reading the token without it\n", untrusted.Text(err.Error(), 300))
		return nil, nil
	case p == nil:
		return nil, nil
	case p.ConfigErr != nil:
		fmt.Fprintf(env.stderr, "authscope: %s could not be read (%s); reading the token without it\n",
			p.AuthConfigName(), untrusted.Text(p.ConfigErr.Error(), 300))
		return nil, nil
	}
	return &p.Config, nil
}
