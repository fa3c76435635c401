package wire

import (
	"encoding/json"
	"testing"
)

var fuzzSeeds = []string{
	``, `{}`, `[]`, `null`, `{"type":"Ping"}`,
	`{"type":"Transition","startVersion":{"querySet":0,"identity":0,"ts":"AAAAAAAAAAA="},"endVersion":{"querySet":1,"identity":1,"ts":"AQAAAAAAAAA="},"modifications":[{"type":"QueryUpdated","queryId":0,"value":null,"logLines":[],"journal":null}],"clientClockSkew":-1.5,"serverTs":5}`,
	`{"type":"AuthError","error":"x","baseVersion":null,"authUpdateAttempted":false}`,
	`{"type":"MutationResponse","requestId":1,"success":false,"result":"e","ts":null,"logLines":[]}`,
	`{"type":"Connect","sessionId":"6f0d8a8e-2d1c-4c43-9a7e-2f3f1c9a1b2c","connectionCount":0,"maxObservedTimestamp":"AQAAAAAAAAA="}`,
	`{"type":"Authenticate","tokenType":"Admin","value":"k","baseVersion":0,"impersonating":{"subject":"s"}}`,
	`{"type":"ModifyQuerySet","baseVersion":0,"newVersion":1,"modifications":[{"type":"Add","queryId":1,"udfPath":"a:b","args":[{}]},{"type":"Remove","queryId":1}]}`,
	`{"a":"\ud83d\ude00","b":[1e5,-0.5,{"c":"\u0000"}]}`, "[[[[[[[[[[", `"\ud800\u0041"`,
}

// FuzzParseServerMessage: any frame from a server either parses or gives an
// error; a parsed message re-encodes to something that parses again.
func FuzzParseServerMessage(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseServerMessage(data)
		if err != nil {
			if m != nil {
				t.Fatalf("message and error both returned")
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		b, err := Encode(m)
		if err != nil {
			t.Fatalf("re-encode %T: %v", m, err)
		}
		if _, err := ParseServerMessage(b); err != nil {
			t.Fatalf("re-encoded %s does not parse: %v", b, err)
		}
	})
}

// FuzzParseClientMessage is the same for what the embedded backend reads.
func FuzzParseClientMessage(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseClientMessage(data)
		if err != nil {
			if BackendErrorText(err) == "" {
				t.Fatalf("empty error text for %q", data)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		b, err := Encode(m)
		if err != nil {
			t.Fatalf("re-encode %T: %v", m, err)
		}
		if _, err := ParseClientMessage(b); err != nil {
			t.Fatalf("re-encoded %s does not parse: %v", b, err)
		}
	})
}
