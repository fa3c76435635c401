package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/clerk"
)

// productionKeyOnLoopback finds production-key-on-loopback: a pk_live_ key
// on authscope's loopback origin. Clerk accepts production keys only from
// the app's own domain, so the sign-in is refused before the flow starts.
func productionKeyOnLoopback(d *round) *Finding {
	if d.stage != stageSignIn {
		return nil
	}
	k, err := clerk.ParsePublishableKey(strings.TrimSpace(d.App.PublishableKey))
	if err != nil || k.Instance != clerk.InstanceProduction {
		return nil
	}
	n := d.names
	f := &Finding{Title: "A production publishable key (pk_live_) cannot sign in from a loopback origin"}
	f.compare("publishable key", "pk_test_… (development instance)", "pk_live_… (production instance "+k.FrontendAPI+")")
	f.note("Clerk would answer", `Clerk: Production Keys are only allowed for domain "…" (origin_invalid)`)
	f.Fix = fmt.Sprintf("Inspect with the development instance: put its pk_test_ key in %s (%s) or pass it with --publishable-key. To check the production setup, fetch a token in your deployed app (await window.Clerk.session.getToken()) and give it to authscope with --token or on stdin.",
		n.keyVar, n.envFile)
	return f
}
