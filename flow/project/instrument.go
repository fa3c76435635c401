package project

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// The bundle is instrumented before it runs so that every provider field
// Convex will read can be traced back to where it is written: each value
// of a property in an object literal that looks like a provider or a
// config (it has one of knownKeys or "providers") becomes
// siteFunc(id, value). The call returns the value unchanged, so the
// config evaluates exactly as before; it records which site produced
// which value, in order, and env reads made while the value was computed
// are attributed to it by their call stack. A source map cannot do this:
// it says where code is, not which object a value ends up in.

// siteFunc is the global the instrumented bundle calls.
const siteFunc = "__authscope_site"

// maxSites bounds the instrumentation. Past it the bundle runs as is and
// only the places of fields are lost: no auth config has that many
// properties, and the attribution's work grows with their number.
const maxSites = 1024

var errTooManySites = errors.New("too many sites to instrument")

// site is one instrumented property of the bundle (offsets are bytes of
// the bundle as esbuild wrote it).
type site struct {
	key                string
	keyOff             int
	valStart, valEnd   int
	objOff             int // the { of the object literal holding it
	field, isProviders bool
}

// instrumented is the bundle with its sites wrapped.
type instrumented struct {
	js    string
	sites []site
	// inserts are the texts added to the bundle, by bundle offset.
	inserts []insert
}

type insert struct {
	at   int
	text string
}

// instrument parses the bundle and wraps its sites.
func instrument(bundle string) (*instrumented, error) {
	prg, err := parser.ParseFile(nil, "bundle.js", bundle, 0)
	if err != nil {
		return nil, err
	}
	out := &instrumented{}
	walkAST(reflect.ValueOf(prg), map[ptrKey]bool{}, func(n ast.Node) {
		if obj, ok := n.(*ast.ObjectLiteral); ok {
			out.addObject(obj)
		}
	})
	if len(out.sites) > maxSites {
		return nil, errTooManySites
	}
	sort.SliceStable(out.inserts, func(i, j int) bool { return out.inserts[i].at < out.inserts[j].at })
	var b strings.Builder
	last := 0
	for _, in := range out.inserts {
		b.WriteString(bundle[last:in.at])
		b.WriteString(in.text)
		last = in.at
	}
	b.WriteString(bundle[last:])
	out.js = b.String()
	return out, nil
}

// addObject wraps the properties of an object literal that has a key
// Convex reads.
func (in *instrumented) addObject(obj *ast.ObjectLiteral) {
	relevant := false
	for _, p := range obj.Value {
		k, _ := propertyKey(p)
		if knownKeys[k] || k == "providers" {
			relevant = true
		}
	}
	if !relevant {
		return
	}
	for _, p := range obj.Value {
		key, ok := propertyKey(p)
		if !ok {
			continue
		}
		s := site{key: key, keyOff: int(p.Idx0()) - 1, objOff: int(obj.LeftBrace) - 1, field: knownKeys[key], isProviders: key == "providers"}
		id := len(in.sites)
		switch p := p.(type) {
		case *ast.PropertyKeyed:
			switch p.Value.(type) {
			case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral:
				continue // JSON drops functions; wrapping would rename them
			}
			s.valStart, s.valEnd = int(p.Value.Idx0())-1, int(p.Value.Idx1())-1
			in.inserts = append(in.inserts, insert{s.valStart, fmt.Sprintf("%s(%d,(", siteFunc, id)}, insert{s.valEnd, "))"})
		case *ast.PropertyShort:
			s.valStart, s.valEnd = int(p.Name.Idx0())-1, int(p.Name.Idx1())-1
			in.inserts = append(in.inserts, insert{s.valEnd, fmt.Sprintf(":%s(%d,%s)", siteFunc, id, p.Name.Name)})
		}
		in.sites = append(in.sites, s)
	}
}

// propertyKey is the key of a plain `key: value` or shorthand property;
// ok is false for computed keys, getters, setters and methods.
func propertyKey(p ast.Property) (string, bool) {
	switch p := p.(type) {
	case *ast.PropertyKeyed:
		if p.Computed || p.Kind != ast.PropertyKindValue {
			return "", false
		}
		switch k := p.Key.(type) {
		case *ast.StringLiteral:
			return k.Value.String(), true
		case *ast.Identifier:
			return k.Name.String(), true
		}
	case *ast.PropertyShort:
		if p.Initializer == nil {
			return p.Name.Name.String(), true
		}
	}
	return "", false
}

var nodeType = reflect.TypeFor[ast.Node]()

// walkAST visits every node of goja's AST. goja has no visitor, and its
// AST has some sixty node types; reflection over the package's own
// structs reaches all of them without a hand-kept list that could miss
// one.
// ptrKey identifies a node already visited.
type ptrKey struct {
	p uintptr
	t reflect.Type
}

func walkAST(v reflect.Value, seen map[ptrKey]bool, visit func(ast.Node)) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			walkAST(v.Elem(), seen, visit)
		}
	case reflect.Pointer:
		if v.IsNil() || v.Elem().Kind() != reflect.Struct || v.Elem().Type().PkgPath() != nodeType.PkgPath() || seen[ptrKey{v.Pointer(), v.Type()}] {
			return
		}
		seen[ptrKey{v.Pointer(), v.Type()}] = true
		if v.Type().Implements(nodeType) {
			visit(v.Interface().(ast.Node))
		}
		walkAST(v.Elem(), seen, visit)
	case reflect.Struct:
		if v.Type().PkgPath() != nodeType.PkgPath() {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			walkAST(v.Field(i), seen, visit)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkAST(v.Index(i), seen, visit)
		}
	}
}

// bundleOffset maps an offset of the instrumented script back to the
// bundle; an offset inside inserted text maps to where it was inserted.
func (in *instrumented) bundleOffset(off int) int {
	shift := 0
	for _, ins := range in.inserts {
		at := ins.at + shift
		if off < at {
			break
		}
		if off < at+len(ins.text) {
			return ins.at
		}
		shift += len(ins.text)
	}
	return off - shift
}

// holding returns the sites whose value range holds a bundle offset.
func (in *instrumented) holding(off int) []int {
	var out []int
	for i, s := range in.sites {
		if s.valStart <= off && off < s.valEnd {
			out = append(out, i)
		}
	}
	return out
}
