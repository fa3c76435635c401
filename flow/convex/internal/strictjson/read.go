package strictjson

// Check reports whether data is exactly one JSON value (whitespace around it
// allowed) under serde_json's rules. The error is a *SyntaxError.
func Check(data []byte) error {
	s := newScanner(data)
	if _, _, err := s.value(); err != nil {
		return err
	}
	return s.end()
}

// ParseObject checks that data is exactly one JSON object and returns its
// members in document order, duplicates included, so that a caller can
// refuse a duplicate the way serde's derived structs do. A valid document
// of another kind is a *KindError; invalid JSON a *SyntaxError.
func ParseObject(data []byte) ([]Member, error) {
	members := []Member{}
	err := walk(data, Object, func(key, raw []byte, kind Kind) {
		k, _ := DecodeString(key) // the scanner has checked the key
		members = append(members, Member{Key: k, Raw: raw, Kind: kind})
	})
	if err != nil {
		return nil, err
	}
	return members, nil
}

// Each checks that raw is one JSON array and calls fn for each element, in
// order, with its raw bytes (a sub-slice of raw) and kind.
func Each(raw []byte, fn func(i int, raw []byte, kind Kind)) error {
	n := 0
	return walk(raw, Array, func(_, elem []byte, kind Kind) {
		fn(n, elem, kind)
		n++
	})
}

// StringArray decodes a JSON array whose elements must all be strings; ok
// is false when raw is not such an array. An empty array gives an empty,
// non-nil slice.
func StringArray(raw []byte) (_ []string, ok bool) {
	out, ok := []string{}, true
	err := Each(raw, func(_ int, elem []byte, kind Kind) {
		if !ok || kind != String {
			ok = false
			return
		}
		s, err := DecodeString(elem)
		ok = err == nil
		out = append(out, s)
	})
	if err != nil || !ok {
		return nil, false
	}
	return out, true
}

// walk checks that data is one value of kind want (an array or an object)
// and visits its elements or members.
func walk(data []byte, want Kind, visit visitor) error {
	open := byte('[')
	if want == Object {
		open = '{'
	}
	s := newScanner(data)
	if c, ok := s.skipSpace(); ok && c == open {
		if _, err := s.container(c, visit); err != nil {
			return err
		}
		return s.end()
	}
	kind, _, err := s.value()
	if err != nil {
		return err
	}
	return &KindError{Want: want, Found: kind}
}
