package diagnose

import (
	"fmt"
	"strings"
)

// issuerIsJWKSURL finds issuer-is-jwks-url: the deployment's domain is the
// JWKS (or discovery) URL instead of the issuer, a common copy from Clerk's
// API keys page. Convex compares the domain with the token's iss and adds
// /.well-known/openid-configuration itself.
func issuerIsJWKSURL(d *round) *Finding {
	if d.stage != stageNoProvider {
		return nil
	}
	v := d.view()
	if !v.issuerFails() || !strings.Contains(v.domain(), "/.well-known/") {
		return nil
	}
	f := d.finding(fmt.Sprintf("%s holds a well-known URL, not the issuer", d.names.domainVar))
	f.compare("domain", d.tok.iss, v.domain())
	f.Fix = "The domain is the issuer itself, without /.well-known/…: Convex adds /.well-known/openid-configuration and reads jwks_uri from it. " + d.issuerFix()
	return f
}
