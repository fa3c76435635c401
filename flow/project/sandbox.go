package project

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"runtime/metrics"
	"strconv"
	"time"

	"github.com/dop251/goja"
)

// evalTimeout is how long a config may run: the backend's limit for user
// code (SPEC.md "Evaluation"). Tests shorten it.
var evalTimeout = time.Second

// The other limits only keep a hostile file from exhausting the machine.

const (
	// evalGrace is how long the reader waits after interrupting the
	// script. goja checks for interrupts between instructions, so a long
	// call into a builtin can outlive the timeout; past the grace period
	// the runtime is abandoned and left to finish on its own.
	evalGrace     = time.Second
	maxCallDepth  = 4096
	maxHeapGrowth = 256 << 20
	// maxBuiltinLen caps the strings and arrays the prelude's guards let a
	// builtin build or walk in one call, where goja cannot interrupt it;
	// maxDataDepth caps the nesting they let it recurse through.
	maxBuiltinLen = 1 << 20
	maxDataDepth  = 1000
	// The sandbox records at most this many env reads with their stacks,
	// frames per stack, and site events; a config needs a handful.
	maxRecordedReads = 1024
	maxFrames        = 8
	maxEvents        = 1 << 14
)

// errTimeout and errMemory are the reasons the sandbox interrupts a script.
var (
	errTimeout = errors.New("timeout")
	errMemory  = errors.New("memory")
	// errAbandoned is a script that ignored the interrupt.
	errAbandoned = errors.New("abandoned")
)

// prelude makes the global environment the one Convex gives an auth
// config and guards the builtins goja cannot interrupt (prelude.js).
//
//go:embed prelude.js
var prelude string

var preludeProgram = goja.MustCompile("prelude.js", prelude, true)

// envNameRE is Convex's rule for environment variable names
// (crates/common/src/types/environment_variables.rs).
var envNameRE = regexp.MustCompile(`^[a-zA-Z_]+[a-zA-Z0-9_]*$`)

// placeholder is the string an unknown variable reads as: unique, easy to
// find again inside the strings the config builds from it, unchanged by
// case mapping and trimming, and never a valid URL by itself.
func placeholder(i int) string { return "\u27e8authscope:" + strconv.Itoa(i) + "\u27e9" }

var placeholderRE = regexp.MustCompile(`\x{27e8}(?i:authscope):([0-9]+)\x{27e9}`)

// readEvent is one read of process.env.
type readEvent struct {
	seq   int
	name  string
	known bool
	// frames are the bundle offsets of the script's frames at the read,
	// innermost first.
	frames []int
}

// siteEvent is one value produced at an instrumented site.
type siteEvent struct {
	seq      int
	site     int
	str      string
	isString bool
}

// sandbox is one evaluation of an instrumented bundle.
type sandbox struct {
	vm      *goja.Runtime
	lookup  func(string) (string, bool)
	ins     *instrumented
	lines   []int // line starts of the instrumented script
	unknown []string
	byName  map[string]int
	seen    map[string]bool // variables recorded in reads
	seq     int
	reads   []readEvent
	events  []siteEvent
}

const scriptName = "auth.config.bundle.js"

func newSandbox(ins *instrumented, lookup func(string) (string, bool)) (*sandbox, error) {
	sb := &sandbox{vm: goja.New(), lookup: lookup, ins: ins, byName: map[string]int{}, seen: map[string]bool{}, lines: lineStarts(ins.js)}
	vm := sb.vm
	vm.SetMaxCallStackSize(maxCallDepth)
	setup, err := vm.RunProgram(preludeProgram)
	if err != nil {
		return nil, err
	}
	fn, ok := goja.AssertFunction(setup)
	if !ok {
		return nil, errors.New("prelude.js is not a function")
	}
	if _, err := fn(goja.Undefined(), vm.GlobalObject(), vm.ToValue(maxBuiltinLen), vm.ToValue(maxDataDepth)); err != nil {
		return nil, err
	}
	env := vm.NewProxy(vm.NewObject(), &goja.ProxyTrapConfig{
		Get: func(target *goja.Object, property string, receiver goja.Value) goja.Value {
			return sb.envGet(property)
		},
		GetIdx: func(target *goja.Object, property int, receiver goja.Value) goja.Value {
			return sb.envGet(strconv.Itoa(property))
		},
	})
	process := vm.NewObject()
	if err := process.Set("env", env); err != nil {
		return nil, err
	}
	if err := vm.Set("process", process); err != nil {
		return nil, err
	}
	return sb, vm.Set(siteFunc, sb.siteValue)
}

// envGet is process.env[name]: the value authscope knows, or a
// placeholder. Convex's own proxy throws for a variable the deployment
// does not have; authscope cannot tell, so it assumes the variable is set.
func (sb *sandbox) envGet(name string) goja.Value {
	if !envNameRE.MatchString(name) || len(name) > 256 {
		sb.throw(fmt.Sprintf("The environment variable name %s is invalid. Environment variable names must begin with a letter and may only include characters a-z, A-Z, 0-9, and underscores.", name))
	}
	sb.seq++
	v, known := sb.lookup(name)
	// Past the cap, a variable is recorded once more only if it is new, so
	// every variable the config reads is still named.
	if len(sb.reads) < maxRecordedReads || !sb.seen[name] {
		rd := readEvent{seq: sb.seq, name: name, known: known}
		if len(sb.reads) < maxRecordedReads {
			rd.frames = sb.frames()
		}
		sb.reads = append(sb.reads, rd)
		sb.seen[name] = true
	}
	if !known {
		i, ok := sb.byName[name]
		if !ok {
			i = len(sb.unknown)
			sb.byName[name] = i
			sb.unknown = append(sb.unknown, name)
		}
		v = placeholder(i)
	}
	return sb.vm.ToValue(v)
}

// siteValue is the instrumented bundle's siteFunc(id, value).
func (sb *sandbox) siteValue(call goja.FunctionCall) goja.Value {
	v := call.Argument(1)
	id := int(call.Argument(0).ToInteger())
	if id >= 0 && id < len(sb.ins.sites) && len(sb.events) < maxEvents {
		sb.seq++
		e := siteEvent{seq: sb.seq, site: id}
		if goja.IsString(v) {
			e.str, e.isString = v.String(), true
		}
		sb.events = append(sb.events, e)
	}
	return v
}

func (sb *sandbox) throw(msg string) {
	obj, err := sb.vm.New(sb.vm.Get("Error"), sb.vm.ToValue(msg))
	if err != nil {
		panic(sb.vm.NewTypeError(msg))
	}
	panic(obj)
}

// frames returns the bundle offsets of the script frames on the stack.
func (sb *sandbox) frames() []int {
	var out []int
	for _, f := range sb.vm.CaptureCallStack(maxFrames, nil) {
		if off, ok := sb.frameOffset(f); ok {
			out = append(out, off)
		}
	}
	return out
}

func (sb *sandbox) frameOffset(f goja.StackFrame) (int, bool) {
	if f.SrcName() != scriptName {
		return 0, false
	}
	p := f.Position()
	if p.Line < 1 || p.Line > len(sb.lines) {
		return 0, false
	}
	return sb.ins.bundleOffset(sb.lines[p.Line-1] + p.Column - 1), true
}

// run evaluates the program and serialises its default export as Convex
// does, under the timeout and the memory watchdog. def is the JSON text;
// exported is false when the module has no default export (or it is null
// or undefined).
func (sb *sandbox) run(prg *goja.Program, timeout time.Duration) (def string, exported bool, err error) {
	type result struct {
		def      string
		exported bool
		err      error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		r.def, r.exported, r.err = sb.evaluate(prg)
		done <- r
	}()
	stop := make(chan struct{})
	defer close(stop)
	go sb.watch(stop, timeout)
	select {
	case r := <-done:
		return r.def, r.exported, r.err
	case <-time.After(timeout + evalGrace):
		return "", false, errAbandoned
	}
}

// watch interrupts the script at the timeout, or earlier when the heap
// grows past maxHeapGrowth.
func (sb *sandbox) watch(stop chan struct{}, timeout time.Duration) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-deadline.C:
			sb.vm.Interrupt(errTimeout)
			return
		case <-tick.C:
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > base && v-base > maxHeapGrowth {
				sb.vm.Interrupt(errMemory)
				return
			}
		}
	}
}

func (sb *sandbox) evaluate(prg *goja.Program) (string, bool, error) {
	vm := sb.vm
	if _, err := vm.RunProgram(prg); err != nil {
		return "", false, err
	}
	exports := vm.Get(bundleGlobal)
	if exports == nil || goja.IsUndefined(exports) || goja.IsNull(exports) {
		return "", false, nil
	}
	// An ES module's exports carry __esModule. Without it the entry was
	// CommonJS, and esbuild's ESM output, which Convex runs, exports
	// module.exports as the default.
	def := exports
	if obj := exports.ToObject(vm); obj.Get("__esModule") != nil && obj.Get("__esModule").ToBoolean() {
		def = obj.Get("default")
	}
	if def == nil || goja.IsUndefined(def) || goja.IsNull(def) {
		return "", false, nil
	}
	stringify, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
	s, err := stringify(goja.Undefined(), def)
	if err != nil {
		return "", true, errUnserializable{err}
	}
	// V8's JSON::Stringify turns an undefined result into "undefined".
	return s.String(), true, nil
}

// errUnserializable is a default export JSON.stringify throws on.
type errUnserializable struct{ err error }

func (e errUnserializable) Error() string { return e.err.Error() }
func (e errUnserializable) Unwrap() error { return e.err }

// unknownSoFar lists the variables that read as placeholders.
func (sb *sandbox) unknownSoFar() []string { return append([]string(nil), sb.unknown...) }

// showPlaceholders writes each placeholder in s as ${process.env.NAME}, so
// a message built from one reads as the code that made it.
func (sb *sandbox) showPlaceholders(s string) string {
	return expandPlaceholders(s, sb.unknown, func(name string) string { return "${process.env." + name + "}" })
}

// expandPlaceholders replaces the placeholders in s with f(name).
func expandPlaceholders(s string, unknown []string, f func(name string) string) string {
	return placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
		i, err := strconv.Atoi(placeholderRE.FindStringSubmatch(m)[1])
		if err != nil || i >= len(unknown) {
			return m
		}
		return f(unknown[i])
	})
}
