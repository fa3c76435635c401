package diagnose

import "github.com/authscope/authscope/flow/untrusted"

// projectPackageJSONUnreadable finds package-json-unreadable: package.json
// could not be read, so the framework is unknown and fixes use generic
// names. It breaks nothing, so it is not shown before the flow.
func projectPackageJSONUnreadable(p *projectFacts) []Finding {
	if p.PackageErr == nil {
		return nil
	}
	f := Finding{Title: "package.json could not be read; the framework is unknown"}
	f.note("error", untrusted.Text(p.PackageErr.Error(), 200))
	return []Finding{f}
}
