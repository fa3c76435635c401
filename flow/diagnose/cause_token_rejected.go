package diagnose

import convexrules "github.com/authscope/authscope/flow/convex/rules"

// CodeTokenRejected is the last resort: the replay names the failing check
// and no cause above covers it; the finding shows the replay's own
// explanation.
func tokenRejected(d *round) *Finding {
	if d.stage != stageFailedCheck {
		return nil
	}
	e := d.Replay.Err
	// The title names the failing check in words; the reason code is
	// authscope's own and means nothing to the reader.
	title := "The backend rejected the token"
	var failed []convexrules.Check
	for _, c := range d.trace().Checks {
		if !c.OK {
			failed = append(failed, c)
		}
	}
	if len(failed) > 0 {
		title += ": its check “" + failed[0].Name + "” fails"
	}
	f := d.finding(title)
	if e.Detail != "" {
		f.note("failing check", e.Detail)
	}
	for _, c := range failed {
		f.compare(c.Name, c.Expected, c.Actual)
	}
	f.Fix = "Compare the failing check's expected and actual values above; the token must satisfy every check of the provider it is routed to."
	if !d.tok.decoded && notAJWT(e.Reason) {
		// Nothing in it decodes: most often a paste that took the wrong
		// text (the snippet's own message, a log line), or a token getter
		// that returns something other than the token string.
		f.Fix = "This is not a JWT (three base64url parts separated by dots; the first starts with eyJ). If you pasted it, copy the token itself, not a message printed around it; if your app's token getter returns this, it must resolve to the token string (await it, and take the field the provider's guide names: Auth0's id_token, not the whole response)."
	}
	return f
}

// notAJWT tells the reasons of a token that cannot be read at all.
func notAJWT(r convexrules.Reason) bool {
	switch r {
	case convexrules.ReasonPayloadUnparseable, convexrules.ReasonTokenParts, convexrules.ReasonHeaderUnparseable, convexrules.ReasonOIDCParse:
		return true
	}
	return false
}
