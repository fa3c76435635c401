package project

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
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
	// ProviderFile is the file that wires the sign-in provider and its
	// Convex provider component (ClerkProvider and ConvexProviderWithClerk),
	// relative to the project root: the first candidate that renders a
	// Convex provider component, else the first that exists, else where the
	// framework's template puts it.
	ProviderFile string `json:"providerFile"`
	// PublishableKeyVar and ConvexURLVar are the variables the client code
	// of the framework's template reads.
	PublishableKeyVar string `json:"publishableKeyVar"`
	ConvexURLVar      string `json:"convexUrlVar"`
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

// readPackage reads package.json (if any), picks the provider file, and
// returns the dependency names, sorted, for the sign-in provider's
// detection. A missing package.json gives the unknown framework; an
// unreadable one is returned as an error for a finding, with the unknown
// framework.
func readPackage(root string) (Framework, []string, error) {
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
	var deps []string
	for _, m := range []map[string]string{pkg.Dependencies, pkg.DevDependencies} {
		for name := range m {
			deps = append(deps, name)
		}
	}
	sort.Strings(deps)
	return fw, deps, perr
}

// pickProviderFile returns the first candidate that renders a Convex
// provider component (ConvexProviderWithClerk, ConvexProviderWithAuth0…),
// else the first that exists, else the first.
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
		if len(componentsIn(data)) > 0 {
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
