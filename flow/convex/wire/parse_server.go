package wire

import (
	"encoding/json"
	"fmt"

	"github.com/authscope/authscope/flow/convex/internal/strictjson"
)

// ParseServerMessage reads one server→client frame strictly: every field
// the JS client relies on must be there with the right JSON type; unknown
// fields are ignored. It never panics.
func ParseServerMessage(data []byte) (ServerMessage, error) {
	f, err := readFrame(data, "a message object")
	if err != nil {
		return nil, err
	}
	typ, err := f.Variant("type", serverTypes)
	if err != nil {
		return nil, inMessage("", err)
	}
	var m ServerMessage
	switch typ {
	case TypeTransition:
		m, err = parseTransition(f)
	case TypeMutationResponse, TypeActionResponse:
		m, err = parseResponse(f, typ)
	case TypeFatalError:
		var msg string
		msg, err = f.Str("error")
		m = FatalError{Error: msg}
	case TypeAuthError:
		m, err = parseAuthError(f)
	case TypeTransitionChunk:
		m, err = parseTransitionChunk(f)
	default: // TypePing
		m = Ping{}
	}
	if err != nil {
		return nil, inMessage(typ, err)
	}
	return m, nil
}

func parseAuthError(f *strictjson.Fields) (ServerMessage, error) {
	var r reads
	m := AuthError{
		Error:               get(&r, f.Str, "error"),
		BaseVersion:         get(&r, f.OptU32, "baseVersion"),
		AuthUpdateAttempted: get(&r, f.OptBool, "authUpdateAttempted"),
	}
	return message(m, r.err)
}

func parseTransitionChunk(f *strictjson.Fields) (ServerMessage, error) {
	var r reads
	m := TransitionChunk{
		Chunk:        get(&r, f.Str, "chunk"),
		PartNumber:   get(&r, f.U32, "partNumber"),
		TotalParts:   get(&r, f.U32, "totalParts"),
		TransitionID: get(&r, f.Str, "transitionId"),
	}
	return message(m, r.err)
}

// message returns m, or no message when err is set.
func message(m ServerMessage, err error) (ServerMessage, error) {
	if err != nil {
		return nil, err
	}
	return m, nil
}

func parseStateVersion(f *strictjson.Fields, name string) (StateVersion, error) {
	var v StateVersion
	sf, err := f.Object(name, "struct StateVersionJson")
	if err != nil {
		return v, err
	}
	var r reads
	v.QuerySet = get(&r, sf.U32, "querySet")
	v.Identity = get(&r, sf.U32, "identity")
	ts := get(&r, sf.Str, "ts")
	if r.err != nil {
		return v, r.err
	}
	if v.TS, err = DecodeTS(ts); err != nil {
		return v, sf.Fail("ts", err.Error())
	}
	return v, nil
}

func parseTransition(f *strictjson.Fields) (ServerMessage, error) {
	var t Transition
	var err error
	if t.StartVersion, err = parseStateVersion(f, "startVersion"); err != nil {
		return nil, err
	}
	if t.EndVersion, err = parseStateVersion(f, "endVersion"); err != nil {
		return nil, err
	}
	mods, err := f.Array("modifications")
	if err != nil {
		return nil, err
	}
	for i, raw := range mods {
		m, err := parseStateModification(raw, fmt.Sprintf("modifications[%d]", i))
		if err != nil {
			return nil, err
		}
		t.Modifications = append(t.Modifications, m)
	}
	var r reads
	t.ClientClockSkew = get(&r, f.OptFloat, "clientClockSkew")
	t.ServerTS = get(&r, f.OptI64, "serverTs")
	return message(t, r.err)
}

func parseStateModification(raw []byte, path string) (StateModification, error) {
	var m StateModification
	f, err := strictjson.ReadFields(raw, path, "internally tagged enum StateModificationJson")
	if err != nil {
		return m, err
	}
	var r reads
	m.Type = get(&r, variants(f, stateModTypes), "type")
	m.QueryID = get(&r, f.U32, "queryId")
	if r.err != nil || m.Type == ModQueryRemoved {
		return m, r.err
	}
	if m.Type == ModQueryUpdated {
		v, ok := f.Lookup("value")
		if !ok {
			return m, f.Missing("value")
		}
		m.Value = v
	} else {
		m.ErrorMessage = get(&r, f.Str, "errorMessage")
		if f.Has("errorData") {
			m.ErrorData = f.Raw("errorData")
		}
	}
	m.LogLines = rawList(get(&r, f.Array, "logLines"))
	m.Journal = get(&r, f.OptStr, "journal")
	return m, r.err
}

func parseResponse(f *strictjson.Fields, typ string) (ServerMessage, error) {
	var r reads
	id := get(&r, f.U32, "requestId")
	ok := get(&r, f.Bool, "success")
	if r.err != nil {
		return nil, r.err
	}
	result, present := f.Lookup("result")
	if !present {
		return nil, f.Missing("result")
	}
	if !ok && strictjson.KindOf(result) != strictjson.String {
		return nil, f.Fail("result", strictjson.InvalidType(result, "a string"))
	}
	lines := rawList(get(&r, f.Array, "logLines"))
	var data json.RawMessage
	if f.Has("errorData") {
		data = f.Raw("errorData")
	}
	if typ == TypeActionResponse {
		return message(ActionResponse{RequestID: id, Success: ok, Result: result, LogLines: lines, ErrorData: data}, r.err)
	}
	m := MutationResponse{RequestID: id, Success: ok, Result: result, LogLines: lines, ErrorData: data}
	ts := get(&r, f.OptStr, "ts")
	if r.err != nil || ts == nil {
		return message(m, r.err)
	}
	v, err := DecodeTS(*ts)
	if err != nil {
		return nil, f.Fail("ts", err.Error())
	}
	m.TS = &v
	return m, nil
}
