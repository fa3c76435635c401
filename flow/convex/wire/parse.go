package wire

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
)

// ParseClientMessage reads one client→server frame as the backend does
// (crates/convex/sync_types/src/types/json.rs, see SPEC.md): JSON syntax
// first (serde_json's text with line and column), then the message shape (a
// *ParseError). Unknown fields are ignored. The error text is what follows
// "Received Invalid JSON on websocket: " in the backend's FatalError (see
// BackendErrorText).
func ParseClientMessage(data []byte) (ClientMessage, error) {
	f, err := readFrame(data, "struct ClientMessageJson")
	if err != nil {
		return nil, err
	}
	// serde reads the flattened outer fields first.
	var mods [][]byte
	if f.Has("modifications") {
		if mods, err = f.Array("modifications"); err != nil {
			return nil, inMessage("", err)
		}
	}
	typ, err := f.Variant("type", clientTypes)
	if err != nil {
		return nil, inMessage("", err)
	}
	var m ClientMessage
	switch typ {
	case TypeConnect:
		m, err = parseConnect(f)
	case TypeModifyQuerySet:
		m, err = parseModifyQuerySet(f, mods)
	case TypeMutation, TypeAction:
		m, err = parseRequest(f, typ)
	case TypeAuthenticate:
		m, err = parseAuthenticate(f)
	default: // TypeEvent
		m, err = parseEvent(f)
	}
	if err != nil {
		return nil, inMessage(typ, err)
	}
	return m, nil
}

// readFrame checks a frame's syntax and reads it as an object. The frame
// is copied first, so the raw values of a message never alias the
// caller's buffer.
func readFrame(data []byte, expecting string) (*strictjson.Fields, error) {
	if err := checkFrame(data); err != nil {
		return nil, err
	}
	f, err := strictjson.ReadFields(bytes.Clone(data), "", expecting)
	return f, inMessage("", err)
}

// reads runs field reads in order and keeps the first error; the reads
// after it are skipped, so each message reports its first problem.
type reads struct{ err error }

func get[T any](r *reads, read func(string) (T, error), name string) T {
	var zero T
	if r.err != nil {
		return zero
	}
	v, err := read(name)
	r.err = err
	return v
}

// variants is Fields.Variant as a read for get.
func variants(f *strictjson.Fields, list []string) func(string) (string, error) {
	return func(tag string) (string, error) { return f.Variant(tag, list) }
}

func rawList(items [][]byte) []json.RawMessage {
	out := make([]json.RawMessage, len(items))
	for i, b := range items {
		out[i] = b
	}
	return out
}

func parseConnect(f *strictjson.Fields) (ClientMessage, error) {
	var r reads
	m := Connect{
		SessionID:       get(&r, f.Str, "sessionId"),
		ConnectionCount: get(&r, f.U32, "connectionCount"),
		LastCloseReason: get(&r, f.OptStr, "lastCloseReason"),
	}
	ts := get(&r, f.OptStr, "maxObservedTimestamp")
	m.ClientTS = get(&r, f.OptI64, "clientTs")
	if r.err != nil {
		return nil, r.err
	}
	if err := CheckUUID(m.SessionID); err != nil {
		return nil, f.Fail("sessionId", err.Error())
	}
	if ts != nil {
		v, err := decodeTSSerde(*ts)
		if err != nil {
			return nil, f.Fail("maxObservedTimestamp", err.Error())
		}
		m.MaxObservedTimestamp = &v
	}
	return m, nil
}

func parseModifyQuerySet(f *strictjson.Fields, mods [][]byte) (ClientMessage, error) {
	var r reads
	m := ModifyQuerySet{BaseVersion: get(&r, f.U32, "baseVersion"), NewVersion: get(&r, f.U32, "newVersion")}
	if r.err != nil {
		return nil, r.err
	}
	if !f.Has("modifications") {
		return nil, &strictjson.FieldError{Msg: "ModifyQuerySet lacks modifications"}
	}
	m.Modifications = make([]QuerySetModification, 0, len(mods))
	for i, raw := range mods {
		mod, err := parseQuerySetModification(raw, fmt.Sprintf("modifications[%d]", i))
		if err != nil {
			return nil, err
		}
		m.Modifications = append(m.Modifications, mod)
	}
	return m, nil
}

func parseQuerySetModification(raw []byte, path string) (QuerySetModification, error) {
	var m QuerySetModification
	f, err := strictjson.ReadFields(raw, path, "struct QuerySetModificationJson")
	if err != nil {
		return m, err
	}
	if m.Type, err = f.Variant("type", []string{ModAdd, ModRemove}); err != nil {
		return m, err
	}
	if m.Type == ModRemove {
		m.QueryID, err = f.U32("queryId")
		return m, err
	}
	// Add: every field has a default (serde(default)), so absent is fine.
	var r reads
	if f.Has("queryId") {
		m.QueryID = get(&r, f.U32, "queryId")
	}
	if f.Has("udfPath") {
		m.UDFPath = get(&r, f.Str, "udfPath")
	}
	m.Journal = get(&r, f.OptStr, "journal")
	m.ComponentPath = get(&r, f.OptStr, "componentPath")
	if r.err != nil {
		return m, r.err
	}
	m.Args = f.Raw("args")
	if err := CheckUDFPath(m.UDFPath); err != nil {
		return m, f.Fail("udfPath", err.Error())
	}
	return m, nil
}

func parseRequest(f *strictjson.Fields, typ string) (ClientMessage, error) {
	var r reads
	req := Request{
		RequestID:     get(&r, f.U32, "requestId"),
		UDFPath:       get(&r, f.Str, "udfPath"),
		ComponentPath: get(&r, f.OptStr, "componentPath"),
	}
	if r.err != nil {
		return nil, r.err
	}
	if err := CheckUDFPath(req.UDFPath); err != nil {
		return nil, f.Fail("udfPath", err.Error())
	}
	if req.Args = f.Raw("args"); req.Args == nil {
		return nil, &strictjson.FieldError{Msg: typ + " lacks args"}
	}
	if typ == TypeMutation {
		return Mutation(req), nil
	}
	return Action(req), nil
}

func parseAuthenticate(f *strictjson.Fields) (ClientMessage, error) {
	var r reads
	m := Authenticate{BaseVersion: get(&r, f.U32, "baseVersion")}
	m.TokenType = TokenType(get(&r, variants(f, tokenTypes), "tokenType"))
	if r.err != nil {
		return nil, r.err
	}
	if m.TokenType == TokenNone {
		return m, nil
	}
	var err error
	if m.Value, err = f.Str("value"); err != nil {
		return nil, err
	}
	if m.TokenType == TokenAdmin {
		// serde(alias = "impersonating") on actingAs.
		if f.Has("actingAs") {
			m.ActingAs = f.Raw("actingAs")
		} else if f.Has("impersonating") {
			m.ActingAs = f.Raw("impersonating")
		}
	}
	return m, nil
}

func parseEvent(f *strictjson.Fields) (ClientMessage, error) {
	t, err := f.Str("eventType")
	if err != nil {
		return nil, err
	}
	ev, ok := f.Lookup("event")
	if !ok {
		return nil, f.Missing("event")
	}
	return Event{EventType: t, Event: ev}, nil
}
