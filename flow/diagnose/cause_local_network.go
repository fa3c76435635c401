package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/reach"
)

// localNetwork finds local-network: this machine could not reach a server
// the run needs (the Frontend API, the deployment, or, for the embedded
// backend standing in for a deployment, the issuer): its DNS, its route,
// its proxy or its trust store failed. Nothing was tested, so it is never
// a cause about the project, and it is not the deployment failing to
// reach the issuer (discovery-unreachable).
func localNetwork(d *round) *Finding {
	if d.stage != stageOffline {
		return nil
	}
	f := &Finding{}
	var failure reach.Failure
	var proxy, host string
	switch u := d.localUnreached(); {
	case u != nil:
		failure, proxy, host = u.Failure, u.Proxy, u.URL
		for _, x := range d.Unreached {
			f.note(x.Role, fmt.Sprintf("%s: %s%s: %s", x.URL, x.Failure.Text(), through(x.Proxy), x.Err))
		}
		if d.unreachedRole("Frontend API") {
			f.note("browser", "not opened: it could not load ClerkJS from the Frontend API either")
		}
	case d.SendFailure.Local():
		failure, proxy, host = d.SendFailure, d.SendProxy, hostOf(d.SendErr.Error())
		f.note("deployment", fmt.Sprintf("%s%s: %s", failure.Text(), through(proxy), d.SendErr.Error()))
	default:
		rec := d.standInFetch()
		failure, proxy, host = rec.Network, rec.Timing.Proxy, rec.URL
		f.note("issuer", fmt.Sprintf("GET %s: %s%s: %s", rec.URL, rec.Network.Text(), through(proxy), strings.TrimPrefix(rec.Err, "GET "+rec.URL+": ")))
		f.note("backend", "the embedded backend stands in for your deployment and runs on this machine: what it cannot fetch, your deployment may fetch from its own network")
	}
	f.Title = fmt.Sprintf("This machine cannot reach %s (%s): nothing was tested", host, failure.Text())
	f.Fix = upperFirst(reach.Hint(failure, proxy)) + "."
	if d.StandIn && d.localUnreached() == nil && !d.SendFailure.Local() {
		f.Fix += " To ask your real deployment instead, run in your project or pass --deployment URL."
	}
	return f
}

func (d *round) unreachedRole(role string) bool {
	for _, u := range d.Unreached {
		if u.Role == role && u.Local() {
			return true
		}
	}
	return false
}

func through(proxy string) string {
	if proxy == "" {
		return ""
	}
	return " through the proxy " + proxy
}

// hostOf picks the first URL out of an error text, for the title.
func hostOf(msg string) string {
	for _, w := range strings.Fields(msg) {
		w = strings.Trim(w, `"':,()`)
		if strings.Contains(w, "://") {
			return w
		}
	}
	return "the deployment"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
