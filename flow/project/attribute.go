package project

import (
	"slices"
	"strconv"
	"strings"

	"github.com/authscope/authscope/flow/untrusted"
)

// attribution ties the providers Convex would read back to the code that
// produced them: each field to the site that produced its value (the
// first unused one with the same key and value, in evaluation order), and
// each process.env read to the fields it flowed into. A read counts for a
// field when its value appears in the field's value (data flow: a template
// literal, a helper's return value), or when it happened while the field's
// value was computed (its call stack passes through the field's code).
type attribution struct {
	r  *configReader
	sb *sandbox
	// syntactic holds, per site event, the reads made while computing it.
	syntactic map[int][]int
	// byKey holds the unused events of field sites, by key, in order.
	byKey     map[string][]int
	accounted []bool // per read: some field accounts for it
	harmless  []bool // per read: made for a key Convex ignores
}

func newAttribution(r *configReader, sb *sandbox) *attribution {
	a := &attribution{r: r, sb: sb, syntactic: map[int][]int{}, byKey: map[string][]int{},
		accounted: make([]bool, len(sb.reads)), harmless: make([]bool, len(sb.reads))}
	bySite := map[int][]int{}
	for i, e := range sb.events {
		bySite[e.site] = append(bySite[e.site], i)
		if st := r.ins.sites[e.site]; st.field {
			a.byKey[st.key] = append(a.byKey[st.key], i)
		}
	}
	for ri, rd := range sb.reads {
		for _, off := range rd.frames {
			for _, s := range r.ins.holding(off) {
				// The read belongs to the next value the site produces.
				evs := bySite[s]
				j, _ := slices.BinarySearchFunc(evs, rd.seq, func(ev, seq int) int { return sb.events[ev].seq - seq })
				if j == len(evs) {
					continue
				}
				if !slices.Contains(a.syntactic[evs[j]], ri) {
					a.syntactic[evs[j]] = append(a.syntactic[evs[j]], ri)
				}
				if st := r.ins.sites[s]; !st.field && !st.isProviders {
					a.harmless[ri] = true
				}
			}
		}
	}
	return a
}

// provider builds provider i from its JSON.
func (a *attribution) provider(i int, p jsonProvider) ProviderSource {
	ps := ProviderSource{Index: i, Pos: a.fallbackPos()}
	placed := false
	for _, m := range p.members {
		if !knownKeys[m.key] {
			ps.OtherKeys = append(ps.OtherKeys, m.key)
			continue
		}
		fs := FieldSource{Key: m.key, Value: m.str, NotString: !m.isString}
		if !m.isString {
			fs.Value = m.raw
		}
		ev := a.match(m)
		if ev >= 0 {
			st := a.r.ins.sites[a.sb.events[ev].site]
			fs.Pos, fs.Expr, fs.Op = a.r.fieldPlace(st)
			if !placed {
				if pos, ok := a.r.pos(st.objOff); ok {
					ps.Pos, placed = pos, true
				}
			}
		}
		fs.Reads, fs.ReadAt, fs.DependsOn = a.reads(ev, fs.Value)
		ps.Fields = append(ps.Fields, fs)
	}
	for i := range ps.Fields {
		if ps.Fields[i].Pos.Line == 0 {
			// Made where authscope cannot see (a computed key, a copy):
			// the provider's place is the best it can name.
			ps.Fields[i].Pos = ps.Pos
			ps.Fields[i].Expr = untrusted.Cut(rawOr(ps.Fields[i]), maxExprText)
		}
	}
	return ps
}

func rawOr(f FieldSource) string {
	if f.NotString {
		return f.Value
	}
	return strconv.Quote(f.Value)
}

// fallbackPos is where a provider whose fields cannot be placed is
// written: the providers key, else the top of the config.
func (a *attribution) fallbackPos() Pos {
	for _, e := range a.sb.events {
		if st := a.r.ins.sites[e.site]; st.isProviders {
			if p, ok := a.r.pos(st.keyOff); ok {
				return p
			}
		}
	}
	return a.r.entryPos()
}

// match returns the first unused site event that produced m, or -1.
func (a *attribution) match(m jsonMember) int {
	evs := a.byKey[m.key]
	for n, i := range evs {
		e := a.sb.events[i]
		if e.isString != m.isString || (m.isString && e.str != m.str) {
			continue
		}
		a.byKey[m.key] = slices.Delete(evs, n, n+1)
		return i
	}
	return -1
}

// reads lists the variables a field's value came from, and the unknown
// ones it depends on without containing them.
func (a *attribution) reads(ev int, value string) (reads []string, at []Pos, dependsOn []string) {
	inValue := map[string]bool{}
	for _, m := range placeholderRE.FindAllStringSubmatch(value, -1) {
		if i, err := strconv.Atoi(m[1]); err == nil && i < len(a.sb.unknown) {
			inValue[a.sb.unknown[i]] = true
		}
	}
	var syn []int
	if ev >= 0 {
		syn = a.syntactic[ev]
	}
	for ri, rd := range a.sb.reads {
		flows := inValue[rd.name]
		if rd.known {
			v, _ := a.sb.lookup(rd.name)
			flows = v != "" && strings.Contains(value, v)
		}
		during := slices.Contains(syn, ri)
		if !flows && !during {
			continue
		}
		a.accounted[ri] = true
		if !slices.Contains(reads, rd.name) {
			reads = append(reads, rd.name)
			p := a.r.entryPos()
			if len(rd.frames) > 0 {
				if q, ok := a.r.pos(rd.frames[0]); ok {
					p = q
				}
			}
			at = append(at, p)
		}
		if during && !flows && !rd.known && !slices.Contains(dependsOn, rd.name) {
			dependsOn = append(dependsOn, rd.name)
		}
	}
	return reads, at, dependsOn
}

// undecided lists the unknown variables no field accounts for.
func (a *attribution) undecided() []string {
	var out []string
	for ri, rd := range a.sb.reads {
		if !rd.known && !a.accounted[ri] && !a.harmless[ri] && !slices.Contains(out, rd.name) {
			out = append(out, rd.name)
		}
	}
	return out
}

// fieldPlace is where a site's key is written, and its value as written.
func (r *configReader) fieldPlace(st site) (Pos, string, string) {
	src, off, ok := r.source(st.keyOff)
	if !ok {
		return Pos{}, "", ""
	}
	pos := src.pos(off)
	if expr, op, ok := exprAfterKey(src.text, off, st.key); ok {
		return pos, expr, op
	}
	// The map does not point at the key: show the bundle's text.
	return pos, untrusted.Cut(strings.TrimSpace(r.b.js[st.valStart:st.valEnd]), maxExprText), ""
}

// exprAfterKey reads `key: value` (or a shorthand `key`) at off.
func exprAfterKey(src string, off int, key string) (expr, op string, ok bool) {
	s := &scanner{src: src, off: off}
	kind, start, end := s.next()
	text := src[start:end]
	switch {
	case kind == tokWord && text == key:
	case kind == tokString && len(text) >= 2 && text[1:len(text)-1] == key:
	default:
		return "", "", false
	}
	kind, _, end = s.next()
	for kind == tokComment {
		kind, _, end = s.next()
	}
	if kind != tokPunct || src[end-1] != ':' {
		return key, "", true // shorthand
	}
	expr, op = exprText(src, end, maxExprText)
	return expr, op, expr != ""
}
