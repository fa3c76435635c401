package demo

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sort"
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
	started(ctx context.Context, b *backend.Backend) error
}

// The host names the flavours' issuers answer at, behind their TLS
// fronts: the shapes of the providers' own (SPEC.md of each issuer).
const (
	auth0Host      = "authscope-demo.us.auth0.com"
	convexSiteHost = "tidy-otter-427.convex.site"
)

// newFlavour creates and starts the scenario's issuer; a flavour with a
// TLS front adds it to m.
func newFlavour(ctx context.Context, sc *Scenario, now func() time.Time, m issuers.Mapping) (flavour, error) {
	server := issuers.ServerOptions{Now: now}
	switch sc.Provider {
	case ProviderAuth0:
		return newAuth0(ctx, server, sc, m)
	case ProviderWorkOS:
		return newWorkOS(ctx, server, sc, m)
	case ProviderConvexAuth:
		return newConvexAuth(now, sc, m)
	case ProviderCustomOIDC, ProviderCustomJWT:
		return newCustom(ctx, server, sc)
	}
	return nil, fmt.Errorf("no demo provider %q", sc.Provider)
}

// fronted puts an issuer's server behind a new TLS front at host, on a
// listener of its own so that m knows its address before it starts.
func fronted(server issuers.ServerOptions, host string, m issuers.Mapping) (issuers.ServerOptions, error) {
	f, err := issuers.NewFront(host)
	if err != nil {
		return server, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return server, err
	}
	m.Add(f, ln.Addr().String())
	server.Listener, server.PublicHost, server.TLS = ln, host, f.TLS
	return server, nil
}

// startFlavour starts a non-Clerk stack: the issuer, then the backend,
// then the auth config (Convex Auth's issuer is the backend's own site
// URL, known once it listens).
func startFlavour(ctx context.Context, sc *Scenario, now func() time.Time, hc *http.Client) (*Stack, error) {
	m := issuers.Mapping{}
	f, err := newFlavour(ctx, sc, now, m)
	if err != nil {
		return nil, fmt.Errorf("start the demo %s issuer: %w", sc.Provider, err)
	}
	s := &Stack{flavour: f, Fetches: make(chan fetch.Record, 256), Scenario: sc, mapping: m}
	if len(m) > 0 {
		hc = m.Client(hc)
		s.client = hc
	}
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
		if err := h.started(ctx, s.Backend); err != nil {
			_ = s.Close()
			return nil, err
		}
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

// HostRules are the host mappings a browser needs to reach the flavour's
// issuer at its provider's host name, as Chromium's host-resolver-rules
// take them ("MAP <host>:443 127.0.0.1:<port>"); nil without a front.
// The browser must also accept the fronts' certificates.
func (s *Stack) HostRules() []string {
	var out []string
	for host, addr := range s.mapping.Addrs() {
		out = append(out, "MAP "+host+" "+addr)
	}
	sort.Strings(out)
	return out
}
