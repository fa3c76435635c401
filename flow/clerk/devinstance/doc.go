// Package devinstance is authscope's embedded Clerk-like development
// instance, for the offline demo, the scenarios and the tests: a real HTTP
// server on 127.0.0.1:0 that serves OIDC discovery and a JWKS, mints RS256
// session and template tokens, answers the subset of the Frontend API that
// clerk.browser.js (assets/, a small stand-in for ClerkJS) and
// clerk.FAPIClient use, and has an Account-Portal-like sign-in page with
// demo users. Faults break it on purpose for the scenarios.
//
// SPEC.md beside this file says what it emulates and what it does not;
// the Clerk facts it follows are in package clerk's SPEC.md. Only the demo
// stack, the command and tests import this package: the engine never
// links the fake.
package devinstance
