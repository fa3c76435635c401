package untrusted

import (
	"encoding/json"
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

func TestLinesCutsEachLine(t *testing.T) {
	long := strings.Repeat("x", 900_000)
	got := Lines("config error:\n  "+long+"\x1b[2J\nline 3", 80, 0)
	lines := strings.Split(got, "\n")
	if len(lines) != 3 || utf8.RuneCountInString(lines[1]) != 80 || !strings.HasSuffix(lines[1], Ellipsis) || lines[2] != "line 3" {
		t.Fatalf("got %d lines: %q", len(lines), Cut(got, 300))
	}
	if got := Lines("a\nb\nc\nd", 10, 2); got != "a\nb\n…(2 more lines)" {
		t.Errorf("got %q", got)
	}
	if got := Lines("tab\there\x07", 0, 0); got != "tab\there\\x07" {
		t.Errorf("got %q", got)
	}
}

func TestWriterEscapesAndCutsAcrossWrites(t *testing.T) {
	var b strings.Builder
	w := NewWriter(&b, 10)
	for _, p := range []string{"short\n", "0123456", "789abcdef", "ghi\nnext \x1b]52;c;", "aGk=\x07\n", "é"[:1], "é"[1:] + "\n"} {
		if n, err := w.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	want := "short\n012345678…\nnext \\x1b…\né\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

func TestJSONEscapesWhatEncodingJSONLeaves(t *testing.T) {
	in := []byte("{\"a\": \"x\u009by\u202ez\x7f\U000e0041\", \"b\": \"é ✓\"}")
	got := string(JSON(in))
	want := `{"a": "x\u009by\u202ez\u007f\udb40\udc41", "b": "é ✓"}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	var v map[string]string
	if err := json.Unmarshal([]byte(got), &v); err != nil || v["a"] != "x\u009by\u202ez\x7f\U000e0041" {
		t.Errorf("the JSON changed meaning: %v %q", err, v["a"])
	}
}
