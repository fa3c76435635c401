package project

import (
	"strings"
)

// dotenvEntry is one variable of a dotenv file and the line it is on.
type dotenvEntry struct {
	Value string
	Line  int
}

// parseDotenv reads a .env file with the rules of the `dotenv` npm package
// (v16/v17), which the Convex CLI, Vite and Next.js all use: blank lines
// and # comments are skipped; `export ` may precede the name; NAME=value or
// NAME: value; a value in '…', "…" or `…` may span lines, and in "…" the
// escapes \n and \r become line breaks; an unquoted value ends at # (so
// `CONVEX_DEPLOYMENT=dev:name # team: …` is dev:name) and is trimmed. A
// later line for the same name wins, as in dotenv's parse. Lines that are
// not assignments are ignored, as dotenv ignores them.
func parseDotenv(src string) map[string]dotenvEntry {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	src = strings.TrimPrefix(src, "\uFEFF")
	out := map[string]dotenvEntry{}
	line := 1
	qs := &quoteSearch{src: src}
	for i := 0; i < len(src); {
		// One logical line: find its end; a quoted value may extend it.
		eol := strings.IndexByte(src[i:], '\n')
		if eol < 0 {
			eol = len(src)
		} else {
			eol += i
		}
		name, value, consumed, ok := dotenvLine(qs, i, src[i:eol])
		if ok {
			out[name] = dotenvEntry{Value: value, Line: line}
		} else {
			consumed = eol - i
		}
		line += strings.Count(src[i:i+consumed], "\n")
		i += consumed
		if i < len(src) && src[i] == '\n' {
			i++
			line++
		}
	}
	return out
}

// quoteSearch finds the closing quote of a quoted value. It remembers its
// last answer per quote character, so that a file of many lines that open
// a quote never closed is read in linear time, not quadratic.
type quoteSearch struct {
	src  string
	from [256]int // where the remembered search started
	at   [256]int // its answer (-1: none up to the end), valid when set[q]
	set  [256]bool
}

// next returns the offset of the first q at or after start that is not
// preceded by a backslash, or -1.
func (s *quoteSearch) next(q byte, start int) int {
	if s.set[q] && start >= s.from[q] && (s.at[q] < 0 || start <= s.at[q]) {
		return s.at[q]
	}
	found := -1
	for j := start; j < len(s.src); j++ {
		k := strings.IndexByte(s.src[j:], q)
		if k < 0 {
			break
		}
		j += k
		if j > 0 && s.src[j-1] == '\\' && j-1 >= start {
			continue
		}
		found = j
		break
	}
	s.from[q], s.at[q], s.set[q] = start, found, true
	return found
}

// dotenvLine parses the assignment starting at offset base of the source
// (first is its first line). It returns how many bytes it consumed, not
// counting the final line break.
func dotenvLine(qs *quoteSearch, base int, first string) (name, value string, consumed int, ok bool) {
	rest := qs.src[base:]
	s := strings.TrimLeft(first, " \t\f\v")
	if strings.HasPrefix(s, "export") && len(s) > 6 && (s[6] == ' ' || s[6] == '\t') {
		s = strings.TrimLeft(s[6:], " \t")
	}
	n := 0
	for n < len(s) && isDotenvNameByte(s[n]) {
		n++
	}
	if n == 0 {
		return "", "", 0, false
	}
	name = s[:n]
	s = s[n:]
	afterName := strings.TrimLeft(s, " \t")
	switch {
	case strings.HasPrefix(afterName, "="):
		s = afterName[1:]
	case len(s) > 1 && s[0] == ':' && (s[1] == ' ' || s[1] == '\t'):
		s = s[1:]
	default:
		return "", "", 0, false
	}
	valueStart := len(first) - len(s) // offset of the value within rest
	v := strings.TrimLeft(s, " \t")
	off := valueStart + (len(s) - len(v))
	if len(v) > 0 && (v[0] == '\'' || v[0] == '"' || v[0] == '`') {
		q := v[0]
		// The closing quote may be on a later line; \<quote> does not close.
		if j := qs.next(q, base+off+1) - base; j > off {
			// Only white space or a comment may follow the closing quote.
			tailEnd := strings.IndexByte(rest[j+1:], '\n')
			if tailEnd < 0 {
				tailEnd = len(rest)
			} else {
				tailEnd += j + 1
			}
			tail := strings.TrimLeft(rest[j+1:tailEnd], " \t")
			if tail == "" || tail[0] == '#' {
				val := rest[off+1 : j]
				if q == '"' {
					val = strings.ReplaceAll(val, `\n`, "\n")
					val = strings.ReplaceAll(val, `\r`, "\r")
				}
				return name, val, tailEnd, true
			}
		}
	}
	// Unquoted: up to # or the end of the line, trimmed.
	if h := strings.IndexByte(v, '#'); h >= 0 {
		v = v[:h]
	}
	v = strings.TrimSpace(v)
	// dotenv strips matching quotes around what is left.
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"' || v[0] == '`') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	return name, v, len(first), true
}

func isDotenvNameByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
