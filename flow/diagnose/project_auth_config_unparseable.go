package diagnose

import (
	"errors"
	"fmt"

	"github.com/authscope/authscope/flow/project"
)

// projectAuthConfigUnparseable finds auth-config-unparseable: authscope
// cannot read the providers of auth.config.ts; it does not guess what code
// computes.
func projectAuthConfigUnparseable(p *projectFacts) []Finding {
	var perr *project.ParseError
	if !errors.As(p.ConfigErr, &perr) {
		return nil
	}
	f := Finding{Title: fmt.Sprintf("authscope cannot read %s (line %d)", p.cfg, perr.Pos.Line)}
	f.note("parse error", perr.Error())
	f.note("authscope", "reads the providers without running the file and does not guess what code computes")
	f.Fix = "Write each provider value as a string literal or process.env.NAME (as the Convex and Clerk guides do), or check against the real deployment, which runs the file itself."
	return []Finding{f}
}
