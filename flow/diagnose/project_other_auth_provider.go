package diagnose

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/authscope/authscope/flow/project"
)

// OtherAuth is a sign-in provider other than Clerk that a project uses.
type OtherAuth struct {
	// Name is the provider: "Auth0", "WorkOS AuthKit", "Convex Auth".
	Name string
	// Seen says what shows it: the dependency, the auth config's domain.
	Seen []string
	// Token says where the app's token for Convex comes from.
	Token string
}

// otherAuths are the providers authscope recognises, with where their
// token for Convex comes from (the Convex guides' client wiring,
// docs.convex.dev/auth).
var otherAuths = map[string]OtherAuth{
	project.AuthAuth0: {Name: "Auth0",
		Token: "the ID token ConvexProviderWithAuth0 sends: (await getIdTokenClaims()).__raw from useAuth0() in your app"},
	project.AuthWorkOS: {Name: "WorkOS AuthKit",
		Token: "the access token your Convex provider sends: await getAccessToken() from AuthKit's useAuth() in your app"},
	project.AuthConvexAuth: {Name: "Convex Auth",
		Token: "the JWT Convex Auth keeps for the client (in the browser's localStorage, under a key starting __convexAuthJWT)"},
}

// OtherAuthProvider is the provider a project signs in with when it is not
// Clerk, read from package.json's dependencies and the auth config's
// domains, or nil: the project uses Clerk, or nothing says otherwise.
func OtherAuthProvider(p *project.Project) *OtherAuth {
	if p == nil || p.Framework.AuthLibrary == project.AuthClerk || (p.PublishableKey.Known && p.PublishableKey.Value != "") {
		return nil
	}
	lib, seen := p.Framework.AuthLibrary, []string{}
	if lib != "" {
		seen = append(seen, p.Framework.AuthPackage+" in package.json")
	}
	for _, prov := range p.Providers {
		l, why := providerLibrary(prov)
		if l == project.AuthClerk {
			return nil // a Clerk provider: authscope can sign in
		}
		if l != "" && (lib == "" || l == lib) {
			lib = l
			seen = append(seen, why)
		}
	}
	oa, ok := otherAuths[lib]
	if !ok {
		return nil
	}
	oa.Seen = seen
	return &oa
}

// providerLibrary tells a provider's library from its domain (or issuer):
// its value's host, or the variable it reads.
func providerLibrary(p project.ProviderInfo) (library, why string) {
	key := "domain"
	f, ok := p.Field(key)
	if !ok {
		key = "issuer"
		if f, ok = p.Field(key); !ok {
			return "", ""
		}
	}
	for _, v := range f.Reads {
		switch {
		case v.Name == "CONVEX_SITE_URL":
			return project.AuthConvexAuth, fmt.Sprintf("%s reads CONVEX_SITE_URL (%s)", key, f.Expr)
		case strings.HasPrefix(v.Name, "CLERK_"):
			return project.AuthClerk, ""
		}
	}
	host := ""
	if u, err := url.Parse(f.Value); err == nil {
		host = strings.ToLower(u.Hostname())
	}
	why = fmt.Sprintf("%s is %s", key, q(f.Value))
	switch {
	case host == "":
		return "", ""
	case strings.HasSuffix(host, ".auth0.com"):
		return project.AuthAuth0, why
	case host == "api.workos.com" || strings.HasSuffix(host, ".authkit.app"):
		return project.AuthWorkOS, why
	case strings.HasSuffix(host, ".convex.site"):
		return project.AuthConvexAuth, why
	case strings.HasSuffix(host, ".clerk.accounts.dev") || strings.HasPrefix(host, "clerk."):
		return project.AuthClerk, ""
	}
	return "", ""
}

// projectOtherAuthProvider finds other-auth-provider: the project signs in
// with another provider than Clerk. authscope signs in only with Clerk; it
// can still check a token from the app.
func projectOtherAuthProvider(p *projectFacts) []Finding {
	oa := OtherAuthProvider(p.Project)
	if oa == nil {
		return nil
	}
	f := Finding{Title: fmt.Sprintf("The project signs in with %s, not Clerk: authscope signs in only with Clerk", oa.Name)}
	for _, s := range oa.Seen {
		f.note(oa.Name, s)
	}
	f.Fix = OtherAuthFix(oa)
	return []Finding{f}
}

// OtherAuthFix says what authscope can still do in a project that signs in
// with another provider: check a token from the app against the project's
// auth config and deployment.
func OtherAuthFix(oa *OtherAuth) string {
	return fmt.Sprintf("authscope can still check a token from your app against this project's auth config and deployment: take %s (or the value of the Authenticate message on the sync WebSocket, in the browser's developer tools) and run authscope check --token - (paste it, or pipe it in).", oa.Token)
}
