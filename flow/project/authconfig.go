package project

import (
	"errors"
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/untrusted"
)

// AuthConfigFile is what ParseAuthConfig understood of convex/auth.config.ts:
// the providers in order, each field with the expression it was written as
// and where.
type AuthConfigFile struct {
	// Path is the file name used in messages (relative to the project).
	Path string `json:"path"`
	// HasProviders is false when the exported object has no providers key
	// at all (Convex rejects such a file at push time).
	HasProviders bool             `json:"hasProviders"`
	Providers    []ProviderSource `json:"providers"`
	// CommentedOut are provider objects found inside comments, as the
	// Convex templates ship the Clerk provider.
	CommentedOut []CommentedProvider `json:"commentedOut,omitempty"`
}

// ProviderSource is one provider object as written in the file.
type ProviderSource struct {
	Index  int           `json:"index"`
	Pos    Pos           `json:"pos"`
	Fields []FieldSource `json:"fields"`
	// OtherKeys are keys Convex does not know (for example "applicationId").
	OtherKeys []string `json:"otherKeys,omitempty"`
}

// Field returns the field written with key, if any.
func (p ProviderSource) Field(key string) (FieldSource, bool) {
	for _, f := range p.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return FieldSource{}, false
}

// FieldSource is one `key: value` of a provider.
type FieldSource struct {
	Key   string `json:"key"`
	Pos   Pos    `json:"pos"`
	Value Expr   `json:"value"`
}

// Expr is a field's value: one term, or a chain of terms joined by || or ??.
type Expr struct {
	// Op is "" for a single term, or "||" or "??".
	Op    string `json:"op,omitempty"`
	Terms []Term `json:"terms"`
	// Text is the expression as written (type assertions included).
	Text string `json:"text"`
}

// EnvNames lists the environment variables the expression reads, in order.
func (e Expr) EnvNames() []string {
	var names []string
	for _, t := range e.Terms {
		if t.Kind == TermEnv {
			names = append(names, t.Env)
		}
	}
	return names
}

// TermKind says what a term of an expression is.
type TermKind string

// Term kinds.
const (
	// TermString is a string, template (without ${}) literal.
	TermString TermKind = "string"
	// TermEnv is process.env.NAME or process.env["NAME"], with or without !.
	TermEnv TermKind = "env"
	// TermOther is a number, boolean, null, undefined, object or array,
	// accepted only as the value of a key Convex does not know.
	TermOther TermKind = "other"
)

// Term is one operand: a string literal or an environment variable read.
type Term struct {
	Kind TermKind `json:"kind"`
	Pos  Pos      `json:"pos"`
	// Literal is the decoded value of a string term.
	Literal string `json:"literal,omitempty"`
	// Env is the variable name of an env term.
	Env string `json:"env,omitempty"`
	// Text is the term as written.
	Text string `json:"text"`
}

// CommentedProvider is a provider object found inside a comment.
type CommentedProvider struct {
	// Pos is where the commented-out object starts (its `{`, or its first
	// key when the brace is not commented out).
	Pos Pos `json:"pos"`
	// EndLine is the last line of the comment that holds it.
	EndLine int `json:"endLine"`
	// Text is the object with the comment markers removed.
	Text string `json:"text"`
	// Fields are the object's fields when the uncommented text parses
	// (lines are file lines; columns are within the uncommented text).
	Fields []FieldSource `json:"fields,omitempty"`
}

// ParseError is a part of auth.config.ts authscope does not understand. It
// names the file, the position and what was found there; authscope never
// guesses a value it cannot read.
type ParseError struct {
	File  string `json:"file"`
	Pos   Pos    `json:"pos"`
	Msg   string `json:"message"`
	Found string `json:"found,omitempty"`
}

func (e *ParseError) Error() string {
	s := fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
	if e.Found != "" {
		s += fmt.Sprintf(" (found %q)", untrusted.Text(e.Found, 40))
	}
	return s
}

// Limits that keep hostile input from exhausting the stack or memory.
const (
	maxNesting   = 32
	maxProviders = 256
)

// jsKeywords start something other than a value name after export default.
var jsKeywords = map[string]bool{
	"function": true, "class": true, "async": true, "new": true, "await": true, "typeof": true, "void": true, "this": true,
}

// Keys of a provider that Convex knows (reference/convex.md §1.1).
var knownKeys = map[string]bool{
	"type": true, "domain": true, "issuer": true, "jwks": true, "algorithm": true, "applicationID": true,
}

// ParseAuthConfig reads the subset of TypeScript that auth config files are
// written in: imports, one config object declared with const/let/var (with
// an optional type annotation) and exported by default, or exported
// directly, with `satisfies`/`as` type assertions; string, template (no
// ${}) literals and process.env reads joined by || or ??; comments
// anywhere; trailing commas; quoted or unquoted keys. Anything else (a
// call, a spread, another variable, a conditional) is a *ParseError naming
// the line and column. name is used in messages.
func ParseAuthConfig(name string, src []byte) (*AuthConfigFile, error) {
	lx := newLexer(string(src))
	p := &parser{file: name, src: lx.src, lx: lx}
	out, err := p.program()
	if le := p.lexErr; le != nil {
		// The tokenizer stopped at le; a parse error before that point
		// (found while looking ahead) is the first problem in the file.
		var pe *ParseError
		if !errors.As(err, &pe) || !before(pe.Pos, le.pos) {
			return nil, &ParseError{File: name, Pos: le.pos, Msg: le.msg, Found: le.found}
		}
	}
	if err != nil {
		return nil, err
	}
	out.Path = name
	out.CommentedOut = commentedProviders(lx.comments)
	return out, nil
}

type parser struct {
	file string
	src  string
	// lx produces tokens on demand (nil when toks was filled up front), so
	// that a parse error stops the work early on a large hostile file.
	lx     *lexer
	lexErr *lexError
	toks   []token
	i      int
	// configVar is the name the config object was declared as.
	configVar string
	configObj *AuthConfigFile
	configPos Pos
	exported  bool
	depth     int
	providers int
}

// at returns token i, lexing up to it; past the end (or a tokenizer
// error, kept in lexErr) it is an EOF token.
func (p *parser) at(i int) token {
	for i >= len(p.toks) {
		n := len(p.toks)
		if n > 0 && (p.toks[n-1].kind == tokEOF || p.lx == nil) {
			return p.toks[n-1]
		}
		if p.lx == nil {
			return token{kind: tokEOF}
		}
		t, err := p.lx.next()
		if err != nil {
			p.lexErr = err
			t = token{kind: tokEOF, pos: err.pos, off: p.lx.off, end: p.lx.off}
		}
		p.toks = append(p.toks, t)
	}
	return p.toks[i]
}

func (p *parser) tok() token { return p.at(p.i) }

func (p *parser) peekN(n int) token { return p.at(p.i + n) }

func (p *parser) nextTok() token {
	t := p.at(p.i)
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// before reports whether a comes before b in the file.
func before(a, b Pos) bool { return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col }

func (p *parser) is(text string) bool {
	t := p.tok()
	return (t.kind == tokPunct || t.kind == tokIdent) && t.text == text
}

// isByte is is for a one-character punctuator.
func (p *parser) isByte(c byte) bool { return p.is(string(c)) }

func (p *parser) isIdent(text string) bool {
	t := p.tok()
	return t.kind == tokIdent && t.text == text
}

func (p *parser) errAt(t token, msg string) *ParseError {
	return &ParseError{File: p.file, Pos: t.pos, Msg: msg, Found: p.snippet(t)}
}

// snippet shows the token, and for a name followed by ( or . a bit more,
// so the message says "getDomain(" rather than "getDomain".
func (p *parser) snippet(t token) string {
	if t.kind == tokEOF {
		return "end of file"
	}
	end := t.end
	if t.kind == tokIdent {
		idx := p.indexOf(t)
		for j := idx + 1; j <= idx+4; j++ {
			n := p.at(j)
			if n.kind == tokPunct && (n.text == "." || n.text == "(" || n.text == "[") || n.kind == tokIdent && p.at(j-1).text == "." {
				end = n.end
				if n.text == "(" || n.text == "[" {
					break
				}
				continue
			}
			break
		}
	}
	s := p.src[t.off:end]
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}

func (p *parser) indexOf(t token) int {
	for j := len(p.toks) - 1; j >= 0; j-- {
		if p.toks[j].off == t.off {
			return j
		}
	}
	return len(p.toks) - 1
}

func (p *parser) expect(text, what string) (token, error) {
	if !p.is(text) {
		return token{}, p.errAt(p.tok(), "expected "+what)
	}
	return p.nextTok(), nil
}

// program: Statement* EOF.
func (p *parser) program() (*AuthConfigFile, error) {
	for p.tok().kind != tokEOF {
		if err := p.statement(); err != nil {
			return nil, err
		}
	}
	if !p.exported {
		if p.configObj != nil {
			return nil, &ParseError{File: p.file, Pos: p.configPos, Msg: fmt.Sprintf("%s is declared but never exported: add `export default %s;` (Convex reads the default export)", p.configVar, p.configVar)}
		}
		return nil, &ParseError{File: p.file, Pos: p.tok().pos, Msg: "no `export default` found: Convex reads the default export of auth.config.ts"}
	}
	return p.configObj, nil
}

func (p *parser) statement() error {
	t := p.tok()
	switch {
	case p.is(";"):
		p.nextTok()
		return nil
	case p.isIdent("import"):
		return p.importDecl()
	case p.isIdent("const") || p.isIdent("let") || p.isIdent("var"):
		return p.varDecl()
	case p.isIdent("export"):
		return p.exportDecl()
	case t.kind == tokString && (t.value == "use strict" || t.value == "use node"):
		// A directive prologue changes nothing here.
		p.nextTok()
		return nil
	case p.isIdent("module") && p.peekN(1).text == "." && p.peekN(2).text == "exports":
		return p.errAt(t, "CommonJS `module.exports` is not supported: Convex bundles auth.config as an ES module; use `export default`")
	case p.isIdent("type") || p.isIdent("interface") || p.isIdent("declare"):
		return p.errAt(t, "a type declaration here is not supported: auth.config.ts should only import, declare the config object and export it")
	}
	return p.errAt(t, "unexpected statement: auth.config.ts should only import, declare the config object and export it")
}

// importDecl skips an import: `import "m"`, or any clause up to `from "m"`.
func (p *parser) importDecl() error {
	start := p.nextTok()
	if p.tok().kind == tokString {
		p.nextTok()
		p.optSemicolon()
		return nil
	}
	if p.is("(") || p.is(".") {
		return p.errAt(start, "a dynamic import or import.meta is not supported in auth.config.ts")
	}
	for n := 0; n < 200; n++ {
		t := p.tok()
		switch {
		case t.kind == tokEOF || p.is(";"):
			return p.errAt(t, "import without `from \"module\"`")
		case t.kind == tokIdent && t.text == "from" && p.peekN(1).kind == tokString:
			p.nextTok()
			p.nextTok()
			p.optSemicolon()
			return nil
		}
		p.nextTok()
	}
	return p.errAt(start, "import clause too long")
}

func (p *parser) optSemicolon() {
	if p.is(";") {
		p.nextTok()
	}
}

// varDecl: (const|let|var) Name (: Type)? = ConfigExpr.
func (p *parser) varDecl() error {
	kw := p.nextTok()
	name := p.tok()
	if name.kind != tokIdent {
		return p.errAt(name, "a destructuring declaration is not supported: declare the config object as `const authConfig = { providers: [...] }`")
	}
	p.nextTok()
	if p.isByte(':') {
		p.nextTok()
		if err := p.typeExpr(); err != nil {
			return err
		}
	}
	if !p.is("=") {
		return p.errAt(p.tok(), fmt.Sprintf("expected = after %s %s", kw.text, name.text))
	}
	p.nextTok()
	if p.configObj != nil {
		return p.errAt(name, fmt.Sprintf("a second variable (%s) is not supported: authscope reads one config object, %s; write values inline", name.text, p.configVar))
	}
	if !p.startsObject() {
		return p.errAt(name, fmt.Sprintf("a variable other than the config object (%s) is not supported: authscope reads only the object literal { providers: [...] } and does not evaluate other variables; write the value inline", name.text))
	}
	cfg, err := p.configExpr()
	if err != nil {
		return err
	}
	p.configVar, p.configObj, p.configPos = name.text, cfg, name.pos
	if p.is(",") {
		return p.errAt(p.tok(), "declaring several variables in one statement is not supported")
	}
	p.optSemicolon()
	return nil
}

// startsObject reports whether the next tokens open an object literal,
// possibly inside parentheses.
func (p *parser) startsObject() bool {
	for j := p.i; j <= p.i+maxNesting+1; j++ {
		t := p.at(j)
		switch {
		case t.kind == tokPunct && t.text == "(":
			continue
		case t.kind == tokPunct && t.text == "{":
			return true
		}
		return false
	}
	return false
}

func (p *parser) exportDecl() error {
	exp := p.nextTok()
	switch {
	case p.isIdent("default"):
		p.nextTok()
		if p.exported {
			return p.errAt(exp, "a second `export default`")
		}
		if p.startsObject() {
			cfg, err := p.configExpr()
			if err != nil {
				return err
			}
			if p.configObj != nil {
				return p.errAt(exp, fmt.Sprintf("export default of an object while %s is also declared: authscope reads one config object", p.configVar))
			}
			p.configObj, p.configPos = cfg, exp.pos
			p.exported = true
			p.optSemicolon()
			return nil
		}
		t := p.tok()
		if t.kind == tokIdent && !p.isCallOrMember(1) && !jsKeywords[t.text] {
			if p.configObj == nil || t.text != p.configVar {
				return p.errAt(t, fmt.Sprintf("export default %s: %s is not a config object declared above it in this file", t.text, t.text))
			}
			p.nextTok()
			if err := p.typeSuffixes(); err != nil {
				return err
			}
			p.exported = true
			p.optSemicolon()
			return nil
		}
		return p.errAt(t, "export default must be the config object or the variable that holds it; authscope does not evaluate other expressions")
	case p.isIdent("const") || p.isIdent("let") || p.isIdent("var"):
		return p.varDecl()
	case p.is("{"):
		// export { authConfig as default }
		p.nextTok()
		t := p.tok()
		if t.kind == tokIdent && p.peekN(1).text == "as" && p.peekN(2).text == "default" && p.peekN(3).text == "}" {
			if p.configObj == nil || t.text != p.configVar {
				return p.errAt(t, fmt.Sprintf("%s is not a config object declared above in this file", t.text))
			}
			if p.exported {
				return p.errAt(exp, "a second default export")
			}
			p.i += 4
			p.exported = true
			p.optSemicolon()
			return nil
		}
		return p.errAt(exp, "only `export { name as default }` is supported among export lists")
	case p.isIdent("type") || p.isIdent("interface"):
		return p.errAt(p.tok(), "an exported type declaration is not supported in auth.config.ts")
	}
	return p.errAt(p.tok(), "unsupported export: use `export default`")
}

// isCallOrMember reports whether the token n ahead is ( . [ or ?. , which
// would make the current name a call or a member read.
func (p *parser) isCallOrMember(n int) bool {
	t := p.peekN(n)
	return t.kind == tokPunct && (t.text == "(" || t.text == "." || t.text == "[" || t.text == "?.")
}

// typeSuffixes consumes `satisfies T`, `as T` and `!`, any number of times.
func (p *parser) typeSuffixes() error {
	for {
		switch {
		case p.isIdent("satisfies") || p.isIdent("as"):
			p.nextTok()
			if err := p.typeExpr(); err != nil {
				return err
			}
		case p.is("!") && p.peekN(1).text != "=":
			p.nextTok()
		default:
			return nil
		}
	}
}

// typeExpr consumes a simple type: const, a (qualified) name with optional
// type arguments and array suffixes, or unions of them.
func (p *parser) typeExpr() error {
	for {
		t := p.tok()
		if t.kind != tokIdent {
			return p.errAt(t, "expected a type name")
		}
		p.nextTok()
		for p.is(".") && p.peekN(1).kind == tokIdent {
			p.nextTok()
			p.nextTok()
		}
		if p.is("<") {
			if err := p.skipBalanced("<", ">"); err != nil {
				return err
			}
		}
		for p.is("[") && p.peekN(1).text == "]" {
			p.nextTok()
			p.nextTok()
		}
		if !p.is("|") && !p.is("&") {
			return nil
		}
		p.nextTok()
	}
}

func (p *parser) skipBalanced(open, close string) error {
	start := p.tok()
	depth := 0
	for n := 0; n < 1000; n++ {
		t := p.nextTok()
		switch {
		case t.kind == tokEOF:
			return p.errAt(start, "type arguments are never closed")
		case t.kind == tokPunct && t.text == open:
			depth++
		case t.kind == tokPunct && t.text == close:
			depth--
			if depth == 0 {
				return nil
			}
		case t.kind == tokPunct && t.text == ">=":
			depth--
			if depth <= 0 {
				return p.errAt(t, "unexpected >= in a type")
			}
		}
	}
	return p.errAt(start, "type arguments too long")
}

// configExpr: "(" configExpr ")" | Object TypeSuffix*.
func (p *parser) configExpr() (*AuthConfigFile, error) {
	if p.is("(") {
		p.nextTok()
		if err := p.enter(); err != nil {
			return nil, err
		}
		cfg, err := p.configExpr()
		p.depth--
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(")", ")"); err != nil {
			return nil, err
		}
		return cfg, p.typeSuffixes()
	}
	cfg, err := p.configObject()
	if err != nil {
		return nil, err
	}
	if err := p.typeSuffixes(); err != nil {
		return nil, err
	}
	return cfg, p.noOperatorAfter()
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxNesting {
		return p.errAt(p.tok(), "nested too deeply")
	}
	return nil
}

// configObject: { providers: [...], other: literal, ... }.
func (p *parser) configObject() (*AuthConfigFile, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	cfg := &AuthConfigFile{}
	if _, err := p.expect("{", "{"); err != nil {
		return nil, err
	}
	for !p.is("}") {
		key, kt, err := p.propertyKey()
		if err != nil {
			return nil, err
		}
		if key == "providers" {
			if cfg.HasProviders {
				return nil, p.errAt(kt, "providers is given twice")
			}
			cfg.HasProviders = true
			provs, err := p.providerList()
			if err != nil {
				return nil, err
			}
			cfg.Providers = provs
		} else if _, err := p.otherValue(); err != nil {
			return nil, err
		}
		if !p.is(",") {
			break
		}
		p.nextTok()
	}
	if _, err := p.expect("}", ", or } after a property"); err != nil {
		return nil, err
	}
	return cfg, nil
}

// propertyKey reads `key:` with an identifier, string or number key and
// rejects spreads, shorthand properties, methods and computed keys.
func (p *parser) propertyKey() (string, token, error) {
	t := p.tok()
	var key string
	switch {
	case p.is("..."):
		return "", t, p.errAt(t, "a spread (...) is not supported: write the properties out")
	case p.is("["):
		return "", t, p.errAt(t, "a computed key [..] is not supported")
	case t.kind == tokIdent:
		key = t.text
	case t.kind == tokString:
		key = t.value
	case t.kind == tokNumber:
		key = t.text
	default:
		return "", t, p.errAt(t, "expected a property name")
	}
	p.nextTok()
	if !p.isByte(':') {
		n := p.tok()
		switch {
		case p.is(",") || p.is("}"):
			return "", t, p.errAt(t, fmt.Sprintf("a shorthand property refers to the variable %s, which authscope does not evaluate: write `%s: value`", key, key))
		case p.is("("):
			return "", t, p.errAt(t, "a method is not supported in the config object")
		case t.kind == tokIdent && (key == "get" || key == "set" || key == "async"):
			return "", t, p.errAt(t, "a getter, setter or method is not supported in the config object")
		}
		return "", t, p.errAt(n, fmt.Sprintf("expected : after %s", key))
	}
	p.nextTok()
	return key, t, nil
}

// providerList: "[" (ProviderObject ("," ProviderObject)* ","?)? "]" TypeSuffix*.
func (p *parser) providerList() ([]ProviderSource, error) {
	if p.is("(") && p.peekN(1).text == "[" {
		p.nextTok()
		list, err := p.providerList()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(")", ")"); err != nil {
			return nil, err
		}
		return list, p.typeSuffixes()
	}
	if !p.is("[") {
		return nil, p.errAt(p.tok(), "providers must be an array literal [ {...}, ... ]; authscope does not evaluate other expressions")
	}
	p.nextTok()
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	list := []ProviderSource{}
	for !p.is("]") {
		t := p.tok()
		switch {
		case p.is("..."):
			return nil, p.errAt(t, "a spread (...) in providers is not supported: list each provider object")
		case p.is(","):
			return nil, p.errAt(t, "an empty slot in providers (two commas in a row)")
		case !p.startsObject():
			return nil, p.unsupportedValue(t, "each provider must be an object literal { domain: ..., applicationID: ... }")
		}
		if p.providers >= maxProviders {
			return nil, p.errAt(t, "too many providers")
		}
		prov, err := p.providerObject(len(list))
		if err != nil {
			return nil, err
		}
		list = append(list, prov)
		p.providers++
		if !p.is(",") {
			break
		}
		p.nextTok()
	}
	if _, err := p.expect("]", ", or ] after a provider"); err != nil {
		return nil, err
	}
	if err := p.typeSuffixes(); err != nil {
		return nil, err
	}
	return list, p.noOperatorAfter()
}

// providerObject: "{" (Key colon ValueExpr ("," ...)* ","?)? "}" TypeSuffix*,
// possibly in parentheses.
func (p *parser) providerObject(index int) (ProviderSource, error) {
	if p.is("(") {
		p.nextTok()
		if err := p.enter(); err != nil {
			return ProviderSource{}, err
		}
		prov, err := p.providerObject(index)
		p.depth--
		if err != nil {
			return prov, err
		}
		if _, err := p.expect(")", ")"); err != nil {
			return prov, err
		}
		return prov, p.typeSuffixes()
	}
	if err := p.enter(); err != nil {
		return ProviderSource{}, err
	}
	defer func() { p.depth-- }()
	open, err := p.expect("{", "{")
	if err != nil {
		return ProviderSource{}, err
	}
	prov := ProviderSource{Index: index, Pos: open.pos}
	for !p.is("}") {
		key, kt, err := p.propertyKey()
		if err != nil {
			return prov, err
		}
		var val Expr
		if knownKeys[key] {
			val, err = p.valueExpr(key)
		} else {
			val, err = p.otherValue()
		}
		if err != nil {
			return prov, err
		}
		f := FieldSource{Key: key, Pos: kt.pos, Value: val}
		// As in JavaScript, a repeated key keeps the last value.
		replaced := false
		for i := range prov.Fields {
			if prov.Fields[i].Key == key {
				prov.Fields[i] = f
				replaced = true
			}
		}
		if !replaced {
			prov.Fields = append(prov.Fields, f)
			if !knownKeys[key] {
				prov.OtherKeys = append(prov.OtherKeys, key)
			}
		}
		if !p.is(",") {
			break
		}
		p.nextTok()
	}
	if _, err := p.expect("}", ", or } after a provider field"); err != nil {
		return prov, err
	}
	if err := p.typeSuffixes(); err != nil {
		return prov, err
	}
	return prov, p.noOperatorAfter()
}

// valueExpr: Term (("||" | "??") Term)* TypeSuffix*, where every term is
// a string: the value of a key Convex knows.
func (p *parser) valueExpr(key string) (Expr, error) {
	start := p.tok()
	var e Expr
	for {
		t, err := p.term(true)
		if err != nil {
			return e, err
		}
		if t.Kind == TermOther {
			return e, &ParseError{File: p.file, Pos: t.Pos, Msg: fmt.Sprintf("%s must be a string: Convex rejects other types", key), Found: t.Text}
		}
		e.Terms = append(e.Terms, t)
		if !p.is("||") && !p.is("??") {
			break
		}
		op := p.nextTok().text
		if e.Op != "" && e.Op != op {
			return e, p.errAt(p.toks[p.i-1], "mixing || and ?? needs parentheses, and authscope does not read it")
		}
		e.Op = op
		if len(e.Terms) > 16 {
			return e, p.errAt(p.tok(), "too many alternatives")
		}
	}
	if err := p.typeSuffixes(); err != nil {
		return e, err
	}
	if err := p.noOperatorAfter(); err != nil {
		return e, err
	}
	e.Text = strings.TrimSpace(p.src[start.off:p.toks[p.i-1].end])
	return e, nil
}

// term reads one operand: a string, a template literal without ${}, or
// process.env.NAME / process.env["NAME"] with optional ! and `as T`, or a
// parenthesised term. With strict false (values of unknown keys) numbers,
// booleans, null, undefined and nested literals are accepted too.
func (p *parser) term(strict bool) (Term, error) {
	t := p.tok()
	var out Term
	switch {
	case t.kind == tokString || t.kind == tokTemplate:
		p.nextTok()
		out = Term{Kind: TermString, Pos: t.pos, Literal: t.value, Text: t.text}
	case p.isIdent("process") && p.peekN(1).text == "." && p.peekN(2).text == "env":
		name, err := p.envRead()
		if err != nil {
			return out, err
		}
		out = Term{Kind: TermEnv, Pos: t.pos, Env: name, Text: p.src[t.off:p.toks[p.i-1].end]}
	case p.is("("):
		p.nextTok()
		if err := p.enter(); err != nil {
			return out, err
		}
		inner, err := p.term(strict)
		p.depth--
		if err != nil {
			return out, err
		}
		if p.is("||") || p.is("??") {
			return out, p.errAt(p.tok(), "a parenthesised || or ?? chain is not supported: write the alternatives without parentheses")
		}
		if _, err := p.expect(")", ")"); err != nil {
			return out, err
		}
		out = inner
		out.Text = p.src[t.off:p.toks[p.i-1].end]
	case t.kind == tokNumber || p.isIdent("true") || p.isIdent("false") || p.isIdent("null") || p.isIdent("undefined"):
		if t.kind == tokIdent && p.isCallOrMember(1) {
			return out, p.unsupportedValue(t, "")
		}
		p.nextTok()
		out = Term{Kind: TermOther, Pos: t.pos, Text: t.text}
	case (p.is("-") || p.is("+")) && p.peekN(1).kind == tokNumber:
		p.nextTok()
		n := p.nextTok()
		out = Term{Kind: TermOther, Pos: t.pos, Text: t.text + n.text}
	case !strict && (p.is("{") || p.is("[")):
		if err := p.skipLiteral(); err != nil {
			return out, err
		}
		out = Term{Kind: TermOther, Pos: t.pos, Text: p.src[t.off:p.toks[p.i-1].end]}
	default:
		return out, p.unsupportedValue(t, "")
	}
	for p.is("!") && p.peekN(1).text != "=" {
		p.nextTok()
	}
	if p.isIdent("as") || p.isIdent("satisfies") {
		if err := p.typeSuffixes(); err != nil {
			return out, err
		}
	}
	if p.isCallOrMember(0) {
		return out, p.errAt(p.tok(), "a call or property read on a value is not supported: authscope reads only string literals and process.env.NAME")
	}
	return out, nil
}

// envRead reads process.env.NAME or process.env["NAME"].
func (p *parser) envRead() (string, error) {
	start := p.tok()
	p.i += 3 // process . env
	switch {
	case p.is(".") && p.peekN(1).kind == tokIdent:
		p.nextTok()
		return p.nextTok().text, nil
	case p.is("[") && (p.peekN(1).kind == tokString || p.peekN(1).kind == tokTemplate) && p.peekN(2).text == "]":
		p.nextTok()
		name := p.nextTok().value
		p.nextTok()
		if name == "" {
			return "", p.errAt(start, "process.env[\"\"] reads no variable")
		}
		return name, nil
	case p.is("?."):
		return "", p.errAt(p.tok(), "optional chaining on process.env is not supported: write process.env.NAME")
	}
	return "", p.errAt(start, "process.env must be followed by .NAME or [\"NAME\"]; authscope does not evaluate other reads of process.env")
}

// otherValue reads the value of a key Convex does not know, which may be
// any literal, so that the key can be reported without guessing.
func (p *parser) otherValue() (Expr, error) {
	start := p.tok()
	var e Expr
	for {
		t, err := p.term(false)
		if err != nil {
			return e, err
		}
		e.Terms = append(e.Terms, t)
		if !p.is("||") && !p.is("??") || len(e.Terms) > 16 {
			break
		}
		e.Op = p.nextTok().text
	}
	if err := p.noOperatorAfter(); err != nil {
		return e, err
	}
	e.Text = strings.TrimSpace(p.src[start.off:p.toks[p.i-1].end])
	return e, nil
}

// skipLiteral consumes a nested object or array literal of literals.
func (p *parser) skipLiteral() error {
	if err := p.enter(); err != nil {
		return err
	}
	defer func() { p.depth-- }()
	if p.is("[") {
		p.nextTok()
		for !p.is("]") {
			if p.is("...") {
				return p.errAt(p.tok(), "a spread (...) is not supported")
			}
			if _, err := p.otherValue(); err != nil {
				return err
			}
			if !p.is(",") {
				break
			}
			p.nextTok()
		}
		_, err := p.expect("]", ", or ]")
		return err
	}
	p.nextTok() // {
	for !p.is("}") {
		if _, _, err := p.propertyKey(); err != nil {
			return err
		}
		if _, err := p.otherValue(); err != nil {
			return err
		}
		if !p.is(",") {
			break
		}
		p.nextTok()
	}
	_, err := p.expect("}", ", or }")
	return err
}

// noOperatorAfter rejects an operator that would make the value computed:
// a conditional, a concatenation, a logical and, a comparison.
func (p *parser) noOperatorAfter() error {
	t := p.tok()
	if t.kind != tokPunct {
		return nil
	}
	switch t.text {
	case "?":
		return p.errAt(t, "a conditional (… ? … : …) is not supported: authscope does not guess which branch Convex takes")
	case "+", "-", "*", "/", "%":
		return p.errAt(t, "arithmetic or string concatenation is not supported: write the whole value as one string")
	case "&&":
		return p.errAt(t, "an && expression is not supported")
	case "==", "!=", "<", ">", "<=", ">=", "=":
		return p.errAt(t, "a comparison or assignment is not supported here")
	}
	return nil
}

// unsupportedValue names what was found where a value was expected.
func (p *parser) unsupportedValue(t token, expected string) error {
	var msg string
	switch {
	case t.kind == tokEOF:
		msg = "the file ends where a value was expected"
	case p.is("..."):
		msg = "a spread (...) is not supported"
	case t.kind == tokIdent && t.text == "import" && p.peekN(1).text == ".":
		msg = "import.meta.env is not available in Convex: use process.env.NAME"
	case t.kind == tokIdent && t.text == "new":
		msg = "a constructor call is not supported: authscope reads only string literals and process.env.NAME"
	case p.peekN(1).kind == tokPunct && p.peekN(1).text == "?":
		msg = "a conditional (… ? … : …) is not supported: authscope does not guess which branch Convex takes"
	case t.kind == tokIdent && p.peekN(1).text == "(":
		msg = fmt.Sprintf("a function call (%s) is not supported: authscope reads only string literals and process.env.NAME", t.text)
	case t.kind == tokIdent && p.peekN(1).text == "=>" || p.is("(") && p.peekN(1).text == ")":
		msg = "a function is not supported here"
	case t.kind == tokIdent && t.text == "process":
		msg = "only process.env.NAME or process.env[\"NAME\"] is supported"
	case t.kind == tokIdent && p.isCallOrMember(1):
		msg = fmt.Sprintf("reading a property of %s is not supported: authscope reads only string literals and process.env.NAME", t.text)
	case t.kind == tokIdent:
		msg = fmt.Sprintf("the variable %s is not supported: authscope does not evaluate variables other than the config object; write the value inline", t.text)
	case p.is("!"):
		msg = "a negation is not supported"
	default:
		msg = "expected a string or process.env.NAME"
	}
	if expected != "" {
		msg += "; " + expected
	}
	return p.errAt(t, msg)
}
