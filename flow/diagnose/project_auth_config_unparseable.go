package diagnose

import (
	"errors"
	"fmt"

	"github.com/authscope/authscope/flow/project"
)

// projectAuthConfigUnparseable finds auth-config-unparseable: auth.config.ts
// does not bundle or evaluate (a syntax error, an import that does not
// resolve, a throw, a run that does not end); authscope reads it as
// `npx convex dev` does, so the push stops at the same place.
func projectAuthConfigUnparseable(p *projectFacts) []Finding {
	var rerr *project.ReadError
	if !errors.As(p.ConfigErr, &rerr) {
		return nil
	}
	f := Finding{Title: fmt.Sprintf("%s %s (%s)", p.cfg, rerr.Title(), rerr.Pos.Where())}
	f.note("error", rerr.Error())
	f.note("authscope", "bundles and evaluates the file as `npx convex dev` does, so the push stops here too")
	f.Fix = fmt.Sprintf("Correct %s, then run `npx convex dev`; or check against the real deployment, which keeps the config it last accepted.", rerr.Pos.Where())
	return []Finding{f}
}
