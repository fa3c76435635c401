package project

import (
	"regexp"
	"strings"
	"time"
)

// providerKey finds a provider key inside one comment's text. Matching a
// pattern inside a comment is safe: comments are not code, and the
// uncommented object is then read with the same reader as the file.
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

// CommentedProvider is a provider object found inside a comment.
type CommentedProvider struct {
	// Pos is where the commented-out object starts (its {, or its first
	// key when the brace is not commented out).
	Pos Pos `json:"pos"`
	// EndLine is the last line of the comment that holds it.
	EndLine int `json:"endLine"`
	// Text is the object with the comment markers removed.
	Text string `json:"text"`
	// Fields are the object's fields when the uncommented text evaluates,
	// every variable unknown (a value reads as ${process.env.NAME}); lines
	// are file lines.
	Fields []FieldSource `json:"fields,omitempty"`
}

// commentedProviders finds provider objects that were commented out, as the
// Convex templates ship the Clerk provider (SPEC.md "The templates").
func commentedProviders(root string, src *srcText) []CommentedProvider {
	var out []CommentedProvider
	// All the comments share one evaluation budget, as one config would.
	deadline := time.Now().Add(evalTimeout)
	for _, b := range commentBlocks(comments(src)) {
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
		cp := CommentedProvider{Pos: Pos{File: src.name, Line: b.firstLine + n, Col: col}, EndLine: b.lastLine, Text: strings.TrimSpace(b.text[at:])}
		if start >= 0 {
			// The object text ends at its closing brace when it has one.
			if end := matchingBrace(b.text, start); end > start {
				cp.Text = b.text[start : end+1]
				cp.Fields = readCommentedObject(root, src.name, cp.Text, cp.Pos.Line, time.Until(deadline))
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
	// One "\n" per line break the scanner counted, so lines map back.
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

// readCommentedObject reads an uncommented provider object as the only
// provider of a config, with the reader used for the file itself and every
// variable unknown; nil when it does not evaluate (a partial comment still
// counts as a commented-out provider, just without fields).
func readCommentedObject(root, name, text string, line int, budget time.Duration) []FieldSource {
	if budget <= 0 {
		return nil
	}
	config := "export default { providers: [" + text + "] };\n"
	r, err := newConfigReader(root, name, &config)
	if err != nil {
		return nil
	}
	r.timeout = min(r.timeout, budget)
	f, err := r.evaluate(func(string) (string, bool) { return "", false })
	if err != nil || len(f.Providers) != 1 {
		return nil
	}
	fields := f.Providers[0].Fields
	for i := range fields {
		fields[i].Pos.Line += line - 1
		fields[i].Value = expandPlaceholders(fields[i].Value, f.Unknown, func(n string) string { return "${process.env." + n + "}" })
	}
	return fields
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
