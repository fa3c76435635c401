package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// configNotPushed finds config-not-pushed: the deployment runs other
// providers than convex/auth.config.ts. Convex reads the file only when it
// is pushed (npx convex dev, npx convex deploy), so an edit that was not
// pushed, or a deployment variable that differs from the local value, leaves
// the deployment on another config.
func configNotPushed(d *round) *Finding {
	switch d.stage {
	case stageNoProvider:
		v := d.view()
		issuerSide := v.issuerFails() && !v.lookAlike && v.localFixes
		audienceSide := v.audienceFails() && v.localFixes
		// The provider authscope knows matches the token, yet the
		// deployment found none: it runs another config (hidden when it
		// redacts).
		bothMatch := !v.none() && v.issuerOK && v.match.AudienceOK
		if v.none() || issuerSide || audienceSide || bothMatch {
			return d.notPushed(v)
		}
	case stageReplayAccepts:
		// Provider matching passed on both sides when the backend says
		// it could not verify the token: that is a later check, not the
		// config.
		if d.msg != convexrules.MsgOIDCUnverified && !d.Embedded {
			return d.otherConfig()
		}
	case stageOtherProviders:
		// The deployment matched a provider that the config authscope
		// replayed with has not.
		return d.otherConfig()
	}
	return nil
}

func (d *round) notPushed(v *providerView) *Finding {
	n := d.names
	title := "The deployment runs other providers than convex/auth.config.ts: the file was not pushed"
	deployed := describeProviders(v.dep)
	switch {
	case !v.known:
		deployed = "(hidden: a production deployment redacts its provider list)"
	case v.none():
		title = "convex/auth.config.ts has a provider but the deployment has none: the file was not pushed"
	}
	f := d.finding(title)
	local := "(unknown)"
	if v.local != nil {
		local = describeProviders(*v.local)
	}
	f.compare("deployment providers", local, deployed)
	run := "Run npx convex dev: it pushes convex/auth.config.ts to the dev deployment and keeps pushing while it runs."
	if n.prod {
		run = "Run npx convex deploy: it pushes convex/auth.config.ts to the production deployment."
	}
	f.Fix = fmt.Sprintf(`%s If the push stops with "%s", set it first: %s.`,
		run, missingEnvMessage(n.domainVar), n.envSet(n.domainVar, d.rightIssuer()))
	return f
}

// otherConfig: the deployment routes the token differently from the local
// file authscope replayed with, so it runs another config.
func (d *round) otherConfig() *Finding {
	f := d.finding("The deployment treats the token differently from convex/auth.config.ts as authscope reads it: the deployment runs another config")
	if r := d.Replay; r != nil && r.Err != nil {
		f.note("authscope's check with the local file", r.Err.Message)
	} else {
		f.note("authscope's check with the local file", "accepts the token")
	}
	f.Fix = fmt.Sprintf("Push the local file (%s) so the deployment validates with it, and compare the deployment's environment variables (npx convex env list) with the values authscope used: the deployment evaluates auth.config.ts with its own.", d.names.push())
	return f
}
