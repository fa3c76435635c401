package project

import (
	"errors"
	"strings"
	"testing"
)

// provSummary flattens a parsed provider to key=value pairs for comparison:
// a string term as "lit", an env term as $NAME, chains joined by their op.
func provSummary(p ProviderSource) string {
	var parts []string
	for _, f := range p.Fields {
		var terms []string
		for _, t := range f.Value.Terms {
			switch t.Kind {
			case TermString:
				terms = append(terms, `"`+t.Literal+`"`)
			case TermEnv:
				terms = append(terms, "$"+t.Env)
			default:
				terms = append(terms, "<"+t.Text+">")
			}
		}
		parts = append(parts, f.Key+"="+strings.Join(terms, " "+f.Value.Op+" "))
	}
	return strings.Join(parts, ",")
}

func summary(f *AuthConfigFile) []string {
	var out []string
	for _, p := range f.Providers {
		out = append(out, provSummary(p))
	}
	return out
}

func TestParseAuthConfigForms(t *testing.T) {
	clerk := `domain=$CLERK_JWT_ISSUER_DOMAIN,applicationID="convex"`
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"const then export (Convex Clerk guide)", `const authConfig = { providers: [ { domain: process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: "convex" } ] }; export default authConfig;`, []string{clerk}},
		{"export default satisfies with import", "import { AuthConfig } from \"convex/server\";\n\nexport default {\n  providers: [\n    {\n      domain: process.env.CLERK_JWT_ISSUER_DOMAIN!,\n      applicationID: \"convex\",\n    },\n  ]\n} satisfies AuthConfig;\n", []string{clerk}},
		{"import type, single quotes, no semicolons", "import type { AuthConfig } from 'convex/server'\nexport default {\n  providers: [\n    { domain: process.env.CLERK_JWT_ISSUER_DOMAIN, applicationID: 'convex' },\n  ],\n} satisfies AuthConfig\n", []string{clerk}},
		{"typed const", `import { AuthConfig } from "convex/server"; const authConfig: AuthConfig = { providers: [{ domain: process.env.CLERK_JWT_ISSUER_DOMAIN, applicationID: "convex" }] }; export default authConfig satisfies AuthConfig;`, []string{clerk}},
		{"as const and as string", `export default { providers: [{ domain: process.env.CLERK_JWT_ISSUER_DOMAIN as string, applicationID: "convex" as const }] } as const;`, []string{clerk}},
		{"bracket env read", `export default { providers: [{ domain: process.env["CLERK_JWT_ISSUER_DOMAIN"]!, applicationID: "convex" }] };`, []string{clerk}},
		{"bracket env read single quotes", `export default { providers: [{ domain: process.env['CLERK_JWT_ISSUER_DOMAIN'], applicationID: "convex" }] };`, []string{clerk}},
		{"quoted keys", `export default { "providers": [{ "domain": process.env.CLERK_JWT_ISSUER_DOMAIN, 'applicationID': "convex" }] };`, []string{clerk}},
		{"template literal without substitution", "export default { providers: [{ domain: `https://a.clerk.accounts.dev`, applicationID: `convex` }] };", []string{`domain="https://a.clerk.accounts.dev",applicationID="convex"`}},
		{"escapes in strings", `export default { providers: [{ domain: "https:\/\/a.example.com\u002Fx", applicationID: 'it\'s' }] };`, []string{`domain="https://a.example.com/x",applicationID="it's"`}},
		{"trailing commas everywhere", "export default {\n providers: [\n  {\n   domain: \"https://a.example.com\",\n   applicationID: \"convex\",\n  },\n ],\n};", []string{`domain="https://a.example.com",applicationID="convex"`}},
		{"empty providers", `export default { providers: [] };`, nil},
		{"custom jwt", `export default { providers: [{ type: "customJwt", applicationID: "my-app", issuer: "https://issuer.example.com", jwks: "https://issuer.example.com/.well-known/jwks.json", algorithm: "RS256" }] };`,
			[]string{`type="customJwt",applicationID="my-app",issuer="https://issuer.example.com",jwks="https://issuer.example.com/.well-known/jwks.json",algorithm="RS256"`}},
		{"several providers", `export default { providers: [ { domain: "https://a.example.com", applicationID: "convex" }, { domain: process.env.AUTH0_DOMAIN, applicationID: process.env.AUTH0_CLIENT_ID } ] };`,
			[]string{`domain="https://a.example.com",applicationID="convex"`, `domain=$AUTH0_DOMAIN,applicationID=$AUTH0_CLIENT_ID`}},
		{"fallback chains", `export default { providers: [{ domain: process.env.CLERK_FRONTEND_API_URL || process.env.CLERK_JWT_ISSUER_DOMAIN!, applicationID: process.env.APP_ID ?? "convex" }] };`,
			[]string{`domain=$CLERK_FRONTEND_API_URL || $CLERK_JWT_ISSUER_DOMAIN,applicationID=$APP_ID ?? "convex"`}},
		{"unknown key is kept", `export default { providers: [{ domain: "https://a.example.com", applicationId: "convex" }] };`, []string{`domain="https://a.example.com",applicationId="convex"`}},
		{"unknown key with any literal", `export default { providers: [{ domain: "https://a.example.com", applicationID: "convex", debug: true, extra: { a: [1, -2, null] } }], other: 3 };`,
			[]string{`domain="https://a.example.com",applicationID="convex",debug=<true>,extra=<{ a: [1, -2, null] }>`}},
		{"repeated key keeps the last", `export default { providers: [{ domain: "https://a.example.com", domain: "https://b.example.com", applicationID: "convex" }] };`, []string{`domain="https://b.example.com",applicationID="convex"`}},
		{"parenthesised object", `export default ({ providers: [({ domain: "https://a.example.com", applicationID: "convex" })] });`, []string{`domain="https://a.example.com",applicationID="convex"`}},
		{"export list as default", `const authConfig = { providers: [] }; export { authConfig as default };`, nil},
		{"export const then default", `export const authConfig = { providers: [] }; export default authConfig;`, nil},
		{"comments everywhere", "/* header */ // line\nexport /* a */ default /* b */ { // c\n providers /* d */ : /* e */ [ /* f */\n  { /* g */ domain /* h */ : /* i */ \"https://a.example.com\" /* j */ , // k\n    applicationID: \"convex\" } // l\n ] /* m */ } /* n */ ; // o", []string{`domain="https://a.example.com",applicationID="convex"`}},
		{"BOM, CRLF and use strict", "\uFEFF\"use strict\";\r\nexport default {\r\n  providers: [],\r\n};\r\n", nil},
		{"side-effect import", `import "./polyfill"; export default { providers: [] };`, nil},
		{"unicode in strings", `export default { providers: [{ domain: "https://bücher.example", applicationID: "🔑" }] };`, []string{`domain="https://bücher.example",applicationID="🔑"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseAuthConfig("convex/auth.config.ts", []byte(tt.src))
			if err != nil {
				t.Fatalf("ParseAuthConfig: %v", err)
			}
			if !f.HasProviders {
				t.Fatalf("HasProviders = false")
			}
			got := summary(f)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("providers:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseAuthConfigPositions(t *testing.T) {
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
	f, err := ParseAuthConfig("convex/auth.config.ts", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p := f.Providers[0]
	if p.Pos != (Pos{5, 5}) {
		t.Errorf("provider pos = %v, want 5:5", p.Pos)
	}
	d, _ := p.Field("domain")
	if d.Pos != (Pos{6, 7}) || d.Value.Terms[0].Pos != (Pos{6, 15}) {
		t.Errorf("domain pos = %v / term %v, want 6:7 / 6:15", d.Pos, d.Value.Terms[0].Pos)
	}
	if d.Value.Text != "process.env.CLERK_JWT_ISSUER_DOMAIN!" {
		t.Errorf("domain text = %q", d.Value.Text)
	}
	a, _ := p.Field("applicationID")
	if a.Pos != (Pos{7, 2}) {
		t.Errorf("applicationID pos = %v, want 7:2", a.Pos)
	}
}

func TestParseAuthConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		pos  Pos
		msg  string // substring of the message
	}{
		{"function call", "export default {\n  providers: [\n    { domain: getIssuer(), applicationID: \"convex\" },\n  ],\n};", Pos{3, 15}, "function call (getIssuer)"},
		{"spread of providers", "export default {\n  providers: [...clerkProviders],\n};", Pos{2, 15}, "spread"},
		{"spread in config", "export default { ...base, providers: [] };", Pos{1, 18}, "spread"},
		{"spread in provider", "export default { providers: [{ ...clerk, applicationID: \"convex\" }] };", Pos{1, 32}, "spread"},
		{"other variable", "const issuer = process.env.CLERK_JWT_ISSUER_DOMAIN;\nexport default { providers: [{ domain: issuer, applicationID: \"convex\" }] };", Pos{1, 7}, "variable other than the config object (issuer)"},
		{"variable as value", "export default { providers: [{ domain: issuer, applicationID: \"convex\" }] };", Pos{1, 40}, "the variable issuer"},
		{"shorthand property", "export default { providers };", Pos{1, 18}, "shorthand property"},
		{"conditional", "export default { providers: [{ domain: process.env.PROD ? \"https://a.example.com\" : \"https://b.example.com\", applicationID: \"convex\" }] };", Pos{1, 57}, "conditional"},
		{"conditional on a variable", "export default { providers: [{ domain: isProd ? \"a\" : \"b\", applicationID: \"convex\" }] };", Pos{1, 40}, "conditional"},
		{"conditional provider list", "export default { providers: process.env.X ? [] : [] };", Pos{1, 29}, "array literal"},
		{"template with substitution", "export default { providers: [{ domain: `https://${process.env.HOST}`, applicationID: \"convex\" }] };", Pos{1, 49}, "${"},
		{"concatenation", "export default { providers: [{ domain: \"https://\" + process.env.HOST, applicationID: \"convex\" }] };", Pos{1, 51}, "concatenation"},
		{"mixed || and ??", "export default { providers: [{ domain: process.env.A || process.env.B ?? \"c\", applicationID: \"convex\" }] };", Pos{1, 71}, "mixing"},
		{"number for a string field", "export default { providers: [{ domain: \"https://a.example.com\", applicationID: 42 }] };", Pos{1, 80}, "applicationID must be a string"},
		{"undefined for a string field", "export default { providers: [{ domain: undefined, applicationID: \"convex\" }] };", Pos{1, 40}, "domain must be a string"},
		{"method call on env", "export default { providers: [{ domain: process.env.HOST.trim(), applicationID: \"convex\" }] };", Pos{1, 56}, "call or property read"},
		{"import.meta.env", "export default { providers: [{ domain: import.meta.env.VITE_X, applicationID: \"convex\" }] };", Pos{1, 40}, "import.meta.env"},
		{"function export", "export default function config() { return { providers: [] }; }", Pos{1, 16}, "export default must be"},
		{"unexported object", "const authConfig = { providers: [] };", Pos{1, 7}, "never exported"},
		{"no export at all", "// nothing here\n", Pos{2, 1}, "no `export default`"},
		{"export of undeclared", "export default authConfig;", Pos{1, 16}, "not a config object declared above"},
		{"module.exports", "module.exports = { providers: [] };", Pos{1, 1}, "CommonJS"},
		{"unclosed string", "export default { providers: [{ domain: \"https://a.example.com }] };\n", Pos{1, 40}, "never closed"},
		{"parse error before a lexing error", "export default { providers: [{ domain: \"https://a.example.com, applicationID: \"convex\" }] };", Pos{1, 80}, "expected , or }"},
		{"lexing error after a complete config", "export default { providers: [] };\n'oops", Pos{2, 1}, "never closed"},
		{"unclosed block comment", "export default { providers: [] }; /* oops", Pos{1, 35}, "block comment is never closed"},
		{"unclosed object", "export default { providers: [\n", Pos{2, 1}, "expected"},
		{"stray character", "export default { providers: [] }; \\", Pos{1, 35}, "unexpected character"},
		{"function statement", "function f() {}\nexport default { providers: [] };", Pos{1, 1}, "unexpected statement"},
		{"second export default", "export default { providers: [] };\nexport default { providers: [] };", Pos{2, 1}, "second"},
		{"hole in providers", "export default { providers: [, { domain: \"a.example.com\", applicationID: \"convex\" }] };", Pos{1, 30}, "empty slot"},
		{"getter", "export default { providers: [{ get domain() { return \"x\" }, applicationID: \"convex\" }] };", Pos{1, 32}, "getter"},
		{"computed key", "export default { providers: [{ [key]: \"x\" }] };", Pos{1, 32}, "computed key"},
		{"octal escape", "export default { providers: [{ domain: \"\\1\", applicationID: \"convex\" }] };", Pos{1, 41}, "octal"},
		{"optional chaining on env", "export default { providers: [{ domain: process.env?.HOST, applicationID: \"convex\" }] };", Pos{1, 51}, "process.env"},
		{"providers twice", "export default { providers: [], providers: [] };", Pos{1, 33}, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAuthConfig("convex/auth.config.ts", []byte(tt.src))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Pos != tt.pos || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got %v %q, want %v containing %q", pe.Pos, pe.Msg, tt.pos, tt.msg)
			}
			if pe.File != "convex/auth.config.ts" || !strings.HasPrefix(pe.Error(), "convex/auth.config.ts:") {
				t.Errorf("error does not name the file: %q", pe.Error())
			}
		})
	}
}

func TestParseErrorFoundIsEscaped(t *testing.T) {
	_, err := ParseAuthConfig("convex/auth.config.ts", []byte("export default { providers: [{ domain: \x1b[31mx(), applicationID: \"convex\" }] };"))
	if err == nil {
		t.Fatal("want an error")
	}
	if strings.ContainsRune(err.Error(), 0x1b) {
		t.Errorf("error message carries a raw escape: %q", err.Error())
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
`, 1, 4, 8, `domain=$CLERK_JWT_ISSUER_DOMAIN,applicationID="convex"`},
		{"block comment", "export default {\n  providers: [\n    /* {\n     *   domain: \"https://a.example.com\",\n     *   applicationID: \"convex\",\n     * }, */\n  ],\n};\n", 1, 3, 6, `domain="https://a.example.com",applicationID="convex"`},
		{"inner lines only", "export default {\n  providers: [\n    // domain: process.env.CLERK_JWT_ISSUER_DOMAIN,\n    // applicationID: \"convex\",\n  ],\n};\n", 1, 3, 4, ""},
		{"prose comment is not a provider", "// Set the issuer on the dashboard, see the docs.\nexport default { providers: [] };\n", 0, 0, 0, ""},
		{"trailing comment is not a provider", "export default { providers: [] }; // domain: old.example.com\n", 0, 0, 0, ""},
		{"two blocks", "export default {\n  providers: [\n    // { domain: \"https://a.example.com\", applicationID: \"convex\" },\n\n    // { domain: \"https://b.example.com\", applicationID: \"convex\" },\n  ],\n};\n", 2, 3, 3, `domain="https://a.example.com",applicationID="convex"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseAuthConfig("convex/auth.config.ts", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.CommentedOut) != tt.want {
				t.Fatalf("commented-out providers = %d, want %d: %+v", len(f.CommentedOut), tt.want, f.CommentedOut)
			}
			if tt.want == 0 {
				return
			}
			c := f.CommentedOut[0]
			if c.Pos.Line != tt.line || c.EndLine != tt.end {
				t.Errorf("lines %d–%d, want %d–%d", c.Pos.Line, c.EndLine, tt.line, tt.end)
			}
			if got := provSummary(ProviderSource{Fields: c.Fields}); got != tt.fields {
				t.Errorf("fields %q, want %q", got, tt.fields)
			}
			if tt.fields != "" && c.Fields[0].Pos.Line <= c.Pos.Line-1 {
				t.Errorf("field line %d not mapped to the file", c.Fields[0].Pos.Line)
			}
		})
	}
}

func TestParseAuthConfigNesting(t *testing.T) {
	deep := "export default { providers: [{ domain: \"a.example.com\", applicationID: \"convex\", x: " +
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + " }] };"
	if _, err := ParseAuthConfig("a.ts", []byte(deep)); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("deep nesting: err = %v", err)
	}
	parens := "export default { providers: [{ domain: " + strings.Repeat("(", 10000) + "\"a\"" + strings.Repeat(")", 10000) + ", applicationID: \"convex\" }] };"
	if _, err := ParseAuthConfig("a.ts", []byte(parens)); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("deep parentheses: err = %v", err)
	}
}

func TestCommentedOutLineEndings(t *testing.T) {
	for _, nl := range []string{"\n", "\r\n", "\r"} {
		src := strings.Join([]string{"export default {", "  providers: [", "    /*", "    {", "      domain: \"https://a.example.com\",", "      applicationID: \"convex\",", "    }", "    */", "  ],", "};"}, nl)
		f, err := ParseAuthConfig("a.ts", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if len(f.CommentedOut) != 1 || f.CommentedOut[0].Pos.Line != 4 || f.CommentedOut[0].EndLine != 8 || len(f.CommentedOut[0].Fields) != 2 || f.CommentedOut[0].Fields[0].Pos.Line != 5 {
			t.Errorf("%q: %+v", nl, f.CommentedOut)
		}
	}
}
