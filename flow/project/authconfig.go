package project

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/authscope/authscope/flow/untrusted"
)

// AuthConfigFile is convex/auth.config.ts as Convex evaluates it: the
// providers of its default export, in order, each field with the value
// Convex would read, where it is written and which environment variables
// it came from. Variables authscope does not know read as placeholders
// (see FieldSource.Value), so a value built from one can still be shown
// and, when the publishable key says what it must be, worked out.
type AuthConfigFile struct {
	// Path is the config file, relative to the project root.
	Path string `json:"path"`
	// Inputs are the files esbuild bundled: the config and what it imports.
	Inputs []string `json:"inputs"`
	// HasProviders is false when the default export has no providers key
	// at all (Convex rejects such a file at push time).
	HasProviders bool             `json:"hasProviders"`
	Providers    []ProviderSource `json:"providers"`
	// Reads are the config's reads of process.env, in order.
	Reads []EnvRead `json:"reads,omitempty"`
	// Unknown are the variables that read as placeholders, by placeholder
	// number.
	Unknown []string `json:"unknown,omitempty"`
	// Undecided are unknown variables the config read that no provider
	// field accounts for: the config may branch on them, so its result
	// cannot be trusted until their values are known.
	Undecided []string `json:"undecided,omitempty"`
}

// EnvRead is one read of process.env.NAME.
type EnvRead struct {
	Name  string `json:"name"`
	Known bool   `json:"known"`
	// Pos is where the read happens (the innermost place in the files of
	// the config).
	Pos Pos `json:"pos"`
}

// ProviderSource is one provider of the default export.
type ProviderSource struct {
	Index int `json:"index"`
	// Pos is where the provider object is written (its {).
	Pos    Pos           `json:"pos"`
	Fields []FieldSource `json:"fields"`
	// OtherKeys are keys Convex does not know (for example "applicationId").
	OtherKeys []string `json:"otherKeys,omitempty"`
	// NotObject is set when the element of providers is not an object.
	NotObject bool `json:"notObject,omitempty"`
}

// Field returns the field with key, if the provider has it.
func (p ProviderSource) Field(key string) (FieldSource, bool) {
	for _, f := range p.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return FieldSource{}, false
}

// FieldSource is one field of a provider that Convex reads.
type FieldSource struct {
	Key string `json:"key"`
	// Pos is where the key is written, in the config or a file it imports.
	Pos Pos `json:"pos"`
	// Expr is the value as written there, e.g.
	// process.env.CLERK_JWT_ISSUER_DOMAIN!.
	Expr string `json:"expr"`
	// Op is "||" or "??" when Expr is a chain of alternatives.
	Op string `json:"op,omitempty"`
	// Value is the value Convex would read. A variable authscope does not
	// know stands in it as a placeholder (Unknowns lists them; Template
	// shows them). When NotString is set the value is not a string and
	// Value holds its JSON.
	Value     string `json:"value"`
	NotString bool   `json:"notString,omitempty"`
	// Reads are the variables the value was computed from, in the order
	// the config read them; ReadAt says where each was read.
	Reads  []string `json:"reads,omitempty"`
	ReadAt []Pos    `json:"readAt,omitempty"`
	// DependsOn are unknown variables the config read while computing the
	// value but that do not appear in it: a condition decided on them, so
	// the value is only right for the placeholder, not for the real value.
	DependsOn []string `json:"dependsOn,omitempty"`
}

// Limits that keep a hostile file from flooding the result.
const (
	maxProviders = 256
	maxExprText  = 400
)

// Keys of a provider that Convex knows (SPEC.md "What Convex checks").
var knownKeys = map[string]bool{
	"type": true, "domain": true, "issuer": true, "jwks": true, "algorithm": true, "applicationID": true,
}

// ReadErrorKind says why an auth config could not be read.
type ReadErrorKind string

// Read error kinds.
const (
	// ReadBundle: esbuild cannot bundle the file (a syntax error, an import
	// it cannot resolve). `npx convex dev` stops at the same place.
	ReadBundle ReadErrorKind = "bundle"
	// ReadThrow: evaluating the bundle throws.
	ReadThrow ReadErrorKind = "throw"
	// ReadTimeout: the evaluation did not finish in time.
	ReadTimeout ReadErrorKind = "timeout"
	// ReadTooLarge: a file or the bundle is over authscope's caps, or the
	// evaluation used too much memory.
	ReadTooLarge ReadErrorKind = "too-large"
	// ReadEngine: authscope's JavaScript engine cannot run what esbuild
	// produced.
	ReadEngine ReadErrorKind = "engine"
	// ReadTwoFiles: auth.config.ts and auth.config.js both exist, which
	// the Convex CLI refuses.
	ReadTwoFiles ReadErrorKind = "two-files"
)

// ReadError is an auth config that does not bundle or evaluate. It names
// the file and the place, and says what happened there.
type ReadError struct {
	Kind ReadErrorKind `json:"kind"`
	Pos  Pos           `json:"pos"`
	// Msg is esbuild's or the script's message, cut and escaped.
	Msg string `json:"message"`
	// Placeholders are the unknown variables that held placeholders when
	// the config failed: the failure may be theirs, not the file's.
	Placeholders []string `json:"placeholders,omitempty"`
}

func (e *ReadError) Error() string {
	s := fmt.Sprintf("%s: %s", e.Pos, untrusted.Text(e.Msg, 300))
	if len(e.Placeholders) > 0 {
		s += fmt.Sprintf(" (while %s held a stand-in value, as authscope does not know it)", strings.Join(e.Placeholders, ", "))
	}
	return s
}

// Title is what went wrong, in a few words, for a finding's title.
func (e *ReadError) Title() string {
	switch e.Kind {
	case ReadBundle:
		return "does not compile"
	case ReadThrow:
		return "throws when evaluated"
	case ReadTimeout:
		return "does not finish evaluating"
	case ReadTooLarge:
		return "is too large to evaluate"
	case ReadTwoFiles:
		return "has a competing auth.config.js"
	}
	return "cannot be evaluated"
}

// ReadAuthConfig reads the auth config at entry (relative to root) the
// way Convex does: esbuild bundles it with what it imports, and the bundle
// is evaluated in a sandbox with lookup answering process.env reads (a
// variable lookup does not know reads as a placeholder). The error is a
// *ReadError, or a *rules.ConfigError when the file evaluates but Convex
// would refuse its shape (no default export, providers not a list).
func ReadAuthConfig(root, entry string, lookup func(name string) (string, bool)) (*AuthConfigFile, error) {
	r, err := newConfigReader(root, entry, nil)
	if err != nil {
		return nil, err
	}
	return r.evaluate(lookup)
}

// configReader is a config bundled and compiled once, to be evaluated
// with different environments.
type configReader struct {
	entry string
	b     *bundled
	ins   *instrumented
	prg   *goja.Program
	// bundleLines are the line starts of the bundle.
	bundleLines []int
	// timeout is how long an evaluation may run (evalTimeout, or what is
	// left of a budget shared by several).
	timeout time.Duration
}

func newConfigReader(root, entry string, stdin *string) (*configReader, error) {
	b, err := bundleAuthConfig(root, entry, stdin)
	if err != nil {
		return nil, err
	}
	r := &configReader{entry: entry, b: b, bundleLines: lineStarts(b.js), timeout: evalTimeout}
	if ins, err := instrument(b.js); err == nil {
		if prg, err := goja.Compile(scriptName, ins.js, true); err == nil {
			r.ins, r.prg = ins, prg
			return r, nil
		}
	}
	// Without the sites the config still evaluates; only the places of
	// its fields are lost.
	prg, err := goja.Compile(scriptName, b.js, true)
	if err != nil {
		return nil, &ReadError{Kind: ReadEngine, Pos: r.entryPos(), Msg: "authscope's JavaScript engine cannot run the bundle esbuild made: " + untrusted.Text(err.Error(), 200)}
	}
	r.ins, r.prg = &instrumented{js: b.js}, prg
	return r, nil
}

func (r *configReader) entryPos() Pos { return Pos{File: r.entry, Line: 1, Col: 1} }

func lineStarts(s string) []int {
	out := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, i+1)
		}
	}
	return out
}

// source maps a bundle offset to its file and offset there.
func (r *configReader) source(off int) (*srcText, int, bool) {
	line := sort.Search(len(r.bundleLines), func(i int) bool { return r.bundleLines[i] > off }) - 1
	if line < 0 {
		return nil, 0, false
	}
	seg, ok := r.b.smap.lookup(line, off-r.bundleLines[line])
	if !ok || seg.src >= len(r.b.sources) {
		return nil, 0, false
	}
	src := r.b.sources[seg.src]
	o := src.offset(seg.line, seg.col)
	if o < 0 {
		return nil, 0, false
	}
	return src, o, true
}

// pos maps a bundle offset to a place in the config's files.
func (r *configReader) pos(off int) (Pos, bool) {
	src, o, ok := r.source(off)
	if !ok {
		return Pos{}, false
	}
	return src.pos(o), true
}
