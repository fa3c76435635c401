package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/oauthloop"
)

// session is a resolved configuration: a runner config plus what must be
// stopped afterwards.
type session struct {
	cfg     flow.Config
	closers []func() error
	// demo is the running demo stack, when the source is the demo, and
	// user the demo user an automatic sign-in signs in as (--user).
	demo *demo.Stack
	user string
}

func (s *session) close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		_ = s.closers[i]()
	}
}

// setup resolves flags, the project and the demo into a runner config.
func setup(ctx context.Context, o *options, env *environment) (*session, error) {
	hc := &http.Client{Timeout: 30 * time.Second}
	p, err := loadProject(o, env)
	if err != nil {
		return nil, err
	}
	if err := refuse(projectConflicts, situation{o: o, project: p != nil}); err != nil {
		return nil, err
	}
	switch {
	case o.given():
		return setupGivenToken(ctx, o, env, hc, p)
	case p == nil:
		if o.scenario == "" && !o.demo {
			fmt.Fprintln(env.stderr, "authscope: no Convex project here (no convex/ folder in this directory or above): running the offline demo")
		}
		return setupDemo(ctx, o, env, hc)
	case o.demo:
		return setupDemo(ctx, o, env, hc)
	}
	return setupProject(ctx, o, env, p, hc)
}

// setupDemo starts the embedded stack and the loopback sign-in against it.
func setupDemo(ctx context.Context, o *options, env *environment, hc *http.Client) (*session, error) {
	sc, err := demoScenario(o)
	if err != nil {
		return nil, err
	}
	stack, err := demo.Start(ctx, demo.Options{HTTPClient: hc, Scenario: sc})
	if err != nil {
		return nil, err
	}
	s := &session{demo: stack}
	s.closers = append(s.closers, stack.Close)
	if stack.Clerk == nil {
		return setupFlavour(o, s, hc)
	}
	if s.user, err = demoUser(o, stack); err != nil {
		s.close()
		return nil, err
	}
	opener := demoOpener(o, s.user, hc)
	name := "demo Clerk dev instance " + stack.Clerk.Issuer()
	var src flow.Source
	loop, err := oauthloop.NewSource(oauthloop.SourceConfig{
		Kind:           oauthloop.KindDemo,
		PublishableKey: stack.PublishableKey(),
		Name:           name,
		Opener:         opener,
		Timeout:        o.timeout,
	})
	switch {
	case errors.Is(err, oauthloop.ErrProductionKey):
		// Refused before the flow: the run still ends with a verdict and
		// the diagnosis that explains the refusal.
		src = &flow.RefusedSource{SourceKind: oauthloop.KindDemo, SourceName: name, Err: err}
	case err != nil:
		s.close()
		return nil, err
	default:
		s.closers = append(s.closers, loop.Close)
		src = loop
	}
	s.cfg = stack.RunnerConfig(src, hc)
	return s, nil
}

// demoScenario is the scenario --scenario and --provider name: healthy by
// default; a scenario named without --provider runs on its own provider.
func demoScenario(o *options) (*demo.Scenario, error) {
	provider := o.provider
	if provider == "" && o.scenario != "" {
		if sc := demo.Find(o.scenario); sc != nil {
			provider = sc.ProviderID()
		}
	}
	sc, err := demo.Lookup(provider, orDefault(o.scenario, "healthy"))
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	return sc, nil
}

// setupFlavour wires the demo of a provider other than Clerk: its tokens
// come straight from the embedded issuer (steps 1–4 skipped), for --user
// (a demo user's key or email address) or the first user.
func setupFlavour(o *options, s *session, hc *http.Client) (*session, error) {
	key := ""
	if o.user != "" {
		var names []string
		for _, u := range s.demo.Users() {
			if o.user == u.Key || o.user == u.Email {
				key = u.Key
			}
			names = append(names, u.Key+" ("+u.Email+")")
		}
		if key == "" {
			s.close()
			return nil, usagef("no demo user %q: the demo users are %s", o.user, strings.Join(names, ", "))
		}
	}
	src, err := s.demo.TokenSource(key)
	if err != nil {
		s.close()
		return nil, err
	}
	s.cfg = s.demo.RunnerConfig(src, hc)
	return s, nil
}

// demoUser is the demo user an automatic sign-in signs in as: --user, or
// the first.
func demoUser(o *options, stack *demo.Stack) (string, error) {
	if o.user == "" {
		return stack.Clerk.Users()[0].ID, nil
	}
	if !hasUser(stack, o.user) {
		return "", usagef("no demo user %q: the demo users are %s", o.user, demoUsers(stack))
	}
	return o.user, nil
}

// demoOpener picks how the landing page is opened: the HTTP browser for
// --auto, nothing for --no-browser, else the system browser (with the
// HTTP browser as a fallback when no interface can offer it).
func demoOpener(o *options, user string, hc *http.Client) oauthloop.Opener {
	if o.auto {
		return &oauthloop.HTTPBrowser{Client: hc, UserID: user}
	}
	if o.noBrowser {
		return oauthloop.NoBrowser{}
	}
	if o.interactive {
		return oauthloop.SystemBrowser{}
	}
	// Without the interface nobody could press its "sign in as the demo
	// user" key: when no browser opens, the HTTP browser signs in instead
	// of leaving the run waiting for the timeout (a notice says so).
	return &oauthloop.Fallback{Primary: oauthloop.SystemBrowser{}, Secondary: &oauthloop.HTTPBrowser{Client: hc, UserID: user}}
}

func hasUser(stack *demo.Stack, id string) bool {
	for _, u := range stack.Clerk.Users() {
		if u.ID == id {
			return true
		}
	}
	return false
}

func demoUsers(stack *demo.Stack) string {
	s := ""
	for i, u := range stack.Clerk.Users() {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s (%s)", u.ID, u.Email)
	}
	return s
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
