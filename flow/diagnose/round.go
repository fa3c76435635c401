package diagnose

import (
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	convexrules "github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/convex/wire"
	"github.com/authscope/authscope/flow/reach"
)

// Round is what one round of steps 5–8 observed, as the runner saw it.
// Every field is optional; the zero Round is a round that got no token.
type Round struct {
	// Embedded is true when the backend is authscope's embedded one.
	Embedded bool
	// Config is the auth config the replay validated against.
	Config convexrules.AuthConfig
	// Fetch is step 5: how the token was asked for and what Clerk said.
	Fetch Fetch
	// Token is the token step 5 got, decoded; nil when the fetch returned
	// no token (ConvexProviderWithClerk then never sends Authenticate).
	Token *Token
	// Outcome is the backend's answer to Authenticate (step 6); SendErr
	// says why there is none.
	Outcome *wire.Outcome
	SendErr error
	// SendFailure says how step 6's connection failed when the WebSocket
	// could not be opened (see package reach); SendProxy is the proxy it
	// went through.
	SendFailure reach.Failure
	SendProxy   string
	// Replay is authscope's replay of Convex's rules on the token (step 7).
	Replay *convexrules.Result
	// App is what authscope knows about the developer's project.
	App App
	// Now is the local clock when the round started.
	Now time.Time
	// ServerClocks are the Date headers of the responses the replay got,
	// each with the local time it arrived.
	ServerClocks []ServerClock
	// BackendFetches are the embedded backend's own discovery and JWKS
	// fetches for this round (hit or miss); empty for a real deployment.
	BackendFetches []fetch.Record
	// SignInErr is set when steps 1–4 failed: there is no token, only the
	// reason the source gave up (for example a refused production key).
	SignInErr error
	// Unreached are the servers this machine could not reach before the
	// flow started (the Frontend API, the deployment): nothing was tried.
	Unreached []Unreached
	// StandIn is set when the embedded backend stands in for a deployment
	// authscope was not given: its failures to reach the issuer are this
	// machine's, and decide nothing about the real deployment.
	StandIn bool
	// Stopped says why the round stopped before anything answered it:
	// authscope's own wait ran out, the run was interrupted, the sign-in
	// tab went away. No rule explains such a round.
	Stopped string
}

// Unreached is a server this machine could not connect to.
type Unreached struct {
	// Role is "Frontend API" or "deployment".
	Role string
	URL  string
	// Failure is how the connection failed; Proxy the proxy it went
	// through, if any; Err the error as Go gave it.
	Failure reach.Failure
	Proxy   string
	Err     string
}

// Local reports whether the failure is this machine's to fix: any failure
// to reach the Frontend API (whose hosts are Clerk's, always up), and a
// failure to reach the deployment for a reason on this machine's side (a
// deployment that refuses the connection is not running).
func (u Unreached) Local() bool {
	return u.Failure.Local() || (u.Failure != "" && u.Role != RoleDeployment)
}

// RoleDeployment is the Role of the deployment in Unreached.
const RoleDeployment = "deployment"

// The token paths ConvexProviderWithClerk chooses between
// (github.com/get-convex/convex-js src/react-clerk/ConvexProviderWithClerk.tsx).
const (
	PathSession  = "session"  // getToken(): the session token carries aud "convex"
	PathTemplate = "template" // getToken({ template: "convex" })
	PathGiven    = "given"    // a token given to authscope (--token, stdin)
)

// Fetch is step 5: the token fetch as ConvexProviderWithClerk made it.
type Fetch struct {
	// Path is PathSession, PathTemplate or PathGiven.
	Path     string
	Template string
	// HTTPStatus and Body describe a failed Frontend API call (Clerk's 404
	// for a missing template), Err any failure.
	HTTPStatus int
	Body       string
	Err        string
	// SessionAud is the session claims' aud the path was chosen from.
	SessionAud string
}

// Token is a fetched token as step 5 decoded it (not verified). Header and
// Claims are empty when it is not a JWT the client can read.
type Token struct {
	Header []Claim
	Claims []Claim
}

// Claim is one header parameter or payload claim with its JSON text and,
// for a time claim, the time it encodes.
type Claim struct {
	Name string
	JSON string
	Time time.Time
}
