package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/project"
)

// projectEnvFromLocalFile finds env-from-local-file: authscope took a
// variable auth.config.ts reads from a local dotenv file, while Convex uses
// the value set on the deployment. It breaks nothing by itself, so it is not
// shown before the flow.
func projectEnvFromLocalFile(p *projectFacts) []Finding {
	return p.eachRead(func(fld project.FieldInfo, r project.Value) *Finding {
		if !r.FromFile() {
			return nil
		}
		file, _, _ := strings.Cut(r.Source, ":")
		return &Finding{
			Title: fmt.Sprintf("%s is taken from %s; Convex uses the deployment's value", r.Name, r.Source),
			Evidence: []Comparison{
				fact("read", p.readAt(fld, r)),
				fact("Convex", fmt.Sprintf("does not read %s for the auth config: it uses the variables set on the deployment", file)),
				fact("local value", fmt.Sprintf("%s; the deployment may hold another", q(r.Value))),
			},
			Fix: fmt.Sprintf("Compare it with the deployment's value: `npx convex env get %s` (change it there with `npx convex env set %s <value>`).", r.Name, r.Name),
		}
	})
}
