package wire

import (
	"encoding/json"
)

// ServerMessage is a message the backend sends (SPEC.md, "Server messages").
type ServerMessage interface {
	// MessageType is the value of the JSON "type" field.
	MessageType() string
}

// Server message types.
const (
	TypeTransition       = "Transition"
	TypeTransitionChunk  = "TransitionChunk"
	TypeMutationResponse = "MutationResponse"
	TypeActionResponse   = "ActionResponse"
	TypeFatalError       = "FatalError"
	TypeAuthError        = "AuthError"
	TypePing             = "Ping"
)

var serverTypes = []string{TypeTransition, TypeMutationResponse, TypeActionResponse, TypeFatalError, TypeAuthError, TypeTransitionChunk, TypePing}

// StateVersion is a point in the session's history: the query-set version,
// the identity version (one per Authenticate received) and the timestamp.
type StateVersion struct {
	QuerySet uint32
	Identity uint32
	TS       uint64 // nanoseconds; base64 on the wire
}

// MarshalJSON writes {"querySet","identity","ts"}.
func (v StateVersion) MarshalJSON() ([]byte, error) {
	return marshalPlain(struct {
		QuerySet uint32 `json:"querySet"`
		Identity uint32 `json:"identity"`
		TS       string `json:"ts"`
	}{v.QuerySet, v.Identity, EncodeTS(v.TS)})
}

// Modification types inside a Transition.
const (
	ModQueryUpdated = "QueryUpdated"
	ModQueryFailed  = "QueryFailed"
	ModQueryRemoved = "QueryRemoved"
)

var stateModTypes = []string{ModQueryUpdated, ModQueryFailed, ModQueryRemoved}

// StateModification is one query's news inside a Transition.
type StateModification struct {
	Type    string // ModQueryUpdated, ModQueryFailed or ModQueryRemoved
	QueryID uint32
	// Value is the query result (QueryUpdated).
	Value json.RawMessage
	// ErrorMessage and ErrorData describe a failure (QueryFailed).
	ErrorMessage string
	ErrorData    json.RawMessage
	// LogLines are the function's console output (not QueryRemoved).
	LogLines []json.RawMessage
	// Journal is the pagination journal (null for plain queries).
	Journal *string
}

// MarshalJSON writes the backend's shape for each modification type.
func (m StateModification) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(m.Type)
	w.field("queryId", m.QueryID)
	switch m.Type {
	case ModQueryUpdated:
		w.field("value", orNull(m.Value))
		w.field("logLines", orEmpty(m.LogLines))
		w.field("journal", m.Journal)
	case ModQueryFailed:
		w.field("errorMessage", m.ErrorMessage)
		w.field("logLines", orEmpty(m.LogLines))
		w.field("journal", m.Journal)
		if len(m.ErrorData) > 0 {
			w.field("errorData", m.ErrorData)
		}
	}
	return w.bytes()
}

func orNull(v json.RawMessage) json.RawMessage {
	if len(v) == 0 {
		return json.RawMessage(`null`)
	}
	return v
}

// orEmpty makes a nil list an empty one, so it is written as [] and not null.
func orEmpty[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// Transition moves the client from StartVersion to EndVersion. An identity
// bump (EndVersion.Identity > StartVersion.Identity) confirms an
// Authenticate (SPEC.md, "Versions").
type Transition struct {
	StartVersion  StateVersion
	EndVersion    StateVersion
	Modifications []StateModification
	// ClientClockSkew is clientTs − server time in ms, when Connect had clientTs.
	ClientClockSkew *float64
	// ServerTS is the server's clock in nanoseconds.
	ServerTS *int64
}

// MessageType implements ServerMessage.
func (Transition) MessageType() string { return TypeTransition }

// IdentityBumped reports whether this Transition confirms an identity change.
func (t Transition) IdentityBumped() bool { return t.EndVersion.Identity > t.StartVersion.Identity }

// MarshalJSON writes the backend's shape; clientClockSkew and serverTs are
// always present (null when unknown).
func (t Transition) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(TypeTransition)
	w.field("startVersion", t.StartVersion)
	w.field("endVersion", t.EndVersion)
	w.field("modifications", orEmpty(t.Modifications))
	w.field("clientClockSkew", t.ClientClockSkew)
	w.field("serverTs", t.ServerTS)
	return w.bytes()
}

// AuthError is the server's AuthError: the token was rejected (attempted
// true) or the session's identity expired (attempted false). The backend
// closes the socket right after it.
type AuthError struct {
	Error string
	// BaseVersion is the identity version of the last Transition sent; nil
	// (JSON null) only if the sync worker never started.
	BaseVersion *uint32
	// AuthUpdateAttempted is omitted by older backends.
	AuthUpdateAttempted *bool
}

// MessageType implements ServerMessage.
func (AuthError) MessageType() string { return TypeAuthError }

// Attempted reports authUpdateAttempted, false when an older backend left
// it out: true means the token of an Authenticate was rejected.
func (m AuthError) Attempted() bool {
	return m.AuthUpdateAttempted != nil && *m.AuthUpdateAttempted
}

// MarshalJSON writes the message; authUpdateAttempted only when set.
func (m AuthError) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(TypeAuthError)
	w.field("error", m.Error)
	w.field("baseVersion", m.BaseVersion)
	if m.AuthUpdateAttempted != nil {
		w.field("authUpdateAttempted", *m.AuthUpdateAttempted)
	}
	return w.bytes()
}

// FatalError ends the session because the client misused the protocol.
type FatalError struct {
	Error string
}

// MessageType implements ServerMessage.
func (FatalError) MessageType() string { return TypeFatalError }

// MarshalJSON writes {"type": "FatalError", "error": ...}.
func (m FatalError) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(TypeFatalError)
	w.field("error", m.Error)
	return w.bytes()
}

// Ping is the sync worker's heartbeat after 15 s without another message.
type Ping struct{}

// MessageType implements ServerMessage.
func (Ping) MessageType() string { return TypePing }

// MarshalJSON writes {"type": "Ping"}.
func (Ping) MarshalJSON() ([]byte, error) { return newObjectWriter(TypePing).bytes() }

// MutationResponse answers a Mutation. On failure Result is the error
// message string.
type MutationResponse struct {
	RequestID uint32
	Success   bool
	Result    json.RawMessage
	TS        *uint64 // commit timestamp on success
	LogLines  []json.RawMessage
	ErrorData json.RawMessage
}

// MessageType implements ServerMessage.
func (MutationResponse) MessageType() string { return TypeMutationResponse }

// MarshalJSON writes the message.
func (m MutationResponse) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(TypeMutationResponse)
	w.field("requestId", m.RequestID)
	w.field("success", m.Success)
	w.field("result", orNull(m.Result))
	var ts *string
	if m.TS != nil {
		s := EncodeTS(*m.TS)
		ts = &s
	}
	w.field("ts", ts)
	w.field("logLines", orEmpty(m.LogLines))
	if len(m.ErrorData) > 0 {
		w.field("errorData", m.ErrorData)
	}
	return w.bytes()
}

// ActionResponse answers an Action.
type ActionResponse struct {
	RequestID uint32
	Success   bool
	Result    json.RawMessage
	LogLines  []json.RawMessage
	ErrorData json.RawMessage
}

// MessageType implements ServerMessage.
func (ActionResponse) MessageType() string { return TypeActionResponse }

// MarshalJSON writes the message.
func (m ActionResponse) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(TypeActionResponse)
	w.field("requestId", m.RequestID)
	w.field("success", m.Success)
	w.field("result", orNull(m.Result))
	w.field("logLines", orEmpty(m.LogLines))
	if len(m.ErrorData) > 0 {
		w.field("errorData", m.ErrorData)
	}
	return w.bytes()
}

// TransitionChunk is one part of a Transition over 5 MB.
type TransitionChunk struct {
	Chunk        string
	PartNumber   uint32
	TotalParts   uint32
	TransitionID string
}

// MessageType implements ServerMessage.
func (TransitionChunk) MessageType() string { return TypeTransitionChunk }

// MarshalJSON writes the message.
func (m TransitionChunk) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(TypeTransitionChunk)
	w.field("chunk", m.Chunk)
	w.field("partNumber", m.PartNumber)
	w.field("totalParts", m.TotalParts)
	w.field("transitionId", m.TransitionID)
	return w.bytes()
}
