package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Claim is one member of a token's payload.
type Claim struct {
	Name  string
	Value any
}

// Claims are a payload in the order its issuer writes it: tokens then
// look like the provider's, member for member.
type Claims []Claim

// MarshalJSON writes the members in order.
func (c Claims) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range c {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := json.Marshal(m.Name)
		if err != nil {
			return nil, err
		}
		val, err := json.Marshal(m.Value)
		if err != nil {
			return nil, fmt.Errorf("claim %s: %w", m.Name, err)
		}
		b.Write(name)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Get returns a claim's value.
func (c Claims) Get(name string) (any, bool) {
	for _, m := range c {
		if m.Name == name {
			return m.Value, true
		}
	}
	return nil, false
}

// Set replaces a claim's value in place, or appends it.
func (c Claims) Set(name string, v any) Claims {
	for i, m := range c {
		if m.Name == name {
			out := slices.Clone(c)
			out[i].Value = v
			return out
		}
	}
	return append(slices.Clone(c), Claim{name, v})
}

// Without removes the named claims.
func (c Claims) Without(names ...string) Claims {
	return slices.DeleteFunc(slices.Clone(c), func(m Claim) bool { return slices.Contains(names, m.Name) })
}

// Unix is a time as a NumericDate (whole seconds).
func Unix(t time.Time) int64 { return t.Unix() }
