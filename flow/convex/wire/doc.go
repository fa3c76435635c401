// Package wire speaks Convex's sync protocol (SPEC.md beside this file):
// the client and server message types with their exact JSON shapes, strict
// parsers for both directions, the WebSocket URL rule of the JS client, the
// protocol's record types (Frame, Outcome), and a small client that
// connects, sends a token and reads the verdict the way the browser client
// would.
//
// Parsers are strict about types (a string where a number belongs is an
// error) and tolerant of unknown fields, as serde is on the backend. Their
// error texts follow serde/serde_json's wording, because the embedded backend
// puts them in `Received Invalid JSON on websocket: <e>` exactly as the real
// one does. No decode function panics on any input (see FuzzParse*).
//
// wire knows nothing of token validation: it imports neither the rules nor
// the backend.
package wire
