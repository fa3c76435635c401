package project

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/convex/rules"
)

// fuzzSeeds are auth configs from the fixtures and the reader tests' shapes.
func fuzzSeeds(t testing.TB) []string {
	seeds := []string{
		`const authConfig = { providers: [ { domain: process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: "convex" } ] }; export default authConfig;`,
		"export default { providers: [{ domain: `https://${x}`, applicationID: 'convex' }] } satisfies AuthConfig",
		`export default { providers: [{ domain: process.env.A || process.env["B"] ?? "c", applicationID: "\u00e9\x41" }] };`,
		"/* {\n * domain: \"x\",\n */ export default { providers: [ // {\n // domain: process.env.X,\n ] };",
		`export default ({ providers: [({ type: "customJwt", issuer: "i", jwks: "data:text/plain;base64,e30=", algorithm: "RS256", x: { y: [1, -2, null, undefined] } })] }) as const;`,
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "convex", "auth.config.*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, string(data))
	}
	return seeds
}

// FuzzReadAuthConfig checks that the reader never panics or hangs on any
// file: it returns providers whose places are inside the input, or a
// *ReadError naming a place in the file, or Convex's own push error; a
// script that does not finish is stopped by the interrupt.
func FuzzReadAuthConfig(f *testing.F) {
	// A shorter interrupt keeps the fuzzer busy with new inputs; it must
	// fire all the same.
	defer func(d time.Duration) { evalTimeout = d }(evalTimeout)
	evalTimeout = 100 * time.Millisecond
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Add("while (true) {}\nexport default {};")
	f.Add("export default { providers: [\"x\".repeat(2 ** 31)] };")
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 16<<10 {
			t.Skip("bounded input")
		}
		start := time.Now()
		defer func() {
			// The file and its comments each get one evaluation budget;
			// only a builtin that ignores the interrupt adds the grace.
			if d := time.Since(start); d > 2*(evalTimeout+evalGrace)+2*time.Second {
				t.Fatalf("reading took %v", d)
			}
		}()
		cfg, err := readSrc(t, src)
		lines := 1 + strings.Count(src, "\n") + strings.Count(src, "\r") + strings.Count(src, "\u2028") + strings.Count(src, "\u2029")
		var re *ReadError
		var ce *rules.ConfigError
		switch {
		case errors.As(err, &re):
			if re.Pos.File == "" || re.Pos.Line < 1 || re.Pos.Col < 1 {
				t.Fatalf("error without a place: %v", re)
			}
			if re.Pos.File == "convex/auth.config.ts" && re.Pos.Line > lines {
				t.Fatalf("error position %v outside the input (%d lines)", re.Pos, lines)
			}
			_ = re.Error()
		case errors.As(err, &ce):
		case err != nil:
			t.Fatalf("unexpected error type %T: %v", err, err)
		default:
			for _, p := range cfg.Providers {
				for _, fld := range p.Fields {
					if fld.Pos.Line < 1 || fld.Pos.File == "convex/auth.config.ts" && fld.Pos.Line > lines {
						t.Fatalf("field %+v outside the input", fld)
					}
				}
			}
		}
		for _, c := range commentedProviders(t.TempDir(), newSrcText("convex/auth.config.ts", src)) {
			if c.Pos.Line < 1 || c.EndLine < c.Pos.Line || c.EndLine > lines {
				t.Fatalf("commented-out provider lines %d–%d outside the input (%d lines)", c.Pos.Line, c.EndLine, lines)
			}
		}
	})
}

// FuzzParseDotenv checks that the dotenv reader never panics and reports
// lines inside the input.
func FuzzParseDotenv(f *testing.F) {
	f.Add("CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: x, project: y\nVITE_CONVEX_URL=https://happy-animal-123.convex.cloud\n")
	f.Add("export A='x'\nB=\"multi\nline\" # c\nC=`t`\nD: e\n#F=g\n")
	f.Add("A=\"\\\"\nB='\r\nC=\\")
	f.Fuzz(func(t *testing.T, src string) {
		lines := 1 + strings.Count(src, "\n") + strings.Count(src, "\r")
		for name, e := range parseDotenv(src) {
			if name == "" || e.Line < 1 || e.Line > lines {
				t.Fatalf("%q at line %d outside the input (%d lines)", name, e.Line, lines)
			}
		}
	})
}

// TestPathologicalInputs feeds inputs shaped to make a careless reader
// quadratic or deeply recursive. They must finish (the test binary's
// timeout would catch a hang) and fail or succeed cleanly.
func TestPathologicalInputs(t *testing.T) {
	big := func(unit string) string { return strings.Repeat(unit, (maxBundleInput-64)/len(unit)) }
	configs := map[string]string{
		"many block comments on one line": big("/**/"),
		"many line comments":              big("//{ domain:\n"),
		"many opening parens":             "export default " + big("("),
		"many opening braces":             "export default " + big("{"),
		"many brackets":                   "export default { providers: " + big("["),
		"unterminated block comment":      "/*" + big("x"),
		"unterminated template":           "`" + big("x"),
		"many providers":                  "export default { providers: [" + big(`{domain:"a.b",applicationID:"c"},`) + "] };",
		"many env reads":                  "export default { providers: [" + big(`{domain:process.env.A,applicationID:"c"},`) + "] };",
		"long import":                     "import " + big("a,") + " from 'x';",
		"long type arguments":             "const a: T<" + big("U<") + " = {providers: []}; export default a;",
	}
	for name, src := range configs {
		t.Run(name, func(t *testing.T) {
			_, _ = readSrc(t, src)
			_ = commentedProviders(t.TempDir(), newSrcText("a.ts", src))
		})
	}
	dotenvs := map[string]string{
		"many unterminated quotes": strings.Repeat("A=\"\n", maxDotenv/4),
		"quote closed at the end":  strings.Repeat("A='\n", maxDotenv/4-1) + "'",
		"many escaped quotes":      "A=\"" + strings.Repeat(`\"`, maxDotenv/2-4),
	}
	for name, src := range dotenvs {
		t.Run(name, func(t *testing.T) {
			_ = parseDotenv(src)
		})
	}
}

// FuzzLoad runs the whole reading of a project (evaluation, dotenv,
// framework, resolution, push checks) on hostile files: it must not
// panic. The findings flow/diagnose draws from them are fuzzed there.
func FuzzLoad(f *testing.F) {
	seeds := fuzzSeeds(f)
	env := "CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: x\nVITE_CLERK_PUBLISHABLE_KEY=pk_test_YnJhdmUtb3R0ZXItMTIuY2xlcmsuYWNjb3VudHMuZGV2JA\nCLERK_JWT_ISSUER_DOMAIN=https://a.example.com/\n"
	for _, s := range seeds {
		f.Add(s, env, `{"dependencies": {"next": "16"}}`)
	}
	f.Add("export default { providers: [{ domain: process.env[\"\\u001b[31m\"], applicationID: \"\\u202e\" }] };", "\x1b[31m=\x07\nVITE_CLERK_PUBLISHABLE_KEY=pk_live_\u202e", `{}`)
	f.Fuzz(func(t *testing.T, config, dotenv, pkg string) {
		root := t.TempDir()
		if err := os.Mkdir(filepath.Join(root, "convex"), 0o755); err != nil {
			t.Fatal(err)
		}
		for name, content := range map[string]string{"convex/auth.config.ts": config, ".env.local": dotenv, "package.json": pkg} {
			if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p, err := Load(root, nil, nil)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if p.ConfigErr != nil {
			_ = p.ConfigErr.Error()
		}
	})
}
