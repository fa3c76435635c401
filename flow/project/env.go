package project

import (
	"fmt"
	"sort"
)

// Value is one configuration value and where it came from.
//
// Known is true when the value was found: Value holds it and Source says
// where ("--env", "environment", ".env.local:3", "convex/auth.config.ts:9").
// When it was not found, Known is false, Value and Source are empty, and
// Derived may hold what the value must be, worked out from other facts
// (DerivedFrom says which): the publishable key's Frontend API URL for an
// issuer variable, the deployment URL from CONVEX_DEPLOYMENT.
type Value struct {
	Name        string `json:"name"`
	Value       string `json:"value,omitempty"`
	Source      string `json:"source,omitempty"`
	Known       bool   `json:"known"`
	Derived     string `json:"derived,omitempty"`
	DerivedFrom string `json:"derivedFrom,omitempty"`
}

// Effective is the value to use: the known value, else the derived one.
// ok is false when neither is there or not empty.
func (v Value) Effective() (s string, ok bool) {
	switch {
	case v.Known && v.Value != "":
		return v.Value, true
	case v.Derived != "":
		return v.Derived, true
	}
	return "", false
}

// Where describes the value's origin for messages.
func (v Value) Where() string {
	switch {
	case v.Known:
		return v.Source
	case v.Derived != "":
		return "derived from " + v.DerivedFrom
	}
	return "not set locally"
}

// Environment sources, in the order they are consulted.
const (
	SourceFlag        = "--env"
	SourceEnvironment = "environment"
)

// envFiles are the dotenv files read, highest priority first. The Convex
// CLI writes CONVEX_DEPLOYMENT and the deployment URL to .env.local; Vite
// and Next.js load .env.local before .env.
var envFiles = []string{".env.local", ".env"}

// envResolver looks variables up in --env flags, the process environment,
// then the dotenv files.
type envResolver struct {
	flags  map[string]string
	getenv func(string) (string, bool)
	files  []loadedEnvFile
}

type loadedEnvFile struct {
	name    string
	entries map[string]dotenvEntry
}

// lookup resolves name; an unknown name gives Known false.
func (e *envResolver) lookup(name string) Value {
	if v, ok := e.flags[name]; ok {
		return Value{Name: name, Value: v, Source: SourceFlag, Known: true}
	}
	if e.getenv != nil {
		if v, ok := e.getenv(name); ok {
			return Value{Name: name, Value: v, Source: SourceEnvironment, Known: true}
		}
	}
	for _, f := range e.files {
		if ent, ok := f.entries[name]; ok {
			return Value{Name: name, Value: ent.Value, Source: fmt.Sprintf("%s:%d", f.name, ent.Line), Known: true}
		}
	}
	return Value{Name: name}
}

// known is lookup as the config's sandbox asks it: the value, and whether
// authscope knows it.
func (e *envResolver) known(name string) (string, bool) {
	v := e.lookup(name)
	return v.Value, v.Known
}

// first returns the first known of names, else an unknown Value named
// after the first name.
// A variable set to the empty string counts only when no other is set.
func (e *envResolver) first(names ...string) Value {
	var empty *Value
	for _, n := range names {
		v := e.lookup(n)
		if v.Known && v.Value != "" {
			return v
		}
		if v.Known && empty == nil {
			empty = &v
		}
	}
	if empty != nil {
		return *empty
	}
	return Value{Name: names[0]}
}

// DotenvFiles are the dotenv files Load reads, highest priority first.
func DotenvFiles() []string { return append([]string(nil), envFiles...) }

// FromFile reports whether a value came from a dotenv file.
func (v Value) FromFile() bool {
	return v.Known && v.Source != SourceFlag && v.Source != SourceEnvironment
}

// UnresolvedError says which environment variables auth.config.ts reads
// that are not known locally and whose value authscope cannot derive, so
// the configuration cannot be built.
type UnresolvedError struct {
	Names []string
}

func (e *UnresolvedError) Error() string {
	names := append([]string(nil), e.Names...)
	sort.Strings(names)
	s := "the auth config reads "
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s + " from the Convex deployment's environment, which authscope cannot see; pass --env NAME=VALUE with the value set on the deployment (npx convex env get NAME)"
}
