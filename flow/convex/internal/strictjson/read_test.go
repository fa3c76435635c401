package strictjson

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestCheckSerdeWording(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{``, "EOF while parsing a value at line 1 column 0"},
		{`x`, "expected value at line 1 column 1"},
		{`{`, "EOF while parsing an object at line 1 column 1"},
		{`{"a"`, "EOF while parsing an object at line 1 column 4"},
		{`{"a" 1}`, "expected `:` at line 1 column 6"},
		{`{"a":1,}`, "trailing comma at line 1 column 8"},
		{`{"a":1 "b":2}`, "expected `,` or `}` at line 1 column 8"},
		{`{1:2}`, "key must be a string at line 1 column 2"},
		{`[1,]`, "trailing comma at line 1 column 4"},
		{`[1 2]`, "expected `,` or `]` at line 1 column 4"},
		{`[`, "EOF while parsing a list at line 1 column 1"},
		{`{} x`, "trailing characters at line 1 column 4"},
		{`tru`, "EOF while parsing a value at line 1 column 3"},
		{`trx`, "expected ident at line 1 column 3"},
		{`"abc`, "EOF while parsing a string at line 1 column 4"},
		{"\"a\x01\"", "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3"},
		{`"\q"`, "invalid escape at line 1 column 3"},
		{`01`, "invalid number at line 1 column 2"},
		{`-x`, "invalid number at line 1 column 2"},
		{"{\n\"a\":\nx}", "expected value at line 3 column 1"},
		{`"\ud800"`, "unexpected end of hex escape at line 1 column 8"},
		{`"\ud800\n"`, "unexpected end of hex escape at line 1 column 9"},
		{`"\ud800\u0041"`, "lone leading surrogate in hex escape at line 1 column 13"},
		{`"\udc00"`, "lone leading surrogate in hex escape at line 1 column 7"},
		{`"\uzz00"`, "invalid escape at line 1 column 7"},
		{`"\u12`, "EOF while parsing a string at line 1 column 5"},
		{strings.Repeat("[", 200), "recursion limit exceeded at line 1 column 128"},
	}
	for _, tt := range tests {
		err := Check([]byte(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Check(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
	for _, ok := range []string{`{}`, ` [1, 2.5e3, -0, "x\u00e9\ud83d\ude00", true, false, null, {"a": {}}] `, `0`} {
		if err := Check([]byte(ok)); err != nil {
			t.Errorf("Check(%q) = %v, want nil", ok, err)
		}
	}
}

func TestCheckPositions(t *testing.T) {
	// Numbers beyond f64 and strings that are not UTF-8, with the positions
	// serde_json gives them (the end of the number; after the closing quote;
	// after the digit where an exponent outgrows an i32).
	tests := []struct{ in, want string }{
		{`1e400`, "number out of range at line 1 column 5"},
		{`[-1.5e309, 0]`, "number out of range at line 1 column 9"},
		{"1" + strings.Repeat("0", 400), "number out of range at line 1 column 401"},
		{`1e2147483648000`, "number out of range at line 1 column 12"},
		{"\"a\xff\"", "invalid unicode code point at line 1 column 4"},
		{"{\"\xc3\":1}", "invalid unicode code point at line 1 column 4"},
	}
	for _, tt := range tests {
		err := Check([]byte(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Check(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
	for _, ok := range []string{`1e-400`, `0e99999999999`, `1e-21474836470`, `1.7976931348623157e308`, `-0`} {
		if err := Check([]byte(ok)); err != nil {
			t.Errorf("Check(%q) = %v, want nil", ok, err)
		}
	}
	var se *SyntaxError
	if err := Check([]byte("{\n  x")); !errors.As(err, &se) || se.Line != 2 || se.Column != 3 || se.Offset != 5 {
		t.Errorf("position = %+v", se)
	}
}

func TestParseObject(t *testing.T) {
	ms, err := ParseObject([]byte(` {"iss":"a", "aud":["x","y"] ,"iss":null,"n":{"k":[1]},"\u00e9":1.5} `))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, m := range ms {
		got = append(got, m.Key+"="+m.Kind.String()+":"+string(m.Raw))
	}
	want := []string{`iss=string:"a"`, `aud=array:["x","y"]`, `iss=null:null`, `n=object:{"k":[1]}`, `é=number:1.5`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %q, want %q", got, want)
	}
	if ms, err := ParseObject([]byte(`{}`)); err != nil || ms == nil || len(ms) != 0 {
		t.Errorf("ParseObject({}) = %v, %v; want an empty list", ms, err)
	}
	for in, want := range map[string]string{
		`[1]`:      "expected an object, found array",
		`"x"`:      "expected an object, found string",
		`{"a":1}x`: "trailing characters at line 1 column 8",
		`[1,]`:     "trailing comma at line 1 column 4",
		"":         "EOF while parsing a value at line 1 column 0",
	} {
		if _, err := ParseObject([]byte(in)); err == nil || err.Error() != want {
			t.Errorf("ParseObject(%q) = %v, want %q", in, err, want)
		}
	}
}

func TestEachAndStringArray(t *testing.T) {
	var kinds []Kind
	var raws []string
	err := Each([]byte(`[ 1, "a", [true], {"b":null}, null ]`), func(i int, raw []byte, kind Kind) {
		if i != len(kinds) {
			t.Errorf("index %d out of order", i)
		}
		kinds = append(kinds, kind)
		raws = append(raws, string(raw))
	})
	if err != nil || !reflect.DeepEqual(kinds, []Kind{Number, String, Array, Object, Null}) ||
		!reflect.DeepEqual(raws, []string{`1`, `"a"`, `[true]`, `{"b":null}`, `null`}) {
		t.Errorf("Each: %v %v %q", err, kinds, raws)
	}
	if err := Each([]byte(`{}`), func(int, []byte, Kind) {}); err == nil || err.Error() != "expected an array, found object" {
		t.Errorf("Each({}) = %v", err)
	}
	if s, ok := StringArray([]byte(`["a","\u00e9"]`)); !ok || !reflect.DeepEqual(s, []string{"a", "é"}) {
		t.Errorf("StringArray = %q, %v", s, ok)
	}
	if s, ok := StringArray([]byte(`[]`)); !ok || s == nil || len(s) != 0 {
		t.Errorf("StringArray([]) = %#v, %v; want an empty list", s, ok)
	}
	for _, bad := range []string{`["a",1]`, `"a"`, `[`} {
		if s, ok := StringArray([]byte(bad)); ok {
			t.Errorf("StringArray(%s) = %q, want not ok", bad, s)
		}
	}
}

func TestStrings(t *testing.T) {
	for raw, want := range map[string]string{
		`"plain"`:                "plain",
		`"a\"b\\c\/d\b\f\n\r\t"`: "a\"b\\c/d\b\f\n\r\t",
		`"\u00e9\ud83d\ude00"`:   "é😀",
	} {
		if got, err := DecodeString([]byte(raw)); err != nil || got != want {
			t.Errorf("DecodeString(%s) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, bad := range []string{``, `"`, `x`, `"\u12"`, `"\ud800\u0041"`, `"\q"`} {
		if got, err := DecodeString([]byte(bad)); err == nil {
			t.Errorf("DecodeString(%s) = %q, want an error", bad, got)
		}
	}
	if got := string(AppendString(nil, "a\"\\\n\x01</é>")); got != `"a\"\\\n\u0001</é>"` {
		t.Errorf("AppendString = %s", got)
	}
	if got := string(Compact([]byte(` { "a" : [ 1 , "x\u0041\/" ] } `))); got != `{"a":[1,"xA/"]}` {
		t.Errorf("Compact = %s", got)
	}
	plain := []byte(`{"a":1}`)
	if got := Compact(plain); &got[0] != &plain[0] {
		t.Errorf("Compact copied a value that needed nothing")
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want Num
	}{
		{`5`, Num{Kind: Uint, U: 5}},
		{`18446744073709551615`, Num{Kind: Uint, U: 18446744073709551615}},
		{`18446744073709551616`, Num{Kind: Float, F: 18446744073709551616}},
		{`-7`, Num{Kind: Int, I: -7}},
		{`-9223372036854775809`, Num{Kind: Float, F: -9223372036854775809}},
		{`-0`, Num{Kind: Float, F: 0}},
		{`1.5e2`, Num{Kind: Float, F: 150}},
	}
	for _, tt := range tests {
		if got, ok := ParseNumber([]byte(tt.in)); !ok || got != tt.want || got.Float() != tt.want.Float() {
			t.Errorf("ParseNumber(%s) = %+v, %v; want %+v", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{`1e400`, `x`, ``} {
		if got, ok := ParseNumber([]byte(bad)); ok {
			t.Errorf("ParseNumber(%q) = %+v, want not ok", bad, got)
		}
	}
}

// FuzzCheck: the scanner never panics, accepts only what encoding/json
// accepts, gives positions inside the document, and what it accepts walks
// and compacts to valid JSON.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{``, `{}`, `[1,2]`, `{"a":[{"b":"\ud83d\ude00"}]}`, `1e400`, "\"\xff\"", `"\ud800"`, strings.Repeat("[", 130), `{"a":1,}`, `-0.5E+3`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Check(data)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(data) || se.Line < 1 {
				t.Fatalf("Check(%q) = %#v", data, err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("Check accepted %q", data)
		}
		if c := Compact(data); !json.Valid(c) {
			t.Fatalf("Compact(%q) = %q, not JSON", data, c)
		}
		if ms, err := ParseObject(data); err == nil {
			for _, m := range ms {
				if Check(m.Raw) != nil || KindOf(m.Raw) != m.Kind {
					t.Fatalf("member %q of %q: raw %q kind %v", m.Key, data, m.Raw, m.Kind)
				}
			}
		}
	})
}
