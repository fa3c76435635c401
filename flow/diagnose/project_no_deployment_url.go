package diagnose

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/project"
)

// projectNoDeploymentURL finds no-deployment-url: no Convex deployment URL
// was found (npx convex dev writes it to the framework's env file).
func projectNoDeploymentURL(p *projectFacts) []Finding {
	if _, ok := p.DeploymentURL.Effective(); ok {
		return nil
	}
	f := Finding{Title: "No Convex deployment URL found"}
	f.note("looked for", fmt.Sprintf("%s and CONVEX_DEPLOYMENT in --env, the environment, %s.",
		strings.Join(p.DeploymentURLVars(), ", "), strings.Join(project.DotenvFiles(), " and ")))
	f.Fix = fmt.Sprintf("Run `npx convex dev` in the project: it writes CONVEX_DEPLOYMENT and %s to %s.", p.Framework.ConvexURLVar, p.Framework.EnvFile)
	return []Finding{f}
}
