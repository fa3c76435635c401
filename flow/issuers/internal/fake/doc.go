// Package fake is what the embedded issuers of flow/issuers share: a
// loopback HTTP server (optionally behind a TLS front at a public host
// name), signing keys, tokens whose claims keep the order a provider
// writes them in, well-known documents with Cache-Control, the faults
// that break them on purpose, and the demo users.
//
// The issuers are fakes for the demo and the tests: nothing in the engine
// (flow, flow/diagnose, flow/convex/...) links them. The facts each one
// emulates are in the SPEC.md beside it.
package fake
