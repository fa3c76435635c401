package wire

import "time"

// Frame is one sync-protocol message as sent or received, for display. The
// token in an Authenticate frame is replaced by a placeholder.
type Frame struct {
	Outgoing bool      `json:"outgoing"`
	Type     string    `json:"type"`
	JSON     string    `json:"json"`
	At       time.Time `json:"at"`
}

// Outcome is what a sync-protocol client saw after sending a token, read by
// the verdict rules of SPEC.md ("Verdict").
type Outcome struct {
	URL string `json:"url"`
	// Accepted is true after a Transition that bumps the identity version.
	Accepted bool `json:"accepted"`
	// AuthError is the backend's AuthError message, as received.
	AuthError  *AuthError `json:"authError,omitempty"`
	FatalError string     `json:"fatalError,omitempty"`
	// Closed is true when the socket closed before a verdict message;
	// CloseCode 1005 means "no status code".
	Closed      bool   `json:"closed"`
	CloseCode   int    `json:"closeCode,omitempty"`
	CloseReason string `json:"closeReason,omitempty"`
	// ClientClockSkew is the server's estimate (clientTs − server time, ms).
	ClientClockSkew *float64 `json:"clientClockSkew,omitempty"`
	// IdentityVersion is the identity version reached (endVersion.identity).
	IdentityVersion int           `json:"identityVersion"`
	ConnectTime     time.Duration `json:"connectTimeNs"`
	RoundTrip       time.Duration `json:"roundTripNs"`
	// Frames are the exchange's frames, in order: the first and the last
	// ones when there were many (FramesLeftOut says what came between).
	Frames        []Frame   `json:"frames,omitempty"`
	FramesLeftOut *FrameGap `json:"framesLeftOut,omitempty"`
	// Pings counts the JSON Pings received, which are not kept.
	Pings int `json:"pings,omitempty"`
}
