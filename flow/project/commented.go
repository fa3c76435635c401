package project

import (
	"regexp"
	"strings"
)

// providerKey finds a provider key inside one comment's text. Matching a
// pattern inside a comment is safe: comments are not code, and the
// uncommented object is then read with the same parser as the file.
var providerKey = regexp.MustCompile(`\b(domain|issuer|applicationID|jwks)\s*:`)

// commentBlock is a run of comments read as one text: consecutive line
// comments each alone on its line, or one block comment.
type commentBlock struct {
	firstLine, lastLine int
	// cols are the columns the comments start at, one per line (a block
	// comment has only its first).
	cols []int
	// text holds one line per source line, comment markers removed.
	text string
	// lines collects a line-comment run's bodies until it is joined.
	lines []string
}

// commentedProviders finds provider objects that were commented out, as the
// Convex templates ship the Clerk provider (DESIGN.md "How real projects look").
func commentedProviders(comments []comment) []CommentedProvider {
	var out []CommentedProvider
	for _, b := range commentBlocks(comments) {
		if !strings.ContainsRune(b.text, ':') {
			continue // no key: value inside, not worth a regexp run
		}
		loc := providerKey.FindStringIndex(b.text)
		if loc == nil {
			continue
		}
		start := strings.LastIndexByte(b.text[:loc[0]], '{')
		at := loc[0]
		if start >= 0 {
			at = start
		}
		n := strings.Count(b.text[:at], "\n")
		col := b.cols[0]
		if n < len(b.cols) {
			col = b.cols[n]
		}
		cp := CommentedProvider{Pos: Pos{Line: b.firstLine + n, Col: col}, EndLine: b.lastLine, Text: strings.TrimSpace(b.text[at:])}
		if start >= 0 {
			cp.Fields = parseCommentedObject(b.text, start, b.firstLine)
			// The object text ends at its closing brace when it parsed.
			if end := matchingBrace(b.text, start); end > start {
				cp.Text = b.text[start : end+1]
			}
		}
		cp.Text = dedent(cp.Text)
		out = append(out, cp)
		if len(out) == maxCommentedOut {
			break
		}
	}
	return out
}

// maxCommentedOut caps how many commented-out providers are reported: a
// hostile file of thousands must not flood the findings.
const maxCommentedOut = 16

func commentBlocks(comments []comment) []commentBlock {
	var blocks []commentBlock
	var cur *commentBlock
	for _, c := range comments {
		if c.block {
			cur = nil
			blocks = append(blocks, commentBlock{firstLine: c.pos.Line, lastLine: c.endLine, cols: []int{c.pos.Col}, text: blockCommentText(c.body)})
			continue
		}
		if !c.ownLine {
			cur = nil
			continue
		}
		if cur != nil && c.pos.Line == cur.lastLine+1 {
			cur.lines = append(cur.lines, c.body)
			cur.lastLine = c.pos.Line
			cur.cols = append(cur.cols, c.pos.Col)
			continue
		}
		blocks = append(blocks, commentBlock{firstLine: c.pos.Line, lastLine: c.pos.Line, cols: []int{c.pos.Col}, lines: []string{c.body}})
		cur = &blocks[len(blocks)-1]
	}
	for i := range blocks {
		if blocks[i].lines != nil {
			blocks[i].text = strings.Join(blocks[i].lines, "\n")
			blocks[i].lines = nil
		}
	}
	return blocks
}

// blockCommentText removes the leading " * " of each continuation line of a
// /* … */ comment, keeping one line per source line.
func blockCommentText(body string) string {
	if !strings.ContainsAny(body, "\r\n\u2028\u2029") {
		return body
	}
	// One "\n" per line break the lexer counted, so lines map back.
	body = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n").Replace(body)
	lines := strings.Split(body, "\n")
	for i := 1; i < len(lines); i++ {
		t := strings.TrimLeft(lines[i], " \t")
		if strings.HasPrefix(t, "*") {
			lines[i] = t[1:]
		}
	}
	return strings.Join(lines, "\n")
}

// parseCommentedObject reads the object starting at text[start] with the
// auth.config parser; nil when it does not parse (a partial comment still
// counts as a commented-out provider, just without fields).
func parseCommentedObject(text string, start, firstLine int) []FieldSource {
	lx := newLexer(text)
	lx.off = start
	lx.line = 1 + strings.Count(text[:start], "\n")
	lx.col = 1
	var toks []token
	depth := 0
	for {
		t, err := lx.next()
		if err != nil || t.kind == tokEOF {
			return nil
		}
		toks = append(toks, t)
		if t.kind == tokPunct && (t.text == "{" || t.text == "[" || t.text == "(") {
			depth++
		}
		if t.kind == tokPunct && (t.text == "}" || t.text == "]" || t.text == ")") {
			depth--
			if depth == 0 {
				break
			}
		}
		if len(toks) > 10000 {
			return nil
		}
	}
	end := toks[len(toks)-1]
	toks = append(toks, token{kind: tokEOF, pos: end.pos, off: end.end, end: end.end})
	p := &parser{file: "comment", src: lx.src, toks: toks}
	prov, err := p.providerObject(0)
	if err != nil || p.tok().kind != tokEOF {
		return nil
	}
	for i := range prov.Fields {
		prov.Fields[i].Pos.Line += firstLine - 1
		for j := range prov.Fields[i].Value.Terms {
			prov.Fields[i].Value.Terms[j].Pos.Line += firstLine - 1
		}
	}
	return prov.Fields
}

// matchingBrace returns the offset of the } closing the { at start, or -1.
// Braces inside strings are counted too; this only trims the shown text.
func matchingBrace(text string, start int) int {
	depth := 0
	for i := start; i < len(text); i++ {
		switch text[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// dedent removes the indentation common to all non-blank lines after the
// first, so the object shows as it would be written.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	common := -1
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return s
	}
	for i := 1; i < len(lines); i++ {
		if len(lines[i]) >= common {
			lines[i] = lines[i][common:]
		}
	}
	return strings.Join(lines, "\n")
}
