// Package workos is an embedded WorkOS-like issuer for the demo and the
// tests: AuthKit access tokens from the User Management issuer
// (https://api.workos.com/user_management/<client_id>) without an aud
// claim, the SSO issuer (https://api.workos.com/) whose tokens carry the
// client ID as aud, and the key set at /sso/jwks/<client_id> that both
// are checked with, as a Convex customJwt provider reads them; and the
// User Management endpoints AuthKit's browser SDK signs in with.
// SPEC.md beside this file says what it emulates and what it does not.
//
// It is a fake: nothing in the engine links it.
package workos
