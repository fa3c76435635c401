package strictjson

import "testing"

func TestFieldsSerdeWording(t *testing.T) {
	f, err := ReadFields([]byte(`{"s":"x","s2":"y","s2":"z","n":null,"u":7,"big":5000000000,"neg":-1,"z":-0,"fl":1.5,"b":true,"a":[1,"x"],"o":{"k":"v"},"t":"Two"}`), "msg", "struct M")
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, err error, want string) {
		t.Helper()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("%s: error %q, want %q", what, got, want)
		}
	}
	s, err := f.Str("s2")
	check("last duplicate wins", err, "")
	if s != "z" {
		t.Errorf("s2 = %q, want the last value", s)
	}
	_, err = f.Str("absent")
	check("missing", err, "msg: missing field `absent`")
	_, err = f.Str("u")
	check("number as string", err, "msg.u: invalid type: integer `7`, expected a string")
	_, err = f.U32("s")
	check("string as u32", err, `msg.s: invalid type: string "x", expected u32`)
	_, err = f.U32("big")
	check("u32 range", err, "msg.big: invalid value: integer `5000000000`, expected u32")
	_, err = f.U32("neg")
	check("negative u32", err, "msg.neg: invalid value: integer `-1`, expected u32")
	_, err = f.U32("z")
	check("-0 is a float", err, "msg.z: invalid type: floating point `-0.0`, expected u32")
	_, err = f.I64("fl")
	check("float as i64", err, "msg.fl: invalid type: floating point `1.5`, expected i64")
	_, err = f.Bool("n")
	check("null as bool", err, "msg.n: invalid type: null, expected a boolean")
	_, err = f.Array("o")
	check("map as sequence", err, "msg.o: invalid type: map, expected a sequence")
	_, err = f.Object("a", "struct Inner")
	check("sequence as struct", err, "msg.a: invalid type: sequence, expected struct Inner")
	_, err = f.Variant("t", []string{"One", "Three"})
	check("variant", err, "msg.t: unknown variant `Two`, expected `One` or `Three`")
	_, err = f.Float("b")
	check("bool as number", err, "msg.b: invalid type: boolean `true`, expected a number")
	if v, err := f.OptStr("n"); v != nil || err != nil {
		t.Errorf("OptStr(null) = %v, %v; want absent", v, err)
	}
	if v, err := f.OptU32("u"); err != nil || v == nil || *v != 7 {
		t.Errorf("OptU32(u) = %v, %v", v, err)
	}
	o, err := f.Object("o", "struct Inner")
	check("object", err, "")
	_, err = o.U32("k")
	check("nested path", err, `msg.o.k: invalid type: string "v", expected u32`)
	if items, err := f.Array("a"); err != nil || len(items) != 2 || string(items[1]) != `"x"` {
		t.Errorf("Array(a) = %q, %v", items, err)
	}
	if _, err := ReadFields([]byte(`5`), "", "struct M"); err == nil || err.Error() != "invalid type: integer `5`, expected struct M" {
		t.Errorf("ReadFields(5) = %v", err)
	}
	for n, want := range map[int]string{0: "unknown variant `x`, there are no variants", 1: "unknown variant `x`, expected `a`", 3: "unknown variant `x`, expected one of `a`, `b`, `c`"} {
		if got := UnknownVariant("x", []string{"a", "b", "c"}[:n]); got != want {
			t.Errorf("UnknownVariant with %d = %q, want %q", n, got, want)
		}
	}
}
