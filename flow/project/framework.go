package project

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// Framework is the app framework found in package.json, with the names
// messages need: where env values go, which prefix the client reads, and
// the file where ClerkProvider and ConvexProviderWithClerk are wired.
type Framework struct {
	// ID is stable: "vite-react", "nextjs", "tanstack-start", "vite" or "unknown".
	ID   string `json:"id"`
	Name string `json:"name"`
	// EnvFile is the file the Convex CLI and the templates keep client
	// values in.
	EnvFile string `json:"envFile"`
	// EnvPrefix is the prefix that exposes a variable to browser code.
	EnvPrefix string `json:"envPrefix"`
	// ProviderFile is the file that wires ClerkProvider and
	// ConvexProviderWithClerk, relative to the project root: the first
	// candidate that mentions ConvexProviderWithClerk, else the first that
	// exists, else where the framework's template puts it.
	ProviderFile string `json:"providerFile"`
	// PublishableKeyVar and ConvexURLVar are the variables the client code
	// of the framework's template reads.
	PublishableKeyVar string `json:"publishableKeyVar"`
	ConvexURLVar      string `json:"convexUrlVar"`
	// AuthLibrary is the sign-in library package.json depends on (Auth...
	// constants), "" when it names none authscope knows.
	AuthLibrary string `json:"authLibrary,omitempty"`
	// AuthPackage is the dependency AuthLibrary was read from.
	AuthPackage string `json:"authPackage,omitempty"`
}

// Sign-in libraries, as package.json names them. Clerk wins when an app
// depends on it and on another.
const (
	AuthClerk      = "clerk"
	AuthAuth0      = "auth0"
	AuthWorkOS     = "workos"
	AuthConvexAuth = "convex-auth"
)

// authPackages maps dependency prefixes to the library they are, in the
// order they are looked for: Clerk's SDKs; then Convex Auth, Auth0's React,
// Next.js and SPA SDKs, and WorkOS AuthKit's.
var authPackages = []struct{ prefix, library string }{
	{"@clerk/", AuthClerk},
	{"@convex-dev/auth", AuthConvexAuth},
	{"@auth0/", AuthAuth0},
	{"@workos-inc/", AuthWorkOS},
	{"@convex-dev/workos", AuthWorkOS},
}

// authLibrary names the sign-in library among the dependencies.
func authLibrary(p packageJSON) (library, pkg string) {
	for _, ap := range authPackages {
		for _, deps := range []map[string]string{p.Dependencies, p.DevDependencies} {
			for name := range deps {
				if strings.HasPrefix(name, ap.prefix) && (pkg == "" || name < pkg) {
					library, pkg = ap.library, name
				}
			}
		}
		if library != "" {
			return library, pkg
		}
	}
	return "", ""
}

// Framework IDs.
const (
	FrameworkViteReact = "vite-react"
	FrameworkNext      = "nextjs"
	FrameworkTanStack  = "tanstack-start"
	FrameworkVite      = "vite"
	FrameworkUnknown   = "unknown"
)

// frameworks holds the per-framework names. The provider-file candidates
// come from the templates:
//   - Vite + React: get-convex/templates template-react-vite-clerk wires both
//     providers in src/main.tsx.
//   - Next.js: template-nextjs-clerk has ConvexProviderWithClerk in
//     app/ConvexClientProvider.tsx (older versions: components/), used from
//     app/layout.tsx inside ClerkProvider.
//   - TanStack Start: the Convex guide "TanStack Start with Clerk" (demo
//     npm-packages/private-demos/tanstack-start-clerk) wraps ClerkProvider
//     and ConvexProviderWithClerk in the root route's component,
//     src/routes/__root.tsx (app/routes/__root.tsx before TanStack Start moved
//     to src/); src/router.tsx only creates the Convex clients.
var frameworks = map[string]struct {
	fw         Framework
	candidates []string
}{
	FrameworkViteReact: {
		Framework{ID: FrameworkViteReact, Name: "Vite + React", EnvFile: ".env.local", EnvPrefix: "VITE_",
			PublishableKeyVar: "VITE_CLERK_PUBLISHABLE_KEY", ConvexURLVar: "VITE_CONVEX_URL"},
		[]string{"src/main.tsx", "src/main.jsx", "src/main.ts", "src/main.js", "src/App.tsx", "src/App.jsx"},
	},
	FrameworkNext: {
		Framework{ID: FrameworkNext, Name: "Next.js", EnvFile: ".env.local", EnvPrefix: "NEXT_PUBLIC_",
			PublishableKeyVar: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", ConvexURLVar: "NEXT_PUBLIC_CONVEX_URL"},
		[]string{"app/ConvexClientProvider.tsx", "components/ConvexClientProvider.tsx",
			"src/app/ConvexClientProvider.tsx", "src/components/ConvexClientProvider.tsx",
			"app/layout.tsx", "src/app/layout.tsx"},
	},
	FrameworkTanStack: {
		Framework{ID: FrameworkTanStack, Name: "TanStack Start", EnvFile: ".env.local", EnvPrefix: "VITE_",
			PublishableKeyVar: "VITE_CLERK_PUBLISHABLE_KEY", ConvexURLVar: "VITE_CONVEX_URL"},
		[]string{"src/routes/__root.tsx", "app/routes/__root.tsx", "src/router.tsx", "app/router.tsx"},
	},
	FrameworkVite: {
		Framework{ID: FrameworkVite, Name: "Vite", EnvFile: ".env.local", EnvPrefix: "VITE_",
			PublishableKeyVar: "VITE_CLERK_PUBLISHABLE_KEY", ConvexURLVar: "VITE_CONVEX_URL"},
		[]string{"src/main.tsx", "src/main.ts", "src/main.jsx", "src/main.js"},
	},
	FrameworkUnknown: {
		Framework{ID: FrameworkUnknown, Name: "your app", EnvFile: ".env.local", EnvPrefix: "",
			PublishableKeyVar: "CLERK_PUBLISHABLE_KEY", ConvexURLVar: "CONVEX_URL"},
		nil,
	},
}

// packageJSON is the part of package.json that names the framework.
type packageJSON struct {
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

func (p packageJSON) has(name string) bool {
	_, a := p.Dependencies[name]
	_, b := p.DevDependencies[name]
	return a || b
}

// frameworkID names the framework from the dependencies. TanStack Start is
// checked first: its apps depend on vite and react too.
func frameworkID(p packageJSON) string {
	switch {
	case p.has("@tanstack/react-start") || p.has("@tanstack/start") || p.has("@clerk/tanstack-react-start") || p.has("@clerk/tanstack-start"):
		return FrameworkTanStack
	case p.has("next"):
		return FrameworkNext
	case p.has("vite") && (p.has("react") || p.has("@vitejs/plugin-react") || p.has("@vitejs/plugin-react-swc")):
		return FrameworkViteReact
	case p.has("vite"):
		return FrameworkVite
	}
	return FrameworkUnknown
}

// detectFramework reads package.json (if any) and picks the provider file.
// A missing package.json gives the unknown framework; an unreadable one is
// returned as an error for a finding, with the unknown framework.
func detectFramework(root string) (Framework, error) {
	var pkg packageJSON
	data, err := readCapped(filepath.Join(root, "package.json"), maxPackageJSON)
	var perr error
	switch {
	case err == nil:
		if jerr := json.Unmarshal(data, &pkg); jerr != nil {
			perr = jerr
		}
	case !os.IsNotExist(err):
		perr = err
	}
	def := frameworks[frameworkID(pkg)]
	fw := def.fw
	fw.ProviderFile = pickProviderFile(root, def.candidates)
	fw.AuthLibrary, fw.AuthPackage = authLibrary(pkg)
	return fw, perr
}

// pickProviderFile returns the first candidate that mentions
// ConvexProviderWithClerk, else the first that exists, else the first.
func pickProviderFile(root string, candidates []string) string {
	if len(candidates) == 0 {
		return ""
	}
	existing := ""
	for _, c := range candidates {
		data, err := readCapped(filepath.Join(root, filepath.FromSlash(c)), maxSourceScan)
		if err != nil {
			continue
		}
		if bytes.Contains(data, []byte("ConvexProviderWithClerk")) {
			return c
		}
		if existing == "" {
			existing = c
		}
	}
	if existing != "" {
		return existing
	}
	return candidates[0]
}
