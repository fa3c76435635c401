package wire

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestFrameSyntaxErrors(t *testing.T) {
	// The scanner's wording is tested in strictjson; here, that a frame's
	// syntax error reaches the backend's text as serde_json prints it.
	tests := []struct{ in, want string }{
		{`{"type":"Authenticate"`, "EOF while parsing an object at line 1 column 22"},
		{`{"type":"Connect","connectionCount":1e400}`, "number out of range at line 1 column 41"},
		{"{\"type\":\"\xff\"}", "invalid UTF-8 at line 1 column 0"},
	}
	for _, tt := range tests {
		_, err := ParseClientMessage([]byte(tt.in))
		if err == nil || BackendErrorText(err) != tt.want {
			t.Errorf("ParseClientMessage(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestParseClientMessageErrors(t *testing.T) {
	const uuid = "6f0d8a8e-2d1c-4c43-9a7e-2f3f1c9a1b2c"
	tests := []struct {
		name, in, want string
	}{
		{"not an object", `5`, "invalid type: integer `5`, expected struct ClientMessageJson"},
		{"no type", `{"sessionId":"x"}`, "missing field `type`"},
		{"unknown type", `{"type":"Hello"}`, "unknown variant `Hello`, expected one of `Connect`, `ModifyQuerySet`, `Mutation`, `Action`, `Authenticate`, `Event`"},
		{"type not a string", `{"type":5}`, "invalid type: integer `5`, expected a string"},
		{"connect without count", `{"type":"Connect","sessionId":"` + uuid + `"}`, "missing field `connectionCount`"},
		{"count as string", `{"type":"Connect","sessionId":"` + uuid + `","connectionCount":"0"}`, `invalid type: string "0", expected u32`},
		{"count negative", `{"type":"Connect","sessionId":"` + uuid + `","connectionCount":-1}`, "invalid value: integer `-1`, expected u32"},
		{"count float", `{"type":"Connect","sessionId":"` + uuid + `","connectionCount":1.5}`, "invalid type: floating point `1.5`, expected u32"},
		{"session not uuid", `{"type":"Connect","sessionId":"abc","connectionCount":0}`, "invalid length: expected length 32 for simple format, found 3"},
		{"session bad char", `{"type":"Connect","sessionId":"zzzzzzzz-2d1c-4c43-9a7e-2f3f1c9a1b2c","connectionCount":0}`, "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `z` at 1"},
		{"auth without tokenType", `{"type":"Authenticate","baseVersion":0}`, "missing field `tokenType`"},
		{"auth bad tokenType", `{"type":"Authenticate","baseVersion":0,"tokenType":"Bearer"}`, "unknown variant `Bearer`, expected one of `Admin`, `User`, `None`"},
		{"auth user no value", `{"type":"Authenticate","baseVersion":0,"tokenType":"User"}`, "missing field `value`"},
		{"auth null base", `{"type":"Authenticate","baseVersion":null,"tokenType":"None"}`, "invalid type: null, expected u32"},
		{"mqs without mods", `{"type":"ModifyQuerySet","baseVersion":0,"newVersion":1}`, "ModifyQuerySet lacks modifications"},
		{"mqs mods not list", `{"type":"ModifyQuerySet","baseVersion":0,"newVersion":1,"modifications":{}}`, "invalid type: map, expected a sequence"},
		{"mqs bad mod", `{"type":"ModifyQuerySet","baseVersion":0,"newVersion":1,"modifications":[{"type":"Replace"}]}`, "unknown variant `Replace`, expected `Add` or `Remove`"},
		{"remove without id", `{"type":"ModifyQuerySet","baseVersion":0,"newVersion":1,"modifications":[{"type":"Remove"}]}`, "missing field `queryId`"},
		{"mutation without args", `{"type":"Mutation","requestId":0,"udfPath":"a:b"}`, "Mutation lacks args"},
		{"event without event", `{"type":"Event","eventType":"x"}`, "missing field `event`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseClientMessage([]byte(tt.in))
			if err == nil {
				t.Fatalf("parsed %#v, want error %q", m, tt.want)
			}
			if got := BackendErrorText(err); got != tt.want {
				t.Errorf("error = %q, want %q (full: %v)", got, tt.want, err)
			}
		})
	}
}

func TestClientMessagesRoundTrip(t *testing.T) {
	reason := "InitialConnect"
	ts := int64(1700000000123)
	obs := uint64(1234567890123456789)
	journal := "j"
	msgs := []struct {
		m    ClientMessage
		wire string
	}{
		{Connect{SessionID: "6f0d8a8e-2d1c-4c43-9a7e-2f3f1c9a1b2c", LastCloseReason: &reason, ClientTS: &ts},
			`{"type":"Connect","sessionId":"6f0d8a8e-2d1c-4c43-9a7e-2f3f1c9a1b2c","connectionCount":0,"lastCloseReason":"InitialConnect","clientTs":1700000000123}`},
		{Connect{SessionID: "6f0d8a8e-2d1c-4c43-9a7e-2f3f1c9a1b2c", ConnectionCount: 3, MaxObservedTimestamp: &obs},
			`{"type":"Connect","sessionId":"6f0d8a8e-2d1c-4c43-9a7e-2f3f1c9a1b2c","connectionCount":3,"maxObservedTimestamp":"` + EncodeTS(obs) + `"}`},
		{Authenticate{TokenType: TokenUser, Value: "a.b.c", BaseVersion: 2},
			`{"type":"Authenticate","tokenType":"User","value":"a.b.c","baseVersion":2}`},
		{Authenticate{TokenType: TokenNone, BaseVersion: 1},
			`{"type":"Authenticate","tokenType":"None","baseVersion":1}`},
		{ModifyQuerySet{BaseVersion: 0, NewVersion: 1, Modifications: []QuerySetModification{}},
			`{"type":"ModifyQuerySet","baseVersion":0,"newVersion":1,"modifications":[]}`},
		{ModifyQuerySet{BaseVersion: 1, NewVersion: 2, Modifications: []QuerySetModification{
			{Type: ModAdd, QueryID: 0, UDFPath: "auth:whoami", Args: json.RawMessage(`[{"a":1}]`), Journal: &journal},
			{Type: ModRemove, QueryID: 7}}},
			`{"type":"ModifyQuerySet","baseVersion":1,"newVersion":2,"modifications":[{"type":"Add","queryId":0,"udfPath":"auth:whoami","args":[{"a":1}],"journal":"j"},{"type":"Remove","queryId":7}]}`},
		{Mutation{RequestID: 4, UDFPath: "m:send", Args: json.RawMessage(`[{}]`)},
			`{"type":"Mutation","requestId":4,"udfPath":"m:send","args":[{}]}`},
		{Action{RequestID: 5, UDFPath: "a:run", Args: json.RawMessage(`[{"x":"<&>"}]`)},
			`{"type":"Action","requestId":5,"udfPath":"a:run","args":[{"x":"<&>"}]}`},
		{Event{EventType: "ClientConnect", Event: json.RawMessage(`{"marks":[]}`)},
			`{"type":"Event","eventType":"ClientConnect","event":{"marks":[]}}`},
	}
	for _, tt := range msgs {
		b, err := Encode(tt.m)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.wire {
			t.Errorf("marshal %T:\n got %s\nwant %s", tt.m, b, tt.wire)
		}
		back, err := ParseClientMessage(b)
		if err != nil {
			t.Fatalf("parse %s: %v", b, err)
		}
		if !reflect.DeepEqual(back, tt.m) {
			t.Errorf("round trip %s:\n got %#v\nwant %#v", b, back, tt.m)
		}
	}
}

func TestParseToleratesUnknownFields(t *testing.T) {
	m, err := ParseClientMessage([]byte(`{"type":"Authenticate","tokenType":"User","value":"t","baseVersion":0,"future":{"x":[1]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if a := m.(Authenticate); a.Value != "t" {
		t.Errorf("value = %q", a.Value)
	}
	s, err := ParseServerMessage([]byte(`{"type":"Ping","extra":1}`))
	if err != nil || s.MessageType() != TypePing {
		t.Errorf("Ping with extra field: %v, %v", s, err)
	}
}

func TestServerMessagesRoundTrip(t *testing.T) {
	skew := -12.0
	sts := int64(1700000000000000000)
	base := uint32(1)
	attempted := true
	ts := uint64(42)
	msgs := []struct {
		m    ServerMessage
		wire string
	}{
		{Transition{
			StartVersion:    StateVersion{QuerySet: 0, Identity: 0, TS: 0},
			EndVersion:      StateVersion{QuerySet: 1, Identity: 1, TS: 1},
			Modifications:   []StateModification{{Type: ModQueryUpdated, QueryID: 0, Value: json.RawMessage(`{"subject":"u"}`), LogLines: []json.RawMessage{}}, {Type: ModQueryFailed, QueryID: 1, ErrorMessage: "boom", LogLines: []json.RawMessage{}}, {Type: ModQueryRemoved, QueryID: 2}},
			ClientClockSkew: &skew, ServerTS: &sts},
			`{"type":"Transition","startVersion":{"querySet":0,"identity":0,"ts":"AAAAAAAAAAA="},"endVersion":{"querySet":1,"identity":1,"ts":"AQAAAAAAAAA="},"modifications":[{"type":"QueryUpdated","queryId":0,"value":{"subject":"u"},"logLines":[],"journal":null},{"type":"QueryFailed","queryId":1,"errorMessage":"boom","logLines":[],"journal":null},{"type":"QueryRemoved","queryId":2}],"clientClockSkew":-12,"serverTs":1700000000000000000}`},
		{AuthError{Error: "Could not verify OIDC token claim.", BaseVersion: &base, AuthUpdateAttempted: &attempted},
			`{"type":"AuthError","error":"Could not verify OIDC token claim.","baseVersion":1,"authUpdateAttempted":true}`},
		{AuthError{Error: "x"}, `{"type":"AuthError","error":"x","baseVersion":null}`},
		{FatalError{Error: "Base version 3 passed up doesn't match the current version 1"},
			`{"type":"FatalError","error":"Base version 3 passed up doesn't match the current version 1"}`},
		{Ping{}, `{"type":"Ping"}`},
		{MutationResponse{RequestID: 1, Success: true, Result: json.RawMessage(`5`), TS: &ts, LogLines: []json.RawMessage{}},
			`{"type":"MutationResponse","requestId":1,"success":true,"result":5,"ts":"KgAAAAAAAAA=","logLines":[]}`},
		{ActionResponse{RequestID: 2, Success: false, Result: json.RawMessage(`"failed"`), LogLines: []json.RawMessage{}},
			`{"type":"ActionResponse","requestId":2,"success":false,"result":"failed","logLines":[]}`},
		{TransitionChunk{Chunk: "abc", PartNumber: 0, TotalParts: 2, TransitionID: "t"},
			`{"type":"TransitionChunk","chunk":"abc","partNumber":0,"totalParts":2,"transitionId":"t"}`},
	}
	for _, tt := range msgs {
		b, err := Encode(tt.m)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.wire {
			t.Errorf("marshal %T:\n got %s\nwant %s", tt.m, b, tt.wire)
		}
		if _, err := ParseServerMessage(b); err != nil {
			t.Errorf("parse %s: %v", b, err)
		}
	}
}

func TestParseServerMessageStrict(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"type":"Transition","startVersion":{"querySet":0,"identity":"0","ts":"AAAAAAAAAAA="},"endVersion":{"querySet":0,"identity":1,"ts":"AAAAAAAAAAA="},"modifications":[]}`,
			`Transition message field startVersion.identity: invalid type: string "0", expected u32`},
		{`{"type":"Transition","startVersion":{"querySet":0,"identity":0,"ts":"AAAA"},"endVersion":{"querySet":0,"identity":1,"ts":"AAAAAAAAAAA="},"modifications":[]}`,
			`Transition message field startVersion.ts: u64 must be 8 bytes`},
		{`{"type":"Transition","startVersion":{"querySet":0,"identity":0,"ts":"AAAAAAAAAAA="},"endVersion":{"querySet":0,"identity":1,"ts":"AAAAAAAAAAA="}}`,
			"Transition message: missing field `modifications`"},
		{`{"type":"AuthError","error":5}`, "AuthError message field error: invalid type: integer `5`, expected a string"},
		{`{"type":"Hello"}`, "message field type: unknown variant `Hello`, expected one of `Transition`, `MutationResponse`, `ActionResponse`, `FatalError`, `AuthError`, `TransitionChunk`, `Ping`"},
		{`[]`, "message: invalid type: sequence, expected a message object"},
		{`{"type":"Transition","startVersion":{"querySet":0,"identity":0,"ts":"AAAAAAAAAAA="},"endVersion":{"querySet":0,"identity":1,"ts":"AAAAAAAAAAA="},"modifications":[{"type":"QueryUpdated","queryId":0,"logLines":[]}]}`,
			"Transition message field modifications[0]: missing field `value`"},
	}
	for _, tt := range tests {
		_, err := ParseServerMessage([]byte(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseServerMessage(%s)\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

func TestTimestamp(t *testing.T) {
	for _, v := range []uint64{0, 1, 1 << 63, 1700000000123456789, ^uint64(0)} {
		got, err := DecodeTS(EncodeTS(v))
		if err != nil || got != v {
			t.Errorf("DecodeTS(EncodeTS(%d)) = %d, %v", v, got, err)
		}
	}
	if EncodeTS(1) != "AQAAAAAAAAA=" {
		t.Errorf("EncodeTS(1) = %s: must be little-endian", EncodeTS(1))
	}
	for _, bad := range []string{"", "AQ==", "!!!!!!!!!!!=", "AQAAAAAAAAAA"} {
		if _, err := DecodeTS(bad); err == nil {
			t.Errorf("DecodeTS(%q) accepted", bad)
		}
	}
}

func TestCheckUUID(t *testing.T) {
	for _, ok := range []string{NewSessionID(), "6F0D8A8E-2D1C-4C43-9A7E-2F3F1C9A1B2C", "6f0d8a8e2d1c4c439a7e2f3f1c9a1b2c", "{6f0d8a8e-2d1c-4c43-9a7e-2f3f1c9a1b2c}", "urn:uuid:6f0d8a8e-2d1c-4c43-9a7e-2f3f1c9a1b2c"} {
		if err := CheckUUID(ok); err != nil {
			t.Errorf("CheckUUID(%q) = %v", ok, err)
		}
	}
	bad := map[string]string{
		"":                                      "invalid length: expected length 32 for simple format, found 0",
		"6f0d8a8e-2d1c-4c43-9a7e":               "invalid group count: expected 5, found 4",
		"6f0d8a8e2-d1c-4c43-9a7e-2f3f1c9a1b2c":  "invalid group length in group 0: expected 8, found 9",
		"6f0d8a8e-2d1c-4c43-9a7e-2f3f1c9a1b2c0": "invalid group length in group 4: expected 12, found 13",
		"6f0d8a8e-2d1c-4c43-9a7e-2f3f1c9a1b2é":  "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `é` at 36",
	}
	for in, want := range bad {
		if err := CheckUUID(in); err == nil || err.Error() != want {
			t.Errorf("CheckUUID(%q) = %v, want %q", in, err, want)
		}
	}
	id := NewSessionID()
	if id[14] != '4' || !strings.ContainsRune("89ab", rune(id[19])) {
		t.Errorf("NewSessionID() = %s: not a v4 UUID", id)
	}
}

func TestSyncURL(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"https://happy-otter-123.convex.cloud", "wss://happy-otter-123.convex.cloud/api/1.48.0/sync", ""},
		{"http://127.0.0.1:3210", "ws://127.0.0.1:3210/api/1.48.0/sync", ""},
		{"https://x.convex.cloud/", "wss://x.convex.cloud//api/1.48.0/sync", ""},
		{"https://proxy.example/convex", "wss://proxy.example/convex/api/1.48.0/sync", ""},
		{"ftp://x", "", `Invalid deployment address: Must start with "https://" or "http://". Found "ftp://x".`},
		{"HTTPS://x.convex.cloud", "", `Invalid deployment address: Must start with "https://" or "http://". Found "HTTPS://x.convex.cloud".`},
		{"https://happy-otter-123.convex.site", "", "Invalid deployment address: \"https://happy-otter-123.convex.site\" ends with .convex.site, which is used for HTTP Actions. Convex deployment URLs typically end with .convex.cloud? If you believe this URL is correct, use the `skipConvexDeploymentUrlCheck` option to bypass this."},
		{"http:/x://y", "", "Unknown parent protocol http:/x"},
		{"http:localhost", "", "Provided address was not an absolute URL."},
		{"https://exa mple.com", "", "Invalid deployment address: \"https://exa mple.com\" is not a valid URL. If you believe this URL is correct, use the `skipConvexDeploymentUrlCheck` option to bypass this."},
	}
	for _, tt := range tests {
		got, err := SyncURL(tt.in, "")
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("SyncURL(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("SyncURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if got, _ := SyncURL("http://h", "1.21.0"); got != "ws://h/api/1.21.0/sync" {
		t.Errorf("client version not used: %s", got)
	}
}
