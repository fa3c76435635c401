package demo

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex"
)

// Scenario breaks the demo stack in one way, to show one cause of
// isAuthenticated: false.
type Scenario struct {
	Name  string
	Title string
	// Cause is the diagnosis code the scenario produces ("" when healthy).
	Cause string
	// Clerk adjusts the dev instance before it starts.
	Clerk func(*clerk.Options)
	// Config returns the pushed and the local auth config.
	Config func(dev *clerk.DevInstance, local convex.AuthConfig) (pushed, localOut convex.AuthConfig)
	// Redact runs the backend as a production deployment.
	Redact bool
	// After runs once both servers are up.
	After func(*Stack) error
	// ClockOffset shifts authscope's own clock (local clock skew).
	ClockOffset time.Duration
}

// Healthy is the demo with nothing broken.
func Healthy() *Scenario {
	return &Scenario{Name: "healthy", Title: "Everything wired correctly: isAuthenticated becomes true"}
}

var registry = map[string]func() *Scenario{"healthy": Healthy}

// register adds a scenario constructor; scenario files call it from init.
func register(f func() *Scenario) {
	s := f()
	registry[s.Name] = f
}

// Lookup finds a scenario by name.
func Lookup(name string) (*Scenario, error) {
	f, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("no demo scenario %q: the scenarios are %s (run authscope scenarios)", name, strings.Join(Names(), ", "))
	}
	return f(), nil
}

// Names lists the scenario names, healthy first.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		if n != "healthy" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return append([]string{"healthy"}, names...)
}

// All returns every scenario, in Names order.
func All() []*Scenario {
	var out []*Scenario
	for _, n := range Names() {
		out = append(out, registry[n]())
	}
	return out
}
