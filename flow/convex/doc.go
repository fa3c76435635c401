// Package convex is authscope's emulation of Convex's side of the
// handshake. The work is in its subpackages:
//
//   - jose: tokens, headers and keys read with the backend's strictness,
//     signature checks, signing, and the JWT decoder for display; the only
//     user of github.com/lestrrat-go/jwx.
//   - rules: the auth config, provider matching, the validator and its
//     exact messages, the identity preview and the push-time checks.
//   - fetch: the HTTP fetches of discovery and key sets, the HTTP cache
//     and their timings.
//   - wire: the sync protocol and a client.
//   - backend: an embedded Convex-like backend.
//
// This package itself holds no code. Nothing here imports the flow engine.
package convex
