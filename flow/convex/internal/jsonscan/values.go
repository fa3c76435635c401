package jsonscan

import "fmt"

// StringOrStrings reads a member that is a string or an array of strings,
// as serde reads biscuit's SingleOrMultiple<String> and openidconnect's
// audiences: a string becomes a list of one.
func StringOrStrings(m Member) ([]string, bool) {
	switch m.Kind {
	case String:
		s, err := DecodeString(m.Raw)
		if err != nil {
			return nil, false
		}
		return []string{s}, true
	case Array:
		return StringArray(m.Raw)
	}
	return nil, false
}

// StringArray decodes a validated JSON array whose elements must all be
// strings. It never returns a nil list on success.
func StringArray(raw []byte) ([]string, bool) {
	out := []string{}
	ok := true
	err := ForEach(raw, func(_ int, el []byte, kind Kind) {
		if !ok {
			return
		}
		if kind != String {
			ok = false
			return
		}
		s, err := DecodeString(el)
		if err != nil {
			ok = false
			return
		}
		out = append(out, s)
	})
	if err != nil || !ok {
		return nil, false
	}
	return out, true
}

// ForEach calls fn for each element of a validated array, in order.
func ForEach(raw []byte, fn func(i int, raw []byte, kind Kind)) error {
	if len(raw) == 0 || raw[0] != '[' {
		return jsonErr(0, "expected an array")
	}
	i := skipWS(raw, 1)
	if i < len(raw) && raw[i] == ']' {
		return nil
	}
	for n := 0; i < len(raw); n++ {
		end, kind, err := scanValue(raw, i, 1)
		if err != nil {
			return err
		}
		fn(n, raw[i:end], kind)
		i = skipWS(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = skipWS(raw, i+1)
			continue
		}
		break
	}
	return nil
}

// Describe names a member's type and, when short, its value, for the
// details authscope writes (never for the backend's own messages).
func Describe(m Member) string {
	if len(m.Raw) <= 40 {
		return fmt.Sprintf("%s %s", m.Kind, string(m.Raw))
	}
	return m.Kind.String()
}
