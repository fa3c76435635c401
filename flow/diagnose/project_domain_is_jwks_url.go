package diagnose

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/authscope/authscope/flow/project"
)

// projectDomainIsJWKSURL finds domain-is-jwks-url: a provider's domain (or
// issuer) is a JWKS or discovery URL, not the issuer. Convex compares it
// with the token's iss and finds the JWKS itself through discovery.
func projectDomainIsJWKSURL(p *projectFacts, prov project.ProviderInfo) *Finding {
	iss, u, ok := issuerURL(prov)
	i := strings.Index(u.Path, "/.well-known/")
	if !ok || i < 0 {
		return nil
	}
	issuer := u.Scheme + "://" + u.Host + u.Path[:i]
	f := &Finding{Title: fmt.Sprintf("The provider %s is a %s URL, not the issuer", iss.Key, wellKnownName(u.Path[i:])),
		Fix: fmt.Sprintf("Use the issuer itself: %s.", p.setIssuerStep(iss, issuer))}
	f.compare(fieldWhere(prov, iss), issuer, iss.Value)
	f.note("Convex", fmt.Sprintf("compares it with the token's iss, which is %s, so no token matches (%q); the backend finds the JWKS itself through discovery",
		q(issuer), "No auth provider found matching the given token"))
	return f
}

// issuerURL is a provider's issuer field and the URL it holds, when it is
// known and parses with a host. The URL is never nil.
func issuerURL(prov project.ProviderInfo) (project.FieldInfo, *url.URL, bool) {
	iss, ok := prov.Issuer()
	if !ok {
		return iss, &url.URL{}, false
	}
	u, err := url.Parse(normIssuer(iss.Value))
	if err != nil || u.Host == "" {
		return iss, &url.URL{}, false
	}
	return iss, u, true
}

// fieldWhere names a provider's field and where its value comes from.
func fieldWhere(prov project.ProviderInfo, f project.FieldInfo) string {
	return fmt.Sprintf("%s of provider %d (%s)", f.Key, prov.Index, f.Source)
}

func wellKnownName(path string) string {
	switch {
	case strings.Contains(path, "jwks"):
		return "JWKS"
	case strings.Contains(path, "openid-configuration"):
		return "discovery (openid-configuration)"
	}
	return "well-known"
}
