package project

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/evanw/esbuild/pkg/api"
)

// Size caps of what the reader bundles and evaluates. Auth configs are a
// few hundred bytes; a config that pulls a package in stays far below.
//
// The per-file cap and the nesting cap also bound how deep esbuild's and
// goja's recursive-descent parsers can go: a Go stack overflow is fatal,
// so no input may reach one (about 2 KiB of stack per level, at most one
// level per byte).
const (
	maxBundleInput  = 256 << 10 // one file esbuild reads
	maxBundleInputs = 4 << 20   // all of them together
	maxBundle       = 2 << 20   // the bundle itself
	maxNesting      = 1000      // brackets inside brackets in one file
)

// bundleGlobal is the variable the bundle's exports are assigned to.
const bundleGlobal = "__authscope_auth_config"

// bundled is auth.config.ts bundled into one script.
type bundled struct {
	js     string
	smap   *sourceMap
	inputs []string // the files bundled, relative to the root
	// sources holds the text of every source of the map, by map index.
	sources []*srcText
}

// bundleAuthConfig bundles the auth config the way the Convex CLI does
// (SPEC.md "Bundling"): esbuild follows its imports, TypeScript included,
// for the browser platform, with the same conditions, define and
// minification, as one module. Two things differ, neither of which
// changes what the config evaluates to: the format is an IIFE assigning
// the module's exports to a variable, because goja runs scripts, not
// modules; and every file read is size-capped.
//
// root is the project root; entry is the config file relative to it. With
// stdin set, that text is bundled instead, named entry (how commented-out
// providers are read).
func bundleAuthConfig(root, entry string, stdin *string) (*bundled, error) {
	guard := &inputGuard{root: root, texts: map[string]string{}}
	if stdin != nil {
		guard.texts[entry] = *stdin
	}
	opts := api.BuildOptions{
		Bundle:            true,
		Write:             false,
		Platform:          api.PlatformBrowser,
		Format:            api.FormatIIFE,
		GlobalName:        bundleGlobal,
		Target:            api.ESNext,
		JSX:               api.JSXAutomatic,
		Conditions:        []string{"convex", "module"},
		Define:            map[string]string{"process.env.NODE_ENV": `"production"`},
		TreeShaking:       api.TreeShakingTrue,
		MinifySyntax:      true,
		MinifyIdentifiers: true,
		KeepNames:         true,
		LegalComments:     api.LegalCommentsNone,
		Charset:           api.CharsetASCII,
		Sourcemap:         api.SourceMapExternal,
		// The guard keeps each file's text: esbuild's own copy in the map
		// never finishes for a file that ends inside a UTF-8 sequence.
		SourcesContent: api.SourcesContentExclude,
		AbsWorkingDir:  root,
		Outfile:        filepath.Join(root, "auth.config.bundle.js"),
		LogLevel:       api.LogLevelSilent,
		Plugins:        []api.Plugin{serverOnlyPlugin, asyncHooksShimPlugin, guard.plugin()},
	}
	if stdin != nil {
		if len(*stdin) > maxBundleInput || tooDeep(*stdin, maxNesting) {
			return nil, &ReadError{Kind: ReadTooLarge, Pos: Pos{File: entry, Line: 1, Col: 1}, Msg: "too large or nested too deeply"}
		}
		opts.Stdin = &api.StdinOptions{Contents: *stdin, ResolveDir: root, Sourcefile: entry, Loader: api.LoaderTS}
	} else {
		opts.EntryPoints = []string{filepath.Join(root, filepath.FromSlash(entry))}
	}
	res := api.Build(opts)
	if len(res.Errors) > 0 {
		return nil, bundleError(root, entry, res.Errors[0])
	}
	b := &bundled{inputs: guard.files()}
	for _, f := range res.OutputFiles {
		if strings.HasSuffix(f.Path, ".map") {
			m, err := parseSourceMap(f.Contents)
			if err != nil {
				return nil, &ReadError{Kind: ReadBundle, Pos: Pos{File: entry, Line: 1, Col: 1}, Msg: "esbuild wrote a source map authscope cannot read: " + err.Error()}
			}
			b.smap = m
		} else {
			b.js = string(f.Contents)
		}
	}
	if len(b.js) > maxBundle {
		return nil, &ReadError{Kind: ReadTooLarge, Pos: Pos{File: entry, Line: 1, Col: 1},
			Msg: fmt.Sprintf("the bundle is %d bytes; authscope evaluates at most %d (does the config import a large package?)", len(b.js), maxBundle)}
	}
	if b.smap == nil {
		return nil, &ReadError{Kind: ReadBundle, Pos: Pos{File: entry, Line: 1, Col: 1}, Msg: "esbuild wrote no source map"}
	}
	for _, name := range b.smap.sources {
		name = relSource(name)
		b.sources = append(b.sources, newSrcText(name, guard.texts[name]))
	}
	return b, nil
}

// relSource turns a source-map path (relative to the root, where the
// bundle would be written) into the slash-separated form findings use.
func relSource(name string) string {
	return strings.TrimPrefix(filepath.ToSlash(name), "./")
}

// bundleError turns esbuild's first error into a ReadError at its place.
func bundleError(root, entry string, m api.Message) *ReadError {
	pos := Pos{File: entry, Line: 1, Col: 1}
	if l := m.Location; l != nil {
		file := l.File
		if filepath.IsAbs(file) {
			if r, err := filepath.Rel(root, file); err == nil {
				file = r
			}
		}
		col := l.Column + 1
		if l.Column <= len(l.LineText) {
			col = 1 + utf8.RuneCountInString(l.LineText[:l.Column])
		}
		pos = Pos{File: filepath.ToSlash(file), Line: l.Line, Col: col}
	}
	return &ReadError{Kind: ReadBundle, Pos: pos, Msg: m.Text}
}

// inputGuard is a plugin that checks every file before esbuild reads it:
// a regular file, under the per-file and total caps, not nested too deep.
// It also lists them and keeps their text.
type inputGuard struct {
	root  string
	mu    sync.Mutex
	total int64
	seen  []string
	texts map[string]string
}

func (g *inputGuard) plugin() api.Plugin {
	return api.Plugin{Name: "authscope-input-guard", Setup: func(b api.PluginBuild) {
		b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: "file"}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
			if err := g.check(a.Path); err != nil {
				return api.OnLoadResult{Errors: []api.Message{{Text: err.Error()}}}, nil
			}
			return api.OnLoadResult{}, nil // esbuild reads it
		})
	}}
}

func (g *inputGuard) check(path string) error {
	name := path
	if r, err := filepath.Rel(g.root, path); err == nil {
		name = filepath.ToSlash(r)
	}
	data, err := readCapped(path, maxBundleInput)
	if errors.Is(err, errTooLarge) {
		return fmt.Errorf("%s is over %d bytes; authscope bundles files of at most that", name, maxBundleInput)
	}
	if err != nil {
		return err
	}
	if tooDeep(string(data), maxNesting) {
		return fmt.Errorf("%s nests brackets more than %d deep", name, maxNesting)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.total += int64(len(data))
	g.seen = append(g.seen, name)
	g.texts[name] = string(data)
	if g.total > maxBundleInputs {
		return fmt.Errorf("the files the config imports total over %d bytes; authscope bundles at most that", maxBundleInputs)
	}
	return nil
}

func (g *inputGuard) files() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := append([]string(nil), g.seen...)
	sort.Strings(out)
	return out
}

// serverOnlyPlugin stubs `import "server-only"` with an empty module, as
// the Convex CLI does (src/bundler/serverOnly.ts).
var serverOnlyPlugin = stubPlugin("convex-server-only", `^server-only$`, "")

// asyncHooksShimPlugin maps async_hooks to the runtime's globals, as the
// Convex CLI does for its isolate runtime (src/bundler/debugBundle.ts).
var asyncHooksShimPlugin = stubPlugin("convex-async-hooks-shim", `^(node:)?async_hooks$`,
	"export const AsyncLocalStorage = globalThis.AsyncLocalStorage;\n"+
		"export const AsyncResource = globalThis.AsyncResource;\n"+
		"export default { AsyncLocalStorage, AsyncResource };\n")

func stubPlugin(name, filter, contents string) api.Plugin {
	return api.Plugin{Name: name, Setup: func(b api.PluginBuild) {
		b.OnResolve(api.OnResolveOptions{Filter: filter}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
			return api.OnResolveResult{Path: a.Path, Namespace: name}, nil
		})
		b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: name}, func(api.OnLoadArgs) (api.OnLoadResult, error) {
			c := contents
			return api.OnLoadResult{Contents: &c, Loader: api.LoaderJS}, nil
		})
	}}
}
