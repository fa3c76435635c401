package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/provider"
	"github.com/authscope/authscope/flow/untrusted"
)

// The static rules run on flow/project's fixtures and on small projects
// written to a temporary folder.

const fixtures = "../project/testdata"

func load(t *testing.T, dir string, flags, env map[string]string) *project.Project {
	t.Helper()
	getenv := func(n string) (string, bool) { v, ok := env[n]; return v, ok }
	p, err := project.Load(dir, flags, getenv)
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	return p
}

// all is every static finding, the quiet ones included.
func all(p *project.Project) []Finding { return projectFindings(p, true) }

func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

// text is everything a finding says.
func text(f Finding) string {
	var b strings.Builder
	b.WriteString(f.Title + "\n")
	for _, e := range f.Evidence {
		b.WriteString(e.Label + ": " + e.Expected + " | " + e.Actual + "\n")
	}
	b.WriteString(f.Fix)
	return b.String()
}

func TestProjectFixtures(t *testing.T) {
	const (
		brave = "https://brave-otter-12.clerk.accounts.dev"
		quick = "https://quick-lemur-7.clerk.accounts.dev"
	)
	tests := []struct {
		dir        string
		flags, env map[string]string
		findings   []string
	}{
		{dir: "vite-react", findings: []string{CodeEnvUnknown}},
		{dir: "nextjs", findings: []string{CodeEnvUnknown}},
		{dir: "tanstack-start", findings: []string{CodeEnvFromLocalFile}},
		{dir: "fresh-template", findings: []string{CodeNoProviders, CodeProviderCommentedOut, CodeNoPublishableKey}},
		{dir: "env-missing", findings: []string{CodeEnvUnknown, CodeNoPublishableKey}},
		{dir: "jwks-url-as-domain", findings: []string{CodeEnvFromLocalFile, CodeDomainIsJWKSURL}},
		{dir: "trailing-slash", findings: []string{CodeDomainTrailingSlash}},
		{dir: "custom-jwt", findings: []string{CodeCustomJWTNoApplicationID, CodeNoPublishableKey}},
		{dir: "two-providers", findings: []string{CodeCustomJWTNoApplicationID, CodeProviderShadowed}},
		{dir: "template-literal-domain", findings: []string{CodeEnvUnknown}},
		{dir: "imported-provider", findings: []string{CodeEnvUnknown}},
		{dir: "throwing-config", findings: []string{CodeAuthConfigUnparseable}},
		{dir: "key-mismatch", findings: []string{CodeKeyInstanceMismatch}},
		{dir: "production-key", findings: []string{CodeApplicationIDNotConvex, CodeProductionKey}},
		// --env gives the deployment's value: now it is known, and it is
		// another instance's than the key's.
		{dir: "vite-react", flags: map[string]string{"CLERK_JWT_ISSUER_DOMAIN": quick}, findings: []string{CodeKeyInstanceMismatch}},
		// The process environment beats .env.local; --env beats both.
		{dir: "env-missing",
			env:      map[string]string{"CLERK_JWT_ISSUER_DOMAIN": brave + "/", "NEXT_PUBLIC_CONVEX_URL": "https://from-env.convex.cloud"},
			flags:    map[string]string{"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": "pk_test_YnJhdmUtb3R0ZXItMTIuY2xlcmsuYWNjb3VudHMuZGV2JA"},
			findings: []string{CodeDomainTrailingSlash}},
	}
	for _, tt := range tests {
		name := tt.dir
		if tt.flags != nil || tt.env != nil {
			name += "/with-values"
		}
		t.Run(name, func(t *testing.T) {
			p := load(t, filepath.Join(fixtures, tt.dir), tt.flags, tt.env)
			fs := all(p)
			if got := codes(fs); strings.Join(got, ",") != strings.Join(tt.findings, ",") {
				t.Errorf("findings:\n got %v\nwant %v", got, tt.findings)
				for _, f := range fs {
					t.Logf("%s", text(f))
				}
			}
			checkFindings(t, fs)
		})
	}
}

// checkFindings holds every static finding to the same form: a title, a
// fix unless it is quiet, a public docs link, and nothing a terminal would
// act on.
func checkFindings(t *testing.T, fs []Finding) {
	t.Helper()
	quiet := map[string]bool{}
	for _, r := range Rules() {
		quiet[r.Code] = !r.Shown()
	}
	for _, f := range fs {
		if f.Title == "" || (!quiet[f.Code] && f.Fix == "") || !publicDocs(f.Docs) {
			t.Errorf("finding %s lacks a title, fix or docs link: %+v", f.Code, f)
		}
		for _, s := range strings.Split(text(f), "\n") {
			if untrusted.Escape(s, true) != s {
				t.Errorf("finding %s carries unescaped control characters: %q", f.Code, s)
			}
		}
	}
}

// TestProjectFindingWords checks the words of the findings that carry
// facts a user acts on: lines, the value a variable must have, the command.
func TestProjectFindingWords(t *testing.T) {
	tests := []struct {
		dir, code string
		want      []string
	}{
		{"vite-react", CodeEnvUnknown, []string{
			"CLERK_JWT_ISSUER_DOMAIN", "https://brave-otter-12.clerk.accounts.dev", "convex/auth.config.ts:6",
			"npx convex env set CLERK_JWT_ISSUER_DOMAIN https://brave-otter-12.clerk.accounts.dev", "VITE_CLERK_PUBLISHABLE_KEY (.env.local:5)"}},
		{"fresh-template", CodeProviderCommentedOut, []string{"line 4", "lines 4–11", "domain: process.env.CLERK_JWT_ISSUER_DOMAIN", `applicationID: "convex"`}},
		{"fresh-template", CodeNoProviders, []string{"no providers configured", "npx convex dev"}},
		{"env-missing", CodeEnvUnknown, []string{"value is unknown", "--env CLERK_JWT_ISSUER_DOMAIN=<value>"}},
		{"jwks-url-as-domain", CodeDomainIsJWKSURL, []string{"JWKS", `"https://bold-falcon-3.clerk.accounts.dev"`, "npx convex env set CLERK_ISSUER_URL https://bold-falcon-3.clerk.accounts.dev"}},
		{"template-literal-domain", CodeEnvUnknown, []string{"CLERK_HOST", "it must be brave-otter-12.clerk.accounts.dev",
			"convex/auth.config.ts:6 reads process.env.CLERK_HOST for domain, built as https://${process.env.CLERK_HOST}.",
			"npx convex env set CLERK_HOST brave-otter-12.clerk.accounts.dev"}},
		{"imported-provider", CodeEnvUnknown, []string{"CLERK_JWT_ISSUER_DOMAIN",
			"convex/auth.config.ts:5 reads process.env.CLERK_JWT_ISSUER_DOMAIN for domain, which convex/lib/providers.ts:6 builds.",
			"npx convex env set CLERK_JWT_ISSUER_DOMAIN https://brave-otter-12.clerk.accounts.dev"}},
		{"throwing-config", CodeAuthConfigUnparseable, []string{"throws when evaluated (convex/auth.config.ts:9)",
			"convex/auth.config.ts:9:", "Uncaught Error: Date unsupported when evaluating auth config file", "npx convex dev"}},
		{"two-providers", CodeProviderShadowed, []string{"Provider 1 is never used", "provider 0", "no applicationID"}},
		{"key-mismatch", CodeKeyInstanceMismatch, []string{"https://quick-lemur-7.clerk.accounts.dev", "https://brave-otter-12.clerk.accounts.dev", "convex/auth.config.ts:5"}},
		{"production-key", CodeProductionKey, []string{"pk_live_", "--token"}},
		{"production-key", CodeApplicationIDNotConvex, []string{`"my-app"`, `applicationID: "convex"`}},
		{"tanstack-start", CodeEnvFromLocalFile, []string{"CLERK_FRONTEND_API_URL", ".env:4", "npx convex env get CLERK_FRONTEND_API_URL"}},
		{"key-mismatch", CodeKeyInstanceMismatch, []string{`set domain to "https://quick-lemur-7.clerk.accounts.dev" in convex/auth.config.ts:5`}},
	}
	for _, tt := range tests {
		t.Run(tt.dir+"/"+tt.code, func(t *testing.T) {
			var f *Finding
			fs := all(load(t, filepath.Join(fixtures, tt.dir), nil, nil))
			for i := range fs {
				if fs[i].Code == tt.code {
					f = &fs[i]
				}
			}
			if f == nil {
				t.Fatalf("no finding %s in %v", tt.code, codes(fs))
			}
			for _, w := range tt.want {
				if !strings.Contains(text(*f), w) {
					t.Errorf("finding lacks %q:\n%s", w, text(*f))
				}
			}
		})
	}
}

// writeProject writes files (slash paths) under a new folder with a
// convex/ folder.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "convex"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestStaticChecks covers findings not shown by a fixture.
func TestStaticChecks(t *testing.T) {
	const pk = "pk_test_YnJhdmUtb3R0ZXItMTIuY2xlcmsuYWNjb3VudHMuZGV2JA" // brave-otter-12.clerk.accounts.dev
	tests := []struct {
		name     string
		config   string
		env      string
		want     []string
		contains string // in the first finding's text
	}{
		{"misspelled applicationId is refused at push",
			`export default { providers: [{ domain: "https://brave-otter-12.clerk.accounts.dev", applicationId: "convex" }] };`,
			"VITE_CLERK_PUBLISHABLE_KEY=" + pk,
			[]string{CodeConfigRejected}, "spelled lowercase 'application', capital I, capital D"},
		{"domain that is not a URL",
			`export default { providers: [{ domain: "brave-otter-12", applicationID: "convex" }] };`,
			"VITE_CLERK_PUBLISHABLE_KEY=" + pk,
			[]string{CodeConfigRejected, CodeKeyInstanceMismatch}, "Does not look like a URL"},
		{"unsupported customJwt algorithm",
			`export default { providers: [{ type: "customJwt", issuer: "https://auth.example.com", jwks: "https://auth.example.com/jwks", algorithm: "HS256", applicationID: "app" }] };`,
			"",
			[]string{CodeConfigRejected}, "only RS256 and ES256"},
		{"fallback chain",
			`export default { providers: [{ domain: process.env.CLERK_FRONTEND_API_URL || process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: "convex" }] };`,
			"VITE_CLERK_PUBLISHABLE_KEY=" + pk,
			[]string{CodeEnvFallbackChain, CodeEnvUnknown}, "the first variable read must be set on the deployment"},
		{"invalid publishable key",
			`export default { providers: [{ domain: "https://brave-otter-12.clerk.accounts.dev", applicationID: "convex" }] };`,
			"VITE_CLERK_PUBLISHABLE_KEY=pk_test_bm90IGEgaG9zdA",
			[]string{CodePublishableKeyInvalid}, "Decoded key has invalid format"},
		{"empty publishable key",
			`export default { providers: [{ domain: "https://brave-otter-12.clerk.accounts.dev", applicationID: "convex" }] };`,
			"VITE_CLERK_PUBLISHABLE_KEY=",
			[]string{CodeNoPublishableKey}, "VITE_CLERK_PUBLISHABLE_KEY is empty (.env.local:1)"},
		{"duplicate providers with the same applicationID",
			`export default { providers: [{ domain: "https://brave-otter-12.clerk.accounts.dev/", applicationID: "convex" }, { domain: "brave-otter-12.clerk.accounts.dev", applicationID: "convex" }] };`,
			"VITE_CLERK_PUBLISHABLE_KEY=" + pk,
			[]string{CodeDomainTrailingSlash, CodeProviderShadowed}, "trims trailing slashes"},
		{"same issuer, different applicationIDs: no shadowing",
			`export default { providers: [{ domain: "https://brave-otter-12.clerk.accounts.dev", applicationID: "convex" }, { domain: "https://brave-otter-12.clerk.accounts.dev", applicationID: "other" }] };`,
			"VITE_CLERK_PUBLISHABLE_KEY=" + pk,
			[]string{CodeApplicationIDNotConvex}, `"other"`},
		{"customJwt with applicationID is fine",
			`export default { providers: [{ type: "customJwt", issuer: "https://auth.example.com", jwks: "https://auth.example.com/jwks", algorithm: "ES256", applicationID: "app" }] };`,
			"", nil, ""},
		{"discovery URL as the domain",
			`export default { providers: [{ domain: "https://brave-otter-12.clerk.accounts.dev/.well-known/openid-configuration", applicationID: "convex" }] };`,
			"VITE_CLERK_PUBLISHABLE_KEY=" + pk,
			[]string{CodeDomainIsJWKSURL}, "convex/auth.config.ts:1"},
		{"second provider for another issuer still matches the key",
			`export default { providers: [{ domain: "https://auth0.example.com", applicationID: "abc" }, { domain: "https://brave-otter-12.clerk.accounts.dev", applicationID: "convex" }] };`,
			"VITE_CLERK_PUBLISHABLE_KEY=" + pk,
			nil, ""},
		{"unknown variable that is not an issuer",
			`export default { providers: [{ domain: "https://brave-otter-12.clerk.accounts.dev", applicationID: process.env.APP_ID! }] };`,
			"VITE_CLERK_PUBLISHABLE_KEY=" + pk,
			[]string{CodeEnvUnknown}, "its value is unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeProject(t, map[string]string{
				"convex/auth.config.ts": tt.config,
				".env.local":            tt.env + "\nVITE_CONVEX_URL=https://happy-animal-123.convex.cloud\n",
				"package.json":          `{"dependencies": {"react": "19"}, "devDependencies": {"vite": "7"}}`,
			})
			fs := all(load(t, root, nil, nil))
			if got := codes(fs); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("findings %v, want %v", got, tt.want)
				for _, f := range fs {
					t.Logf("%s", text(f))
				}
			}
			if tt.contains != "" && len(fs) > 0 && !strings.Contains(text(fs[0]), tt.contains) {
				t.Errorf("first finding lacks %q:\n%s", tt.contains, text(fs[0]))
			}
			checkFindings(t, fs)
		})
	}
}

// TestProjectFilesAndDeployment covers the findings about the files
// themselves and the deployment URL.
func TestProjectFilesAndDeployment(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"no auth config", map[string]string{"package.json": `{"dependencies": {"next": "16.0.0"}}`},
			[]string{CodeNoAuthConfig, CodeNoPublishableKey, CodeNoDeploymentURL}},
		{"no providers key", map[string]string{"convex/auth.config.ts": `export default {};`},
			[]string{CodeNoProviders, CodeConfigRejected, CodeNoPublishableKey, CodeNoDeploymentURL}},
		{"package.json that is not JSON", map[string]string{"package.json": `not json`},
			[]string{CodeNoAuthConfig, CodeNoPublishableKey, CodeNoDeploymentURL, CodePackageJSONUnreadable}},
		{"deployment URL from CONVEX_DEPLOYMENT", map[string]string{".env.local": "CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: x, project: y\n"},
			[]string{CodeNoAuthConfig, CodeNoPublishableKey}},
		{"prod deployment", map[string]string{".env.local": "CONVEX_DEPLOYMENT=prod:polite-yak-404\n"},
			[]string{CodeNoAuthConfig, CodeNoPublishableKey}},
		{"local deployment has no cloud URL", map[string]string{".env.local": "CONVEX_DEPLOYMENT=local:local-jane-demo\n"},
			[]string{CodeNoAuthConfig, CodeNoPublishableKey, CodeNoDeploymentURL}},
		{"an empty URL falls back to CONVEX_DEPLOYMENT", map[string]string{".env.local": "CONVEX_DEPLOYMENT=dev:happy-animal-123\nVITE_CONVEX_URL=\n"},
			[]string{CodeNoAuthConfig, CodeNoPublishableKey}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := all(load(t, writeProject(t, tt.files), nil, nil))
			if got := codes(fs); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("findings %v, want %v", got, tt.want)
			}
			checkFindings(t, fs)
		})
	}
}

// TestProjectLeavesQuietFindingsOut: what breaks nothing is not shown
// before the flow.
func TestProjectLeavesQuietFindingsOut(t *testing.T) {
	p := load(t, filepath.Join(fixtures, "jwks-url-as-domain"), nil, nil)
	if got := codes(Project(p)); strings.Join(got, ",") != CodeDomainIsJWKSURL {
		t.Errorf("Project shows %v, want only %s", got, CodeDomainIsJWKSURL)
	}
	if Project(nil) != nil {
		t.Error("no project has findings")
	}
}

// TestOtherSignInProvider: a project that signs in with Auth0, WorkOS
// AuthKit or Convex Auth is taken for what it is, from its dependency or
// its auth config alone, and is never told to set a Clerk publishable key.
func TestOtherSignInProvider(t *testing.T) {
	tests := []struct {
		name, pkg, config string
		want              provider.ID
	}{
		{"auth0 by dependency and domain", `{"dependencies":{"@auth0/auth0-react":"^2","convex":"^1","vite":"^6","react":"^19"}}`,
			`export default { providers: [{ domain: "https://dev-abc123.us.auth0.com/", applicationID: "yourClientId" }] };`, provider.Auth0},
		{"convex auth by its site URL", `{"dependencies":{"@convex-dev/auth":"^0.0.80","convex":"^1"}}`,
			`export default { providers: [{ domain: process.env.CONVEX_SITE_URL, applicationID: "convex" }] };`, provider.ConvexAuth},
		{"workos by its issuer alone", `{"dependencies":{"convex":"^1"}}`,
			`export default { providers: [{ type: "customJwt", issuer: "https://api.workos.com/", algorithm: "RS256", jwks: "https://api.workos.com/sso/jwks/client_123", applicationID: "client_123" }] };`, provider.WorkOS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeProject(t, map[string]string{"package.json": tt.pkg, "convex/auth.config.ts": tt.config})
			p := load(t, root, nil, nil)
			if p.Provider.ID != tt.want || len(p.Provider.Seen) == 0 {
				t.Fatalf("Provider = %s (%v), want %s", p.Provider.ID, p.Provider.Seen, tt.want)
			}
			for _, f := range Project(p) {
				if f.Code == CodeNoPublishableKey {
					t.Errorf("no-publishable-key in a %s project: %s", tt.want, text(f))
				}
			}
		})
	}
	// A Clerk project, even one without its key yet, is Clerk's.
	clerkOnly := writeProject(t, map[string]string{"package.json": `{"dependencies":{"@clerk/clerk-react":"^5","convex":"^1"}}`,
		"convex/auth.config.ts": `export default { providers: [{ domain: process.env.CLERK_JWT_ISSUER_DOMAIN, applicationID: "convex" }] };`})
	if p := load(t, clerkOnly, nil, nil); p.Provider.ID != provider.Clerk {
		t.Errorf("a Clerk project taken for %s", p.Provider.ID)
	}
}
