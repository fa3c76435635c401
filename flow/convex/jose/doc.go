// Package jose reads and writes JSON Web Tokens and keys the way Convex's
// backend reads them, and is the one place authscope calls
// github.com/lestrrat-go/jwx.
//
// The backend parses a token twice, with two libraries of its own
// (biscuit for the unverified payload and the customJwt path,
// openidconnect for the OIDC path), and both are stricter than jwx in ways
// that change verdicts. So Convex's strictness is a thin layer in front:
// this package decides, with the backend's rules, which token, header,
// claims and keys are acceptable and why not; jwx then turns the accepted
// key material into crypto keys, checks signatures over the exact signing
// input, signs tokens for the embedded Clerk-like instance and reads the
// compact form for display. jwx's own error texts never leave the package.
//
// SPEC.md beside this file says what is emulated, with links to the public
// sources; comments cite its sections by title.
package jose
