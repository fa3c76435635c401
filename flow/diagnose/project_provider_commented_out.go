package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/untrusted"
)

// projectProviderCommentedOut finds provider-commented-out: the providers
// list is empty and a provider sits in a comment, as Convex's templates ship
// the Clerk provider until Clerk is set up.
func projectProviderCommentedOut(p *projectFacts) []Finding {
	if p.File == nil || len(p.File.Providers) > 0 || len(p.CommentedOut) == 0 {
		return nil
	}
	c := p.CommentedOut[0]
	lines := fmt.Sprintf("line %d", c.Pos.Line)
	if c.EndLine > c.Pos.Line {
		lines = fmt.Sprintf("lines %d–%d", c.Pos.Line, c.EndLine)
	}
	f := Finding{Title: fmt.Sprintf("The provider in %s is commented out (line %d)", p.cfg, c.Pos.Line)}
	f.note(capitalize(lines)+" of "+p.cfg, "hold a provider inside a comment, as the Convex templates ship it until Clerk is set up")
	f.note("commented out", untrusted.Cut(untrusted.Escape(c.Text, true), 2000))
	if n := len(p.CommentedOut) - 1; n > 0 {
		f.note("more", fmt.Sprintf("%d more commented-out provider(s) follow", n))
	}
	_, setup := p.addProvider()
	f.Fix = fmt.Sprintf("Uncomment the provider (%s), %s, then run `npx convex dev` to push it.", lines, setup)
	return []Finding{f}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
