package wire

import (
	"encoding/json"
	"fmt"
)

// ParseClientMessage reads one client→server frame as the backend does
// (backend: crates/convex/sync_types/src/types/json.rs): JSON syntax first
// (a *SyntaxError), then the message shape (a *ParseError). Unknown fields
// are ignored. The error text is what follows "Received Invalid JSON on
// websocket: " in the backend's FatalError (see BackendErrorText).
func ParseClientMessage(data []byte) (ClientMessage, error) {
	if err := checkJSON(data); err != nil {
		return nil, err
	}
	o, err := asObject(data, "", "", "struct ClientMessageJson")
	if err != nil {
		return nil, err
	}
	// serde reads the flattened outer fields first.
	var mods []json.RawMessage
	if o.has("modifications") {
		if mods, err = o.arrayValue("modifications", o.raw("modifications")); err != nil {
			return nil, err
		}
	}
	typ, err := o.variant("type", clientTypes)
	if err != nil {
		return nil, err
	}
	o.typ = typ
	switch typ {
	case TypeConnect:
		return parseConnect(o)
	case TypeModifyQuerySet:
		return parseModifyQuerySet(o, mods)
	case TypeMutation, TypeAction:
		return parseRequest(o, typ)
	case TypeAuthenticate:
		return parseAuthenticate(o)
	default: // TypeEvent
		return parseEvent(o)
	}
}

// BackendErrorText is the part of the backend's `Received Invalid JSON on
// websocket: <e>` message that names the problem: serde's wording without
// authscope's field path.
func BackendErrorText(err error) string {
	if pe, ok := err.(*ParseError); ok {
		return pe.SerdeText()
	}
	return err.Error()
}

func parseConnect(o *object) (ClientMessage, error) {
	var m Connect
	var err error
	if m.SessionID, err = o.str("sessionId"); err != nil {
		return nil, err
	}
	if m.ConnectionCount, err = o.u32("connectionCount"); err != nil {
		return nil, err
	}
	if m.LastCloseReason, err = o.optStr("lastCloseReason"); err != nil {
		return nil, err
	}
	ts, err := o.optStr("maxObservedTimestamp")
	if err != nil {
		return nil, err
	}
	if m.ClientTS, err = o.optI64("clientTs"); err != nil {
		return nil, err
	}
	if err := CheckUUID(m.SessionID); err != nil {
		return nil, &ParseError{Type: TypeConnect, Path: "sessionId", Msg: err.Error()}
	}
	if ts != nil {
		v, err := decodeTSSerde(*ts)
		if err != nil {
			return nil, &ParseError{Type: TypeConnect, Path: "maxObservedTimestamp", Msg: err.Error()}
		}
		m.MaxObservedTimestamp = &v
	}
	return m, nil
}

func parseModifyQuerySet(o *object, mods []json.RawMessage) (ClientMessage, error) {
	var m ModifyQuerySet
	var err error
	if m.BaseVersion, err = o.u32("baseVersion"); err != nil {
		return nil, err
	}
	if m.NewVersion, err = o.u32("newVersion"); err != nil {
		return nil, err
	}
	if !o.has("modifications") {
		return nil, &ParseError{Type: TypeModifyQuerySet, Msg: "ModifyQuerySet lacks modifications"}
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

func parseQuerySetModification(raw json.RawMessage, path string) (QuerySetModification, error) {
	var m QuerySetModification
	o, err := asObject(raw, TypeModifyQuerySet, path, "struct QuerySetModificationJson")
	if err != nil {
		return m, err
	}
	if m.Type, err = o.variant("type", []string{ModAdd, ModRemove}); err != nil {
		return m, err
	}
	if m.Type == ModRemove {
		m.QueryID, err = o.u32("queryId")
		return m, err
	}
	// Add: every field has a default (serde(default)), so absent is fine.
	if o.has("queryId") {
		if m.QueryID, err = o.u32("queryId"); err != nil {
			return m, err
		}
	}
	if o.has("udfPath") {
		if m.UDFPath, err = o.str("udfPath"); err != nil {
			return m, err
		}
	}
	if m.Journal, err = o.optStr("journal"); err != nil {
		return m, err
	}
	if m.ComponentPath, err = o.optStr("componentPath"); err != nil {
		return m, err
	}
	m.Args = o.raw("args")
	if err := CheckUDFPath(m.UDFPath); err != nil {
		return m, o.fail("udfPath", err.Error())
	}
	return m, nil
}

func parseRequest(o *object, typ string) (ClientMessage, error) {
	id, err := o.u32("requestId")
	if err != nil {
		return nil, err
	}
	path, err := o.str("udfPath")
	if err != nil {
		return nil, err
	}
	component, err := o.optStr("componentPath")
	if err != nil {
		return nil, err
	}
	if err := CheckUDFPath(path); err != nil {
		return nil, o.fail("udfPath", err.Error())
	}
	args := o.raw("args")
	if args == nil {
		return nil, &ParseError{Type: typ, Msg: typ + " lacks args"}
	}
	if typ == TypeMutation {
		return Mutation{RequestID: id, UDFPath: path, Args: args, ComponentPath: component}, nil
	}
	return Action{RequestID: id, UDFPath: path, Args: args, ComponentPath: component}, nil
}

func parseAuthenticate(o *object) (ClientMessage, error) {
	var m Authenticate
	var err error
	if m.BaseVersion, err = o.u32("baseVersion"); err != nil {
		return nil, err
	}
	tt, err := o.variant("tokenType", tokenTypes)
	if err != nil {
		return nil, err
	}
	m.TokenType = TokenType(tt)
	if m.TokenType == TokenNone {
		return m, nil
	}
	if m.Value, err = o.str("value"); err != nil {
		return nil, err
	}
	if m.TokenType == TokenAdmin {
		// serde(alias = "impersonating") on actingAs.
		if o.has("actingAs") {
			m.ActingAs = o.raw("actingAs")
		} else if o.has("impersonating") {
			m.ActingAs = o.raw("impersonating")
		}
	}
	return m, nil
}

func parseEvent(o *object) (ClientMessage, error) {
	t, err := o.str("eventType")
	if err != nil {
		return nil, err
	}
	ev, ok := o.f["event"]
	if !ok {
		return nil, o.missing("event")
	}
	return Event{EventType: t, Event: ev}, nil
}

// ParseServerMessage reads one server→client frame strictly: every field
// the JS client relies on must be there with the right JSON type; unknown
// fields are ignored. It never panics.
func ParseServerMessage(data []byte) (ServerMessage, error) {
	if err := checkJSON(data); err != nil {
		return nil, err
	}
	o, err := asObject(data, "", "", "a message object")
	if err != nil {
		return nil, err
	}
	typ, err := o.variant("type", serverTypes)
	if err != nil {
		return nil, err
	}
	o.typ = typ
	switch typ {
	case TypeTransition:
		return parseTransition(o)
	case TypeMutationResponse, TypeActionResponse:
		return parseResponse(o, typ)
	case TypeFatalError:
		msg, err := o.str("error")
		if err != nil {
			return nil, err
		}
		return FatalError{Error: msg}, nil
	case TypeAuthError:
		var m AuthErrorMsg
		if m.Error, err = o.str("error"); err != nil {
			return nil, err
		}
		if m.BaseVersion, err = o.optU32("baseVersion"); err != nil {
			return nil, err
		}
		if m.AuthUpdateAttempted, err = o.optBool("authUpdateAttempted"); err != nil {
			return nil, err
		}
		return m, nil
	case TypeTransitionChunk:
		var m TransitionChunk
		if m.Chunk, err = o.str("chunk"); err != nil {
			return nil, err
		}
		if m.PartNumber, err = o.u32("partNumber"); err != nil {
			return nil, err
		}
		if m.TotalParts, err = o.u32("totalParts"); err != nil {
			return nil, err
		}
		if m.TransitionID, err = o.str("transitionId"); err != nil {
			return nil, err
		}
		return m, nil
	default: // TypePing
		return Ping{}, nil
	}
}

func parseStateVersion(o *object, name string) (StateVersion, error) {
	var v StateVersion
	raw, ok := o.f[name]
	if !ok {
		return v, o.missing(name)
	}
	so, err := asObject(raw, o.typ, o.path(name), "struct StateVersionJson")
	if err != nil {
		return v, err
	}
	if v.QuerySet, err = so.u32("querySet"); err != nil {
		return v, err
	}
	if v.Identity, err = so.u32("identity"); err != nil {
		return v, err
	}
	ts, err := so.str("ts")
	if err != nil {
		return v, err
	}
	if v.TS, err = DecodeTS(ts); err != nil {
		return v, so.fail("ts", err.Error())
	}
	return v, nil
}

func parseTransition(o *object) (ServerMessage, error) {
	var t Transition
	var err error
	if t.StartVersion, err = parseStateVersion(o, "startVersion"); err != nil {
		return nil, err
	}
	if t.EndVersion, err = parseStateVersion(o, "endVersion"); err != nil {
		return nil, err
	}
	mods, err := o.array("modifications")
	if err != nil {
		return nil, err
	}
	for i, raw := range mods {
		m, err := parseStateModification(raw, o.typ, fmt.Sprintf("modifications[%d]", i))
		if err != nil {
			return nil, err
		}
		t.Modifications = append(t.Modifications, m)
	}
	if t.ClientClockSkew, err = o.optNumber("clientClockSkew"); err != nil {
		return nil, err
	}
	if t.ServerTS, err = o.optI64("serverTs"); err != nil {
		return nil, err
	}
	return t, nil
}

func parseStateModification(raw json.RawMessage, typ, path string) (StateModification, error) {
	var m StateModification
	o, err := asObject(raw, typ, path, "internally tagged enum StateModificationJson")
	if err != nil {
		return m, err
	}
	if m.Type, err = o.variant("type", stateModTypes); err != nil {
		return m, err
	}
	if m.QueryID, err = o.u32("queryId"); err != nil {
		return m, err
	}
	if m.Type == ModQueryRemoved {
		return m, nil
	}
	if m.Type == ModQueryUpdated {
		v, ok := o.f["value"]
		if !ok {
			return m, o.missing("value")
		}
		m.Value = v
	} else {
		if m.ErrorMessage, err = o.str("errorMessage"); err != nil {
			return m, err
		}
		if o.has("errorData") {
			m.ErrorData = o.raw("errorData")
		}
	}
	if m.LogLines, err = o.array("logLines"); err != nil {
		return m, err
	}
	if m.Journal, err = o.optStr("journal"); err != nil {
		return m, err
	}
	return m, nil
}

func parseResponse(o *object, typ string) (ServerMessage, error) {
	id, err := o.u32("requestId")
	if err != nil {
		return nil, err
	}
	ok, err := o.boolean("success")
	if err != nil {
		return nil, err
	}
	result, present := o.f["result"]
	if !present {
		return nil, o.missing("result")
	}
	if !ok && jsonKind(result) != '"' {
		return nil, o.fail("result", invalidType(result, "a string"))
	}
	lines, err := o.array("logLines")
	if err != nil {
		return nil, err
	}
	var data json.RawMessage
	if o.has("errorData") {
		data = o.raw("errorData")
	}
	if typ == TypeActionResponse {
		return ActionResponse{RequestID: id, Success: ok, Result: result, LogLines: lines, ErrorData: data}, nil
	}
	m := MutationResponse{RequestID: id, Success: ok, Result: result, LogLines: lines, ErrorData: data}
	ts, err := o.optStr("ts")
	if err != nil {
		return nil, err
	}
	if ts != nil {
		v, err := DecodeTS(*ts)
		if err != nil {
			return nil, o.fail("ts", err.Error())
		}
		m.TS = &v
	}
	return m, nil
}
