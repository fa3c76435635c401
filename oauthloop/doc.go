// Package oauthloop runs the browser side of authscope: a loopback server
// on 127.0.0.1, a landing page that loads ClerkJS from the Frontend API the
// publishable key names, and a Source (a flow.Source) that turns what the
// page reports into steps 1–5 of the Convex + Clerk guide.
//
// A run, as Source.SignIn and Source.FetchToken drive it:
//
//  1. bind 127.0.0.1:0 (never a name, never all interfaces), then build the
//     landing URL from the bound address with a per-run state (query) and
//     secret (fragment); print it, then open it (Opener);
//  2. the page (assets/page.js) reports that it loaded, loads ClerkJS, finds
//     no session and hands over to Clerk.redirectToSignIn;
//  3. Clerk's sign-in page sends the browser back with the dev-browser
//     handoff; the page reports the time spent signing in;
//  4. the page reports the user, the session and the session claims' aud;
//  5. the page fetches a token exactly as ConvexProviderWithClerk does and
//     posts it; later refresh commands, and steps 5–8 as the terminal shows
//     them, are served through a long poll while the tab stays open; Close
//     tells the page it is done and shuts the server down within a bounded
//     time.
//
// The tab is watched (presence.go): a long poll the browser cuts off, or
// the page's own word from pagehide, and no new poll within a short grace,
// mean the tab is gone; the Source tells the runner, and answers token
// requests at once as rounds that cannot run until the page is back
// (Reopen opens it again).
//
// The page and the server speak the page protocol (protocol.go); HTTPBrowser
// speaks it too, without a screen, for `authscope check --auto` and the
// tests; the end-to-end tests in cmd/authscope drive the same page in a real
// headless Chromium.
//
// Security (SPEC.md "Loopback-server checklist"): Host must be the bound
// 127.0.0.1:port; only the package's own paths answer; every POST needs the
// secret, JSON, the loopback Origin and the state (compared in constant
// time); each step and each token round is accepted once; bodies are capped;
// pages carry a strict Content-Security-Policy and Referrer-Policy:
// no-referrer and escape whatever they reflect; nothing ever gets
// Access-Control-Allow-Origin.
package oauthloop
