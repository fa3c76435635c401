package flow

import (
	"fmt"
	"time"

	"github.com/authscope/authscope/flow/convex"
)

// The last resorts: the backend and the replay disagree, or the replay
// names a check no specific cause covers.

// replayAccepts: the backend rejected a token that the replay, with the
// config authscope knows and fresh fetches, accepts.
func (d *diag) replayAccepts() *Finding {
	if d.msg == convex.MsgOIDCUnverified {
		// Provider matching passed on both sides, so the configs agree on
		// iss and aud; a later check failed on the backend only: the keys
		// it holds, or its clock.
		return d.backendState()
	}
	if !d.st.Embedded {
		return d.otherConfig()
	}
	f := d.finding(CauseBackendDisagrees, "The backend rejected a token that authscope's replay of the same rules accepts")
	f.note("replay", "accepts the token with the backend's own config")
	f.Fix = "The backend validated with state the replay does not share: its HTTP cache of discovery and JWKS, or its clock. Restart it, or wait for the cache lifetime shown in step 7."
	f.Reference = "reference/convex.md §1.6, §1.7"
	return f
}

// otherConfig: the deployment routes the token differently from the local
// file authscope replayed with, so it runs another config.
func (d *diag) otherConfig() *Finding {
	f := d.finding(CauseConfigNotPushed, "The deployment treats the token differently from convex/auth.config.ts as authscope replays it: the deployment runs another config")
	if r := d.st.Replay; r != nil && r.Err != nil {
		f.note("replay with the local file", r.Err.Message)
	} else {
		f.note("replay with the local file", "accepts the token")
	}
	f.Fix = fmt.Sprintf("Push the local file (%s) so the deployment validates with it, and compare the deployment's environment variables (npx convex env list) with the values authscope used: the deployment evaluates auth.config.ts with its own.", d.names.push())
	f.Reference = "reference/convex.md §1.1, §4.1 step 3; DESIGN.md sources and backends"
	return f
}

// backendState: an OIDC check after matching failed on the backend but
// not in the replay. With the embedded backend its fetches show whether it
// used a cached JWKS: after a key rotation Convex keeps the cached keys
// for the Cache-Control lifetime and does not refetch on an unknown kid.
func (d *diag) backendState() *Finding {
	var cached *convex.FetchRecord
	for i, f := range d.st.BackendFetches {
		if f.Kind == convex.FetchJWKS && f.FromCache {
			cached = &d.st.BackendFetches[i]
		}
	}
	if cached != nil || !d.st.Embedded {
		title := "The backend checked the token against a cached JWKS that lacks its key: the signing key was rotated after the backend cached the keys"
		if cached == nil {
			title = "The deployment refused a token that passes every check here: most likely its cached JWKS predates a rotation of the signing key"
		}
		f := d.finding(CauseJWKSCacheStale, title)
		f.compare("kid in the backend's JWKS", d.tok.kid, "(missing: authscope's fresh fetch of the JWKS has it)")
		if cached != nil {
			f.note("backend's JWKS", fmt.Sprintf("served from its cache (%s, fresh for %s)", cached.URL, cached.Lifetime.Round(time.Second)))
		} else {
			f.note("deployment", "its cache is not visible; authscope's fresh fetch of the JWKS has the key. A deployment whose clock is off would look the same")
		}
		f.Fix = "Wait until the backend's cached JWKS expires (its Cache-Control lifetime: Convex refetches only then, not on an unknown kid), or restart a local backend. Before rotating Clerk's signing key in production, keep the old key published long enough."
		f.Reference = "reference/convex.md §1.3 step 4, §1.7; reference/clerk.md §4.3"
		return f
	}
	f := d.finding(CauseBackendDisagrees, "The backend refused a token that passes every check of authscope's replay")
	f.note("replay", "accepts the token with the backend's own config and fresh fetches")
	f.Fix = "The backend validated with state the replay does not share, most likely its clock (it checks exp with no leeway). Compare its clock with this machine's."
	f.Reference = "reference/convex.md §1.3 step 4, §1.6"
	return f
}

// tokenRejected names the replay's failing check when no cause above
// covers it, with the replay's own explanation.
func (d *diag) tokenRejected() *Finding {
	e := d.st.Replay.Err
	f := d.finding(CauseTokenRejected, "The backend rejected the token: "+string(e.Reason))
	if e.Detail != "" {
		f.note("failing check", e.Detail)
	}
	for _, c := range d.trace().Checks {
		if !c.OK {
			f.compare(c.Name, c.Expected, c.Actual)
		}
	}
	f.Fix = "Compare the failing check's expected and actual values above; the token must satisfy every check of the provider it is routed to."
	f.Reference = "reference/convex.md §1.10"
	return f
}
