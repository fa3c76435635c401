package diagnose

import (
	"net/url"
	"strings"

	"github.com/authscope/authscope/flow/provider"
)

// Helpers of the provider-specific rules (cause_auth0_*, cause_workos_*,
// cause_convex_auth_*). The facts they rest on are flow/provider/SPEC.md's.

// provider is the sign-in provider of the round: the project's, else the
// one the token's issuer names, else Clerk.
func (d *round) provider() provider.ID {
	if d.App.Provider != "" {
		return d.App.Provider
	}
	if id := provider.IssuerProvider(d.tok.iss); id != "" {
		return id
	}
	return provider.Clerk
}

// is reports whether the round's provider is id, or its token's issuer
// says so.
func (d *round) is(id provider.ID) bool {
	return d.provider() == id || provider.IssuerProvider(d.tok.iss) == id
}

// other is the round's provider when it is not Clerk: the generic rules
// then speak of it, not of Clerk.
func (d *round) other() (provider.Info, bool) {
	id := d.provider()
	if provider.IsClerk(id) {
		return provider.Info{}, false
	}
	return provider.Lookup(id, d.App.Framework == "nextjs"), true
}

// claim is a claim of the round's token as a string (its JSON text when it
// is not one), and whether the token has it.
func (d *round) claim(name string) (string, bool) {
	if d.Token == nil {
		return "", false
	}
	for _, c := range d.Token.Claims {
		if c.Name == name {
			return jsonString(c.JSON), c.JSON != "null"
		}
	}
	return "", false
}

// urlOf parses a domain or issuer as Convex does for matching: https://
// in front when there is no scheme.
func urlOf(s string) *url.URL {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{}
	}
	return u
}

// issuerHost is the lower-cased host of a domain or issuer.
func issuerHost(s string) string { return strings.ToLower(urlOf(s).Hostname()) }

// Hosts that tell what an issuer URL is.
const (
	convexSiteHost = ".convex.site"
	convexSite     = "https://<your deployment>.convex.site"
)

// isLocalHost reports whether a host is this machine (the app's own
// development server: SITE_URL).
func isLocalHost(h string) bool {
	return h == "localhost" || h == "127.0.0.1" || h == "[::1]" || h == "::1" || strings.HasSuffix(h, ".localhost")
}

// workosJWKSClient reads the client ID of a WorkOS JWKS URL,
// https://api.workos.com/sso/jwks/<client ID>; ok is false when the URL is
// not WorkOS's JWKS.
func workosJWKSClient(jwks string) (clientID string, ok bool) {
	u := urlOf(jwks)
	if strings.ToLower(u.Hostname()) != provider.WorkOSHost {
		return "", false
	}
	path := strings.Trim(u.Path, "/")
	if path != "sso/jwks" && !strings.HasPrefix(path, "sso/jwks/") {
		return "", false
	}
	return strings.TrimPrefix(strings.TrimPrefix(path, "sso/jwks"), "/"), true
}

// looksLikeAPIIdentifier reports whether an applicationID is an Auth0 API
// identifier (a URL, as Auth0 suggests writing them) rather than a client
// ID (32 letters and digits).
func looksLikeAPIIdentifier(s string) bool {
	return strings.Contains(s, "://") || strings.Contains(s, "/")
}

// siteURLOf is the deployment's HTTP actions URL, Convex Auth's issuer:
// https://<name>.convex.site for https://<name>.convex.cloud; "" when the
// deployment URL is not a cloud one.
func siteURLOf(deploymentURL string) string {
	u := strings.TrimRight(deploymentURL, "/")
	if !strings.HasSuffix(u, ".convex.cloud") {
		return ""
	}
	return strings.TrimSuffix(u, ".convex.cloud") + convexSiteHost
}

// convexAuthToken reports whether the round's token looks like one Convex
// Auth signed: aud "convex" and iss on a .convex.site host, or a Convex
// Auth project.
func (d *round) convexAuthToken() bool {
	if d.App.Provider == provider.ConvexAuth {
		return true
	}
	return strings.HasSuffix(issuerHost(d.tok.iss), convexSiteHost) && contains(d.tok.aud, "convex")
}

// convexAuthMismatch is a round whose Convex Auth token matched no
// provider because no provider has its issuer: the trusted domain and its
// host, and the token's issuer host.
func (d *round) convexAuthMismatch() (dom, host, tokHost string, ok bool) {
	if d.stage != stageNoProvider || !d.convexAuthToken() {
		return "", "", "", false
	}
	v := d.view()
	if !v.issuerFails() {
		return "", "", "", false
	}
	return v.domain(), issuerHost(v.domain()), issuerHost(d.tok.iss), true
}
