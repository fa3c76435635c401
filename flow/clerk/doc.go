// Package clerk holds what authscope knows about Clerk's side of the
// handshake: publishable keys (reference/clerk.md §1.1), the Frontend API
// calls a browser makes (§2, §3.1), a Go client for those calls, and an
// embedded Clerk-like development instance for the offline demo
// (DESIGN.md "The embedded demo stack").
//
// The dev instance is a real HTTP server on 127.0.0.1:0. It serves OIDC
// discovery and a JWKS, mints RS256 session and template tokens, answers the
// subset of the Frontend API that clerk.browser.js (assets/, a small
// stand-in for ClerkJS) and FAPIClient use, and has an Account-Portal-like
// sign-in page with demo users. Faults break it on purpose for the
// scenarios.
//
// Nothing here imports the flow engine; the engine adapts these types.
package clerk
