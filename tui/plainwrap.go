package tui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The plain outputs (check, decode) print every text whole: a line longer
// than the width is wrapped at spaces with a hanging indent, never cut. A
// word wider than the line is broken at the width, except a URL, which
// keeps its own line whole so it can be copied.

// DefaultWidth is the width of the plain outputs when stdout is not a
// terminal.
const DefaultWidth = 100

// minText is the narrowest room a long word is broken into.
const minText = 20

// printer writes wrapped lines.
type printer struct {
	w     io.Writer
	width int
}

func (x printer) cols() int {
	if x.width <= 0 {
		return DefaultWidth
	}
	return x.width
}

// para writes text after lead, wrapped: the lines after the first start
// with indent. lead and text are already safe for a terminal.
func (x printer) para(lead, indent, text string) {
	fmt.Fprint(x.w, strings.Join(wrapLines(lead, indent, text, x.cols()), "\n")+"\n")
}

// block writes text after lead when it fits there whole, else on the
// lines below, wrapped, each starting with indent: a step's evidence reads
// better whole than split after the step's columns.
func (x printer) block(lead, indent, text string) {
	if ansi.StringWidth(lead)+ansi.StringWidth(text) <= x.cols() {
		fmt.Fprintln(x.w, lead+text)
		return
	}
	fmt.Fprintln(x.w, strings.TrimRight(lead, " "))
	x.para(indent, indent, text)
}

// wrapLines lays text out after lead within width cells, greedily, word by
// word (a word is what lies between single spaces, so runs of spaces in a
// value survive inside a line). A word that does not fit goes to the next
// line; one wider than a whole line is broken there, unless it is a URL.
func wrapLines(lead, indent, text string, width int) []string {
	var lines []string
	line, room := lead, width-ansi.StringWidth(lead)
	indentRoom := width - ansi.StringWidth(indent)
	empty := true // nothing on this line after its lead or indent
	newline := func() {
		lines = append(lines, strings.TrimRight(line, " "))
		line, room, empty = indent, indentRoom, true
	}
	for _, word := range strings.Split(text, " ") {
		ww, sep := ansi.StringWidth(word), 1
		if empty {
			sep = 0
		}
		if ww+sep > room && (!empty || room < indentRoom) {
			newline()
			sep = 0
		}
		if sep == 1 {
			line += " "
			room--
		}
		for ww > room && room >= minText && !isURL(word) {
			// A long word with no space (a key, a JSON value) is broken at
			// the width; a URL is not, to stay copyable.
			head := ansi.Cut(word, 0, room)
			line += head
			newline()
			word = word[len(head):]
			ww = ansi.StringWidth(word)
		}
		line += word
		room -= ww
		empty = empty && word == ""
	}
	return append(lines, line)
}

// isURL reports whether word is a URL, perhaps quoted or in parentheses.
func isURL(word string) bool {
	w := strings.TrimLeft(word, `("'`)
	return strings.HasPrefix(w, "https://") || strings.HasPrefix(w, "http://")
}

// json prints a JSON text indented, one member per line, each wrapped;
// text that is not JSON is printed as it is.
func (x printer) json(indent, text string) {
	var b bytes.Buffer
	if json.Indent(&b, []byte(text), "", "  ") != nil {
		x.para(indent, indent+"  ", safe(text))
		return
	}
	for _, l := range strings.Split(b.String(), "\n") {
		inner := l[:len(l)-len(strings.TrimLeft(l, " "))]
		x.para(indent+inner, indent+inner+"  ", safe(strings.TrimLeft(l, " ")))
	}
}
