package diagnose

import (
	"strings"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/provider"
)

// App is what authscope knows about the developer's app and project. The
// rules compare the deployment with it (a config that was not pushed) and
// name the app's own files and variables in their fixes. Every field is
// optional: empty ones fall back to the names of Convex's Vite + React
// template (template-react-vite-clerk), which the demo follows.
type App struct {
	// Framework is a framework ID of flow/project: "vite-react", "nextjs",
	// "tanstack-start", "vite" or "unknown".
	Framework string
	// ProviderFile is the file that wires ClerkProvider and
	// ConvexProviderWithClerk, relative to the project root.
	ProviderFile string
	// EnvFile is the file the client's variables live in (.env.local).
	EnvFile string
	// PublishableKeyVar names the variable holding the publishable key.
	PublishableKeyVar string
	// PublishableKey is the key the client signs in with.
	PublishableKey string
	// LocalConfig is convex/auth.config.ts as the developer's file says it,
	// after push-time normalisation; nil when unknown.
	LocalConfig *convexrules.AuthConfig
	// DomainVar is the environment variable the file reads for the issuer
	// domain (default DefaultDomainVar, as in Convex's docs).
	DomainVar string
	// MissingEnv are variables the file reads that are known to have no
	// value on the deployment, so a push of the file fails
	// (AuthConfigMissingEnvironmentVariable in convex-backend
	// crates/isolate/src/environment/auth_config.rs).
	MissingEnv []string
	// ProdDeployment says the deployment is a production one, which is
	// pushed with `npx convex deploy` and configured with `env --prod`.
	ProdDeployment bool
	// Provider is the sign-in provider the app uses (flow/provider); empty
	// when unknown, in which case the token's issuer tells it, and Clerk is
	// assumed when it cannot.
	Provider provider.ID
	// ClientID is the provider's client ID the app signs in with (Auth0's,
	// WorkOS's), when the project's env files say it.
	ClientID string
	// SiteURL is Convex Auth's SITE_URL, the app's own URL, when known.
	SiteURL string
	// DeploymentURL is the deployment the token goes to; its HTTP actions
	// URL (.convex.site) is Convex Auth's issuer.
	DeploymentURL string
}

// DefaultDomainVar is the variable Convex's docs read the issuer from.
const DefaultDomainVar = "CLERK_JWT_ISSUER_DOMAIN"

// appNames are the names the fixes use, resolved from App.
type appNames struct {
	framework    string // "Vite + React"
	id           string
	providerFile string
	envFile      string
	keyVar       string
	keyExpr      string // how the provider file reads the key
	clerkPackage string // where useAuth and ClerkProvider come from
	domainVar    string
	prod         bool
}

// frameworkNames are the per-framework defaults, from the Convex templates
// and Clerk's SDKs (the same provider files flow/project looks for).
var frameworkNames = map[string]appNames{
	"vite-react": {framework: "Vite + React", providerFile: "src/main.tsx", envFile: ".env.local",
		keyVar: "VITE_CLERK_PUBLISHABLE_KEY", keyExpr: "import.meta.env.VITE_CLERK_PUBLISHABLE_KEY", clerkPackage: "@clerk/clerk-react"},
	"vite": {framework: "Vite", providerFile: "src/main.tsx", envFile: ".env.local",
		keyVar: "VITE_CLERK_PUBLISHABLE_KEY", keyExpr: "import.meta.env.VITE_CLERK_PUBLISHABLE_KEY", clerkPackage: "@clerk/clerk-react"},
	"nextjs": {framework: "Next.js", providerFile: "app/ConvexClientProvider.tsx", envFile: ".env.local",
		keyVar: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", keyExpr: "process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", clerkPackage: "@clerk/nextjs"},
	"tanstack-start": {framework: "TanStack Start", providerFile: "src/routes/__root.tsx", envFile: ".env.local",
		keyVar: "VITE_CLERK_PUBLISHABLE_KEY", keyExpr: "import.meta.env.VITE_CLERK_PUBLISHABLE_KEY", clerkPackage: "@clerk/tanstack-react-start"},
	"unknown": {framework: "your app", providerFile: "the file that renders ConvexProviderWithClerk", envFile: ".env.local",
		keyVar: "CLERK_PUBLISHABLE_KEY", keyExpr: "your publishable key", clerkPackage: "your framework's Clerk SDK"},
}

const defaultFramework = "vite-react"

func (a App) names() appNames {
	id := a.Framework
	n, ok := frameworkNames[id]
	if !ok {
		id = defaultFramework
		n = frameworkNames[id]
	}
	n.id = id
	if a.ProviderFile != "" {
		n.providerFile = a.ProviderFile
	}
	if a.EnvFile != "" {
		n.envFile = a.EnvFile
	}
	if a.PublishableKeyVar != "" {
		n.keyVar = a.PublishableKeyVar
	}
	n.domainVar = a.DomainVar
	if n.domainVar == "" {
		n.domainVar = DefaultDomainVar
	}
	n.prod = a.ProdDeployment
	return n
}

// envSet is the command that sets the issuer variable on the deployment.
func (n appNames) envSet(name, value string) string {
	if value == "" {
		value = "<issuer>"
	}
	return envSetCommand(n.prod, name, value)
}

// envSetCommand is `npx convex env set`, for the production deployment
// when prod is set.
func envSetCommand(prod bool, name, value string) string {
	cmd := "npx convex env set "
	if prod {
		cmd += "--prod "
	}
	return cmd + name + " " + shellQuote(value)
}

// push is the command that pushes convex/auth.config.ts.
func (n appNames) push() string {
	if n.prod {
		return "npx convex deploy"
	}
	return "npx convex dev"
}

// shellQuote quotes a value for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
