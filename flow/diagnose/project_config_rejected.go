package diagnose

import (
	"errors"
	"fmt"

	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/untrusted"
)

// projectConfigRejected finds config-rejected: Convex would refuse to push
// the auth config (its push-time checks: unknown keys, a domain that is not
// a URL, an algorithm customJwt does not take, no providers key).
func projectConfigRejected(p *projectFacts) []Finding {
	var rerr *project.ReadError
	var unres *project.UnresolvedError
	if p.ConfigErr == nil || errors.As(p.ConfigErr, &rerr) || errors.As(p.ConfigErr, &unres) {
		return nil
	}
	f := Finding{Title: "Convex would refuse to push this auth config"}
	f.note("npx convex dev stops with", untrusted.Text(p.ConfigErr.Error(), 400))
	f.Fix = fmt.Sprintf("Correct %s as the message says, then run `npx convex dev`.", p.cfg)
	return []Finding{f}
}
