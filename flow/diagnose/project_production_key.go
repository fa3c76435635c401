package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/clerk"
)

// projectProductionKey finds production-key: the project's publishable key
// is a production key. Clerk accepts production keys only from the app's own
// domain, so ClerkJS cannot sign in on authscope's loopback page
// (production-key-on-loopback is the same fact when a sign-in is tried).
func projectProductionKey(p *projectFacts) []Finding {
	if p.KeyErr != nil || p.Key == nil || p.Key.Instance != clerk.InstanceProduction {
		return nil
	}
	name := p.PublishableKey.Name
	f := Finding{Title: fmt.Sprintf("%s is a production key (pk_live_): a sign-in through authscope is impossible", name)}
	f.compare("publishable key", "pk_test_… (development instance)", "pk_live_… (production instance "+p.Key.FrontendAPI+")")
	f.note("Clerk", "accepts production keys only from the app's own domain (\"Production Keys are only allowed for domain …\"), so ClerkJS cannot sign in on authscope's loopback page")
	f.Fix = "Use a development instance's key (pk_test_…) with --env " + name + "=…, or give authscope a token from your app with --token (or on stdin)."
	return []Finding{f}
}
