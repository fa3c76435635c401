package provider

import (
	"net/url"
	"strings"
)

// Signals are what a project shows about its sign-in provider (SPEC.md
// "Detection"). flow/project gathers them; Detect weighs them.
type Signals struct {
	// Packages are the dependencies of package.json.
	Packages []string
	// Components are the Convex provider components the app's source
	// renders (ConvexProviderWithAuth0, ConvexAuthProvider…), with the file
	// that renders each.
	Components []Component
	// Config are the providers of convex/auth.config.ts, in order.
	Config []ConfigEntry
	// Env are the variables the env files set.
	Env []string
	// NextJS is set when the app is a Next.js app.
	NextJS bool
}

// Component is a Convex provider component found in a source file.
type Component struct {
	Name string
	File string
}

// ConfigEntry is one provider of auth.config.ts as Detect reads it.
type ConfigEntry struct {
	// CustomJWT is set for a customJwt provider.
	CustomJWT bool
	// Issuer is the domain or issuer when known ("" when not), and JWKS
	// the customJwt jwks URL.
	Issuer string
	JWKS   string
	// Reads are the variables the domain or issuer is built from.
	Reads []string
	// Expr is the field as written, for messages.
	Expr string
}

// Detection is the provider Detect settled on, and what shows it.
type Detection struct {
	Info
	// Seen says what shows it: "@auth0/auth0-react in package.json",
	// "domain is \"https://acme.us.auth0.com\"".
	Seen []string `json:"seen,omitempty"`
	// Default is set when nothing showed a provider and Clerk, authscope's
	// default, was assumed.
	Default bool `json:"default,omitempty"`
}

// packageProviders map dependency names (exact, or a prefix ending in /)
// to the provider they sign in with, in the order Detect prefers them:
// Clerk first, as an app with Clerk signs in through it.
var packageProviders = []struct {
	name string
	id   ID
}{
	{"@clerk/", Clerk},
	{"@convex-dev/auth", ConvexAuth},
	{"@auth0/auth0-react", Auth0},
	{"@auth0/", Auth0},
	{"@convex-dev/workos", WorkOS},
	{"@workos-inc/authkit-react", WorkOS},
	{"@workos-inc/authkit-nextjs", WorkOS},
	{"@workos-inc/", WorkOS},
}

// componentProviders map the Convex provider components to providers.
var componentProviders = map[string]ID{
	"ConvexProviderWithClerk":   Clerk,
	"ConvexProviderWithAuth0":   Auth0,
	"ConvexProviderWithAuthKit": WorkOS,
	"ConvexAuthProvider":        ConvexAuth,
	"ConvexAuthNextjsProvider":  ConvexAuth,
}

// ComponentNames are the component names flow/project looks for.
func ComponentNames() []string {
	return []string{"ConvexProviderWithClerk", "ConvexProviderWithAuth0", "ConvexProviderWithAuthKit",
		"ConvexAuthNextjsProvider", "ConvexAuthProvider", "ConvexProviderWithAuth"}
}

// Detect settles on the provider a project signs in with: what the app
// depends on and renders first (the sign-in library), then what
// auth.config.ts trusts, then what the env files hold. With no signal at
// all it assumes Clerk, as authscope always has.
func Detect(s Signals) Detection {
	var d Detection
	id := ID("")
	for _, pp := range packageProviders {
		for _, name := range s.Packages {
			if name == pp.name || strings.HasSuffix(pp.name, "/") && strings.HasPrefix(name, pp.name) {
				if id == "" {
					id = pp.id
				}
				if pp.id == id && !contains(d.Seen, name+" in package.json") {
					d.Seen = append(d.Seen, name+" in package.json")
				}
			}
		}
	}
	for _, c := range s.Components {
		cid, ok := componentProviders[c.Name]
		if ok && (id == "" || cid == id) {
			id = cid
			d.Seen = append(d.Seen, c.Name+" in "+c.File)
		}
	}
	generic := ID("")
	for _, e := range s.Config {
		cid, why := ConfigProvider(e)
		switch {
		case cid == OIDC || cid == CustomJWT:
			if generic == "" {
				generic = cid
			}
		case id == "" || cid == id:
			id = cid
			d.Seen = append(d.Seen, why)
		}
	}
	if id == "" {
		for _, name := range s.Env {
			if eid := envProvider(name); eid != "" && (id == "" || eid == id) {
				id = eid
				d.Seen = append(d.Seen, name+" in the env files")
			}
		}
	}
	if id == "" && generic != "" {
		id = generic
		for _, e := range s.Config {
			if cid, why := ConfigProvider(e); cid == generic {
				d.Seen = append(d.Seen, why)
			}
		}
	}
	if id == "" {
		id, d.Default = Clerk, true
	}
	d.Info = Lookup(id, s.NextJS)
	return d
}

// ConfigProvider tells the provider an auth.config.ts entry trusts from
// its issuer (its host, or the variable it reads), and says why. An entry
// that names none of the known providers is OIDC or CustomJWT.
func ConfigProvider(e ConfigEntry) (ID, string) {
	key := "domain"
	if e.CustomJWT {
		key = "issuer"
	}
	for _, r := range e.Reads {
		switch {
		case r == "CONVEX_SITE_URL":
			return ConvexAuth, key + " reads CONVEX_SITE_URL (" + e.Expr + ")"
		case strings.HasPrefix(r, "CLERK_"):
			return Clerk, key + " reads " + r
		case strings.HasPrefix(r, "AUTH0_"):
			return Auth0, key + " reads " + r
		case strings.HasPrefix(r, "WORKOS_"):
			return WorkOS, key + " reads " + r
		}
	}
	if id := IssuerProvider(e.Issuer); id != "" {
		return id, key + " is \"" + e.Issuer + "\""
	}
	if IssuerProvider(e.JWKS) == WorkOS {
		return WorkOS, "jwks is \"" + e.JWKS + "\""
	}
	shown := "\"" + e.Issuer + "\""
	if e.Issuer == "" {
		shown = e.Expr
	}
	if e.CustomJWT {
		return CustomJWT, "a customJwt provider with issuer " + shown
	}
	return OIDC, "an OIDC provider with domain " + shown
}

// IssuerProvider tells a provider from an issuer URL's host: Auth0's
// tenants (*.auth0.com), WorkOS's API (api.workos.com) and AuthKit
// domains (*.authkit.app), a deployment's own HTTP actions URL
// (*.convex.site, Convex Auth), Clerk's Frontend API hosts. "" when the
// host says nothing.
func IssuerProvider(issuer string) ID {
	if issuer == "" {
		return ""
	}
	if !strings.Contains(issuer, "://") {
		issuer = "https://" + issuer
	}
	u, err := url.Parse(issuer)
	if err != nil {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	switch {
	case h == "":
		return ""
	case strings.HasSuffix(h, ".auth0.com"):
		return Auth0
	case h == "api.workos.com" || strings.HasSuffix(h, ".authkit.app"):
		return WorkOS
	case strings.HasSuffix(h, ".convex.site"):
		return ConvexAuth
	case strings.HasSuffix(h, ".clerk.accounts.dev") || strings.HasPrefix(h, "clerk."):
		return Clerk
	}
	return ""
}

// envProvider tells a provider from a variable the env files set.
func envProvider(name string) ID {
	switch {
	case strings.HasSuffix(name, "CLERK_PUBLISHABLE_KEY"):
		return Clerk
	case strings.HasSuffix(name, "AUTH0_DOMAIN") || strings.HasSuffix(name, "AUTH0_CLIENT_ID"):
		return Auth0
	case strings.HasSuffix(name, "WORKOS_CLIENT_ID"):
		return WorkOS
	case name == "JWT_PRIVATE_KEY" || name == "JWKS":
		return ConvexAuth
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
