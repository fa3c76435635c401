package tui

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/authscope/authscope/flow/untrusted"
	"github.com/charmbracelet/x/ansi"
)

// Every string that came from a token, a server or the browser reaches the
// screen through esc or escWrap: control characters, C1, bidi and
// zero-width characters are shown escaped by flow/untrusted (a value must
// not move the cursor, rewrite the clipboard or read backwards), and the
// result is cut by display width, not by rune count, so wide characters
// cannot push a line past the terminal's edge.

// esc escapes an untrusted value for one line and cuts it to w cells with an
// ellipsis.
func esc(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s, cut := prefix(s, w)
	e := untrusted.Escape(s, false)
	if cut && ansi.StringWidth(e) < w {
		return e + untrusted.Ellipsis
	}
	return ansi.Truncate(e, w, untrusted.Ellipsis)
}

// prefix bounds the work of escaping a huge value that will be cut to w
// cells anyway: it keeps a prefix of at least w runes' worth of bytes (at a
// rune boundary) and says whether it dropped anything.
func prefix(s string, w int) (string, bool) {
	limit := 16*w + 64
	if len(s) <= limit {
		return s, false
	}
	for limit > 0 && !utf8.RuneStart(s[limit]) {
		limit--
	}
	return s[:limit], true
}

// escWrap escapes an untrusted, possibly multi-line value and wraps it to w
// cells. At most maxLines lines are returned (0: no limit); a value that did
// not fit ends with an ellipsis.
func escWrap(s string, w, maxLines int) []string {
	if w <= 0 {
		return nil
	}
	cut := false
	if maxLines > 0 {
		s, cut = prefix(s, w*maxLines)
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wordWrap(untrusted.Escape(para, false), w)...)
	}
	if maxLines > 0 && (len(out) > maxLines || cut) {
		out = out[:min(maxLines, len(out))]
		last := out[len(out)-1]
		if ansi.StringWidth(last) >= w {
			last = ansi.Truncate(last, w-1, "")
		}
		out[len(out)-1] = last + untrusted.Ellipsis
	}
	return out
}

// wrapSafe wraps an already safe (possibly styled) text to w cells.
func wrapSafe(s string, w int) []string {
	if w <= 0 {
		return []string{s}
	}
	return wordWrap(s, w)
}

// wordWrap wraps one paragraph to w cells at its spaces. Unlike
// ansi.Wrap it never breaks at a hyphen: commands, package names and URLs
// ("npm ls @clerk/clerk-react") stay whole unless one is longer than a
// line, which is then cut at the edge. Styling survives: an SGR sequence
// holds no space.
func wordWrap(s string, w int) []string {
	if ansi.StringWidth(s) <= w {
		return []string{s}
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curW = 0
	}
	for i, word := range strings.Split(s, " ") {
		ww := ansi.StringWidth(word)
		if i > 0 {
			switch {
			case curW+1+ww <= w:
				cur.WriteByte(' ')
				curW++
			case curW > 0 && (ww <= w || curW+1 >= w):
				flush() // the word starts the next line
			case curW > 0:
				cur.WriteByte(' ') // a word longer than a line starts here
				curW++
			}
		}
		for ww > w-curW {
			// Longer than what is left of the line: fill it and go on. A
			// printable ASCII word (a token, a URL) is cut by bytes,
			// quickly; a wide character that does not fit moves on.
			room := w - curW
			head := ""
			if isWord(word) {
				head = word[:room]
			} else {
				head = ansi.Cut(word, 0, room)
			}
			hw := ansi.StringWidth(head)
			if hw == 0 && curW == 0 {
				break // a character wider than the whole line: left as it is
			}
			cur.WriteString(head)
			if isWord(word) {
				word = word[hw:]
			} else {
				word = ansi.Cut(word, hw, ww)
			}
			ww -= hw
			flush()
		}
		cur.WriteString(word)
		curW += ww
	}
	if cur.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// isWord reports whether s is printable ASCII without spaces, so that its
// width is its length and wrapping it is plain cutting.
func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// clip cuts an already safe (possibly styled) line to w cells.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, untrusted.Ellipsis)
}

// padRight pads an already safe line with spaces to exactly w cells,
// cutting it if it is wider.
func padRight(s string, w int) string {
	s = clip(s, w)
	if n := w - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// padLeft right-aligns an already safe string in w cells.
func padLeft(s string, w int) string {
	s = clip(s, w)
	if n := w - ansi.StringWidth(s); n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
}

// width is the display width of a safe string.
func width(s string) int { return ansi.StringWidth(s) }

// fmtDur renders a duration the way a person reads timings: 850µs, 12ms,
// 1.24s, 14.2s, 2m05s, 1h02m.
func fmtDur(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d/time.Microsecond)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	case d < 10*time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	case d < 100*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
}

// fmtLeft renders a countdown in whole seconds: "48s", "4m59s", "1h02m".
func fmtLeft(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second) // round up: "1s" until it is due
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	case s < 100*3600:
		return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	default:
		return fmt.Sprintf("%dd", s/86400)
	}
}

// fmtRel says where t lies relative to now: "in 48s", "2m05s ago", "now".
func fmtRel(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d >= time.Second:
		return "in " + fmtLeft(d)
	case d <= -time.Second:
		return fmtLeft(-d) + " ago"
	default:
		return "now"
	}
}

// fmtClock renders an absolute time in the local zone; the date is added
// when it is not today.
func fmtClock(t, now time.Time) string {
	t = t.Local()
	n := now.Local()
	if t.Year() == n.Year() && t.YearDay() == n.YearDay() {
		return t.Format("15:04:05")
	}
	return t.Format("2006-01-02 15:04:05")
}
