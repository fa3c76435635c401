package diagnose

import (
	"strings"
	"unicode/utf8"

	"github.com/authscope/authscope/flow/untrusted"
)

// confusables maps letters that render like ASCII to the ASCII letter:
// the Cyrillic and Greek look-alikes a keyboard layout slips in. Fullwidth
// ASCII is folded separately.
var confusables = map[rune]rune{
	'а': 'a', 'в': 'B', 'е': 'e', 'к': 'k', 'м': 'M', 'н': 'H', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 'T',
	'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ɡ': 'g', 'ո': 'n',
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T',
	'Х': 'X', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S',
	'ο': 'o', 'α': 'a', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x',
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O',
	'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
}

// fold drops invisible characters and maps look-alike letters to ASCII.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case untrusted.Invisible(r):
			continue
		case r >= 0xff01 && r <= 0xff5e: // fullwidth ASCII
			r -= 0xfee0
		default:
			if a, ok := confusables[r]; ok {
				r = a
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lookAlike reports whether two different strings render the same: they
// differ only in invisible characters or look-alike letters.
func lookAlike(a, b string) bool { return a != b && fold(a) == fold(b) }

// hasHidden reports whether s holds a character a terminal would not show
// as itself (control, bidi, zero-width, invalid UTF-8).
func hasHidden(s string) bool { return untrusted.Suspicious(s) }

// codePointDiff shows the two strings as code points around their first
// difference, so a reader can see which character is not what it seems.
func codePointDiff(a, b string) (string, string) {
	ra, rb := []rune(a), []rune(b)
	i := 0
	for i < len(ra) && i < len(rb) && ra[i] == rb[i] {
		i++
	}
	from := max(i-2, 0)
	window := func(rs []rune) string {
		to := min(i+4, len(rs))
		var parts []string
		if from > 0 {
			parts = append(parts, "…")
		}
		for _, r := range rs[from:to] {
			parts = append(parts, untrusted.CodePoints(string(r))+" "+showRune(r))
		}
		if to < len(rs) {
			parts = append(parts, "…")
		}
		if to <= i {
			parts = append(parts, "(end)")
		}
		return strings.Join(parts, " ")
	}
	return window(ra), window(rb)
}

// showRune is a rune as the code-point view shows it beside its number: in
// parentheses, or its name when it would not show.
func showRune(r rune) string {
	s := string(r)
	if r == utf8.RuneError || untrusted.Suspicious(s) || r == ' ' {
		return "(invisible)"
	}
	return "(" + s + ")"
}
