package tui

import (
	"runtime"
	"strconv"
	"strings"
)

// Terminal is what the environment says about the terminal the interface
// draws on. The interface asks the terminal nothing before its first frame:
// a terminal that never answers must not delay it (see Run).
type Terminal struct {
	// Dumb is TERM=dumb: a terminal that cannot move the cursor. It gets
	// no interactive view; the caller prints the plain output instead.
	Dumb bool
	// ASCII is set when the locale's character set is not UTF-8: the
	// interface then draws with ASCII only (no box drawing, braille
	// spinner, ✓ or ✗), which any terminal shows as meant.
	ASCII bool
	// Multiplexer is set inside tmux or screen, which pass a clipboard
	// request (OSC 52) on only when configured to.
	Multiplexer bool
	// Background is the background colour as COLORFGBG tells it, when it
	// does; otherwise the interface asks the terminal after its first
	// frame, and uses dark colours until an answer comes.
	Background Background
}

// Background is a terminal's background: unknown, dark or light.
type Background int

// Backgrounds.
const (
	BackgroundUnknown Background = iota
	BackgroundDark
	BackgroundLight
)

// DetectTerminal reads the environment: TERM, TMUX, the locale (LC_ALL,
// then LC_CTYPE, then LANG, as POSIX orders them) and COLORFGBG.
func DetectTerminal(getenv func(string) (string, bool)) Terminal {
	get := func(k string) string {
		v, _ := getenv(k)
		return v
	}
	term := get("TERM")
	t := Terminal{
		Dumb:        term == "dumb",
		Multiplexer: get("TMUX") != "" || strings.HasPrefix(term, "screen") || strings.HasPrefix(term, "tmux"),
		Background:  backgroundFromColorFGBG(get("COLORFGBG")),
	}
	// Windows consoles have no locale variables and show UTF-8.
	if runtime.GOOS != "windows" {
		t.ASCII = !utf8Locale(get("LC_ALL"), get("LC_CTYPE"), get("LANG"))
	}
	return t
}

// utf8Locale reports whether the locale in effect uses UTF-8: the first
// of LC_ALL, LC_CTYPE and LANG that is set decides; none set is the C
// locale, which is ASCII.
func utf8Locale(vars ...string) bool {
	for _, v := range vars {
		if v == "" {
			continue
		}
		v = strings.ToLower(v)
		return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
	}
	return false
}

// backgroundFromColorFGBG reads COLORFGBG ("15;0", "default;default;0"),
// set by rxvt, Konsole and others: its last field is the background's ANSI
// colour, 0–6 dark and 7–15 light (as termenv reads it).
func backgroundFromColorFGBG(v string) Background {
	if !strings.Contains(v, ";") {
		return BackgroundUnknown
	}
	n, err := strconv.Atoi(v[strings.LastIndexByte(v, ';')+1:])
	switch {
	case err != nil || n < 0 || n > 15:
		return BackgroundUnknown
	case n <= 6:
		return BackgroundDark
	}
	return BackgroundLight
}

// backgroundQuery asks the terminal for its background colour (OSC 11).
// The answer comes back through Bubble Tea's input as keys, which Update
// recognises (bgAnswer).
const backgroundQuery = "\x1b]11;?\x1b\\"

// bgAnswer reads the part of an OSC 11 answer ("\x1b]11;rgb:1e1e/1e1e/1e1e"
// then ST or BEL) that Bubble Tea v1 delivers as one key message of runes:
// "11;rgb:1e1e/1e1e/1e1e". ok is false for anything else.
func bgAnswer(runes string) (Background, bool) {
	rest, found := strings.CutPrefix(runes, "11;rgb:")
	if !found {
		return BackgroundUnknown, false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return BackgroundUnknown, false
	}
	var c [3]float64
	for i, p := range parts {
		if len(p) == 0 || len(p) > 4 {
			return BackgroundUnknown, false
		}
		n, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return BackgroundUnknown, false
		}
		c[i] = float64(n) / float64(uint64(1)<<(4*len(p))-1)
	}
	// HSL lightness, as termenv decides dark from light.
	hi, lo := max(c[0], c[1], c[2]), min(c[0], c[1], c[2])
	if (hi+lo)/2 < 0.5 {
		return BackgroundDark, true
	}
	return BackgroundLight, true
}
