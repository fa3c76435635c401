package project

import (
	"testing"
)

func TestParseDotenv(t *testing.T) {
	src := "# Deployment used by `npx convex dev`\n" + // 1
		"CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: jane-doe, project: demo\n" + // 2
		"\n" + // 3
		"VITE_CONVEX_URL=https://happy-animal-123.convex.cloud\n" + // 4
		"export VITE_CLERK_PUBLISHABLE_KEY=\"pk_test_abc\"\n" + // 5
		"SINGLE='a # not a comment'   # but this is\n" + // 6
		"DOUBLE=\"line1\\nline2\"\n" + // 7
		"BACKTICK=`x'y\"z`\n" + // 8
		"  SPACED  =   spaced value   \n" + // 9
		"EMPTY=\n" + // 10
		"HASH=abc#def\n" + // 11
		"COLON: value\n" + // 12
		"MULTI=\"first\n" + // 13
		"second\"\n" + // 14
		"AFTER_MULTI=ok\n" + // 15
		"not an assignment\n" + // 16
		"DUP=one\n" + // 17
		"DUP=two\n" + // 18
		"UNTERMINATED=\"abc\n" + // 19
		"JUNK_AFTER_QUOTE=\"a\"b\n" + // 20
		"SINGLE_ESC='a\\nb'\n" // 21
	got := parseDotenv(src)
	want := map[string]dotenvEntry{
		"CONVEX_DEPLOYMENT":          {"dev:happy-animal-123", 2},
		"VITE_CONVEX_URL":            {"https://happy-animal-123.convex.cloud", 4},
		"VITE_CLERK_PUBLISHABLE_KEY": {"pk_test_abc", 5},
		"SINGLE":                     {"a # not a comment", 6},
		"DOUBLE":                     {"line1\nline2", 7},
		"BACKTICK":                   {`x'y"z`, 8},
		"SPACED":                     {"spaced value", 9},
		"EMPTY":                      {"", 10},
		"HASH":                       {"abc", 11},
		"COLON":                      {"value", 12},
		"MULTI":                      {"first\nsecond", 13},
		"AFTER_MULTI":                {"ok", 15},
		"DUP":                        {"two", 18},
		"UNTERMINATED":               {`"abc`, 19},
		"JUNK_AFTER_QUOTE":           {`"a"b`, 20},
		"SINGLE_ESC":                 {`a\nb`, 21},
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s = %+v (present %v), want %+v", k, g, ok, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected variable %q = %+v", k, got[k])
		}
	}
}

func TestParseDotenvLineEndings(t *testing.T) {
	got := parseDotenv("\uFEFFA=1\r\nB=\"x\r\ny\"\r\nC=3\rD=4")
	want := map[string]dotenvEntry{"A": {"1", 1}, "B": {"x\ny", 2}, "C": {"3", 4}, "D": {"4", 5}}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %+v, want %+v", k, got[k], w)
		}
	}
}

func TestEnvResolverOrder(t *testing.T) {
	e := &envResolver{
		flags:  map[string]string{"A": "flag"},
		getenv: func(n string) (string, bool) { v, ok := map[string]string{"A": "env", "B": "env"}[n]; return v, ok },
		files: []loadedEnvFile{
			{name: ".env.local", entries: map[string]dotenvEntry{"A": {"local", 1}, "B": {"local", 2}, "C": {"local", 3}}},
			{name: ".env", entries: map[string]dotenvEntry{"C": {"dotenv", 1}, "D": {"dotenv", 7}}},
		},
	}
	tests := []struct{ name, value, source string }{
		{"A", "flag", "--env"},
		{"B", "env", "environment"},
		{"C", "local", ".env.local:3"},
		{"D", "dotenv", ".env:7"},
	}
	for _, tt := range tests {
		v := e.lookup(tt.name)
		if !v.Known || v.Value != tt.value || v.Source != tt.source {
			t.Errorf("lookup(%s) = %+v, want %s from %s", tt.name, v, tt.value, tt.source)
		}
	}
	if v := e.lookup("E"); v.Known || v.Name != "E" {
		t.Errorf("lookup(E) = %+v, want unknown", v)
	}
}
