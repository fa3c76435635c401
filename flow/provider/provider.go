// Package provider is what authscope knows about each sign-in provider a
// Convex app can use: Clerk, Auth0, WorkOS AuthKit, Convex Auth, and a
// provider of the app's own behind an OIDC or customJwt entry. For each it
// says which token the Convex provider component hands to the Convex
// client and how it gets it, what happens when the user is signed out, how
// the next token is fetched, which public guide explains it, and how a
// developer can print that token in the console of the running app
// (snippet.go). detect.go tells the provider from what a project shows.
//
// SPEC.md beside this file writes the facts down with their public sources;
// comments cite its sections by name. The package depends on nothing else
// of authscope's, so the engine, the diagnosis and the project reader can
// all use it.
package provider

import (
	"encoding/json"
	"fmt"
	"time"
)

// ID names a provider. It is stable: the JSON report and the flags use it.
type ID string

// The providers, as docs.convex.dev/auth lists them.
const (
	Clerk      ID = "clerk"
	Auth0      ID = "auth0"
	WorkOS     ID = "workos"
	ConvexAuth ID = "convex-auth"
	// OIDC is a provider of the app's own behind an OIDC entry of
	// auth.config.ts, wired with ConvexProviderWithAuth.
	OIDC ID = "oidc"
	// CustomJWT is a provider of the app's own behind a customJwt entry.
	CustomJWT ID = "custom-jwt"
)

// IDs lists the providers in the order of docs.convex.dev/auth.
var IDs = []ID{Clerk, WorkOS, Auth0, ConvexAuth, OIDC, CustomJWT}

// Info is one provider's token path as its Convex provider component runs
// it (SPEC.md "Token path"). The JSON report carries its id, name,
// component and token; the rest is for the texts.
type Info struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
	// Component is the Convex provider component the app renders, and
	// AuthComponent the provider's own component around it.
	Component     string `json:"component"`
	AuthComponent string `json:"-"`
	// Token names the token the component hands to the Convex client:
	// "the ID token", "the access token"; TokenNoun is its short name
	// ("ID token").
	Token     string `json:"token"`
	TokenNoun string `json:"-"`
	// Fetch says how the component gets it, in the provider's words.
	Fetch string `json:"-"`
	// SignedOut says what the Convex client does when the user is not
	// signed in.
	SignedOut string `json:"-"`
	// Refresh says how the next token is fetched.
	Refresh string `json:"-"`
	// SDKRefresh is how long before exp the provider's own SDK renews the
	// token in the background, and SDKRefreshLabel names that timer; zero
	// when the SDK renews only when asked.
	SDKRefresh      time.Duration `json:"-"`
	SDKRefreshLabel string        `json:"-"`
	// Docs is the public guide.
	Docs string `json:"-"`
	// Steps 4 and 5 in the provider's words.
	ProviderStep string `json:"-"`
	TokenStep    string `json:"-"`
	// ConfigSnippet is the provider entry of auth.config.ts its guide
	// writes, and ConfigSetup what else the guide sets on the deployment.
	ConfigSnippet string `json:"-"`
	ConfigSetup   string `json:"-"`
	// LoopbackSignIn is true when authscope can run the provider's sign-in
	// itself, through its loopback page. Only Clerk's development
	// instances allow it.
	LoopbackSignIn bool `json:"-"`
}

// Docs pages of each provider (public).
const (
	DocsClerk      = "https://docs.convex.dev/auth/clerk"
	DocsAuth0      = "https://docs.convex.dev/auth/auth0"
	DocsWorkOS     = "https://docs.convex.dev/auth/authkit/"
	DocsConvexAuth = "https://labs.convex.dev/auth"
	DocsOIDC       = "https://docs.convex.dev/auth/advanced/custom-auth"
	DocsCustomJWT  = "https://docs.convex.dev/auth/advanced/custom-jwt"
)

// signedOutProvider is ConvexProviderWithAuth's rule for every provider
// (SPEC.md "Signed out").
const signedOutProvider = "when the provider says the user is signed out, ConvexProviderWithAuth sets isAuthenticated to false without fetching a token or asking the backend"

var infos = map[ID]Info{
	Clerk: {ID: Clerk, TokenNoun: "session token", Name: "Clerk", Component: "ConvexProviderWithClerk", AuthComponent: "ClerkProvider",
		Token:      "a Clerk session token (aud \"convex\") or the \"convex\" JWT template's token",
		Fetch:      "getToken() when the session claims carry aud \"convex\" (Clerk's Convex integration), else getToken({ template: \"convex\" }); skipCache when the client forces a refresh",
		SignedOut:  signedOutProvider,
		Refresh:    "the Convex client refetches 10 s before exp; ClerkJS renews its cached token 17 s before exp",
		SDKRefresh: 17 * time.Second, SDKRefreshLabel: "Clerk cache refresh",
		Docs:          DocsClerk,
		ConfigSnippet: `{ domain: process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: "convex" }`,
		ConfigSetup:   "set CLERK_JWT_ISSUER_DOMAIN on the deployment to the Clerk Frontend API URL",
		ProviderStep:  "ClerkProvider knows the user is signed in", TokenStep: "ConvexProviderWithClerk fetches a token",
		LoopbackSignIn: true},
	Auth0: {ID: Auth0, TokenNoun: "ID token", Name: "Auth0", Component: "ConvexProviderWithAuth0", AuthComponent: "Auth0Provider",
		Token:         "the ID token (aud: your Auth0 client ID)",
		Fetch:         "getAccessTokenSilently({ detailedResponse: true, cacheMode }) and sends its id_token, not the access token; cacheMode \"off\" when the client forces a refresh",
		SignedOut:     signedOutProvider + "; a failing getAccessTokenSilently (login_required) becomes null: no Authenticate is sent",
		Refresh:       "the Convex client refetches 10 s before the ID token's exp, with cacheMode \"off\": Auth0's SDK renews only when asked (its cache counts the access token's expires_in, less 60 s)",
		Docs:          DocsAuth0,
		ConfigSnippet: `{ domain: process.env.AUTH0_DOMAIN!, applicationID: process.env.AUTH0_CLIENT_ID! }`,
		ConfigSetup:   "set AUTH0_DOMAIN and AUTH0_CLIENT_ID on the deployment to the Auth0 application's domain and client ID",
		ProviderStep:  "Auth0Provider knows the user is signed in", TokenStep: "ConvexProviderWithAuth0 gets the ID token"},
	WorkOS: {ID: WorkOS, TokenNoun: "access token", Name: "WorkOS AuthKit", Component: "ConvexProviderWithAuthKit", AuthComponent: "AuthKitProvider",
		Token:      "the AuthKit access token (no aud claim unless a JWT template adds one)",
		Fetch:      "getAccessToken() from AuthKit's useAuth(), ignoring the client's forceRefreshToken",
		SignedOut:  signedOutProvider + "; a failing getAccessToken (LoginRequiredError) becomes null",
		Refresh:    "AuthKit renews the access token in the background 10 s before it expires while the tab is visible; as the client's forced refetch gets the same token back, the Convex client schedules no refetch of its own and renews when the backend reports \"Convex token identity expired\"",
		SDKRefresh: 10 * time.Second, SDKRefreshLabel: "AuthKit refresh",
		Docs: DocsWorkOS,
		ConfigSnippet: "{ type: \"customJwt\", issuer: \"https://api.workos.com/\", algorithm: \"RS256\", jwks: `https://api.workos.com/sso/jwks/${clientId}`, applicationID: clientId }, " +
			"{ type: \"customJwt\", issuer: `https://api.workos.com/user_management/${clientId}`, algorithm: \"RS256\", jwks: `https://api.workos.com/sso/jwks/${clientId}` } with const clientId = process.env.WORKOS_CLIENT_ID",
		ConfigSetup:  "set WORKOS_CLIENT_ID on the deployment to the client ID the app signs in with",
		ProviderStep: "AuthKit knows the user is signed in", TokenStep: "ConvexProviderWithAuthKit gets a token"},
	ConvexAuth: {ID: ConvexAuth, TokenNoun: "Convex Auth JWT", Name: "Convex Auth", Component: "ConvexAuthProvider", AuthComponent: "ConvexAuthProvider",
		Token:         "the JWT Convex Auth signed with JWT_PRIVATE_KEY (iss: the deployment's CONVEX_SITE_URL, aud \"convex\"), kept in localStorage",
		Fetch:         "the stored JWT; when the client forces a refresh, a new JWT from the signIn action with the stored refresh token",
		SignedOut:     signedOutProvider + "; with no stored JWT the user is signed out",
		Refresh:       "the Convex client refetches 10 s before exp (a Convex Auth JWT lives 1 hour by default) and Convex Auth trades its refresh token for a new JWT; no background timer of its own",
		Docs:          DocsConvexAuth,
		ConfigSnippet: `{ domain: process.env.CONVEX_SITE_URL, applicationID: "convex" }`,
		ConfigSetup:   "Convex sets CONVEX_SITE_URL itself; run npx @convex-dev/auth to set JWT_PRIVATE_KEY and JWKS",
		ProviderStep:  "ConvexAuthProvider has the user signed in", TokenStep: "ConvexAuthProvider reads its stored JWT"},
	OIDC: {ID: OIDC, TokenNoun: "ID token", Name: "your OIDC provider", Component: "ConvexProviderWithAuth", AuthComponent: "your auth provider",
		Token:         "the ID token your useAuth hook's fetchAccessToken returns",
		Fetch:         "fetchAccessToken({ forceRefreshToken }) of the useAuth hook you pass to ConvexProviderWithAuth",
		SignedOut:     signedOutProvider,
		Refresh:       "the Convex client refetches 10 s before exp, with forceRefreshToken: true",
		Docs:          DocsOIDC,
		ConfigSnippet: `{ domain: "https://<your issuer>", applicationID: "<the aud of your tokens>" }`,
		ConfigSetup:   "the domain is your tokens' iss, the applicationID their aud",
		ProviderStep:  "Your auth provider has the user signed in", TokenStep: "ConvexProviderWithAuth fetches a token"},
	CustomJWT: {ID: CustomJWT, TokenNoun: "JWT", Name: "your JWT issuer", Component: "ConvexProviderWithAuth", AuthComponent: "your auth provider",
		Token:         "the JWT your useAuth hook's fetchAccessToken returns",
		Fetch:         "fetchAccessToken({ forceRefreshToken }) of the useAuth hook you pass to ConvexProviderWithAuth",
		SignedOut:     signedOutProvider,
		Refresh:       "the Convex client refetches 10 s before exp, with forceRefreshToken: true (it needs iat and exp to schedule it)",
		Docs:          DocsCustomJWT,
		ConfigSnippet: `{ type: "customJwt", issuer: "https://<your issuer>", jwks: "https://<your issuer>/.well-known/jwks.json", algorithm: "RS256", applicationID: "<the aud of your tokens>" }`,
		ConfigSetup:   "the issuer is your tokens' iss, jwks the URL of its keys",
		ProviderStep:  "Your auth provider has the user signed in", TokenStep: "ConvexProviderWithAuth fetches a token"},
}

// Lookup returns a provider's Info; nextjs picks the Next.js wiring the
// Convex guides use where it differs. An unknown ID gives Clerk's, the
// provider authscope has always assumed.
func Lookup(id ID, nextjs bool) Info {
	info, ok := infos[id]
	if !ok {
		info = infos[Clerk]
	}
	if !nextjs {
		return info
	}
	switch info.ID {
	case WorkOS:
		// The AuthKit Next.js guide wires ConvexProviderWithAuth with
		// useAccessToken (SPEC.md "WorkOS AuthKit").
		info.Component = "ConvexProviderWithAuth"
		info.Fetch = "getAccessToken() of authkit-nextjs's useAccessToken(), refresh() when the client forces a refresh"
		info.Refresh = "authkit-nextjs renews the access token 60 s before exp; the Convex client refetches 10 s before exp with refresh()"
		info.SDKRefresh = 60 * time.Second
		info.TokenStep = "ConvexProviderWithAuth fetches a token"
	case ConvexAuth:
		info.Component, info.AuthComponent = "ConvexAuthNextjsProvider", "ConvexAuthNextjsProvider"
		info.ProviderStep = "ConvexAuthNextjsProvider: user signed in"
		info.TokenStep = "Convex Auth hands over its stored JWT"
	}
	return info
}

// UnmarshalJSON reads the JSON report's provider back into the whole
// Info: the report keeps its id and component, the rest follows from them.
func (i *Info) UnmarshalJSON(b []byte) error {
	var w struct {
		ID        ID     `json:"id"`
		Component string `json:"component"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*i = Lookup(w.ID, false)
	if next := Lookup(w.ID, true); w.Component == next.Component {
		*i = next
	}
	return nil
}

// Known reports whether id names a provider of this package.
func Known(id ID) bool { _, ok := infos[id]; return ok }

// TokenSource says how authscope gets the token it checks for this
// provider: given is true when it was handed one (--token, stdin).
func (i Info) TokenSource(given bool) string {
	switch {
	case given && IsClerk(i.ID):
		return "a token given to authscope"
	case given:
		return fmt.Sprintf("the %s your app sends, given to authscope (%s sends %s)", i.TokenNoun, i.Component, i.Token)
	case i.LoopbackSignIn:
		return "authscope signs in through Clerk on its loopback page and fetches the token as " + i.Component + " does"
	}
	return fmt.Sprintf("the %s your running app sends, pasted in: authscope cannot run %s's sign-in from its loopback page", i.TokenNoun, i.Name)
}

// IsClerk reports whether id stands for Clerk: Clerk itself, or no
// provider said (authscope's default).
func IsClerk(id ID) bool { return id == "" || id == Clerk }
