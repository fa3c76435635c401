package tui

// The help pane (?): what the keys do, the words of the handshake the
// interface uses without explaining them where they appear, and the run
// itself in full (the header cuts long names). Its words are for people
// new to Clerk and Convex, who meet "Transition" or "dev browser" in a step
// and need them said once.

// helpKeys are the keys, with what they do in a sentence.
var helpKeys = []struct{ keys, what string }{
	{"↑ ↓  k j", "select a step; in an expanded detail or the identity, scroll"},
	{"← →  h l  [ ]", "previous or next round: the sign-in, then each refresh"},
	{"enter  esc", "expand or collapse the selected step's detail (expanded, nothing is kept short)"},
	{"pgup pgdn  b space", "scroll a page"},
	{"tab", "steps or identity: what ctx.auth.getUserIdentity() returns in a Convex function"},
	{"r", "refresh now: fetch a new token and run steps 5–8 again, as the client does before exp"},
	{"c", "copy the token (asks first: it is a bearer credential)"},
	{"u", "copy the sign-in page's URL"},
	{"o", "open the sign-in page in your browser again (a closed tab, a browser that did not start)"},
	{"x", "redaction for a shared screen: hides the token's signature, personal claims and the URL's secret"},
	{"a", "demo without a browser: sign in automatically as the demo user"},
	{"?", "this help; ? or esc closes it"},
	{"q  ctrl+c", "quit; ctrl+c stops the run (exit status 130)"},
}

// glossary explains, once, the words of Clerk, Convex and JWTs that the
// steps use as they are.
var glossary = []struct{ word, means string }{
	{"Frontend API", "Clerk's API for one instance (https://<name>.clerk.accounts.dev in development). ClerkJS talks to it, and its URL is the issuer (iss) of the instance's tokens: the domain convex/auth.config.ts must name."},
	{"dev browser", "how a Clerk development instance knows a browser without third-party cookies: a token (__clerk_db_jwt) that the sign-in page hands back on the return URL (step 3)."},
	{"session token", "the 60-second token of the signed-in session. With Clerk's Convex integration on it carries aud \"convex\" and is what Convex gets; without it, ConvexProviderWithClerk asks for the JWT template named \"convex\" (step 5)."},
	{"Authenticate, Transition, AuthError", "messages of Convex's sync protocol on the WebSocket (step 6): the client sends the token in Authenticate; the backend answers Transition when it accepts it (the identity version goes up and isAuthenticated becomes true) or AuthError when it rejects it."},
	{"discovery, JWKS", "the issuer's /.well-known/openid-configuration (discovery) names its jwks_uri, the JSON Web Key Set: its public keys. The backend checks the token's signature with the key whose kid the token names, and keeps both for their Cache-Control lifetime (step 7)."},
	{"iss, aud, kid", "the token's issuer, audience and key id. Convex accepts a token whose iss and aud match the domain and applicationID of a provider in convex/auth.config.ts."},
	{"authscope's own check", "a deployment only says \"Could not verify…\": authscope repeats the backend's requests and rules on this machine to name the check that fails (step 7)."},
	{"undecided", "neither true nor false: nothing decided what your app would show (timed out, cancelled, the backend unreachable…). Exit status 3."},
}

// helpLines renders the help pane at width w.
func (m Model) helpLines(w int) []string {
	s := m.styles
	var labels []string
	for _, k := range helpKeys {
		labels = append(labels, k.keys)
	}
	d := newDetailWriter(m.styles, w, true, labels)
	d.add(s.bold.Render("Keys"))
	for _, k := range helpKeys {
		d.kv(k.keys, k.what)
	}
	d.section("Words used here")
	g := newDetailWriter(m.styles, w, true, []string{"Frontend API", "session token"})
	for _, e := range glossary {
		g.kv(e.word, e.means)
	}
	d.lines = append(d.lines, g.lines...)
	if run := m.tl.Run; run != nil {
		d.section("This run")
		d.kvText("Source", run.Source+" "+run.SourceName)
		d.kvText("Backend", run.Backend+" "+run.BackendURL)
		if run.Project != "" {
			d.kvText("Project", run.Project)
		}
		if run.Scenario != "" {
			d.kvText("Scenario", run.Scenario)
		}
	}
	return d.lines
}
