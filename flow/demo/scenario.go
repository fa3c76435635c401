package demo

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/issuers/auth0"
	"github.com/authscope/authscope/flow/issuers/convexauth"
	"github.com/authscope/authscope/flow/issuers/custom"
	"github.com/authscope/authscope/flow/issuers/workos"
	"github.com/authscope/authscope/flow/provider"
)

// Scenario breaks the demo stack in one way, to show one cause of
// isAuthenticated: false.
type Scenario struct {
	// Provider is the flavour the scenario runs ("" and "clerk": the
	// Clerk-like dev instance).
	Provider string
	// Name is unique within the provider; only "healthy" repeats.
	Name string
	// Title is one line a presenter can read out.
	Title string
	// Cause is the diagnosis code the scenario produces ("" when healthy).
	Cause string
	// Clerk adjusts the dev instance before it starts.
	Clerk func(*devinstance.Options)
	// Config returns the pushed and the local auth config.
	Config func(dev *devinstance.Instance, local rules.AuthConfig) (pushed, localOut rules.AuthConfig)
	// Redact runs the backend as a production deployment.
	Redact bool
	// After runs once both servers are up.
	After func(*Stack) error
	// ClockOffset moves this machine's clock: authscope's and the embedded
	// backend's (a backend on the developer's machine), not the issuer's.
	ClockOffset time.Duration
	// ProductionKey gives the app a production (pk_live_) key for the dev
	// instance's host, which a loopback sign-in must refuse.
	ProductionKey bool
	// Client stands for the app's own client code between Clerk and
	// Convex: it wraps the token source (nil: wired as the guides say).
	Client func(flow.Source) flow.Source
	// App adjusts what authscope knows of the demo project.
	App func(*diagnose.App)

	// The hooks of the other flavours: each adjusts its issuer's options
	// before it starts.
	Auth0      func(*auth0.Options)
	WorkOS     func(*workos.Options)
	ConvexAuth func(*convexauth.Options)
	Custom     func(*custom.Options)
	// Deploy returns a non-Clerk flavour's pushed and local auth config,
	// from the one its guide writes.
	Deploy func(s *Stack, local rules.AuthConfig) (pushed, localOut rules.AuthConfig)
	// SendsAccessToken: the app's own code hands the Convex client Auth0's
	// access token instead of the ID token ConvexProviderWithAuth0 sends.
	SendsAccessToken bool
}

// ProviderID is the scenario's flavour ("clerk" for the dev instance).
func (sc *Scenario) ProviderID() string {
	if sc.Provider == "" {
		return ProviderClerk
	}
	return sc.Provider
}

// Healthy is the demo with nothing broken.
func Healthy() *Scenario {
	return &Scenario{Name: "healthy", Title: "Everything wired correctly: Clerk's token is accepted, isAuthenticated becomes true"}
}

// script is the onboarding script: the scenarios in the order a presenter
// walks through them, following the token from the browser to the backend.
var script = []func() *Scenario{
	Healthy,
	// Before and at the token fetch (steps 1–5).
	productionKey, integrationOff, clientWiring, backendDown,
	// The deployment's auth config.
	noProviders, configNotPushed, issuerEnvUnset,
	// Provider matching: issuer, then audience.
	issuerDevVsProd, issuerJWKSURL, keyOtherInstance, issuerInvisibleChar,
	applicationIDTypo, templateAudience,
	// Discovery and JWKS (step 7).
	discoveryUnreachable, discovery404, discovery503, discoveryIssuerSlash,
	// The OIDC verifier's checks.
	keyRotated, jwksCacheStale, es256Template, hs256Template, severalAudiences, tokenAltered,
	// Time and the refresh schedule.
	tokenExpired, clockSkew, shortLifetime, missingIat,
	// The customJwt provider path.
	customJWTNoKid, customJWTWrongAlgorithm, customJWTContentType, customJWTJWKSDown,
}

// scripts are each provider's script, healthy first.
func scripts() map[string][]func() *Scenario {
	return map[string][]func() *Scenario{
		ProviderClerk: script, ProviderAuth0: auth0Script, ProviderWorkOS: workosScript,
		ProviderConvexAuth: convexAuthScript, ProviderCustomOIDC: customOIDCScript, ProviderCustomJWT: customJWTScript,
	}
}

// Lookup finds a scenario of a provider by name ("" is Clerk).
func Lookup(provider, name string) (*Scenario, error) {
	p, err := Provider(provider)
	if err != nil {
		return nil, err
	}
	for _, sc := range Of(p.ID) {
		if sc.Name == name {
			return sc, nil
		}
	}
	if other := Find(name); other != nil {
		return nil, fmt.Errorf("demo scenario %q belongs to %s: add --provider %s", name, other.ProviderID(), other.ProviderID())
	}
	return nil, fmt.Errorf("no demo scenario %q for %s: its scenarios are %s (run authscope scenarios)", name, p.Name, strings.Join(Names(p.ID), ", "))
}

// Find finds a scenario by name in any provider's script, healthy aside
// (every provider has one): nil when there is none.
func Find(name string) *Scenario {
	for _, sc := range All() {
		if sc.Name == name && name != "healthy" {
			return sc
		}
	}
	return nil
}

// Names lists a provider's scenario names in script order, healthy first.
func Names(provider string) []string {
	var names []string
	for _, sc := range Of(provider) {
		names = append(names, sc.Name)
	}
	return names
}

// Of returns a provider's scenarios ("" is Clerk), in script order.
func Of(provider string) []*Scenario {
	if provider == "" {
		provider = ProviderClerk
	}
	var out []*Scenario
	for _, f := range scripts()[provider] {
		sc := f()
		if provider != ProviderClerk {
			sc.Provider = provider
		}
		out = append(out, sc)
	}
	return out
}

// All returns every provider's scenarios, provider by provider.
func All() []*Scenario {
	var out []*Scenario
	for _, p := range providers {
		out = append(out, Of(p.ID)...)
	}
	return out
}

// PublishableKey is the key the demo app signs in with: the dev
// instance's, or a production key for the same host when the scenario
// says so; "" for the other flavours.
func (s *Stack) PublishableKey() string {
	if s.Clerk == nil {
		return ""
	}
	if s.Scenario != nil && s.Scenario.ProductionKey {
		return clerk.BuildPublishableKey(s.Clerk.Host(), clerk.InstanceProduction)
	}
	return s.Clerk.PublishableKey()
}

// App is what authscope knows of the demo project: a Vite + React app
// laid out as Convex's template-react-vite-clerk, whose auth.config.ts
// reads CLERK_JWT_ISSUER_DOMAIN.
func (s *Stack) App() diagnose.App {
	local := s.LocalConfig
	if s.flavour != nil {
		app := diagnose.App{Framework: "vite-react", ProviderFile: "src/main.tsx", EnvFile: ".env.local", LocalConfig: &local}
		s.flavour.app(&app)
		if s.Scenario != nil && s.Scenario.App != nil {
			s.Scenario.App(&app)
		}
		return app
	}
	app := diagnose.App{
		Framework:         "vite-react",
		ProviderFile:      "src/main.tsx",
		EnvFile:           ".env.local",
		PublishableKeyVar: "VITE_CLERK_PUBLISHABLE_KEY",
		PublishableKey:    s.PublishableKey(),
		LocalConfig:       &local,
		DomainVar:         diagnose.DefaultDomainVar,
	}
	if s.Scenario != nil && s.Scenario.App != nil {
		s.Scenario.App(&app)
	}
	return app
}

// Clock is this machine's clock as the scenario sets it.
func (s *Stack) Clock() flow.Clock {
	if s.Scenario == nil || s.Scenario.ClockOffset == 0 {
		return flow.RealClock{}
	}
	return offsetClock{offset: s.Scenario.ClockOffset}
}

// RunnerConfig wires a runner to the stack: src is the sign-in source
// (the loopback page; cmd/authscope and the tests build it), wrapped as
// the scenario's client code would see tokens. The caller sets Info's
// display fields and the refresh options.
func (s *Stack) RunnerConfig(src flow.Source, hc *http.Client) flow.Config {
	if s.client != nil {
		// The replay must reach the issuer at its front, as the backend does.
		hc = s.client
	}
	if s.Scenario != nil && s.Scenario.Client != nil {
		src = s.Scenario.Client(src)
	}
	name := ""
	if s.Scenario != nil {
		name = s.Scenario.Name
	}
	info := flow.RunInfo{Source: "demo", Backend: "embedded", Scenario: name}
	if s.flavour != nil {
		app := s.App()
		p := provider.Lookup(app.Provider, false)
		info.SourceName, info.Provider = s.flavour.describe(), &p
		info.TokenFrom = "from the embedded issuer, as " + p.Component + " gets it (the browser sign-in runs for Clerk only)"
	} else {
		info.SourceName = "embedded Clerk-like dev instance " + s.Clerk.Issuer()
	}
	return flow.Config{
		Source:       src,
		Backend:      flow.BackendConfig{URL: s.Backend.URL(), Embedded: true, Fetches: s.Fetches},
		Replay:       s.Config,
		ReplayRedact: s.Scenario != nil && s.Scenario.Redact,
		HTTPClient:   hc,
		Clock:        s.Clock(),
		App:          s.App(),
		Info:         info,
	}
}

// offsetClock is the wall clock moved by an offset: a machine whose clock
// is off.
type offsetClock struct{ offset time.Duration }

func (c offsetClock) Now() time.Time { return time.Now().Add(c.offset) }

func (c offsetClock) After(d time.Duration) <-chan time.Time {
	out := make(chan time.Time, 1)
	go func() { out <- (<-time.After(d)).Add(c.offset) }()
	return out
}
