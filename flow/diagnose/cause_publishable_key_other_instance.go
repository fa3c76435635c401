package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/clerk"
)

// publishableKeyOtherInstance finds publishable-key-other-instance: two
// development instances. The app's publishable key names one, the deployment
// trusts another ("the Clerk publishableKey belongs to another Clerk
// instance", in Convex's auth debugging guide).
func publishableKeyOtherInstance(d *round) *Finding {
	if d.stage != stageNoProvider {
		return nil
	}
	v := d.view()
	if !v.issuerFails() || v.lookAlike ||
		instanceType(d.tok.iss) != clerk.InstanceDevelopment || instanceType(v.domain()) != clerk.InstanceDevelopment {
		return nil
	}
	n := d.names
	dom := v.domain()
	f := d.finding("The app's publishable key belongs to another Clerk instance than the one the deployment trusts")
	f.compare("domain", d.tok.iss, dom)
	if k, err := clerk.ParsePublishableKey(d.App.PublishableKey); err == nil {
		f.note("publishable key names", k.FrontendAPIURL())
	}
	host := strings.TrimPrefix(strings.TrimPrefix(dom, "https://"), "http://")
	f.Fix = fmt.Sprintf("Use one Clerk instance on both sides. Either put the publishable key of %s (Clerk dashboard → API keys of that instance) in %s in %s, or point the deployment at the key's instance: %s, then run %s.",
		host, n.keyVar, n.envFile, n.envSet(n.domainVar, d.tok.iss), n.push())
	return f
}
