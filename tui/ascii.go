package tui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// In a locale that is not UTF-8 the terminal cannot show the interface's
// glyphs: each frame is converted to ASCII as its last step, so no part of
// the interface can forget to. The marks of a step (✓ ✗ ! – ·) are chosen
// in ASCII by mark itself, because ok, fail, skipped and pending must stay
// four different characters.

// asciiGlyphs replaces the interface's own glyphs.
var asciiGlyphs = strings.NewReplacer(
	"✓", "+", "✗", "x", "…", "...", "–", "-", "—", "-", "−", "-", "·", "-",
	"→", "->", "←", "<-", "↑", "^", "↓", "v", "▸", ">", "▶", ">", "‣", ">",
	"•", "*", "─", "-", "│", "|", "┊", ":", "≈", "~", "█", "#", "▒", "=",
	"“", `"`, "”", `"`, "‹", "<", "›", ">", "µ", "u", "×", "x",
)

// asciiSpinner turns like the braille one, in ASCII.
var asciiSpinner = []string{"|", "/", "-", `\`}

// asciiFrame converts a rendered frame to ASCII, each line still at most w
// cells: the interface's glyphs by asciiGlyphs, anything else that is not
// ASCII (text from a token or a server) by one ? per cell.
func asciiFrame(frame string, w int) string {
	lines := strings.Split(frame, "\n")
	for i, l := range lines {
		lines[i] = asciiLine(l, w)
	}
	return strings.Join(lines, "\n")
}

func asciiLine(l string, w int) string {
	if isASCII(l) {
		return l
	}
	l = asciiGlyphs.Replace(l)
	if !isASCII(l) {
		var b strings.Builder
		for _, r := range l {
			if r < utf8.RuneSelf {
				b.WriteRune(r)
				continue
			}
			b.WriteString(strings.Repeat("?", max(ansi.StringWidth(string(r)), 1)))
		}
		l = b.String()
	}
	if ansi.StringWidth(l) > w {
		l = ansi.Truncate(l, w, "...")
	}
	return l
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
