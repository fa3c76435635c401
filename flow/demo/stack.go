// Package demo assembles the offline demo: the embedded Clerk-like dev
// instance and the embedded Convex-like backend, configured as a healthy
// Convex + Clerk project would be, and the scenarios that break them on
// purpose.
package demo

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/backend"
	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/rules"
)

// Options configure the demo stack.
type Options struct {
	// Now is the clock of both servers (nil: time.Now).
	Now func() time.Time
	// HTTPClient is what the backend fetches discovery and JWKS with.
	HTTPClient *http.Client
	// Scenario breaks the stack on purpose (nil: healthy).
	Scenario *Scenario
	// DevInstance adjusts the dev instance's options before the scenario
	// does: tests put it behind TLS at a Clerk dev-suffix host and serve
	// the real ClerkJS from it.
	DevInstance func(*devinstance.Options)
}

// Stack is a running demo: a Clerk-like issuer and a Convex-like backend on
// loopback, with the backend's auth config pointing at the issuer.
type Stack struct {
	Clerk   *devinstance.Instance
	Backend *backend.Backend
	// Fetches receives the backend's own discovery and JWKS fetches.
	Fetches chan fetch.Record
	// Config is the auth config the backend runs ("pushed").
	Config rules.AuthConfig
	// LocalConfig is the project's convex/auth.config.ts as the developer
	// sees it; it differs from Config when a scenario says the config was
	// not pushed.
	LocalConfig rules.AuthConfig
	Scenario    *Scenario
}

// ApplicationID is the applicationID the Convex and Clerk guides use.
const ApplicationID = "convex"

// Start starts both servers and applies the scenario.
func Start(ctx context.Context, opts Options) (*Stack, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	sc := opts.Scenario
	if sc == nil {
		sc = Healthy()
	}
	copts := devinstance.Options{Now: now, IntegrationOn: true}
	if opts.DevInstance != nil {
		opts.DevInstance(&copts)
	}
	if sc.Clerk != nil {
		sc.Clerk(&copts)
	}
	dev, err := devinstance.New(copts)
	if err != nil {
		return nil, fmt.Errorf("create the demo Clerk instance: %w", err)
	}
	if err := dev.Start(ctx); err != nil {
		return nil, fmt.Errorf("start the demo Clerk instance: %w", err)
	}
	s := &Stack{Clerk: dev, Fetches: make(chan fetch.Record, 256), Scenario: sc}
	s.LocalConfig = rules.AuthConfig{Providers: []rules.Provider{{
		Kind: rules.KindOIDC, Domain: dev.Issuer(), ApplicationID: ApplicationID, HasApplicationID: true,
	}}}
	s.Config = s.LocalConfig
	if sc.Config != nil {
		s.Config, s.LocalConfig = sc.Config(dev, s.LocalConfig)
	}
	// The backend runs on this machine: a scenario's local clock offset
	// moves its clock, not the issuer's.
	backendNow := now
	if off := sc.ClockOffset; off != 0 {
		backendNow = func() time.Time { return now().Add(off) }
	}
	bopts := backend.Options{
		Config:     s.Config,
		Redact:     sc.Redact,
		HTTPClient: hc,
		Now:        backendNow,
		OnFetch: func(f fetch.Record) {
			select {
			case s.Fetches <- f:
			default: // nobody is reading; the record is only for display
			}
		},
	}
	s.Backend = backend.New(bopts)
	if err := s.Backend.Start(ctx); err != nil {
		_ = dev.Close()
		return nil, fmt.Errorf("start the demo Convex backend: %w", err)
	}
	if sc.After != nil {
		if err := sc.After(s); err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("scenario %s: %w", sc.Name, err)
		}
	}
	return s, nil
}

// Close stops both servers.
func (s *Stack) Close() error {
	err1 := s.Backend.Close()
	err2 := s.Clerk.Close()
	if err1 != nil {
		return err1
	}
	return err2
}
