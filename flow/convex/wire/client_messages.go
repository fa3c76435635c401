package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// ClientMessage is a message a client sends to the backend (SPEC.md,
// "Client messages"). Each type marshals to its exact wire shape.
type ClientMessage interface {
	// MessageType is the value of the JSON "type" field.
	MessageType() string
}

// Client message types.
const (
	TypeConnect        = "Connect"
	TypeAuthenticate   = "Authenticate"
	TypeModifyQuerySet = "ModifyQuerySet"
	TypeMutation       = "Mutation"
	TypeAction         = "Action"
	TypeEvent          = "Event"
)

// clientTypes is the variant list of the backend's ClientMessage enum, in
// its declaration order (used in "unknown variant" errors).
var clientTypes = []string{TypeConnect, TypeModifyQuerySet, TypeMutation, TypeAction, TypeAuthenticate, TypeEvent}

// Connect opens a session. The backend requires a UUID sessionId and a
// connectionCount; the rest is optional.
type Connect struct {
	SessionID       string
	ConnectionCount uint32
	// LastCloseReason is "InitialConnect" on a first connection.
	LastCloseReason *string
	// MaxObservedTimestamp is the newest server timestamp the client saw.
	MaxObservedTimestamp *uint64
	// ClientTS is the client's clock in milliseconds since the epoch; the
	// server answers with clientClockSkew.
	ClientTS *int64
}

// MessageType implements ClientMessage.
func (Connect) MessageType() string { return TypeConnect }

// MarshalJSON writes the fields in the JS client's order.
func (m Connect) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(TypeConnect)
	w.field("sessionId", m.SessionID)
	w.field("connectionCount", m.ConnectionCount)
	if m.LastCloseReason != nil {
		w.field("lastCloseReason", *m.LastCloseReason)
	}
	if m.MaxObservedTimestamp != nil {
		w.field("maxObservedTimestamp", EncodeTS(*m.MaxObservedTimestamp))
	}
	if m.ClientTS != nil {
		w.field("clientTs", *m.ClientTS)
	}
	return w.bytes()
}

// TokenType is Authenticate's tokenType.
type TokenType string

// Token types.
const (
	TokenUser  TokenType = "User"
	TokenNone  TokenType = "None"
	TokenAdmin TokenType = "Admin"
)

var tokenTypes = []string{string(TokenAdmin), string(TokenUser), string(TokenNone)}

// Authenticate sets (User, Admin) or clears (None) the session's identity.
// BaseVersion must equal the number of Authenticate messages the server has
// received on this connection so far (SPEC.md, "Versions").
type Authenticate struct {
	TokenType   TokenType
	Value       string // the JWT or admin key; empty for None
	BaseVersion uint32
	// ActingAs is the Admin-only user to impersonate (wire key "impersonating").
	ActingAs json.RawMessage
}

// MessageType implements ClientMessage.
func (Authenticate) MessageType() string { return TypeAuthenticate }

// MarshalJSON writes the message; tokenType None has no value.
func (m Authenticate) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(TypeAuthenticate)
	w.field("tokenType", string(m.TokenType))
	if m.TokenType != TokenNone {
		w.field("value", m.Value)
	}
	if m.TokenType == TokenAdmin && len(m.ActingAs) > 0 {
		w.field("impersonating", m.ActingAs)
	}
	w.field("baseVersion", m.BaseVersion)
	return w.bytes()
}

// Modification types inside ModifyQuerySet.
const (
	ModAdd    = "Add"
	ModRemove = "Remove"
)

// QuerySetModification adds or removes one query subscription.
type QuerySetModification struct {
	Type    string // ModAdd or ModRemove
	QueryID uint32
	// UDFPath, Args, Journal and ComponentPath are for Add only.
	UDFPath string
	// Args is the wire value: a one-element array holding the args object
	// (see EncodeArgs).
	Args          json.RawMessage
	Journal       *string
	ComponentPath *string
}

// MarshalJSON writes an Add or a Remove.
func (m QuerySetModification) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(m.Type)
	w.field("queryId", m.QueryID)
	if m.Type == ModAdd {
		w.field("udfPath", m.UDFPath)
		args := m.Args
		if len(args) == 0 {
			args = json.RawMessage(`[{}]`)
		}
		w.field("args", args)
		if m.Journal != nil {
			w.field("journal", *m.Journal)
		}
		if m.ComponentPath != nil {
			w.field("componentPath", *m.ComponentPath)
		}
	}
	return w.bytes()
}

// ModifyQuerySet changes the subscribed queries. BaseVersion must equal the
// server's query-set version and NewVersion must be greater.
type ModifyQuerySet struct {
	BaseVersion   uint32
	NewVersion    uint32
	Modifications []QuerySetModification
}

// MessageType implements ClientMessage.
func (ModifyQuerySet) MessageType() string { return TypeModifyQuerySet }

// MarshalJSON writes the message; an empty list is sent as [].
func (m ModifyQuerySet) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(TypeModifyQuerySet)
	w.field("baseVersion", m.BaseVersion)
	w.field("newVersion", m.NewVersion)
	w.field("modifications", orEmpty(m.Modifications))
	return w.bytes()
}

// Request is what a Mutation or an Action carries: the function to run
// and its arguments.
type Request struct {
	RequestID     uint32
	UDFPath       string
	Args          json.RawMessage // one-element array, see EncodeArgs
	ComponentPath *string
}

func (r Request) marshal(typ string) ([]byte, error) {
	w := newObjectWriter(typ)
	w.field("requestId", r.RequestID)
	w.field("udfPath", r.UDFPath)
	args := r.Args
	if len(args) == 0 {
		args = json.RawMessage(`[{}]`)
	}
	w.field("args", args)
	if r.ComponentPath != nil {
		w.field("componentPath", *r.ComponentPath)
	}
	return w.bytes()
}

// Mutation runs a mutation; the answer is a MutationResponse.
type Mutation Request

// MessageType implements ClientMessage.
func (Mutation) MessageType() string { return TypeMutation }

// MarshalJSON writes the message.
func (m Mutation) MarshalJSON() ([]byte, error) { return Request(m).marshal(TypeMutation) }

// Action runs an action; the answer is an ActionResponse.
type Action Request

// MessageType implements ClientMessage.
func (Action) MessageType() string { return TypeAction }

// MarshalJSON writes the message.
func (m Action) MarshalJSON() ([]byte, error) { return Request(m).marshal(TypeAction) }

// Event is a client metrics event; the backend only logs it.
type Event struct {
	EventType string
	Event     json.RawMessage
}

// MessageType implements ClientMessage.
func (Event) MessageType() string { return TypeEvent }

// MarshalJSON writes the message.
func (m Event) MarshalJSON() ([]byte, error) {
	w := newObjectWriter(TypeEvent)
	w.field("eventType", m.EventType)
	ev := m.Event
	if len(ev) == 0 {
		ev = json.RawMessage(`null`)
	}
	w.field("event", ev)
	return w.bytes()
}

// EncodeArgs encodes a function's arguments as the wire wants them: a
// one-element array holding the args object (nil becomes {}).
func EncodeArgs(args map[string]any) (json.RawMessage, error) {
	if args == nil {
		args = map[string]any{}
	}
	b, err := marshalPlain([]any{args})
	if err != nil {
		return nil, fmt.Errorf("encoding function arguments: %w", err)
	}
	return b, nil
}

// objectWriter writes a JSON object with "type" first and the other keys in
// the order given, the way the JS client and the backend order them.
type objectWriter struct {
	buf bytes.Buffer
	err error
}

func newObjectWriter(typ string) *objectWriter {
	w := &objectWriter{}
	w.buf.WriteByte('{')
	w.field("type", typ)
	return w
}

func (w *objectWriter) field(key string, v any) {
	if w.err != nil {
		return
	}
	var b []byte
	switch x := v.(type) {
	case json.RawMessage:
		var c bytes.Buffer
		if err := json.Compact(&c, x); err != nil {
			w.err = fmt.Errorf("field %s: %w", key, err)
			return
		}
		b = c.Bytes()
	default:
		var err error
		if b, err = marshalPlain(v); err != nil {
			w.err = fmt.Errorf("field %s: %w", key, err)
			return
		}
	}
	if w.buf.Len() > 1 {
		w.buf.WriteByte(',')
	}
	k, _ := json.Marshal(key)
	w.buf.Write(k)
	w.buf.WriteByte(':')
	w.buf.Write(b)
}

// Encode marshals a message as it goes on the wire: like json.Marshal but
// without HTML escaping, as the JS client's JSON.stringify and serde write.
func Encode(m any) ([]byte, error) { return marshalPlain(m) }

// marshalPlain is json.Marshal without HTML escaping.
func marshalPlain(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func (w *objectWriter) bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes(), nil
}
