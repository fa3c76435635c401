package diagnose

import (
	"fmt"

	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/untrusted"
)

// projectEnvUnknown finds env-unknown: auth.config.ts reads a variable that
// lives on the Convex deployment, not locally. When the publishable key says
// what it must be, authscope assumes that value; otherwise the config cannot
// be replayed.
func projectEnvUnknown(p *projectFacts) []Finding {
	return p.eachRead(func(fld project.FieldInfo, r project.Value) *Finding {
		if r.Known || r.Name == "CONVEX_SITE_URL" || r.Name == "CONVEX_CLOUD_URL" {
			return nil // Convex sets those two on every deployment
		}
		f := &Finding{}
		f.note("read", p.readAt(fld, r))
		if r.Derived == "" {
			f.Title = fmt.Sprintf("%s is set on the Convex deployment, not locally; its value is unknown", r.Name)
			f.note("Convex", "reads it from the deployment's environment variables, which authscope cannot see, and nothing local says what it must be, so authscope cannot check a token against it")
			f.Fix = fmt.Sprintf("Pass the deployment's value with --env %s=<value> (see `npx convex env get %s`).", r.Name, r.Name)
			return f
		}
		f.Title = fmt.Sprintf("%s is set on the Convex deployment, not locally; it must be %s", r.Name, untrusted.Text(r.Derived, 120))
		f.note("Convex", "reads it from the deployment's environment variables, which authscope cannot see")
		f.note("must be", fmt.Sprintf("%s, for %s; authscope assumes that value", q(r.Derived), r.DerivedFrom))
		f.note("if it is not set", fmt.Sprintf("`npx convex dev` fails with \"%s\"", missingEnvMessage(r.Name)))
		f.Fix = fmt.Sprintf("Check it with `npx convex env get %s`; set it with `%s`. To check another value, pass --env %s=<value>.", r.Name, setEnvCommand(r.Name, r.Derived), r.Name)
		return f
	})
}
