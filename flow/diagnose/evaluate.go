package diagnose

import (
	"strings"

	"github.com/authscope/authscope/flow/project"
)

// Causes names the causes of a round from what it observed and from the
// replayed Convex rules: for a rejected round, the one cause that stopped
// the backend; for any decided round with a token, the problems that
// break the client's token refresh later; for a round nothing decided,
// only why nothing did (never a configuration cause). A healthy round
// gives nil. No cause is reported twice.
func Causes(r *Round) []Finding {
	if r == nil {
		return nil
	}
	d := newRound(r)
	var out findings
	if d.undecided() {
		// Nothing decided the round, so no configuration was tested: only
		// the rules that say why nothing decided it apply.
		for _, rule := range rules {
			if rule.undecided != nil && out.add(rule, rule.undecided(d)) {
				break
			}
		}
		return out.list
	}
	if d.stage != stageAccepted {
		for _, rule := range rules {
			if rule.rejected != nil && out.add(rule, rule.rejected(d)) {
				break
			}
		}
	}
	if d.hasToken() {
		for _, rule := range rules {
			if rule.lasting != nil {
				out.add(rule, rule.lasting(d))
			}
		}
	}
	if info, other := d.other(); other {
		// A rule explained with Clerk's docs points at the provider's own
		// guide instead.
		for i := range out.list {
			if strings.HasPrefix(out.list[i].Docs, "https://clerk.com/") {
				out.list[i].Docs = info.Docs
			}
		}
	}
	return out.list
}

// Project is the static cross-checks of a project, in table order: what
// will (or may) make isAuthenticated false, found without running
// anything. Checks that find nothing harmful are left out.
func Project(p *project.Project) []Finding {
	return projectFindings(p, false)
}

// projectFindings runs the project checks; withQuiet keeps the findings of
// quiet rules too.
func projectFindings(p *project.Project, withQuiet bool) []Finding {
	if p == nil {
		return nil
	}
	pf := newProjectFacts(p)
	var out []Finding
	for _, rule := range rules {
		if rule.project == nil || (rule.quiet && !withQuiet) {
			continue
		}
		for _, f := range rule.project(pf) {
			out = append(out, escapeFinding(withRule(rule.Code, f)))
		}
	}
	return out
}

// findings collects a round's findings, each code once.
type findings struct {
	list []Finding
	seen map[string]bool
}

// add keeps f under rule's code and docs; it reports whether f was added.
func (fs *findings) add(rule Rule, f *Finding) bool {
	if f == nil || fs.seen[rule.Code] {
		return false
	}
	if fs.seen == nil {
		fs.seen = map[string]bool{}
	}
	fs.seen[rule.Code] = true
	fs.list = append(fs.list, withRule(rule.Code, *f))
	return true
}

// withRule stamps a finding with its rule's code and docs link.
func withRule(code string, f Finding) Finding {
	for _, r := range rules {
		if r.Code == code {
			f.Code, f.Docs = r.Code, r.Docs
		}
	}
	return f
}
