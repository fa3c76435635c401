// Package demo assembles the offline demo: an embedded issuer and the
// embedded Convex-like backend, configured as a healthy project would be,
// and the scenarios that break them on purpose. The issuer is the
// Clerk-like dev instance by default; the other flavours (Auth0, WorkOS
// AuthKit, Convex Auth, custom OIDC and custom JWT) are the fakes of
// flow/issuers.
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
	"github.com/authscope/authscope/flow/issuers"
	"github.com/authscope/authscope/flow/issuers/auth0"
	"github.com/authscope/authscope/flow/issuers/convexauth"
	"github.com/authscope/authscope/flow/issuers/custom"
	"github.com/authscope/authscope/flow/issuers/workos"
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
	// Provider picks the flavour when Scenario is nil ("" is Clerk).
	Provider string
}

// Stack is a running demo: an issuer and a Convex-like backend on
// loopback, with the backend's auth config pointing at the issuer. Of the
// issuer fields, the flavour's is set and the others are nil.
type Stack struct {
	Clerk      *devinstance.Instance
	Auth0      *auth0.Tenant
	WorkOS     *workos.Issuer
	ConvexAuth *convexauth.Auth
	Custom     *custom.Issuer
	Backend    *backend.Backend
	// Fetches receives the backend's own discovery and JWKS fetches.
	Fetches chan fetch.Record
	// Config is the auth config the backend runs ("pushed").
	Config rules.AuthConfig
	// LocalConfig is the project's convex/auth.config.ts as the developer
	// sees it; it differs from Config when a scenario says the config was
	// not pushed.
	LocalConfig rules.AuthConfig
	Scenario    *Scenario

	flavour flavour
	// mapping and client: the TLS fronts that give a flavour's issuer its
	// provider's host name, and the HTTP client that reaches them.
	mapping issuers.Mapping
	client  *http.Client
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
		var err error
		if sc, err = Lookup(opts.Provider, "healthy"); err != nil {
			return nil, err
		}
	}
	if sc.Provider != "" && sc.Provider != ProviderClerk {
		s, err := startFlavour(ctx, sc, now, hc)
		if err != nil {
			return nil, err
		}
		return s.after()
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
	bopts := s.backendOptions(sc, now, hc)
	bopts.Config = s.Config
	s.Backend = backend.New(bopts)
	if err := s.Backend.Start(ctx); err != nil {
		_ = dev.Close()
		return nil, fmt.Errorf("start the demo Convex backend: %w", err)
	}
	return s.after()
}

// backendOptions are the embedded deployment's options for the scenario.
func (s *Stack) backendOptions(sc *Scenario, now func() time.Time, hc *http.Client) backend.Options {
	// The backend runs on this machine: a scenario's local clock offset
	// moves its clock, not the issuer's.
	backendNow := now
	if off := sc.ClockOffset; off != 0 {
		backendNow = func() time.Time { return now().Add(off) }
	}
	return backend.Options{
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
}

// after runs the scenario's After hook; on failure the stack is closed.
func (s *Stack) after() (*Stack, error) {
	if s.Scenario.After == nil {
		return s, nil
	}
	if err := s.Scenario.After(s); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("scenario %s: %w", s.Scenario.Name, err)
	}
	return s, nil
}

// Close stops both servers.
func (s *Stack) Close() error {
	err1 := s.Backend.Close()
	var err2 error
	if s.flavour != nil {
		err2 = s.flavour.close()
	} else {
		err2 = s.Clerk.Close()
	}
	if err1 != nil {
		return err1
	}
	return err2
}
