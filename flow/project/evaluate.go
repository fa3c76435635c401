package project

import (
	"errors"
	"fmt"

	"github.com/dop251/goja"

	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/untrusted"
)

// evaluate runs the bundle once with lookup answering process.env and
// turns its default export into an AuthConfigFile.
func (r *configReader) evaluate(lookup func(string) (string, bool)) (*AuthConfigFile, error) {
	sb, err := newSandbox(r.ins, lookup)
	if err != nil {
		return nil, &ReadError{Kind: ReadEngine, Pos: r.entryPos(), Msg: untrusted.Text(err.Error(), 200)}
	}
	def, exported, err := sb.run(r.prg, r.timeout)
	if err != nil {
		return nil, r.runError(sb, err)
	}
	if !exported {
		return nil, &rules.ConfigError{Code: codeMissingExport, Index: -1, Message: msgMissingExport}
	}
	shape, cerr := decodeConfig(def)
	if cerr != nil {
		return nil, cerr
	}
	f := &AuthConfigFile{Path: r.entry, Inputs: r.b.inputs, HasProviders: shape.hasProviders, Unknown: sb.unknown}
	for _, rd := range sb.reads {
		p := r.entryPos()
		if len(rd.frames) > 0 {
			if q, ok := r.pos(rd.frames[0]); ok {
				p = q
			}
		}
		f.Reads = append(f.Reads, EnvRead{Name: rd.name, Known: rd.known, Pos: p})
	}
	a := newAttribution(r, sb)
	for i, prov := range shape.providers {
		ps := a.provider(i, prov)
		ps.NotObject = prov.notObject
		f.Providers = append(f.Providers, ps)
	}
	f.Undecided = a.undecided()
	return f, nil
}

// runError turns a failed run into a ReadError at the script's place.
func (r *configReader) runError(sb *sandbox, err error) error {
	var ue errUnserializable
	var ie *goja.InterruptedError
	var ex *goja.Exception
	var so *goja.StackOverflowError
	timeout := fmt.Sprintf("the config was still running after %s and was stopped (Convex stops it too)", r.timeout)
	if errors.Is(err, errAbandoned) {
		// The script still runs: nothing of the sandbox may be read.
		return &ReadError{Kind: ReadTimeout, Pos: r.entryPos(), Msg: timeout}
	}
	re := &ReadError{Kind: ReadThrow, Pos: r.entryPos(), Placeholders: sb.unknownSoFar()}
	switch {
	case errors.As(err, &ie):
		re.Kind, re.Msg = ReadTimeout, timeout
		if errors.Is(ie, errMemory) {
			re.Kind, re.Msg = ReadTooLarge, fmt.Sprintf("the config used over %d MiB of memory and was stopped", maxHeapGrowth>>20)
		}
		re.Pos = r.stackPos(sb, ie.Stack(), re.Pos)
	case errors.As(err, &ue):
		return &rules.ConfigError{Code: codeUnserializable, Index: -1, Message: msgUnserializable}
	case errors.As(err, &so):
		re.Msg = "RangeError: Maximum call stack size exceeded"
		re.Pos = r.stackPos(sb, so.Stack(), re.Pos)
	case errors.As(err, &ex):
		re.Msg = "Uncaught " + thrownText(ex.Value()) + missingGlobalHint(ex.Value())
		re.Pos = r.stackPos(sb, ex.Stack(), re.Pos)
	default:
		re.Kind, re.Msg = ReadEngine, untrusted.Text(err.Error(), 200)
	}
	re.Msg = untrusted.Text(sb.showPlaceholders(re.Msg), 300)
	return re
}

// stackPos is the innermost place of a stack inside the config's files.
func (r *configReader) stackPos(sb *sandbox, stack []goja.StackFrame, def Pos) Pos {
	for _, f := range stack {
		if off, ok := sb.frameOffset(f); ok {
			if p, ok := r.pos(off); ok {
				return p
			}
		}
	}
	return def
}

// thrownText is what a thrown value shows as: String(value), as V8 prints
// an uncaught exception.
func thrownText(v goja.Value) (s string) {
	defer func() {
		if recover() != nil {
			s = "(a value that cannot be shown)"
		}
	}()
	if v == nil {
		return "undefined"
	}
	return untrusted.Cut(v.String(), 300)
}

// runtimeGlobals are globals Convex's runtime has but a plain JavaScript
// engine does not. authscope evaluates the config without them (no
// network, no files), so a config that uses one gets a hint.
var runtimeGlobals = []string{"URL", "URLSearchParams", "TextEncoder", "TextDecoder", "atob", "btoa", "fetch", "crypto",
	"structuredClone", "Headers", "Request", "Response", "Blob", "AbortController", "setTimeout", "queueMicrotask", "require"}

func missingGlobalHint(v goja.Value) string {
	s := thrownText(v)
	for _, g := range runtimeGlobals {
		if s == "ReferenceError: "+g+" is not defined" {
			if g == "require" {
				return " (Convex bundles auth.config as an ES module: use import)"
			}
			return fmt.Sprintf(" (Convex's runtime has %s; authscope evaluates the config as plain JavaScript, without web APIs, so it cannot read this file: pass the values with --env or check against the deployment)", g)
		}
	}
	return ""
}
