// Package custom is an embedded issuer of your own, for the demo's custom
// OIDC and custom JWT flavours: an OpenID Connect provider with a realm
// path in its issuer (discovery at <issuer>/.well-known/openid-configuration,
// RS256 ID tokens whose aud is the client ID), or an application's own
// token server signing ES256 JWTs checked against its JWKS URL, as a
// Convex customJwt provider does. SPEC.md beside this file says what it
// emulates.
//
// It is a fake: nothing in the engine links it.
package custom
