// Package clerk holds what authscope knows about Clerk's side of the
// handshake: publishable keys, the Frontend API calls a browser makes and
// their JSON and error shapes, token paths and lifetimes, and a Go client
// for those calls (FAPIClient) that behaves like a page running ClerkJS.
// SPEC.md beside this file writes the facts down with their public sources;
// comments here cite its sections by name.
//
// The embedded Clerk-like instance of the offline demo is package
// devinstance; this package does not depend on it, so the engine and the
// real-run code never link the fake.
package clerk
