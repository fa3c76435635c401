package strictjson

// Kind is the type of a JSON value.
type Kind uint8

// The JSON types.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// String names the kind in authscope's details ("boolean", "array", …).
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	default:
		return "object"
	}
}

// KindOf is the kind of a checked value, read from its first byte. An empty
// slice (an absent member) is Null.
func KindOf(raw []byte) Kind {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '{':
			return Object
		case '[':
			return Array
		case '"':
			return String
		case 't', 'f':
			return Bool
		case 'n':
			return Null
		default:
			return Number
		}
	}
	return Null
}

// Member is one member of an object: its decoded key and the bytes of its
// value, a sub-slice of the document (never copied).
type Member struct {
	Key  string
	Raw  []byte
	Kind Kind
}

// KindError says a checked document is valid JSON of another kind than
// the one asked for.
type KindError struct {
	Want, Found Kind
}

func (e *KindError) Error() string {
	article := "a"
	if e.Want == Array || e.Want == Object {
		article = "an"
	}
	return "expected " + article + " " + e.Want.String() + ", found " + e.Found.String()
}
