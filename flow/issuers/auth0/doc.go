// Package auth0 is an embedded Auth0-like tenant for the demo and the
// tests: the issuer https://<tenant>/ (with Auth0's trailing slash), the
// discovery document and key set, ID tokens whose aud is the application's
// client ID and access tokens whose aud is the API identifier, and enough
// of the Authentication API (/authorize with a demo login page,
// /oauth/token for the authorization code with PKCE and for refresh
// tokens, /v2/logout) for the real @auth0/auth0-spa-js to sign in against
// it. SPEC.md beside this file says what it emulates and what it does not.
//
// It is a fake: nothing in the engine links it.
package auth0
