package diagnose

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// stage is where a round stopped. It is read once; each rule first checks
// the stage it explains, so within a stage the table's order decides.
type stage int

const (
	stageOffline        stage = iota // this machine could not reach a server the round needed
	stageSignIn                      // steps 1–4 failed: no token was ever fetched
	stageStopped                     // authscope's own wait ran out or the run was interrupted
	stageNoToken                     // the token fetch returned null: no Authenticate
	stageAccepted                    // the backend confirmed the token
	stageNoVerdict                   // the backend gave no verdict: unreachable, or the transport failed
	stageNoProvider                  // the backend matched no provider (NoAuthProvider)
	stageDiscovery                   // discovery or the OIDC path's JWKS failed
	stageReplayAccepts               // the backend refused what the replay accepts
	stageOtherProviders              // the backend matched a provider the replay's config has not
	stageFailedCheck                 // the replay names the check that failed
)

// round holds one round's facts, read once, for the rules.
type round struct {
	*Round
	stage stage
	names appNames
	tok   tokenFacts
	// msg is the backend's exact text (AuthError or FatalError), if any.
	msg string
	// providers is the provider analysis of stageNoProvider, read lazily.
	providers *providerView
}

func newRound(r *Round) *round {
	d := &round{Round: r, names: r.App.names(), tok: readToken(r.Token)}
	if out := r.Outcome; out != nil {
		switch {
		case out.AuthError != nil:
			d.msg = out.AuthError.Error
		case out.FatalError != "":
			d.msg = out.FatalError
		}
	}
	d.stage = d.readStage()
	return d
}

// readStage follows the backend's own order: it matches a provider, then
// discovers and fetches keys, then checks the token; the replay names the
// check when the backend's message does not.
func (d *round) readStage() stage {
	noMatch := d.replayReason(convexrules.ReasonNoProviders, convexrules.ReasonNoProviderMatch)
	switch {
	case d.localUnreached() != nil:
		return stageOffline
	case len(d.Unreached) > 0:
		return stageNoVerdict // the deployment refused the connection
	case d.SignInErr != nil:
		return stageSignIn
	case d.Stopped != "":
		return stageStopped
	case d.Token == nil:
		return stageNoToken
	case d.SendErr == nil && d.Outcome != nil && d.Outcome.Accepted:
		return stageAccepted
	case d.SendErr != nil && d.SendFailure.Local():
		return stageOffline
	case d.SendErr != nil || d.Outcome == nil:
		return stageNoVerdict
	case d.StandIn && d.standInFetch() != nil:
		return stageOffline
	case d.noProviderMessage() || (d.msg == "" && noMatch):
		return stageNoProvider
	case d.discoveryFailure():
		return stageDiscovery
	case d.Replay == nil || d.Replay.Err == nil:
		return stageReplayAccepts
	case d.msg != "" && noMatch:
		return stageOtherProviders
	}
	return stageFailedCheck
}

// failed reports whether the round stopped at a check the replay names,
// one of reasons.
func (d *round) failed(reasons ...convexrules.Reason) bool {
	return d.stage == stageFailedCheck && d.replayReason(reasons...)
}

// hasToken reports whether the round got a token to diagnose.
func (d *round) hasToken() bool { return d.stage != stageSignIn && d.stage != stageNoToken }

// undecided reports whether the round ended without a verdict: neither
// the backend nor the client decided, so no configuration was tested.
func (d *round) undecided() bool {
	return d.stage == stageOffline || d.stage == stageSignIn || d.stage == stageStopped || d.stage == stageNoVerdict
}

// localUnreached is the first server this machine could not reach for a
// reason on its own side (not a refused connection), or nil.
func (d *round) localUnreached() *Unreached {
	for i := range d.Unreached {
		if d.Unreached[i].Local() {
			return &d.Unreached[i]
		}
	}
	return nil
}

// standInFetch is the first discovery or JWKS fetch, the stand-in
// backend's own or the replay's, that failed on this machine's network.
func (d *round) standInFetch() *fetch.Record {
	recs := append(append([]fetch.Record(nil), d.BackendFetches...), d.trace().Fetches...)
	for i := range recs {
		if recs[i].Network.Local() {
			return &recs[i]
		}
	}
	return nil
}

// tokenFacts are the claims and header parameters the rules look at,
// decoded from step 5's token (never verified here: the replay does that).
type tokenFacts struct {
	decoded        bool
	iss            string
	hasIss         bool
	aud            []string
	hasAud         bool
	hasSub         bool
	hasIat, hasExp bool
	iat, exp       time.Time
	alg, kid       string
	hasKid         bool
}

func readToken(tok *Token) tokenFacts {
	var t tokenFacts
	if tok == nil || (len(tok.Header) == 0 && len(tok.Claims) == 0) {
		return t
	}
	t.decoded = true
	for _, h := range tok.Header {
		switch h.Name {
		case "alg":
			t.alg = jsonString(h.JSON)
		case "kid":
			t.kid, t.hasKid = jsonString(h.JSON), true
		}
	}
	for _, c := range tok.Claims {
		switch c.Name {
		case "iss":
			t.iss, t.hasIss = jsonString(c.JSON), true
		case "aud":
			t.hasAud = c.JSON != "null"
			var one string
			if json.Unmarshal([]byte(c.JSON), &one) == nil {
				t.aud = []string{one}
			} else {
				_ = json.Unmarshal([]byte(c.JSON), &t.aud)
			}
		case "sub":
			t.hasSub = c.JSON != "null"
		case "iat":
			t.hasIat, t.iat = c.JSON != "null", c.Time
		case "exp":
			t.hasExp, t.exp = c.JSON != "null", c.Time
		}
	}
	return t
}

// jsonString is the string a JSON value holds, or its JSON text when it is
// not a string.
func jsonString(raw string) string {
	var s string
	if json.Unmarshal([]byte(raw), &s) == nil {
		return s
	}
	return raw
}

// audText renders aud the way a developer writes it.
func (t tokenFacts) audText() string {
	switch {
	case !t.hasAud:
		return ""
	case len(t.aud) == 1:
		return t.aud[0]
	}
	b, _ := json.Marshal(t.aud)
	return string(b)
}

func (d *round) replayReason(reasons ...convexrules.Reason) bool {
	r := d.Replay
	if r == nil || r.Err == nil {
		return false
	}
	for _, x := range reasons {
		if r.Err.Reason == x {
			return true
		}
	}
	return false
}

// trace is the replay's trace, or an empty one.
func (d *round) trace() convexrules.Trace {
	if d.Replay == nil {
		return convexrules.Trace{}
	}
	return d.Replay.Trace
}

// customJWT reports whether the replay routed the token to a customJwt
// provider.
func (d *round) customJWT() bool {
	p := d.trace().Provider
	return p != nil && p.Kind == convexrules.KindCustomJWT
}

// detail is the replay's explanation of the failing check, if any.
func (d *round) detail() string {
	if r := d.Replay; r != nil && r.Err != nil {
		return r.Err.Detail
	}
	return ""
}

// finding starts a finding with what the backend said: its exact message,
// or how the socket closed when it sent none.
func (d *round) finding(title string) *Finding {
	f := &Finding{Title: title}
	out := d.Outcome
	switch {
	case d.msg != "":
		f.Evidence = append(f.Evidence, Comparison{Label: LabelBackendSaid, Actual: d.msg})
	case out != nil && out.Closed:
		f.Evidence = append(f.Evidence, Comparison{Label: LabelBackendClosed,
			Actual: fmt.Sprintf("the socket with code %d, reason %q, and no AuthError", out.CloseCode, out.CloseReason)})
	}
	return f
}

// noteReplay adds the replay's explanation of the failing check.
func (f *Finding) noteReplay(d *round) {
	if det := d.detail(); det != "" {
		f.note("authscope's own check", det)
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
