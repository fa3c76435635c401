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
)

// Scenario breaks the demo stack in one way, to show one cause of
// isAuthenticated: false.
type Scenario struct {
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

// Lookup finds a scenario by name.
func Lookup(name string) (*Scenario, error) {
	for _, f := range script {
		if s := f(); s.Name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("no demo scenario %q: the scenarios are %s (run authscope scenarios)", name, strings.Join(Names(), ", "))
}

// Names lists the scenario names in script order, healthy first.
func Names() []string {
	names := make([]string, len(script))
	for i, f := range script {
		names[i] = f().Name
	}
	return names
}

// All returns every scenario, in script order.
func All() []*Scenario {
	out := make([]*Scenario, len(script))
	for i, f := range script {
		out[i] = f()
	}
	return out
}

// PublishableKey is the key the demo app signs in with: the dev
// instance's, or a production key for the same host when the scenario
// says so.
func (s *Stack) PublishableKey() string {
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
	if s.Scenario != nil && s.Scenario.Client != nil {
		src = s.Scenario.Client(src)
	}
	name := ""
	if s.Scenario != nil {
		name = s.Scenario.Name
	}
	return flow.Config{
		Source:       src,
		Backend:      flow.BackendConfig{URL: s.Backend.URL(), Embedded: true, Fetches: s.Fetches},
		Replay:       s.Config,
		ReplayRedact: s.Scenario != nil && s.Scenario.Redact,
		HTTPClient:   hc,
		Clock:        s.Clock(),
		App:          s.App(),
		Info: flow.RunInfo{Source: "demo", SourceName: "embedded Clerk-like dev instance " + s.Clerk.Issuer(),
			Backend: "embedded", Scenario: name},
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
