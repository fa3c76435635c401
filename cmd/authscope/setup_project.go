package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex/backend"
	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/provider"
	"github.com/authscope/authscope/flow/untrusted"
	"github.com/authscope/authscope/oauthloop"
)

// loadProject finds and reads the project, or returns nil when there is
// none and none was asked for.
func loadProject(o *options, env *environment) (*project.Project, error) {
	dir := o.project
	if dir == "" {
		if o.demo {
			return nil, nil
		}
		wd, err := env.getwd()
		if err != nil {
			return nil, nil
		}
		dir = wd
	}
	root, ok := project.Find(dir)
	if !ok {
		if o.project != "" {
			return nil, usagef("no Convex project in or above %s: there is no convex/ folder (run from your app's folder, or pass --project DIR)", o.project)
		}
		return nil, nil
	}
	p, err := project.Load(root, o.env, env.getenv)
	if err != nil {
		return nil, usagef("read the project in %s: %v", root, err)
	}
	if err := linkedConfig(p); err != nil {
		return nil, err
	}
	return p, nil
}

// linkedConfig refuses an auth config that is a symbolic link to a file
// that is no JavaScript or TypeScript module (/etc/passwd, a key, a .env
// file): errors about it would quote what it holds. A link to a module
// elsewhere (a monorepo's shared config) is read as usual.
func linkedConfig(p *project.Project) error {
	fi, err := os.Lstat(p.AuthConfigPath)
	if p.AuthConfigPath == "" || err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return nil
	}
	target, err := filepath.EvalSymlinks(p.AuthConfigPath)
	if err != nil {
		return usagef("%s is a symbolic link that does not resolve", p.AuthConfigName())
	}
	switch strings.ToLower(filepath.Ext(target)) {
	case ".ts", ".js", ".mjs", ".cjs", ".mts", ".cts":
		return nil
	}
	return usagef("%s is a symbolic link to %s, which is not a JavaScript or TypeScript file: authscope does not read it", p.AuthConfigName(), target)
}

// setupProject signs in to the project's real Clerk development instance
// and sends the token to the project's deployment.
func setupProject(ctx context.Context, o *options, env *environment, p *project.Project, hc *http.Client) (*session, error) {
	pk := o.pubKey
	if pk == "" && !provider.IsClerk(p.Provider.ID) {
		// authscope cannot run this provider's sign-in: the token comes
		// from the developer's running app.
		return setupPastedToken(ctx, o, env, hc, p)
	}
	if pk == "" {
		pk, _ = p.PublishableKey.Effective()
	}
	if pk == "" {
		return nil, usagef("no Clerk publishable key found in %s: set %s in %s, pass --publishable-key, or check a token with --token",
			p.Root, p.Framework.PublishableKeyVar, p.Framework.EnvFile)
	}
	deployment := o.deployment
	if deployment == "" {
		deployment, _ = p.DeploymentURL.Effective()
	}
	if deployment == "" {
		return nil, usagef("no Convex deployment URL found in %s: set %s in %s (npx convex dev writes it) or pass --deployment",
			p.Root, p.Framework.ConvexURLVar, p.Framework.EnvFile)
	}
	var opener oauthloop.Opener = oauthloop.SystemBrowser{}
	if o.noBrowser {
		opener = oauthloop.NoBrowser{}
	}
	s := &session{}
	var src flow.Source
	loop, err := oauthloop.NewSource(oauthloop.SourceConfig{Kind: oauthloop.KindClerk, PublishableKey: pk, Opener: opener, Timeout: o.timeout})
	switch {
	case errors.Is(err, oauthloop.ErrProductionKey):
		// Refused before anything opens, and the run still says what the
		// project's config and the key's instance mean for the app.
		src = &flow.RefusedSource{SourceKind: oauthloop.KindClerk, SourceName: "clerk " + keyHost(pk), Err: err}
	case err != nil:
		return nil, usagef("the publishable key: %v", err)
	default:
		s.closers = append(s.closers, loop.Close)
		src = loop
	}
	s.cfg = flow.Config{
		Source:            src,
		Backend:           flow.BackendConfig{URL: deployment},
		Replay:            p.Config,
		ReplayRedact:      p.DeploymentKind == "prod",
		HTTPClient:        hc,
		IdentityQuery:     o.identityQ,
		App:               projectApp(p, pk, deployment),
		ReplayUnavailable: replayUnavailable(p),
		Info: flow.RunInfo{Source: "clerk", SourceName: src.Name(), Backend: "deployment", Project: p.Root,
			Findings: diagnose.Project(p), Provider: &p.Provider.Info, TokenFrom: p.Provider.TokenSource(false)},
	}
	return s, nil
}

// projectApp is diagnose.ProjectApp for the deployment the run talks to.
func projectApp(p *project.Project, pk, deployment string) diagnose.App {
	app := diagnose.ProjectApp(p, pk)
	if deployment != "" {
		app.DeploymentURL = deployment
	}
	return app
}

// setupPastedToken is a project whose provider authscope cannot sign in
// with: it says which provider it found and prints the snippet that shows
// the token the running app sends; on a terminal it then asks for that
// token (without echo), else it stops and says how to pipe it in.
func setupPastedToken(ctx context.Context, o *options, env *environment, hc *http.Client, p *project.Project) (*session, error) {
	params := provider.SnippetParams{}
	params.DeploymentURL, _ = p.DeploymentURL.Effective()
	if p.Provider.ID == provider.Auth0 {
		params.Auth0ClientID, _ = p.ClientID.Effective()
	}
	for i, line := range provider.PasteBanner(p.Provider, params) {
		switch {
		case i == 0:
			fmt.Fprintf(env.stderr, "authscope: %s\n", untrusted.Escape(line.Text, false))
		case line.Code:
			// Alone on its line, so that it copies whole.
			fmt.Fprintf(env.stderr, "\n%s\n\n", untrusted.Escape(line.Text, false))
		default:
			fmt.Fprintf(env.stderr, "  %s\n", untrusted.Escape(line.Text, false))
		}
	}
	if !stdinTerminal(env) {
		return nil, usagef("no terminal to paste the token into: run authscope check --token - and paste it, or pipe it in (pbpaste | authscope check --token -)")
	}
	o.token = "-"
	return setupGivenToken(ctx, o, env, hc, p)
}

// setupGivenToken checks a token given on the command line: against the
// project's deployment when there is one, else against the embedded
// backend running the project's auth config (or, with no project, the
// config a Clerk project for the token's issuer would have).
func setupGivenToken(ctx context.Context, o *options, env *environment, hc *http.Client, p *project.Project) (*session, error) {
	tok, label, err := readToken(ctx, o, env)
	if err != nil {
		return nil, err
	}
	s := &session{}
	info := flow.RunInfo{Source: "token", SourceName: "token from " + label}
	var cfg rules.AuthConfig
	var app diagnose.App
	var unavailable string
	deployment := o.deployment
	if p != nil {
		cfg = p.Config
		unavailable = replayUnavailable(p)
		info.Project = p.Root
		info.Findings = diagnose.Project(p)
		info.Provider, info.TokenFrom = &p.Provider.Info, p.Provider.TokenSource(true)
		if deployment == "" {
			deployment, _ = p.DeploymentURL.Effective()
		}
		app = projectApp(p, o.pubKey, deployment)
	} else {
		var note string
		var id provider.ID
		cfg, note, id = flow.AssumedConfig(tok)
		info.Findings = append(info.Findings, diagnose.Assumed(note))
		if err := announceIssuer(cfg, env.stderr); err != nil {
			return nil, err
		}
		if !provider.IsClerk(id) {
			// The token's issuer names its provider: steps 4 and 5 and
			// the rules follow it.
			pi := provider.Lookup(id, false)
			info.Provider, info.TokenFrom = &pi, pi.TokenSource(true)
			app.Provider = id
		}
		app.DeploymentURL = deployment
	}
	bc := flow.BackendConfig{URL: deployment}
	if unavailable != "" && deployment == "" {
		// The embedded backend would stand in for a deployment whose
		// config authscope cannot read: its verdict would mean nothing.
		return nil, usagef("%s; fix it, or pass --deployment URL to ask the real deployment", unavailable)
	}
	if deployment == "" {
		fetches := make(chan fetch.Record, 256)
		b := backend.New(backend.Options{Config: cfg, HTTPClient: hc, OnFetch: func(f fetch.Record) {
			select {
			case fetches <- f:
			default:
			}
		}})
		if err := b.Start(ctx); err != nil {
			return nil, fmt.Errorf("start the embedded backend: %w", err)
		}
		s.closers = append(s.closers, b.Close)
		// Outside the demo the embedded backend stands in for a
		// deployment authscope was not given: what it cannot reach from
		// this machine decides nothing.
		bc = flow.BackendConfig{URL: b.URL(), Embedded: true, Fetches: fetches, StandIn: !o.demo}
		info.Backend = "embedded"
	} else {
		info.Backend = "deployment"
	}
	s.cfg = flow.Config{
		Source:            &flow.GivenToken{Token: tok, Label: label},
		Backend:           bc,
		Replay:            cfg,
		ReplayRedact:      p != nil && p.DeploymentKind == "prod" && !bc.Embedded,
		HTTPClient:        hc,
		IdentityQuery:     o.identityQ,
		App:               app,
		Info:              info,
		ReplayUnavailable: unavailable,
	}
	return s, nil
}

// keyHost is the Frontend API host a publishable key names, for headers.
func keyHost(pk string) string {
	k, err := clerk.ParsePublishableKey(strings.TrimSpace(pk))
	if err != nil {
		return "(invalid key)"
	}
	return k.FrontendAPI
}

// replayUnavailable says why the project's auth config cannot stand for
// the deployment's in the replay, or "" when it can.
func replayUnavailable(p *project.Project) string {
	if p.ConfigErr == nil {
		return ""
	}
	return p.AuthConfigName() + " could not be resolved (" + p.ConfigErr.Error() + "); the verdict is the backend's alone"
}
