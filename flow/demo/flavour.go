package demo

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex/backend"
	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/issuers"
)

// flavour is a non-Clerk provider's embedded issuer, as the stack runs
// it (flavour_*.go).
type flavour interface {
	// describe names the issuer for the run's header.
	describe() string
	// users are its demo users.
	users() []issuers.User
	// token is the token the provider's Convex component hands the Convex
	// client for the user, as the scenario's app code gets it.
	token(userKey string) (string, error)
	// signedIn says, for steps 1–4, how the token was had.
	signedIn(u issuers.User) string
	// config is the auth config Convex's guide for the provider writes.
	config() rules.AuthConfig
	// app fills in what the demo project knows of the provider.
	app(*diagnose.App)
	close() error
}

// backendHooks are what a flavour adds to the embedded deployment (Convex
// Auth's actions and HTTP routes).
type backendHooks interface {
	hooks() backend.Options
	// started learns the deployment's URLs once it listens.
	started(b *backend.Backend)
}

// newFlavour creates and starts the scenario's issuer.
func newFlavour(ctx context.Context, opts Options, sc *Scenario, now func() time.Time) (flavour, error) {
	server := issuers.ServerOptions{Now: now}
	if opts.Issuer != nil {
		opts.Issuer(&server)
	}
	switch sc.Provider {
	case ProviderAuth0:
		return newAuth0(ctx, server, sc)
	case ProviderWorkOS:
		return newWorkOS(ctx, server, sc)
	case ProviderConvexAuth:
		return newConvexAuth(now, sc)
	case ProviderCustomOIDC, ProviderCustomJWT:
		return newCustom(ctx, server, sc)
	}
	return nil, fmt.Errorf("no demo provider %q", sc.Provider)
}

// startFlavour starts a non-Clerk stack: the issuer, then the backend,
// then the auth config (Convex Auth's issuer is the backend's own site
// URL, known once it listens).
func startFlavour(ctx context.Context, opts Options, sc *Scenario, now func() time.Time, hc *http.Client) (*Stack, error) {
	f, err := newFlavour(ctx, opts, sc, now)
	if err != nil {
		return nil, fmt.Errorf("start the demo %s issuer: %w", sc.Provider, err)
	}
	s := &Stack{flavour: f, Fetches: make(chan fetch.Record, 256), Scenario: sc}
	s.setFlavourField(f)
	bopts := s.backendOptions(sc, now, hc)
	if h, ok := f.(backendHooks); ok {
		extra := h.hooks()
		bopts.Actions, bopts.Site = extra.Actions, extra.Site
	}
	s.Backend = backend.New(bopts)
	if err := s.Backend.Start(ctx); err != nil {
		_ = f.close()
		return nil, fmt.Errorf("start the demo Convex backend: %w", err)
	}
	if h, ok := f.(backendHooks); ok {
		h.started(s.Backend)
	}
	s.LocalConfig = f.config()
	s.Config = s.LocalConfig
	if sc.Deploy != nil {
		s.Config, s.LocalConfig = sc.Deploy(s, s.LocalConfig)
	}
	s.Backend.SetConfig(s.Config)
	return s, nil
}

// TokenSource is the sign-in of a non-Clerk flavour, for the user (its
// Key, "" for the first): steps 1–4 skipped, tokens straight from the
// embedded issuer. Nil for Clerk, which signs in through the loopback page.
func (s *Stack) TokenSource(userKey string) (flow.Source, error) {
	if s.flavour == nil {
		return nil, nil
	}
	users := s.flavour.users()
	u := users[0]
	if userKey != "" {
		found := false
		for _, x := range users {
			if x.Key == userKey {
				u, found = x, true
			}
		}
		if !found {
			return nil, fmt.Errorf("no demo user %q", userKey)
		}
	}
	f := s.flavour
	return &mintedSource{name: f.describe(), why: f.signedIn(u), clock: s.Clock(),
		mint: func() (string, error) { return f.token(u.Key) }}, nil
}

// Users are the demo users of a non-Clerk flavour (nil for Clerk, whose
// users are Clerk.Users()).
func (s *Stack) Users() []issuers.User {
	if s.flavour == nil {
		return nil
	}
	return s.flavour.users()
}

// setFlavourField sets the stack's field of the flavour's issuer.
func (s *Stack) setFlavourField(f flavour) {
	switch f := f.(type) {
	case *auth0Flavour:
		s.Auth0 = f.t
	case *workosFlavour:
		s.WorkOS = f.is
	case *convexAuthFlavour:
		s.ConvexAuth = f.auth
	case *customFlavour:
		s.Custom = f.is
	}
}
