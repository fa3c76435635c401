// Package convexauth is an embedded Convex Auth for the demo and the
// tests: what @convex-dev/auth runs inside a deployment, emulated beside
// the embedded backend. Its HTTP routes serve the deployment's site URL
// (/.well-known/openid-configuration and /.well-known/jwks.json, the key
// set read from the JWKS environment variable), its auth:signIn and
// auth:signOut actions sign demo users in with a password and exchange
// refresh tokens, and its tokens are signed with the JWT_PRIVATE_KEY
// variable's key: iss the site URL, aud "convex", sub "<user>|<session>".
// SPEC.md beside this file says what it emulates and what it does not.
//
// It is a fake: nothing in the engine links it.
package convexauth
