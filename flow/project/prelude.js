// The global environment an auth config sees in authscope's sandbox, run
// before the config (SPEC.md "Evaluation"). It makes the environment
// Convex's: Math.random and the clock fail with Convex's messages, console
// does nothing, self is the global object. And it guards the builtins with
// which a script could build or walk a huge value in one call into Go,
// where goja can neither interrupt it nor bound its recursion: they throw
// the RangeError V8 throws at its own limits, only earlier.
(function (g, max, maxDepth) {
  "use strict";
  const define = (o, k, v) => Object.defineProperty(o, k, { value: v, writable: true, configurable: true, enumerable: false });
  const tooDeep = () => new RangeError("Maximum call stack size exceeded");

  define(Math, "random", function random() { throw new Error("Math.random unsupported when evaluating auth config file"); });
  const RealDate = g.Date;
  const noDate = () => { throw new Error("Date unsupported when evaluating auth config file"); };
  function Date(...args) {
    if (!new.target || args.length === 0) return noDate();
    return Reflect.construct(RealDate, args, new.target);
  }
  Date.now = noDate;
  Date.parse = RealDate.parse;
  Date.UTC = RealDate.UTC;
  Date.prototype = RealDate.prototype;
  define(RealDate.prototype, "constructor", Date);
  define(g, "Date", Date);

  const con = {};
  for (const k of ["log", "info", "warn", "error", "debug", "trace", "dir", "table", "assert", "count", "time", "timeEnd",
    "timeLog", "group", "groupEnd"]) {
    con[k] = function () {};
  }
  define(g, "console", con);
  define(g, "self", g);

  // guard replaces o[name] with a function that checks its arguments
  // first. Being a script function, it also counts against the call depth
  // when the builtin calls back into it (String of nested arrays).
  const guard = (o, name, check) => {
    const f = o[name];
    if (typeof f !== "function") return;
    define(o, name, { [name](...a) { check(this, a); return Reflect.apply(f, this, a); } }[name]);
  };
  const length = (x) => (x == null ? 0 : Number(x.length) || 0);
  const atMost = (n, what) => { if (n > max) throw new RangeError("Invalid " + what + " length"); };
  guard(String.prototype, "repeat", (s, a) => atMost(String(s).length * Number(a[0]), "string"));
  guard(String.prototype, "padStart", (s, a) => atMost(Number(a[0]), "string"));
  guard(String.prototype, "padEnd", (s, a) => atMost(Number(a[0]), "string"));
  // Methods that build a value of the array's length in one call, or
  // recurse through nested arrays (String of an array calls join on each
  // element). Methods that only walk an array cannot exhaust memory; a
  // walk of a huge sparse array outlives the interrupt, and the reader
  // abandons it (sandbox.go).
  for (const m of ["join", "toString", "toLocaleString", "fill"]) {
    guard(Array.prototype, m, (a) => atMost(length(a), "array"));
  }
  const flat = Array.prototype.flat;
  define(Array.prototype, "flat", { flat(depth) {
    atMost(length(this), "array");
    return Reflect.apply(flat, this, [depth === undefined ? 1 : Math.min(Number(depth), maxDepth)]);
  } }.flat);
  guard(Array, "from", (_, a) => atMost(length(a[0]), "array"));
  // Typed arrays allocate their length at once. They are wrapped when
  // first used: looking a builtin up makes goja build it, which costs.
  const sized = { construct(t, a, nt) {
    if (typeof a[0] === "number") atMost(a[0], "array");
    return Reflect.construct(t, a, nt);
  } };
  for (const T of ["ArrayBuffer", "SharedArrayBuffer", "Uint8Array", "Int8Array", "Uint8ClampedArray", "Uint16Array",
    "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]) {
    const desc = Reflect.getOwnPropertyDescriptor(g, T);
    if (!desc) continue;
    Object.defineProperty(g, T, { configurable: true, enumerable: false,
      get() { const P = new Proxy(desc.value, sized); define(g, T, P); return P; },
      set(v) { define(g, T, v); } });
  }

  // JSON.stringify recurses in Go: measure the depth of the data first,
  // iteratively, without calling getters (JSON.stringify will).
  const stringify = JSON.stringify;
  define(JSON, "stringify", function stringify_(value, ...rest) {
    const deepest = new Map();
    const todo = [value, 0];
    while (todo.length) {
      const d = todo.pop(), x = todo.pop();
      if (x === null || typeof x !== "object") continue;
      if (d > maxDepth) throw tooDeep();
      if (deepest.get(x) >= d) continue;
      deepest.set(x, d);
      for (const k of Reflect.ownKeys(x)) {
        const desc = Reflect.getOwnPropertyDescriptor(x, k);
        if (desc && "value" in desc) todo.push(desc.value, d + 1);
      }
    }
    return Reflect.apply(stringify, this, [value, ...rest]);
  });
  const parse = JSON.parse;
  define(JSON, "parse", function parse_(text, ...rest) {
    const s = String(text);
    let depth = 0, inString = false;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "[" || c === "{") { if (++depth > maxDepth) throw tooDeep(); }
      else if (c === "]" || c === "}") depth--;
    }
    return Reflect.apply(parse, this, [s, ...rest]);
  });

  // A proxy of a proxy of … forwards in Go, one call per level.
  const RealProxy = Proxy;
  const proxyDepth = new WeakMap();
  define(g, "Proxy", new RealProxy(RealProxy, { construct(t, a, nt) {
    const d = (proxyDepth.get(a[0]) || 0) + 1;
    if (d > maxDepth) throw tooDeep();
    const p = Reflect.construct(t, a, nt);
    proxyDepth.set(p, d);
    return p;
  } }));
})
