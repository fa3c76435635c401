package project

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/convex/rules"
)

// noEnv is a lookup that knows no variable: every read is a placeholder.
func noEnv(string) (string, bool) { return "", false }

// readSrc writes src as convex/auth.config.ts (plus extra files) in a
// fresh project and reads it with no variable known.
func readSrc(t testing.TB, src string, extra ...string) (*AuthConfigFile, error) {
	t.Helper()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "convex", "auth.config.ts"), src)
	for i := 0; i+1 < len(extra); i += 2 {
		writeFile(t, filepath.Join(root, filepath.FromSlash(extra[i])), extra[i+1])
	}
	return ReadAuthConfig(root, "convex/auth.config.ts", noEnv)
}

// showValue writes a value for comparison: "lit" for a string, $NAME for
// a variable read as is, ${NAME} inside a string built from one, and
// <json> for a value that is not a string.
func showValue(f *AuthConfigFile, fs FieldSource) string {
	if fs.NotString {
		return "<" + fs.Value + ">"
	}
	if m := placeholderRE.FindStringSubmatch(fs.Value); m != nil && m[0] == fs.Value {
		i, _ := strconv.Atoi(m[1])
		return "$" + f.Unknown[i]
	}
	return strconv.Quote(expandPlaceholders(fs.Value, f.Unknown, func(n string) string { return "${" + n + "}" }))
}

// provSummary flattens a provider to key=value pairs, then +key for each
// key Convex does not know.
func provSummary(f *AuthConfigFile, p ProviderSource) string {
	var parts []string
	for _, fs := range p.Fields {
		parts = append(parts, fs.Key+"="+showValue(f, fs))
	}
	for _, k := range p.OtherKeys {
		parts = append(parts, "+"+k)
	}
	return strings.Join(parts, ",")
}

func summary(f *AuthConfigFile) []string {
	var out []string
	for _, p := range f.Providers {
		out = append(out, provSummary(f, p))
	}
	return out
}

// TestReadAuthConfigForms: every form the old hand-written reader accepted
// still reads the same, and the forms it refused that Convex accepts now
// read as Convex evaluates them.
func TestReadAuthConfigForms(t *testing.T) {
	clerk := `domain=$CLERK_JWT_ISSUER_DOMAIN,applicationID="convex"`
	tests := []struct {
		name  string
		src   string
		want  []string
		extra []string
	}{
		{"const then export (Convex Clerk guide)", `const authConfig = { providers: [ { domain: process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: "convex" } ] }; export default authConfig;`, []string{clerk}, nil},
		{"export default satisfies with import", "import { AuthConfig } from \"convex/server\";\n\nexport default {\n  providers: [\n    {\n      domain: process.env.CLERK_JWT_ISSUER_DOMAIN!,\n      applicationID: \"convex\",\n    },\n  ]\n} satisfies AuthConfig;\n", []string{clerk}, nil},
		{"import type, single quotes, no semicolons", "import type { AuthConfig } from 'convex/server'\nexport default {\n  providers: [\n    { domain: process.env.CLERK_JWT_ISSUER_DOMAIN, applicationID: 'convex' },\n  ],\n} satisfies AuthConfig\n", []string{clerk}, nil},
		{"typed const", `import { AuthConfig } from "convex/server"; const authConfig: AuthConfig = { providers: [{ domain: process.env.CLERK_JWT_ISSUER_DOMAIN, applicationID: "convex" }] }; export default authConfig satisfies AuthConfig;`, []string{clerk}, nil},
		{"as const and as string", `export default { providers: [{ domain: process.env.CLERK_JWT_ISSUER_DOMAIN as string, applicationID: "convex" as const }] } as const;`, []string{clerk}, nil},
		{"bracket env read", `export default { providers: [{ domain: process.env["CLERK_JWT_ISSUER_DOMAIN"]!, applicationID: "convex" }] };`, []string{clerk}, nil},
		{"bracket env read single quotes", `export default { providers: [{ domain: process.env['CLERK_JWT_ISSUER_DOMAIN'], applicationID: "convex" }] };`, []string{clerk}, nil},
		{"quoted keys", `export default { "providers": [{ "domain": process.env.CLERK_JWT_ISSUER_DOMAIN, 'applicationID': "convex" }] };`, []string{clerk}, nil},
		{"template literal without substitution", "export default { providers: [{ domain: `https://a.clerk.accounts.dev`, applicationID: `convex` }] };", []string{`domain="https://a.clerk.accounts.dev",applicationID="convex"`}, nil},
		{"escapes in strings", `export default { providers: [{ domain: "https:\/\/a.example.com\u002Fx", applicationID: 'it\'s' }] };`, []string{`domain="https://a.example.com/x",applicationID="it's"`}, nil},
		{"trailing commas everywhere", "export default {\n providers: [\n  {\n   domain: \"https://a.example.com\",\n   applicationID: \"convex\",\n  },\n ],\n};", []string{`domain="https://a.example.com",applicationID="convex"`}, nil},
		{"empty providers", `export default { providers: [] };`, nil, nil},
		{"custom jwt", `export default { providers: [{ type: "customJwt", applicationID: "my-app", issuer: "https://issuer.example.com", jwks: "https://issuer.example.com/.well-known/jwks.json", algorithm: "RS256" }] };`,
			[]string{`type="customJwt",applicationID="my-app",issuer="https://issuer.example.com",jwks="https://issuer.example.com/.well-known/jwks.json",algorithm="RS256"`}, nil},
		{"several providers", `export default { providers: [ { domain: "https://a.example.com", applicationID: "convex" }, { domain: process.env.AUTH0_DOMAIN, applicationID: process.env.AUTH0_CLIENT_ID } ] };`,
			[]string{`domain="https://a.example.com",applicationID="convex"`, `domain=$AUTH0_DOMAIN,applicationID=$AUTH0_CLIENT_ID`}, nil},
		// A variable authscope does not know is assumed set (Convex
		// throws for an unset one), so a chain stops at it.
		{"fallback chains", `export default { providers: [{ domain: process.env.CLERK_FRONTEND_API_URL || process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: process.env.APP_ID ?? "convex" }] };`,
			[]string{`domain=$CLERK_FRONTEND_API_URL,applicationID=$APP_ID`}, nil},
		{"unknown key is kept", `export default { providers: [{ domain: "https://a.example.com", applicationId: "convex" }] };`, []string{`domain="https://a.example.com",+applicationId`}, nil},
		{"unknown key with any literal", `export default { providers: [{ domain: "https://a.example.com", applicationID: "convex", debug: true, extra: { a: [1, -2, null] } }], other: 3 };`,
			[]string{`domain="https://a.example.com",applicationID="convex",+debug,+extra`}, nil},
		{"repeated key keeps the last", `export default { providers: [{ domain: "https://a.example.com", domain: "https://b.example.com", applicationID: "convex" }] };`, []string{`domain="https://b.example.com",applicationID="convex"`}, nil},
		{"parenthesised object", `export default ({ providers: [({ domain: "https://a.example.com", applicationID: "convex" })] });`, []string{`domain="https://a.example.com",applicationID="convex"`}, nil},
		{"export list as default", `const authConfig = { providers: [] }; export { authConfig as default };`, nil, nil},
		{"export const then default", `export const authConfig = { providers: [] }; export default authConfig;`, nil, nil},
		{"comments everywhere", "/* header */ // line\nexport /* a */ default /* b */ { // c\n providers /* d */ : /* e */ [ /* f */\n  { /* g */ domain /* h */ : /* i */ \"https://a.example.com\" /* j */ , // k\n    applicationID: \"convex\" } // l\n ] /* m */ } /* n */ ; // o", []string{`domain="https://a.example.com",applicationID="convex"`}, nil},
		{"BOM, CRLF and use strict", "\uFEFF\"use strict\";\r\nexport default {\r\n  providers: [],\r\n};\r\n", nil, nil},
		{"side-effect import", `import "./polyfill"; export default { providers: [] };`, nil, []string{"convex/polyfill.ts", "export {};\n"}},
		{"unicode in strings", `export default { providers: [{ domain: "https://bücher.example", applicationID: "🔑" }] };`, []string{`domain="https://bücher.example",applicationID="🔑"`}, nil},
		// Refused by the old reader, accepted by Convex.
		{"template with substitution", "export default { providers: [{ domain: `https://${process.env.HOST}`, applicationID: \"convex\" }] };", []string{`domain="https://${HOST}",applicationID="convex"`}, nil},
		{"concatenation", `export default { providers: [{ domain: "https://" + process.env.HOST, applicationID: "convex" }] };`, []string{`domain="https://${HOST}",applicationID="convex"`}, nil},
		{"other variable", "const issuer = process.env.CLERK_JWT_ISSUER_DOMAIN;\nexport default { providers: [{ domain: issuer, applicationID: \"convex\" }] };", []string{clerk}, nil},
		{"helper function", "function clerk(domain: string) {\n  return { domain, applicationID: \"convex\" };\n}\nexport default { providers: [clerk(process.env.CLERK_JWT_ISSUER_DOMAIN!)] };", []string{clerk}, nil},
		{"provider imported from another file", "import { clerkProvider } from \"./clerk\";\nexport default { providers: [clerkProvider] };", []string{clerk},
			[]string{"convex/clerk.ts", "export const clerkProvider = { domain: process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: \"convex\" };\n"}},
		{"spread of an imported list", "import { base } from \"./base\";\nexport default { providers: [...base] };", []string{clerk},
			[]string{"convex/base.ts", "export const base = [{ domain: process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: \"convex\" }];\n"}},
		{"spread into a provider", "const clerk = { domain: process.env.CLERK_JWT_ISSUER_DOMAIN! };\nexport default { providers: [{ ...clerk, applicationID: \"convex\" }] };", []string{clerk}, nil},
		{"method call on env", `export default { providers: [{ domain: process.env.HOST.trim(), applicationID: "convex" }] };`, []string{`domain=$HOST,applicationID="convex"`}, nil},
		{"optional chaining on env", `export default { providers: [{ domain: process.env?.HOST, applicationID: "convex" }] };`, []string{`domain=$HOST,applicationID="convex"`}, nil},
		{"function statement", "function f() {}\nexport default { providers: [] };", nil, nil},
		{"getter", `export default { providers: [{ get domain() { return "https://x.example.com" }, applicationID: "convex" }] };`, []string{`domain="https://x.example.com",applicationID="convex"`}, nil},
		{"providers twice keeps the last", `export default { providers: [{ domain: "https://a.example.com", applicationID: "convex" }], providers: [] };`, nil, nil},
		{"CommonJS module.exports", `module.exports = { providers: [{ domain: "https://a.example.com", applicationID: "convex" }] };`, []string{`domain="https://a.example.com",applicationID="convex"`}, nil},
		{"NODE_ENV is production", `export default { providers: [{ domain: process.env.NODE_ENV === "production" ? "https://p.example.com" : "https://d.example.com", applicationID: "convex" }] };`, []string{`domain="https://p.example.com",applicationID="convex"`}, nil},
		{"a number is kept for the push check", `export default { providers: [{ domain: "https://a.example.com", applicationID: 42 }] };`, []string{`domain="https://a.example.com",applicationID=<42>`}, nil},
		{"undefined drops the key", `export default { providers: [{ domain: undefined, applicationID: "convex" }] };`, []string{`applicationID="convex"`}, nil},
		{"new Date with a time is allowed", `export default { providers: [{ domain: "https://a.example.com", applicationID: String(new Date(0).getTime()) }] };`, []string{`domain="https://a.example.com",applicationID="0"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := readSrc(t, tt.src, tt.extra...)
			if err != nil {
				t.Fatalf("ReadAuthConfig: %v", err)
			}
			if got := summary(f); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("providers:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestReadAuthConfigPositions(t *testing.T) {
	src := "import { AuthConfig } from \"convex/server\";\n" + // 1
		"\n" + // 2
		"export default {\n" + // 3
		"  providers: [\n" + // 4
		"    {\n" + // 5
		"      domain: process.env.CLERK_JWT_ISSUER_DOMAIN!,\n" + // 6
		"\tapplicationID: \"convex\",\n" + // 7: a tab counts as one column
		"    },\n" +
		"  ],\n" +
		"} satisfies AuthConfig;\n"
	f, err := readSrc(t, src)
	if err != nil {
		t.Fatal(err)
	}
	p := f.Providers[0]
	if p.Pos != (Pos{"convex/auth.config.ts", 5, 5}) {
		t.Errorf("provider pos = %v, want convex/auth.config.ts:5:5", p.Pos)
	}
	d, _ := p.Field("domain")
	if d.Pos != (Pos{"convex/auth.config.ts", 6, 7}) || d.Expr != "process.env.CLERK_JWT_ISSUER_DOMAIN!" {
		t.Errorf("domain at %v as %q, want 6:7 as process.env.CLERK_JWT_ISSUER_DOMAIN!", d.Pos, d.Expr)
	}
	a, _ := p.Field("applicationID")
	if a.Pos != (Pos{"convex/auth.config.ts", 7, 2}) || a.Expr != `"convex"` {
		t.Errorf("applicationID at %v as %q, want 7:2", a.Pos, a.Expr)
	}
	if len(f.Reads) != 1 || f.Reads[0].Name != "CLERK_JWT_ISSUER_DOMAIN" || f.Reads[0].Pos.Line != 6 {
		t.Errorf("reads %+v", f.Reads)
	}
}

// TestFieldPlacesAcrossFiles: a provider written in an imported file, or
// by a helper, is placed where its keys are written.
func TestFieldPlacesAcrossFiles(t *testing.T) {
	f, err := readSrc(t, "import { clerk } from \"./lib/clerk\";\n\nexport default {\n  providers: [clerk(process.env.CLERK_HOST!)],\n};\n",
		"convex/lib/clerk.ts", "export function clerk(host: string) {\n  return {\n    domain: `https://${host}`,\n    applicationID: \"convex\",\n  };\n}\n")
	if err != nil {
		t.Fatal(err)
	}
	p := f.Providers[0]
	d, _ := p.Field("domain")
	if d.Pos.Where() != "convex/lib/clerk.ts:3" || d.Expr != "`https://${host}`" || strings.Join(d.Reads, ",") != "CLERK_HOST" {
		t.Errorf("domain %+v", d)
	}
	if p.Pos.Where() != "convex/lib/clerk.ts:2" {
		t.Errorf("provider at %v", p.Pos)
	}
	if strings.Join(f.Inputs, ",") != "convex/auth.config.ts,convex/lib/clerk.ts" {
		t.Errorf("inputs %v", f.Inputs)
	}
}

// TestReadAuthConfigErrors: what the old reader refused and Convex
// refuses too fails here, with the file and the place.
func TestReadAuthConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		kind ReadErrorKind
		pos  string // file:line:col
		msg  string // substring of the message
	}{
		{"function call", "export default {\n  providers: [\n    { domain: getIssuer(), applicationID: \"convex\" },\n  ],\n};", ReadThrow, "convex/auth.config.ts:3:15", "getIssuer is not defined"},
		{"spread of an undefined list", "export default {\n  providers: [...clerkProviders],\n};", ReadThrow, "convex/auth.config.ts:2:18", "clerkProviders is not defined"},
		{"spread of an undefined config", "export default { ...base, providers: [] };", ReadThrow, "convex/auth.config.ts:1:21", "base is not defined"},
		{"variable as value", "export default { providers: [{ domain: issuer, applicationID: \"convex\" }] };", ReadThrow, "convex/auth.config.ts:1:40", "issuer is not defined"},
		{"shorthand property", "export default { providers };", ReadThrow, "convex/auth.config.ts:1:18", "providers is not defined"},
		{"conditional on a variable", "export default { providers: [{ domain: isProd ? \"a\" : \"b\", applicationID: \"convex\" }] };", ReadThrow, "convex/auth.config.ts:1:40", "isProd is not defined"},
		{"mixed || and ??", "export default { providers: [{ domain: process.env.A || process.env.B ?? \"c\", applicationID: \"convex\" }] };", ReadBundle, "convex/auth.config.ts:1:71", "??"},
		{"import.meta.env", "export default { providers: [{ domain: import.meta.env.VITE_X, applicationID: \"convex\" }] };", ReadThrow, "convex/auth.config.ts:1:", "VITE_X"},
		{"export of undeclared", "export default authConfig;", ReadThrow, "convex/auth.config.ts:1:16", "authConfig is not defined"},
		{"unclosed string", "export default { providers: [{ domain: \"https://a.example.com }] };\n", ReadBundle, "convex/auth.config.ts:1:68", "Unterminated string"},
		{"lexing error after a complete config", "export default { providers: [] };\n'oops", ReadBundle, "convex/auth.config.ts:2:6", "Unterminated string"},
		{"unclosed block comment", "export default { providers: [] }; /* oops", ReadBundle, "convex/auth.config.ts:1:", "comment"},
		{"unclosed object", "export default { providers: [\n", ReadBundle, "convex/auth.config.ts:2:1", "Unexpected end of file"},
		{"stray character", "export default { providers: [] }; \\", ReadBundle, "convex/auth.config.ts:1:36", "Unexpected end of file"},
		{"second export default", "export default { providers: [] };\nexport default { providers: [] };", ReadBundle, "convex/auth.config.ts:2:", "default"},
		{"computed key", "export default { providers: [{ [key]: \"x\" }] };", ReadThrow, "convex/auth.config.ts:1:33", "key is not defined"},
		{"octal escape", "export default { providers: [{ domain: \"\\1\", applicationID: \"convex\" }] };", ReadBundle, "convex/auth.config.ts:1:41", "octal"},
		{"missing import", "import { x } from \"./nowhere\";\nexport default { providers: [x] };", ReadBundle, "convex/auth.config.ts:1:19", "Could not resolve"},
		{"node builtin", "import { readFileSync } from \"fs\";\nexport default { providers: [readFileSync(\"/etc/passwd\", \"utf8\")] };", ReadBundle, "convex/auth.config.ts:1:30", "Could not resolve"},
		{"throws", "if (!process.env.CLERK_JWT_ISSUER_DOMAIN) {\n  throw new Error(\"CLERK_JWT_ISSUER_DOMAIN is not set\");\n}\nthrow new Error(`bad issuer ${process.env.CLERK_JWT_ISSUER_DOMAIN}`);\n", ReadThrow, "convex/auth.config.ts:4:7", "Uncaught Error: bad issuer ${process.env.CLERK_JWT_ISSUER_DOMAIN}"},
		{"Math.random", "export default { providers: [{ domain: String(Math.random()), applicationID: \"convex\" }] };", ReadThrow, "convex/auth.config.ts:1:", "Math.random unsupported when evaluating auth config file"},
		{"Date.now", "export default { providers: [{ domain: String(Date.now()), applicationID: \"convex\" }] };", ReadThrow, "convex/auth.config.ts:1:", "Date unsupported when evaluating auth config file"},
		{"require", "const fs = require(\"node:fs\");\nexport default { providers: [] };", ReadBundle, "convex/auth.config.ts:1:", "Could not resolve"},
		{"fetch", "export default { providers: [fetch(\"https://example.com\")] };", ReadThrow, "convex/auth.config.ts:1:30", "fetch is not defined"},
		{"URL is a web API", "export default { providers: [{ domain: new URL(\"https://a.example.com\").origin, applicationID: \"convex\" }] };", ReadThrow, "convex/auth.config.ts:1:", "without web APIs"},
		{"invalid variable name", "export default { providers: [{ domain: process.env[\"NOT-A-NAME\"], applicationID: \"convex\" }] };", ReadThrow, "convex/auth.config.ts:1:", "The environment variable name NOT-A-NAME is invalid."},
		{"deep recursion", "function f(n: number): number { return f(n + 1); }\nexport default { providers: [f(0)] };", ReadThrow, "convex/auth.config.ts:1:", "Maximum call stack size exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readSrc(t, tt.src)
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a *ReadError", err)
			}
			if re.Kind != tt.kind || !strings.HasPrefix(re.Pos.String(), tt.pos) || !strings.Contains(re.Msg, tt.msg) {
				t.Errorf("got %s at %v: %q, want %s at %s containing %q", re.Kind, re.Pos, re.Msg, tt.kind, tt.pos, tt.msg)
			}
			if !strings.HasPrefix(re.Error(), "convex/auth.config.ts:") {
				t.Errorf("error does not name the file: %q", re.Error())
			}
		})
	}
}

// TestConvexShapeErrors: configs that evaluate but that Convex refuses
// for their shape get Convex's own message.
func TestConvexShapeErrors(t *testing.T) {
	tests := []struct {
		name, src, msg string
	}{
		{"function export", "export default function config() { return { providers: [] }; }", "auth config file must include a list of provider credentials: expected value "},
		{"unexported object", "const authConfig = { providers: [] };", msgMissingExport},
		{"no export at all", "// nothing here\n", msgMissingExport},
		{"providers is not a list", `export default { providers: "clerk" };`, "auth config file must include a list of provider credentials: invalid type: string \"clerk\", expected a sequence "},
		{"default export is a string", `export default "x";`, "auth config file must include a list of provider credentials: invalid type: string \"x\", expected struct SerializedAuthConfig "},
		{"a BigInt cannot be serialised", `export default { providers: [], n: 1n };`, msgUnserializable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readSrc(t, tt.src)
			var ce *rules.ConfigError
			if !errors.As(err, &ce) || ce.Message != tt.msg {
				t.Errorf("err = %v, want %q", err, tt.msg)
			}
		})
	}
}

// TestDependsOn: a value chosen by a condition on an unknown variable is
// not taken for known, and a variable no field accounts for is undecided.
func TestDependsOn(t *testing.T) {
	f, err := readSrc(t, "export default { providers: [{ domain: process.env.PROD ? \"https://a.example.com\" : \"https://b.example.com\", applicationID: \"convex\" }] };")
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := f.Providers[0].Field("domain"); strings.Join(d.DependsOn, ",") != "PROD" {
		t.Errorf("domain %+v", d)
	}
	f, err = readSrc(t, "const env = process.env.STAGE;\nexport default { providers: env === \"prod\" ? [] : [] };")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(f.Undecided, ",") != "STAGE" {
		t.Errorf("undecided %v", f.Undecided)
	}
	f, err = readSrc(t, "export default { providers: [], debug: process.env.DEBUG };")
	if err != nil || len(f.Undecided) != 0 {
		t.Errorf("a read for a key Convex ignores: %v %v", f.Undecided, err)
	}
}

func TestReadErrorIsEscapedAndCut(t *testing.T) {
	_, err := readSrc(t, "throw new Error(\"\\u001b[31m\" + \"x\".repeat(5000));\nexport default {};")
	if err == nil {
		t.Fatal("want an error")
	}
	if s := err.Error(); strings.ContainsRune(s, 0x1b) || len(s) > 600 {
		t.Errorf("error message carries a raw escape or is not cut: %q", s)
	}
}

func TestCommentedOutProviders(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		want      int
		line, end int
		fields    string
	}{
		{"template line comments", `const authConfig = {
  providers: [
    // Uncomment this once you have set up a Clerk app
    // {
    //   // Replace with your own Clerk Issuer URL from your "convex" JWT template
    //   domain: process.env.CLERK_JWT_ISSUER_DOMAIN,
    //   applicationID: "convex",
    // },
  ],
};
export default authConfig;
`, 1, 4, 8, `domain=${process.env.CLERK_JWT_ISSUER_DOMAIN},applicationID=convex`},
		{"block comment", "export default {\n  providers: [\n    /* {\n     *   domain: \"https://a.example.com\",\n     *   applicationID: \"convex\",\n     * }, */\n  ],\n};\n", 1, 3, 6, `domain=https://a.example.com,applicationID=convex`},
		{"inner lines only", "export default {\n  providers: [\n    // domain: process.env.CLERK_JWT_ISSUER_DOMAIN,\n    // applicationID: \"convex\",\n  ],\n};\n", 1, 3, 4, ""},
		{"prose comment is not a provider", "// Set the issuer on the dashboard, see the docs.\nexport default { providers: [] };\n", 0, 0, 0, ""},
		{"trailing comment is not a provider", "export default { providers: [] }; // domain: old.example.com\n", 0, 0, 0, ""},
		{"two blocks", "export default {\n  providers: [\n    // { domain: \"https://a.example.com\", applicationID: \"convex\" },\n\n    // { domain: \"https://b.example.com\", applicationID: \"convex\" },\n  ],\n};\n", 2, 3, 3, `domain=https://a.example.com,applicationID=convex`},
		{"comment markers inside strings are not comments", "export default { providers: [{ domain: \"https://a.example.com//{ domain: x }\", applicationID: '/* {' }] }; // trailing\n", 0, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := commentedProviders(t.TempDir(), newSrcText("convex/auth.config.ts", tt.src))
			if len(got) != tt.want {
				t.Fatalf("commented-out providers = %d, want %d: %+v", len(got), tt.want, got)
			}
			if tt.want == 0 {
				return
			}
			c := got[0]
			if c.Pos.Line != tt.line || c.EndLine != tt.end {
				t.Errorf("lines %d–%d, want %d–%d", c.Pos.Line, c.EndLine, tt.line, tt.end)
			}
			var fields []string
			for _, f := range c.Fields {
				fields = append(fields, f.Key+"="+f.Value)
			}
			if strings.Join(fields, ",") != tt.fields {
				t.Errorf("fields %q, want %q", strings.Join(fields, ","), tt.fields)
			}
			if tt.fields != "" && c.Fields[0].Pos.Line <= c.Pos.Line-1 {
				t.Errorf("field line %d not mapped to the file", c.Fields[0].Pos.Line)
			}
		})
	}
}

// TestInvalidUTF8AtTheEnd: a file that ends inside a UTF-8 sequence reads
// (esbuild's copy of the text in its source map never finishes there).
func TestInvalidUTF8AtTheEnd(t *testing.T) {
	for _, src := range []string{"export default { providers: [] };\n// \xe5", "export default { providers: [\"\xe5\"] };"} {
		if _, err := readSrc(t, src); err != nil && !strings.Contains(err.Error(), "provider credentials") {
			t.Errorf("%q: %v", src, err)
		}
	}
}

// TestLargeInputs: deep nesting and a file over the cap end cleanly.
func TestLargeInputs(t *testing.T) {
	deep := "export default { providers: [{ domain: \"a.example.com\", applicationID: \"convex\", x: " +
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + " }] };"
	parens := "export default { providers: [{ domain: " + strings.Repeat("(", 10000) + "\"a\"" + strings.Repeat(")", 10000) + ", applicationID: \"convex\" }] };"
	for _, src := range []string{deep, parens} {
		if _, err := readSrc(t, src); err == nil || !strings.Contains(err.Error(), "nests brackets more than 1000 deep") {
			t.Errorf("deep nesting: err = %v", err)
		}
	}
	big := "export default { providers: [] };\n//" + strings.Repeat("x", maxBundleInput)
	var re *ReadError
	if _, err := readSrc(t, big); !errors.As(err, &re) || !strings.Contains(re.Msg, "at most") {
		t.Errorf("a file over the cap: %v", err)
	}
}

func TestCommentedOutLineEndings(t *testing.T) {
	for _, nl := range []string{"\n", "\r\n", "\r"} {
		src := strings.Join([]string{"export default {", "  providers: [", "    /*", "    {", "      domain: \"https://a.example.com\",", "      applicationID: \"convex\",", "    }", "    */", "  ],", "};"}, nl)
		got := commentedProviders(t.TempDir(), newSrcText("a.ts", src))
		if len(got) != 1 || got[0].Pos.Line != 4 || got[0].EndLine != 8 || len(got[0].Fields) != 2 || got[0].Fields[0].Pos.Line != 5 {
			t.Errorf("%q: %+v", nl, got)
		}
	}
}

// TestEvalTimeout: a config that never finishes is stopped.
func TestEvalTimeout(t *testing.T) {
	defer func(d time.Duration) { evalTimeout = d }(evalTimeout)
	evalTimeout = 200 * time.Millisecond
	for _, src := range []string{
		"while (true) {}\nexport default {};",
		"let s = \"x\";\nwhile (true) s += s;\nexport default {};",
		"export default { providers: [\"x\".repeat(2 ** 31)] };",
		"export default { providers: [new Array(2 ** 32 - 1).join(\"x\")] };",
	} {
		start := time.Now()
		_, err := readSrc(t, src)
		var re *ReadError
		if !errors.As(err, &re) || re.Kind == ReadBundle || re.Pos.Line < 1 {
			t.Errorf("%q: err = %v", src, err)
		}
		if d := time.Since(start); d > evalTimeout+evalGrace+time.Second {
			t.Errorf("%q took %v", src, d)
		}
	}
}
