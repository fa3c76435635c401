// Package strictjson reads JSON the way the Convex backend's serde_json
// (1.0, with float_roundtrip) reads it, for both of authscope's uses:
//
//   - the token path (JWT headers and payloads, discovery documents,
//     JWKS), where serde_json is stricter than encoding/json in ways that
//     change a verdict: invalid UTF-8, a lone surrogate escape, a number
//     beyond f64 and nesting past the recursion limit are errors, and a
//     member's position and duplicates must be visible to the caller;
//   - the sync frames, where the backend quotes serde_json's error text,
//     with its line and column, in `Received Invalid JSON on websocket: <e>`.
//
// One scanner serves both: Check validates a document, ParseObject and
// Each walk a checked object or array without copying, Fields reads a
// checked object as serde's derived Deserialize reads a struct, with serde's
// wording for type errors. See SPEC.md for the rules and their sources.
package strictjson
