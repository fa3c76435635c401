package project

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authscope/authscope/flow/convex/rules"
)

// cfgString shows an AuthConfig compactly for comparison.
func cfgString(c rules.AuthConfig) []string {
	var out []string
	for _, p := range c.Providers {
		s := string(p.Kind)
		if p.Domain != "" {
			s += " domain=" + p.Domain
		}
		if p.Issuer != "" {
			s += " issuer=" + p.Issuer
		}
		if p.JWKS != "" {
			s += " jwks=" + p.JWKS
		}
		if p.Algorithm != "" {
			s += " alg=" + p.Algorithm
		}
		if p.HasApplicationID {
			s += " app=" + p.ApplicationID
		}
		out = append(out, s)
	}
	return out
}

func TestLoadFixtures(t *testing.T) {
	const (
		brave = "https://brave-otter-12.clerk.accounts.dev"
		quick = "https://quick-lemur-7.clerk.accounts.dev"
	)
	tests := []struct {
		dir          string
		flags        map[string]string
		env          map[string]string
		framework    string
		providerFile string
		authConfig   string
		config       []string
		configErr    string // "", "read", "unresolved", "push"
		derived      bool   // the first provider's issuer is derived from the key
		pk           string // "NAME@source"
		url          string // "value@source" or "value@derived"
		commented    int
	}{
		{
			dir: "vite-react", framework: FrameworkViteReact, providerFile: "src/main.tsx",
			authConfig: "convex/auth.config.ts",
			config:     []string{"oidc domain=" + brave + " app=convex"}, derived: true,
			pk:  "VITE_CLERK_PUBLISHABLE_KEY@.env.local:5",
			url: "https://happy-animal-123.convex.cloud@.env.local:4",
		},
		{
			dir: "nextjs", framework: FrameworkNext, providerFile: "app/ConvexClientProvider.tsx",
			authConfig: "convex/auth.config.ts",
			config:     []string{"oidc domain=" + quick + " app=convex"}, derived: true,
			pk:  "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY@.env.local:7",
			url: "https://tidy-pelican-845.convex.cloud@.env.local:4",
		},
		{
			dir: "tanstack-start", framework: FrameworkTanStack, providerFile: "src/routes/__root.tsx",
			authConfig: "convex/auth.config.ts",
			config:     []string{"oidc domain=https://calm-heron-58.clerk.accounts.dev app=convex"},
			pk:         "VITE_CLERK_PUBLISHABLE_KEY@.env:2",
			url:        "https://gentle-lynx-207.convex.cloud@.env.local:4",
		},
		{
			dir: "fresh-template", framework: FrameworkViteReact, providerFile: "src/main.tsx",
			authConfig: "convex/auth.config.ts",
			url:        "https://fresh-otter-11.convex.cloud@.env.local:4",
			commented:  1,
		},
		{
			dir: "env-missing", framework: FrameworkNext, providerFile: "app/ConvexClientProvider.tsx",
			authConfig: "convex/auth.config.ts",
			configErr:  "unresolved",
			url:        "https://lucky-koala-310.convex.cloud@.env.local:4",
		},
		{
			dir: "jwks-url-as-domain", framework: FrameworkViteReact, providerFile: "src/main.tsx",
			authConfig: "convex/auth.config.js",
			config:     []string{"oidc domain=https://bold-falcon-3.clerk.accounts.dev/.well-known/jwks.json app=convex"},
			pk:         "VITE_CLERK_PUBLISHABLE_KEY@.env.local:5",
			url:        "https://proud-crane-77.convex.cloud@.env.local:4",
		},
		{
			dir: "trailing-slash", framework: FrameworkViteReact, providerFile: "src/main.tsx",
			authConfig: "convex/auth.config.ts",
			config:     []string{"oidc domain=" + brave + "/ app=convex"},
			pk:         "VITE_CLERK_PUBLISHABLE_KEY@.env.local:5",
			url:        "https://sunny-ibis-501.convex.cloud@.env.local:4",
		},
		{
			dir: "custom-jwt", framework: FrameworkViteReact, providerFile: "src/main.tsx",
			authConfig: "convex/auth.config.ts",
			config:     []string{"customJwt issuer=https://auth.example.com jwks=https://auth.example.com/.well-known/jwks.json alg=RS256"},
			url:        "https://clever-moose-66.convex.cloud@.env.local:4",
		},
		{
			dir: "two-providers", framework: FrameworkViteReact, providerFile: "src/main.tsx",
			authConfig: "convex/auth.config.ts",
			config: []string{
				"customJwt issuer=" + brave + " jwks=" + brave + "/.well-known/jwks.json alg=RS256",
				"oidc domain=" + brave + " app=convex",
			},
			pk:  "VITE_CLERK_PUBLISHABLE_KEY@.env.local:5",
			url: "https://merry-seal-92.convex.cloud@.env.local:4",
		},
		// Refused by the old reader, resolved as Convex resolves it: the
		// variable holds a host, the template adds the scheme.
		{
			dir: "template-literal-domain", framework: FrameworkViteReact, providerFile: "src/main.tsx",
			authConfig: "convex/auth.config.ts",
			config:     []string{"oidc domain=" + brave + " app=convex"}, derived: true,
			pk:  "VITE_CLERK_PUBLISHABLE_KEY@.env.local:5",
			url: "https://stormy-wolf-14.convex.cloud@.env.local:4",
		},
		{
			dir: "imported-provider", framework: FrameworkViteReact, providerFile: "src/main.tsx",
			authConfig: "convex/auth.config.ts",
			config:     []string{"oidc domain=" + brave + " app=convex"}, derived: true,
			pk:  "VITE_CLERK_PUBLISHABLE_KEY@.env.local:5",
			url: "https://amber-finch-52.convex.cloud@.env.local:4",
		},
		{
			dir: "throwing-config", framework: FrameworkViteReact, providerFile: "src/main.tsx",
			authConfig: "convex/auth.config.ts",
			configErr:  "read",
			pk:         "VITE_CLERK_PUBLISHABLE_KEY@.env.local:5",
			url:        "https://rapid-gecko-9.convex.cloud@.env.local:4",
		},
		{
			dir: "key-mismatch", framework: FrameworkViteReact, providerFile: "src/main.tsx",
			authConfig: "convex/auth.config.ts",
			config:     []string{"oidc domain=" + brave + " app=convex"},
			pk:         "VITE_CLERK_PUBLISHABLE_KEY@.env.local:5",
			url:        "https://witty-newt-18.convex.cloud@.env.local:4",
		},
		{
			dir: "production-key", framework: FrameworkNext, providerFile: "app/ConvexClientProvider.tsx",
			authConfig: "convex/auth.config.ts",
			config:     []string{"oidc domain=https://clerk.example.com app=my-app"},
			pk:         "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY@.env.local:3",
			url:        "https://polite-yak-404.convex.cloud@.env.local:2",
		},
		// --env gives the deployment's value: now it is known, and it is
		// another instance's than the key's.
		{
			dir: "vite-react", flags: map[string]string{"CLERK_JWT_ISSUER_DOMAIN": quick},
			framework: FrameworkViteReact, providerFile: "src/main.tsx",
			authConfig: "convex/auth.config.ts",
			config:     []string{"oidc domain=" + quick + " app=convex"},
			pk:         "VITE_CLERK_PUBLISHABLE_KEY@.env.local:5",
			url:        "https://happy-animal-123.convex.cloud@.env.local:4",
		},
		// The process environment beats .env.local; --env beats both.
		{
			dir:       "env-missing",
			env:       map[string]string{"CLERK_JWT_ISSUER_DOMAIN": brave + "/", "NEXT_PUBLIC_CONVEX_URL": "https://from-env.convex.cloud"},
			flags:     map[string]string{"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": "pk_test_YnJhdmUtb3R0ZXItMTIuY2xlcmsuYWNjb3VudHMuZGV2JA"},
			framework: FrameworkNext, providerFile: "app/ConvexClientProvider.tsx",
			authConfig: "convex/auth.config.ts",
			config:     []string{"oidc domain=" + brave + "/ app=convex"},
			pk:         "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY@--env",
			url:        "https://from-env.convex.cloud@environment",
		},
	}
	for _, tt := range tests {
		name := tt.dir
		if tt.flags != nil || tt.env != nil {
			name += "/with-values"
		}
		t.Run(name, func(t *testing.T) {
			getenv := func(n string) (string, bool) { v, ok := tt.env[n]; return v, ok }
			p, err := Load(filepath.Join("testdata", tt.dir), tt.flags, getenv)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if p.Framework.ID != tt.framework || p.Framework.ProviderFile != tt.providerFile {
				t.Errorf("framework %s / %s, want %s / %s", p.Framework.ID, p.Framework.ProviderFile, tt.framework, tt.providerFile)
			}
			if got := p.AuthConfigName(); got != tt.authConfig {
				t.Errorf("auth config %s, want %s", got, tt.authConfig)
			}
			var rerr *ReadError
			var uerr *UnresolvedError
			gotErr := ""
			switch {
			case p.ConfigErr == nil:
			case errors.As(p.ConfigErr, &rerr):
				gotErr = "read"
			case errors.As(p.ConfigErr, &uerr):
				gotErr = "unresolved"
			default:
				gotErr = "push"
			}
			if gotErr != tt.configErr {
				t.Errorf("ConfigErr %v (%s), want %s", p.ConfigErr, gotErr, tt.configErr)
			}
			if got := cfgString(p.Config); strings.Join(got, "\n") != strings.Join(tt.config, "\n") {
				t.Errorf("config:\n got %q\nwant %q", got, tt.config)
			}
			if len(p.Providers) > 0 {
				iss, _ := p.Providers[0].Issuer()
				if iss.Derived != tt.derived {
					t.Errorf("issuer derived = %v, want %v (%+v)", iss.Derived, tt.derived, iss)
				}
			}
			gotPK := ""
			if p.PublishableKey.Known {
				gotPK = p.PublishableKey.Name + "@" + p.PublishableKey.Source
			}
			if gotPK != tt.pk {
				t.Errorf("publishable key from %q, want %q", gotPK, tt.pk)
			}
			if got := p.DeploymentURL.Value + "@" + p.DeploymentURL.Source; got != tt.url {
				t.Errorf("deployment URL %q, want %q", got, tt.url)
			}
			if len(p.CommentedOut) != tt.commented {
				t.Errorf("commented-out providers %d, want %d", len(p.CommentedOut), tt.commented)
			}
		})
	}
}

func TestProjectValues(t *testing.T) {
	p, err := Load(filepath.Join("testdata", "vite-react"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Deployment.Value != "dev:happy-animal-123" || p.DeploymentKind != "dev" || p.DeploymentName != "happy-animal-123" {
		t.Errorf("deployment %+v kind %q name %q", p.Deployment, p.DeploymentKind, p.DeploymentName)
	}
	if p.Key == nil || p.Key.FrontendAPI != "brave-otter-12.clerk.accounts.dev" {
		t.Errorf("key %+v err %v", p.Key, p.KeyErr)
	}
	d, _ := p.Providers[0].Field("domain")
	if len(d.Reads) != 1 || d.Reads[0].Known || d.Reads[0].Derived != "https://brave-otter-12.clerk.accounts.dev" ||
		!strings.Contains(d.Source, "derived from the publishable key VITE_CLERK_PUBLISHABLE_KEY (.env.local:5)") {
		t.Errorf("domain field %+v", d)
	}
	a, _ := p.Providers[0].Field("applicationID")
	if !a.Known || a.Value != "convex" || a.Source != "convex/auth.config.ts:7" {
		t.Errorf("applicationID field %+v", a)
	}
	if p.Raw[0].Domain == nil || *p.Raw[0].Domain != "https://brave-otter-12.clerk.accounts.dev" {
		t.Errorf("raw domain %v", p.Raw[0].Domain)
	}
}

func TestDeploymentURLDerived(t *testing.T) {
	tests := []struct {
		deployment, url string
	}{
		{"dev:happy-animal-123 # team: x, project: y", "https://happy-animal-123.convex.cloud"},
		{"prod:polite-yak-404", "https://polite-yak-404.convex.cloud"},
		{"local:local-jane-demo", ""},
		{"anonymous:anonymous-demo", ""},
		{"dev:Not A Name", ""},
	}
	for _, tt := range tests {
		root := t.TempDir()
		mkdirs(t, root, "convex")
		writeFile(t, filepath.Join(root, ".env.local"), "CONVEX_DEPLOYMENT="+tt.deployment+"\n")
		p, err := Load(root, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := p.DeploymentURL.Effective()
		if got != tt.url || p.DeploymentURL.Known {
			t.Errorf("%s: URL %q (known %v), want derived %q", tt.deployment, got, p.DeploymentURL.Known, tt.url)
		}
		if tt.url != "" && p.DeploymentURL.DerivedFrom != "CONVEX_DEPLOYMENT (.env.local:1)" {
			t.Errorf("derived from %q", p.DeploymentURL.DerivedFrom)
		}
	}
}

// TestEvaluationRules covers the JavaScript semantics of || and ?? and
// Convex's rule that an unset variable throws.
func TestEvaluationRules(t *testing.T) {
	tests := []struct {
		name   string
		domain string
		vars   map[string]string
		want   string // "" = unknown
		reads  []string
	}{
		{"literal", `"https://a.example.com"`, nil, "https://a.example.com", nil},
		{"known env", `process.env.X`, map[string]string{"X": "https://x.example.com"}, "https://x.example.com", []string{"X"}},
		{"|| takes the first non-empty", `process.env.A || process.env.B`, map[string]string{"A": "", "B": "https://b.example.com"}, "https://b.example.com", []string{"A", "B"}},
		{"|| stops at the first set", `process.env.A || process.env.B`, map[string]string{"A": "https://a.example.com"}, "https://a.example.com", []string{"A"}},
		{"|| stops at an unknown", `process.env.A || "https://fallback.example.com"`, nil, "", []string{"A"}},
		{"?? keeps an empty value", `process.env.A ?? "https://fallback.example.com"`, map[string]string{"A": ""}, "", []string{"A"}},
		{"literal first short-circuits", `"https://a.example.com" || process.env.B`, nil, "https://a.example.com", nil},
		{"all empty gives the last", `process.env.A || ""`, map[string]string{"A": ""}, "", []string{"A"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, filepath.Join(root, "convex", "auth.config.ts"),
				fmt.Sprintf(`export default { providers: [{ domain: %s, applicationID: "convex" }] };`, tt.domain))
			p, err := Load(root, tt.vars, nil)
			if err != nil {
				t.Fatal(err)
			}
			d, _ := p.Providers[0].Field("domain")
			known := tt.want != "" || (tt.vars != nil && !d.Unknown())
			if d.Value != tt.want || d.Known != known {
				t.Errorf("value %q known %v, want %q known %v", d.Value, d.Known, tt.want, known)
			}
			var reads []string
			for _, r := range d.Reads {
				reads = append(reads, r.Name)
			}
			if strings.Join(reads, ",") != strings.Join(tt.reads, ",") {
				t.Errorf("reads %v, want %v", reads, tt.reads)
			}
		})
	}
}

func TestNoAuthConfig(t *testing.T) {
	root := t.TempDir()
	mkdirs(t, root, "convex")
	writeFile(t, filepath.Join(root, "package.json"), `{"dependencies": {"next": "16.0.0"}}`)
	p, err := Load(root, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.AuthConfigPath != "" || p.ConfigErr != nil || len(p.Config.Providers) != 0 {
		t.Errorf("path %q err %v config %+v", p.AuthConfigPath, p.ConfigErr, p.Config)
	}
	if p.Framework.ID != FrameworkNext || p.Framework.ProviderFile != "app/ConvexClientProvider.tsx" {
		t.Errorf("framework %+v", p.Framework)
	}
}

func TestMissingProvidersKey(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "convex", "auth.config.ts"), `export default {};`)
	p, err := Load(root, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.ConfigErr == nil || !strings.Contains(p.ConfigErr.Error(), "missing field `providers`") {
		t.Errorf("ConfigErr %v", p.ConfigErr)
	}
}

func TestFrameworkDetection(t *testing.T) {
	tests := []struct {
		pkg, want string
	}{
		{`{"dependencies": {"react": "19", "convex": "1"}, "devDependencies": {"vite": "7"}}`, FrameworkViteReact},
		{`{"dependencies": {"next": "16", "react": "19"}}`, FrameworkNext},
		{`{"dependencies": {"@tanstack/react-start": "1", "react": "19"}, "devDependencies": {"vite": "7"}}`, FrameworkTanStack},
		{`{"dependencies": {"@tanstack/start": "1", "vinxi": "0.4"}}`, FrameworkTanStack},
		{`{"devDependencies": {"vite": "7", "svelte": "5"}}`, FrameworkVite},
		{`{"dependencies": {"expo": "54"}}`, FrameworkUnknown},
		{`not json`, FrameworkUnknown},
	}
	for _, tt := range tests {
		root := t.TempDir()
		mkdirs(t, root, "convex")
		writeFile(t, filepath.Join(root, "package.json"), tt.pkg)
		p, err := Load(root, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.Framework.ID != tt.want {
			t.Errorf("%s: framework %s, want %s", tt.pkg, p.Framework.ID, tt.want)
		}
		if (tt.pkg == "not json") != (p.PackageErr != nil) {
			t.Errorf("%s: package.json error %v", tt.pkg, p.PackageErr)
		}
	}
}

func TestEmptyDeploymentURLFallsBack(t *testing.T) {
	root := t.TempDir()
	mkdirs(t, root, "convex")
	writeFile(t, filepath.Join(root, ".env.local"), "CONVEX_DEPLOYMENT=dev:happy-animal-123\nVITE_CONVEX_URL=\n")
	p, err := Load(root, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := p.DeploymentURL.Effective(); !ok || got != "https://happy-animal-123.convex.cloud" {
		t.Errorf("URL %q %v", got, ok)
	}
}

// TestConvexSystemVariables: Convex Auth's auth.config.ts reads
// CONVEX_SITE_URL, which every deployment has; its value follows from the
// deployment URL.
func TestConvexSystemVariables(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "convex", "auth.config.ts"), "export default {\n  providers: [\n    {\n      domain: process.env.CONVEX_SITE_URL,\n      applicationID: \"convex\",\n    },\n  ],\n};\n")
	writeFile(t, filepath.Join(root, ".env.local"), "CONVEX_DEPLOYMENT=dev:efficient-orca-334 # team: x, project: y\nVITE_CONVEX_URL=https://efficient-orca-334.eu-west-1.convex.cloud\n")
	p, err := Load(root, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfgString(p.Config); len(got) != 1 || got[0] != "oidc domain=https://efficient-orca-334.eu-west-1.convex.site app=convex" {
		t.Errorf("config %v (err %v)", got, p.ConfigErr)
	}
	d, _ := p.Providers[0].Field("domain")
	if !d.Derived || !strings.Contains(d.Source, "VITE_CONVEX_URL (.env.local:2)") {
		t.Errorf("domain %+v", d)
	}
}
