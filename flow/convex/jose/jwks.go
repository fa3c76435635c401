package jose

import (
	"fmt"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
)

// jwksKeys returns the raw "keys" array of a JWKS document; both of the
// backend's libraries agree on what a key set looks like at the top level.
func jwksKeys(body []byte) ([]byte, error) {
	members, err := strictjson.ParseObject(body)
	if err != nil {
		return nil, fmt.Errorf("the JWKS is not a JSON object: %v", err)
	}
	var keysRaw []byte
	found := false
	for _, m := range members {
		if m.Key != "keys" {
			continue
		}
		if found {
			return nil, fmt.Errorf("the JWKS has \"keys\" twice")
		}
		found = true
		if m.Kind != strictjson.Array {
			return nil, fmt.Errorf("\"keys\" must be an array, found %s", strictjson.Unexpected(m.Raw))
		}
		keysRaw = m.Raw
	}
	if !found {
		return nil, fmt.Errorf("the JWKS has no \"keys\" member")
	}
	return keysRaw, nil
}

// keyMembers returns a JWK's members with the given names, refusing a name
// given twice (serde's duplicate field); other members are ignored.
func keyMembers(raw []byte, kind strictjson.Kind, known map[string]bool) ([]strictjson.Member, error) {
	if kind != strictjson.Object {
		return nil, fmt.Errorf("not an object")
	}
	members, err := strictjson.ParseObject(raw)
	if err != nil {
		return nil, err
	}
	out := members[:0:0]
	seen := map[string]bool{}
	for _, m := range members {
		if !known[m.Key] {
			continue
		}
		if seen[m.Key] {
			return nil, fmt.Errorf("duplicate field %q", m.Key)
		}
		seen[m.Key] = true
		out = append(out, m)
	}
	return out, nil
}

func nameSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// kidsOf lists the kids of the keys that have one, in order.
func kidsOf[K interface{ kid() (string, bool) }](keys []K) []string {
	var kids []string
	for _, k := range keys {
		if kid, ok := k.kid(); ok {
			kids = append(kids, kid)
		}
	}
	return kids
}
