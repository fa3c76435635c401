package untrusted

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain https://a.clerk.accounts.dev", "plain https://a.clerk.accounts.dev"},
		{"\x1b]52;c;aGk=\x07", `\x1b]52;c;aGk=\x07`},
		{"a\u009bb", `a\u009bb`},
		{"convex\u202e", "convex<U+202E>"},
		{"con\u200bvex", "con<U+200B>vex"},
		{"line\nbreak\r", `line\x0abreak\x0d`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"héllo ✓", "héllo ✓"},
	}
	for _, c := range cases {
		if got := Escape(c.in, false); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Escape("a\nb\tc\x1b", true); got != "a\nb\tc\\x1b" {
		t.Errorf("keepNewlines: %q", got)
	}
}

func TestTextCuts(t *testing.T) {
	got := Text(strings.Repeat("x", 50), 10)
	if utf8.RuneCountInString(got) != 10 || !strings.HasSuffix(got, Ellipsis) {
		t.Fatalf("got %q", got)
	}
	if Text("short", 10) != "short" {
		t.Fatal("short value changed")
	}
}

func TestSuspiciousAndCodePoints(t *testing.T) {
	if Suspicious("convex") || !Suspicious("conv\u0435x\u200d") {
		t.Fatal("Suspicious")
	}
	if got := CodePoints("a\u202e"); got != "U+0061 U+202E" {
		t.Fatal(got)
	}
}

func FuzzEscape(f *testing.F) {
	f.Add("\x1b[2J\u009b\u202e", true)
	f.Fuzz(func(t *testing.T, s string, keep bool) {
		out := Escape(s, keep)
		for _, r := range out {
			if (r < 0x20 && !(keep && (r == '\n' || r == '\t'))) || r == 0x7f || (r >= 0x80 && r <= 0x9f) || Invisible(r) {
				t.Fatalf("Escape(%q) left %U", s, r)
			}
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
	})
}
