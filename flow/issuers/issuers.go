// Package issuers holds the embedded issuers the demo runs for providers
// other than Clerk, each a fake of one provider in its own package:
//
//   - auth0: an Auth0-like tenant (issuer with the trailing slash, ID and
//     access tokens, the Authentication API the SPA SDK uses);
//   - workos: a WorkOS-like API (the SSO and User Management issuers, the
//     key set at /sso/jwks/<client_id>, AuthKit access tokens without aud);
//   - convexauth: Convex Auth inside the embedded deployment (its HTTP
//     routes at the site URL, its auth:signIn/auth:signOut actions, tokens
//     signed with JWT_PRIVATE_KEY);
//   - custom: an issuer of your own, as a custom OIDC provider or as a
//     customJwt token server.
//
// Clerk's fake stays beside Clerk's knowledge (flow/clerk/devinstance),
// because the landing page and the loopback sign-in speak Clerk's
// Frontend API. These providers have no such knowledge package of their
// own to sit beside, and what they share (a loopback server that can sit
// behind a TLS front, keys, ordered claims, faults) is one internal
// package, internal/fake. Each issuer writes down what it emulates in the
// SPEC.md beside it.
//
// They are fakes for the demo (flow/demo) and the tests: the engine
// (flow, flow/diagnose, flow/convex/...) never links them.
//
// This package names the shared types the demo configures them with.
package issuers

import "github.com/authscope/authscope/flow/issuers/internal/fake"

// ServerOptions configure an issuer's HTTP side: clock, listener, a TLS
// front at a public host name, CORS.
type ServerOptions = fake.Options

// Faults break an issuer's documents and tokens on purpose.
type Faults = fake.Faults

// User is a demo user.
type User = fake.User

// DefaultUsers are the demo users every issuer signs in.
func DefaultUsers() []User { return fake.DefaultUsers() }

// Front is a TLS front for an issuer at a public host name, with the
// certificate clients of a Mapping trust.
type Front = fake.Front

// NewFront makes a front (its certificate) for host.
func NewFront(host string) (*Front, error) { return fake.NewFront(host) }

// Mapping maps fronts' hosts to the loopback addresses they listen on,
// for the HTTP clients that must reach them.
type Mapping = fake.Mapping
