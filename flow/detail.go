package flow

import (
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/convex/wire"
	"github.com/authscope/authscope/flow/diagnose"
)

// Detail is the structured evidence of a step. Exactly the parts that apply
// to the step are set.
type Detail struct {
	Fields  []Field      `json:"fields,omitempty"`
	Token   *TokenDetail `json:"token,omitempty"`
	Send    *SendDetail  `json:"send,omitempty"`
	JWKS    *JWKSDetail  `json:"jwks,omitempty"`
	Verdict *Verdict     `json:"verdict,omitempty"`
}

// Token paths, as ConvexProviderWithClerk picks them (SPEC.md: Token path).
const (
	TokenPathSession  = "session"  // session token, session claims aud "convex"
	TokenPathTemplate = "template" // getToken({template: "convex"})
	TokenPathGiven    = "given"    // --token, stdin
)

// Claim is one header parameter or payload claim, in token order, with its
// JSON text and, for time claims, the time it encodes.
type Claim struct {
	Name string    `json:"name"`
	JSON string    `json:"json"`
	Time time.Time `json:"time,omitzero"`
}

// TokenDetail is step 5: the token fetch and the decoded token.
type TokenDetail struct {
	Path      string        `json:"path"`
	Template  string        `json:"template,omitempty"`
	Latency   time.Duration `json:"latencyNs"`
	Size      int           `json:"size"`
	Header    []Claim       `json:"header,omitempty"`
	Claims    []Claim       `json:"claims,omitempty"`
	IssuedAt  time.Time     `json:"iat,omitzero"`
	NotBefore time.Time     `json:"nbf,omitzero"`
	Expires   time.Time     `json:"exp,omitzero"`
	Lifetime  time.Duration `json:"lifetimeNs"`
	// HTTPStatus and Body describe a failed fetch (for example Clerk's 404
	// for a missing template).
	HTTPStatus int    `json:"httpStatus,omitempty"`
	Body       string `json:"body,omitempty"`
	// Raw is the bearer token itself. It never leaves the process: not in
	// JSON, not in logs; the TUI copies it only on request.
	Raw string `json:"-"`

	decodeErr string
}

// SendDetail is step 6: the sync-protocol exchange.
type SendDetail struct {
	URL      string        `json:"url"`
	Embedded bool          `json:"embedded"`
	Outcome  *wire.Outcome `json:"outcome,omitempty"`
}

// JWKSDetail is step 7: provider matching, discovery, JWKS and signature.
type JWKSDetail struct {
	// Replayed is true when authscope reproduced the backend's work locally
	// (always the case for a real deployment).
	Replayed    bool                  `json:"replayed"`
	Trace       rules.Trace           `json:"trace"`
	Comparisons []diagnose.Comparison `json:"comparisons,omitempty"`
	Error       *rules.AuthError      `json:"error,omitempty"`
	// BackendFetches are the embedded backend's own fetches (hit or miss).
	BackendFetches []fetch.Record `json:"backendFetches,omitempty"`
	// Identity is what ctx.auth.getUserIdentity() would return, as JSON.
	Identity string `json:"identity,omitempty"`
}
