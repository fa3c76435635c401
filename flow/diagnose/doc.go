// Package diagnose names why useConvexAuth() says isAuthenticated: false.
//
// Every cause is one row of one table (rules.go): a stable kebab-case code,
// a one-line title, the public page that explains it, and its checks. The
// checks, the evidence they gather and the fix they write live in one file
// per cause: cause_*.go for what a round shows, project_*.go for what the
// project's files show. evaluate.go runs the table. The README's cause
// tables list the same rows; a test keeps them equal.
//
// Two kinds of input reach the rules:
//   - a Round: what one round of steps 5–8 observed (the token fetch, the
//     backend's answer, the local replay of Convex's rules, the clocks).
//     Causes reads it.
//   - a *project.Project: the developer's files as flow/project read them.
//     Project reads it before the flow starts.
//
// Both give the same Finding: code, title, evidence (expected against
// actual, and facts), fix, and a link to docs.convex.dev or clerk.com/docs
// (for the other providers labs.convex.dev/auth, auth0.com/docs or
// workos.com/docs).
//
// The package depends on flow/convex, flow/clerk, flow/project and
// flow/untrusted; the engine (package flow) imports it, never the reverse.
package diagnose
