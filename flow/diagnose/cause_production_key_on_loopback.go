package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/clerk"
	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// productionKeyOnLoopback finds production-key-on-loopback: a pk_live_ key
// on authscope's loopback origin. Clerk accepts production keys only from
// the app's own domain, so the sign-in is refused before the flow starts.
// The run still puts the key's instance beside the providers the auth
// config trusts: when they differ, that is why the app itself is false.
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
	f.note("Clerk would answer", `Production Keys are only allowed for domain "…" (origin_invalid)`)
	mismatch := keyVersusConfig(f, k, d.Config)
	f.Fix = fmt.Sprintf("Inspect with the development instance: put its pk_test_ key in %s (%s) or pass it with --publishable-key. To check the production setup, fetch a token in your deployed app (await window.Clerk.session.getToken()) and give it to authscope with --token or on stdin.",
		n.keyVar, n.envFile)
	if mismatch != "" {
		f.Fix = "Your app is false for another reason too: " + mismatch + " " + f.Fix
	}
	return f
}

// keyVersusConfig compares the key's instance with the issuers the auth
// config trusts, and says in a sentence what is wrong when none is the
// key's: Convex matches no provider for the key's tokens.
func keyVersusConfig(f *Finding, k clerk.PublishableKey, cfg convexrules.AuthConfig) string {
	want := k.FrontendAPIURL()
	var trusted []string
	for _, p := range cfg.Providers {
		iss := p.Domain
		if p.Kind == convexrules.KindCustomJWT {
			iss = p.Issuer
		}
		if normIssuer(iss) == normIssuer(want) {
			return ""
		}
		trusted = append(trusted, fmt.Sprintf("%s (%s instance)", iss, instanceType(iss)))
	}
	if len(trusted) == 0 {
		return ""
	}
	f.compare("auth config issuer", want+" (the key's "+string(k.Instance)+" instance)", strings.Join(trusted, ", "))
	f.note("Convex", `finds no provider for this key's tokens: "No auth provider found matching the given token"`)
	return fmt.Sprintf("the key's instance (%s) is not the one auth.config.ts trusts (%s), so Convex rejects its tokens; use the key and the issuer of the same Clerk instance.",
		want, strings.Join(trusted, ", "))
}
