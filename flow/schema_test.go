package flow_test

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
)

// The JSON report is a Timeline marshalled; the README documents its
// schema. These tests fail when the two differ, field by field.

// fill sets every exported field of v to a non-zero value, so that
// marshalling it shows every field, omitempty ones included; lists get one
// item. depth stops types that contain themselves.
func fill(v reflect.Value, depth int) {
	if depth > 40 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth+1)
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	}
}

// shape lists every path of a JSON value with its kind: "rounds[].round
// number". Strings that read "same as PATH" stand for the shape at PATH
// (the README uses them for repeated shapes).
func shape(v any, path string, out map[string]string, root any) {
	switch x := v.(type) {
	case map[string]any:
		out[path] = "object"
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			shape(e, p, out, root)
		}
	case []any:
		out[path] = "array"
		for _, e := range x {
			shape(e, path+"[]", out, root)
		}
	case string:
		if ref, ok := strings.CutPrefix(x, "same as "); ok {
			shape(at(root, ref), path, out, root)
			return
		}
		out[path] = "string"
	case float64:
		out[path] = "number"
	case bool:
		out[path] = "boolean"
	case nil:
		out[path] = "null"
	}
}

// at finds the value at a path such as "rounds[].verdict".
func at(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		name, list := strings.CutSuffix(part, "[]")
		m, _ := v.(map[string]any)
		v = m[name]
		if list {
			l, _ := v.([]any)
			if len(l) == 0 {
				return nil
			}
			v = l[0]
		}
	}
	return v
}

func marshalledShape(t *testing.T) map[string]string {
	var tl flow.Timeline
	fill(reflect.ValueOf(&tl).Elem(), 0)
	b, err := json.Marshal(&tl)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	shape(v, "", out, v)
	return out
}

// readmeShape reads the schema block of the README's "JSON report"
// section: JSON with // comments.
func readmeShape(t *testing.T) map[string]string {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "### JSON report (`check --json`)")
	_, block, ok2 := strings.Cut(section, "```jsonc\n")
	block, _, ok3 := strings.Cut(block, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("the README has no ```jsonc block in its JSON report section")
	}
	var v any
	if err := json.Unmarshal([]byte(stripComments(block)), &v); err != nil {
		t.Fatalf("the README's JSON schema does not parse: %v", err)
	}
	out := map[string]string{}
	shape(v, "", out, v)
	return out
}

// stripComments drops // comments that are not inside strings.
func stripComments(s string) string {
	var b strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			inString = !(c == '"' && !escaped)
			escaped = c == '\\' && !escaped
		case c == '"':
			inString = true
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		}
		if i < len(s) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// TestReadmeDocumentsTheReport fails when a field of the JSON report is
// missing from the README's schema, or documented with another type, or
// documented but gone.
func TestReadmeDocumentsTheReport(t *testing.T) {
	doc, got := readmeShape(t), marshalledShape(t)
	var missing, extra, differ []string
	for p, k := range got {
		switch d, ok := doc[p]; {
		case !ok:
			missing = append(missing, p+" ("+k+")")
		case d != k:
			differ = append(differ, p+": README says "+d+", the report has "+k)
		}
	}
	for p := range doc {
		if _, ok := got[p]; !ok {
			extra = append(extra, p)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	sort.Strings(differ)
	for _, l := range []struct {
		what string
		list []string
	}{{"in the report but not in the README", missing}, {"in the README but not in the report", extra}, {"typed differently", differ}} {
		if len(l.list) > 0 {
			t.Errorf("JSON report fields %s:\n  %s", l.what, strings.Join(l.list, "\n  "))
		}
	}
}
