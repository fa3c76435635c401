package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/untrusted"
)

// detailWriter accumulates the lines of the detail pane. Its methods take
// either text that is already safe (built by us, or passed through esc)
// or, for the …Text methods, untrusted text that they escape themselves.
type detailWriter struct {
	st       styles
	w        int
	expanded bool
	lines    []string
}

// labelW is the width of the label column.
const labelW = 13

func (d *detailWriter) add(l string) { d.lines = append(d.lines, clip(l, d.w)) }

func (d *detailWriter) blank() {
	if len(d.lines) > 0 && d.lines[len(d.lines)-1] != "" {
		d.lines = append(d.lines, "")
	}
}

func (d *detailWriter) section(title string) {
	d.blank()
	d.add(d.st.bold.Render(title))
}

// kv is a labelled line whose value is already safe.
func (d *detailWriter) kv(label, value string) {
	d.add(d.st.label.Render(padRight(label, labelW-1)) + " " + value)
}

// kvText is a labelled untrusted value, escaped and wrapped (cut to one
// line unless the pane is expanded).
func (d *detailWriter) kvText(label, value string, maxLines int) {
	if !d.expanded {
		maxLines = 1
	}
	vw := d.w - labelW
	if vw < 8 {
		d.add(d.st.label.Render(label))
		for _, l := range escWrap(value, d.w-2, maxLines) {
			d.add("  " + l)
		}
		return
	}
	for i, l := range escWrap(value, vw, maxLines) {
		if i == 0 {
			d.kv(label, l)
		} else {
			d.add(strings.Repeat(" ", labelW) + l)
		}
	}
}

// detailLines renders the selected step's detail.
func (m Model) detailLines(w int, now time.Time) []string {
	r := m.st.rounds[m.round]
	st := r.steps[m.sel]
	d := &detailWriter{st: m.styles, w: w, expanded: m.expanded}
	s := m.styles

	status := m.mark(st.Status) + " " + string(st.Status)
	if st.Status == flow.StatusPending {
		status = s.dim.Render("· pending: not started yet")
	}
	if st.Status.Done() && !st.Start.IsZero() {
		status += s.dim.Render(" · took ") + fmtDur(st.Duration)
	}
	if !st.Start.IsZero() {
		status += s.dim.Render(" · started ") + fmtClock(st.Start, now)
	}
	if st.BrowserTimed {
		status += s.dim.Render(" · timed by the browser")
	}
	d.kv("Status", status)
	// Step 8's verdict line says what its summary would.
	hasVerdict := st.ID == flow.StepConfirmed && (r.verdict != nil || st.Detail != nil && st.Detail.Verdict != nil)
	if st.Summary != "" && !hasVerdict {
		d.kvText("Summary", m.scrub(st.Summary), 3)
	}
	if st.Error != "" {
		vw := max(d.w-labelW, 8)
		for i, l := range escWrap(st.Error, vw, 6) {
			if i == 0 {
				d.kv("Error", s.fail.Render(l))
			} else {
				d.add(strings.Repeat(" ", labelW) + s.fail.Render(l))
			}
		}
	}
	if st.Detail == nil {
		return d.lines
	}
	for _, f := range st.Detail.Fields {
		v := m.scrub(f.Value)
		if m.redact && isPersonal(strings.ToLower(strings.ReplaceAll(f.Label, " ", "_"))) {
			v = redacted
		}
		d.kvText(esc(f.Label, labelW-1), v, 4)
	}
	if st.Detail.Token != nil {
		m.tokenDetail(d, st.Detail.Token, now)
	}
	if st.Detail.Send != nil {
		m.sendDetail(d, st.Detail.Send)
	}
	if st.Detail.JWKS != nil {
		m.jwksDetail(d, st.Detail.JWKS, r)
	}
	if st.Detail.Verdict != nil {
		m.verdictDetail(d, st.Detail.Verdict)
	} else if st.ID == flow.StepConfirmed && r.verdict != nil {
		m.verdictDetail(d, r.verdict)
	}
	if st.ID == flow.StepConfirmed {
		if run := m.st.run; run != nil && len(run.Findings) > 0 {
			d.section("Project checks, before the run")
			m.findings(d, run.Findings)
		}
		m.history(d, now)
	}
	return d.lines
}

// historyMax is how many rounds the history lists (the newest ones).
const historyMax = 20

// history lists every round with its timings: the sign-in and each
// "refresh #n" that re-ran steps 5–8.
func (m Model) history(d *detailWriter, now time.Time) {
	s := m.styles
	rounds := m.st.rounds
	if len(rounds) < 2 {
		return
	}
	d.section("Refresh history")
	first := max(len(rounds)-historyMax, 0)
	if first > 0 {
		d.add(s.dim.Render("  … " + itoa(first) + " earlier rounds"))
	}
	for i := first; i < len(rounds); i++ {
		r := rounds[i]
		cursor := "  "
		if i == m.round {
			cursor = s.cursor.Render("▸ ")
		}
		name := "sign-in"
		if r.n > 0 {
			name = "refresh #" + itoa(r.n)
		}
		line := cursor + m.mark(r.outcome()) + " " + padRight(name, 12)
		if !r.started.IsZero() {
			line += fmtClock(r.started, now) + "  "
		}
		line += padLeft(fmtDur(r.total(now)), 6)
		var parts []string
		for _, id := range flow.RefreshSteps[:3] { // step 8 takes no time of its own
			if st := r.step(id); st != nil && st.Status.Done() && !st.Start.IsZero() {
				parts = append(parts, shortName[id]+" "+fmtDur(st.Duration))
			}
		}
		if len(parts) > 0 {
			line += "  " + s.dim.Render(strings.Join(parts, " · "))
		}
		d.add(line)
	}
}

// shortName names steps 5–7 in the history.
var shortName = map[flow.StepID]string{
	flow.StepToken: "token", flow.StepSend: "send", flow.StepJWKS: "keys",
}

// STEP 5: the token

func (m Model) tokenDetail(d *detailWriter, t *flow.TokenDetail, now time.Time) {
	s := m.styles
	path := ""
	switch t.Path {
	case flow.TokenPathSession:
		path = "session token (session claims carry aud \"convex\")"
	case flow.TokenPathTemplate:
		tpl := t.Template
		if tpl == "" {
			tpl = "convex"
		}
		path = "JWT template " + esc(tpl, 30) + ` (getToken({template: "convex"}))`
	case flow.TokenPathGiven:
		path = "token given directly"
	default:
		path = esc(t.Path, 30)
	}
	d.kv("Path", path)
	fetched := fmtDur(t.Latency) + s.dim.Render(" · ") + itoa(t.Size) + " bytes"
	if t.Lifetime > 0 {
		fetched += s.dim.Render(" · lifetime ") + fmtDur(t.Lifetime)
	}
	d.kv("Fetched in", fetched)
	if !t.Expires.IsZero() {
		valid := "until " + fmtClock(t.Expires, now) + " (" + fmtRel(t.Expires, now) + ")"
		if !t.Expires.After(now) {
			valid = s.fail.Render("expired "+fmtRel(t.Expires, now)) + s.dim.Render(" at "+fmtClock(t.Expires, now))
		}
		d.kv("Valid", valid)
	}
	if t.HTTPStatus != 0 {
		d.kv("HTTP status", s.fail.Render(itoa(t.HTTPStatus)))
	}
	if t.Body != "" {
		d.kvText("Body", t.Body, 6)
	}
	if len(t.Header) > 0 {
		d.section("Header")
		m.claimTable(d, t.Header, now, false)
	}
	if len(t.Claims) > 0 {
		d.section("Claims")
		m.claimTable(d, t.Claims, now, m.redact)
	}
	if t.Raw != "" {
		d.section("Token (" + itoa(len(t.Raw)) + " bytes)")
		raw := t.Raw
		if m.redact {
			if i := strings.LastIndexByte(raw, '.'); i >= 0 {
				raw = raw[:i+1]
			}
		}
		maxLines := 2
		if d.expanded {
			maxLines = 400 // a 32 KiB token at 80 columns; anything longer is cut
		}
		for _, l := range escWrap(raw, d.w-2, maxLines) {
			d.add("  " + l)
		}
		if m.redact {
			d.add("  " + s.dim.Render("‹signature hidden: x shows it›"))
		}
	}
}

// claimTable shows header parameters or claims in token order: name, JSON
// value and, for time claims, the time absolute and relative.
func (m Model) claimTable(d *detailWriter, claims []flow.Claim, now time.Time, redact bool) {
	s := m.styles
	nameW := 3
	for _, c := range claims {
		nameW = max(nameW, width(esc(c.Name, 20)))
	}
	for _, c := range claims {
		name := padRight(esc(c.Name, 20), nameW)
		valW := d.w - 2 - nameW - 2
		if valW < 6 {
			d.add("  " + name)
			continue
		}
		var val string
		switch {
		case redact && isPersonal(c.Name):
			val = s.dim.Render(redacted)
		case !c.Time.IsZero():
			when := fmtClock(c.Time, now) + " · " + fmtRel(c.Time, now)
			num := esc(c.JSON, max(valW-width(when)-2, 4))
			val = num + "  " + s.dim.Render(when)
		default:
			maxLines := 1
			if d.expanded {
				maxLines = 4
			}
			js := c.JSON
			if redact {
				js = m.scrub(js)
			}
			lines := escWrap(js, valW, maxLines)
			if len(lines) == 0 {
				lines = []string{""}
			}
			d.add("  " + s.label.Render(name) + "  " + lines[0])
			for _, l := range lines[1:] {
				d.add(strings.Repeat(" ", 2+nameW+2) + l)
			}
			continue
		}
		d.add("  " + s.label.Render(name) + "  " + val)
	}
}

// STEP 6: the sync exchange

func (m Model) sendDetail(d *detailWriter, sd *flow.SendDetail) {
	s := m.styles
	where := "deployment"
	if sd.Embedded {
		where = "embedded backend"
	}
	d.kv("WebSocket", esc(sd.URL, max(d.w-labelW-len(where)-3, 10))+s.dim.Render(" · "+where))
	o := sd.Outcome
	if o == nil {
		return
	}
	d.kv("Timing", "connect "+fmtDur(o.ConnectTime)+s.dim.Render(" · ")+"round trip "+fmtDur(o.RoundTrip))
	switch {
	case o.Accepted:
		d.kv("Outcome", s.ok.Render("✓ Transition")+" bumped the identity version to "+itoa(o.IdentityVersion))
	case o.AuthError != nil:
		d.kvText("AuthError", curly(o.AuthError.Error), 6)
		attempted := "false (the token expired later in the session)"
		if o.AuthError.Attempted() {
			attempted = "true (the backend rejected this token)"
		}
		d.kv("", s.dim.Render("authUpdateAttempted: ")+attempted)
	case o.FatalError != "":
		d.kvText("FatalError", curly(o.FatalError), 6)
	}
	if o.Closed {
		d.kv("Closed", closeText(o.CloseCode)+" "+esc(o.CloseReason, 60))
	}
	if o.ClientClockSkew != nil {
		d.kv("Clock skew", fmtSkew(*o.ClientClockSkew)+s.dim.Render(" (client clock − server clock)"))
	}
	if len(o.Frames) == 0 {
		return
	}
	d.section("Frames")
	t0 := o.Frames[0].At
	typeW := 4
	for _, f := range o.Frames {
		typeW = max(typeW, width(esc(f.Type, 14)))
	}
	for _, f := range o.Frames {
		dir := s.ok.Render("→")
		if !f.Outgoing {
			dir = s.running.Render("←")
		}
		at := ""
		if !f.At.IsZero() && !t0.IsZero() {
			at = "+" + fmtDur(f.At.Sub(t0))
		}
		prefix := "  " + dir + " " + padLeft(at, 8) + " " + padRight(esc(f.Type, 14), typeW) + "  "
		vw := d.w - width(prefix)
		maxLines := 1
		if d.expanded {
			maxLines = 4
		}
		lines := escWrap(f.JSON, vw, maxLines)
		if vw < 10 || len(lines) == 0 {
			d.add(prefix)
			continue
		}
		d.add(prefix + s.dim.Render(lines[0]))
		for _, l := range lines[1:] {
			d.add(strings.Repeat(" ", width(prefix)) + s.dim.Render(l))
		}
	}
}

func curly(s string) string { return "“" + s + "”" }

func closeText(code int) string {
	switch code {
	case 0:
		return "closed"
	case 1005:
		return "1005 (no status code)"
	default:
		return itoa(code)
	}
}

func fmtSkew(ms float64) string {
	sign := "+"
	if ms < 0 {
		sign = "−"
		ms = -ms
	}
	return sign + fmtDur(time.Duration(ms*float64(time.Millisecond)))
}

// STEP 7: provider, discovery, JWKS, signature

func (m Model) jwksDetail(d *detailWriter, j *flow.JWKSDetail, r *roundState) {
	s := m.styles
	tr := j.Trace
	if j.Replayed {
		d.kv("Replayed", s.dim.Render("authscope repeated the backend's checks here: same requests, same rules"))
	}
	switch {
	case tr.Provider != nil:
		d.kv("Provider", "#"+itoa(tr.ProviderIndex+1)+" "+providerText(tr.Provider, d.w-labelW-4))
	case tr.ProviderIndex < 0:
		d.kv("Provider", s.fail.Render("✗ no provider matched"))
	}
	if len(j.Comparisons) > 0 {
		m.comparisonTable(d, j.Comparisons, 2)
	}
	m.fetchLines(d, "Discovery", convex.FetchDiscovery, tr.DiscoveryURL, tr.Fetches)
	if tr.DiscoveredIssuer != "" {
		d.kvText("  issuer", tr.DiscoveredIssuer, 2)
	}
	m.fetchLines(d, "JWKS", convex.FetchJWKS, tr.JWKSURL, tr.Fetches)
	if len(tr.Keys) > 0 {
		for i, k := range tr.Keys {
			label := ""
			if i == 0 {
				label = "Keys"
			}
			mark := "  "
			note := ""
			if k.Matched {
				mark = s.ok.Render("✓ ")
				note = s.ok.Render("  ← the token's kid")
			}
			desc := esc(k.Kid, 40)
			if desc == "" {
				desc = s.dim.Render("(no kid)")
			}
			desc += s.dim.Render(" " + esc(strings.TrimSpace(k.Kty+" "+k.Alg+" "+k.Use), 30))
			d.kv(label, mark+desc+note)
		}
	}
	if tr.Kid != "" || tr.Alg != "" {
		d.kv("Token kid", esc(tr.Kid, 40)+s.dim.Render(" · alg ")+esc(tr.Alg, 12))
	}
	switch tr.Signature {
	case convex.SignatureVerified:
		d.kv("Signature", s.ok.Render("✓ verified"))
	case convex.SignatureFailed:
		d.kv("Signature", s.fail.Render("✗ failed"))
	default:
		d.kv("Signature", s.warn.Render("– not checked")+s.dim.Render(" (validation stopped before it)"))
	}
	if e := j.Error; e != nil {
		d.section("Rejected")
		d.kvText("Message", curly(e.Message), 6)
		code := esc(e.Code, 30)
		if e.Reason != "" {
			code += s.dim.Render(" · check ") + esc(string(e.Reason), 30)
		}
		if e.HTTPStatus != 0 {
			code += s.dim.Render(" · HTTP ") + itoa(e.HTTPStatus)
		}
		d.kv("Code", code)
		if e.Detail != "" {
			d.kvText("Why", e.Detail, 6)
		}
	}
	fetches := j.BackendFetches
	if len(fetches) == 0 {
		fetches = r.fetches
	}
	if len(fetches) > 0 {
		d.section("Backend's own fetches")
		for _, f := range fetches {
			hit := "miss"
			if f.FromCache {
				hit = "hit "
			}
			line := "  " + padRight(esc(string(f.Kind), 10), 10) + " " + hit + " " + padLeft(fmtDur(f.Timing.Total), 7)
			if f.Err != "" {
				line += " " + s.fail.Render(esc(f.Err, d.w-width(line)-1))
			} else if f.Status != 0 {
				line += s.dim.Render(" · HTTP " + itoa(f.Status))
			}
			d.add(line)
		}
	}
	if len(tr.Checks) > 0 && d.expanded {
		d.section("Checks, in the backend's order")
		for _, c := range tr.Checks {
			mark := s.ok.Render("✓")
			if !c.OK {
				mark = s.fail.Render("✗")
			}
			line := "  " + mark + " " + esc(c.Name, 30)
			if c.Expected != "" || c.Actual != "" {
				rest := max((d.w-width(line)-24)/2, 6)
				line += s.dim.Render("  expected ") + esc(c.Expected, rest) + s.dim.Render("  actual ") + esc(c.Actual, rest)
			}
			d.add(line)
		}
	}
}

// providerText describes a provider entry of auth.config.ts.
func providerText(p *convex.Provider, w int) string {
	var parts []string
	switch p.Kind {
	case convex.KindCustomJWT:
		parts = append(parts, "customJwt", "issuer "+esc(p.Issuer, 50), "algorithm "+esc(p.Algorithm, 10))
		if p.HasApplicationID {
			parts = append(parts, "applicationID "+esc(p.ApplicationID, 30))
		}
	default:
		parts = append(parts, "oidc", "domain "+esc(p.Domain, 50), "applicationID "+esc(p.ApplicationID, 30))
	}
	return clip(strings.Join(parts, " · "), max(w, 1))
}

// fetchLines shows one fetched document: URL, status, timings, cache.
func (m Model) fetchLines(d *detailWriter, label string, kind convex.FetchKind, url string, fetches []convex.FetchRecord) {
	s := m.styles
	var rec *convex.FetchRecord
	for i := range fetches {
		if fetches[i].Kind == kind {
			rec = &fetches[i]
		}
	}
	if url == "" && rec != nil {
		url = rec.URL
	}
	if url == "" && rec == nil {
		return
	}
	d.kvText(label, url, 3)
	if rec == nil {
		d.kv("", s.dim.Render("not fetched"))
		return
	}
	var parts []string
	if rec.Status != 0 {
		st := "HTTP " + itoa(rec.Status)
		if rec.Status != 200 {
			st = s.fail.Render(st)
		}
		parts = append(parts, st)
	}
	if rec.Lifetime > 0 {
		parts = append(parts, "Cache-Control lifetime "+fmtDur(rec.Lifetime))
	} else {
		parts = append(parts, "not cacheable (no Cache-Control max-age)")
	}
	if rec.FromCache {
		parts = append(parts, "served from cache")
	}
	d.kv("", strings.Join(parts, s.dim.Render(" · ")))
	if !rec.FromCache {
		d.kv("", timingText(s, rec.Timing))
	}
	if rec.Err != "" {
		d.kvText("", rec.Err, 3)
	}
}

// timingText is the DNS / connect / TLS / first-byte breakdown; a phase
// that did not happen (an IP literal, plain HTTP) is shown as –.
func timingText(s styles, t convex.Timing) string {
	ph := func(name string, v time.Duration) string {
		if v <= 0 {
			return s.label.Render(name+" ") + "–"
		}
		return s.label.Render(name+" ") + fmtDur(v)
	}
	sep := s.dim.Render(" · ")
	return ph("DNS", t.DNS) + sep + ph("connect", t.Connect) + sep + ph("TLS", t.TLS) + sep +
		ph("first byte", t.FirstByte) + sep + ph("total", t.Total)
}

// comparisonTable puts expected beside actual, one row per comparison.
// When a value would be cut, the table stacks expected above actual
// instead: the difference is often at the end (a trailing slash, a port).
// A mismatch whose values hide something (invisible or confusable
// characters) also gets its code points.
func (m Model) comparisonTable(d *detailWriter, cs []diagnose.Comparison, indent int) {
	s := m.styles
	lw := 3
	for _, c := range cs {
		lw = max(lw, width(esc(c.Label, 14)))
	}
	pre := strings.Repeat(" ", indent)
	colW := (d.w - indent - 2 - lw - 2 - 2) / 2
	sideBySide := colW >= 6
	for _, c := range cs {
		if !isFact(c) && (width(esc(c.Expected, 0x7fff)) > colW || width(esc(c.Actual, 0x7fff)) > colW) {
			sideBySide = false
		}
	}
	mark := func(c diagnose.Comparison) string {
		if c.OK {
			return s.ok.Render("✓")
		}
		return s.fail.Render("✗")
	}
	actual := func(c diagnose.Comparison, w int) string {
		if c.Actual == "" {
			return s.dim.Render("(missing)")
		}
		if !c.OK {
			return s.fail.Render(esc(c.Actual, w))
		}
		return esc(c.Actual, w)
	}
	// A fact (evidence with nothing expected, such as the backend's
	// message) is one labelled value, wrapped, not a comparison.
	fact := func(c diagnose.Comparison) {
		head := pre + s.dim.Render("·") + " " + padRight(esc(c.Label, 14), lw) + "  "
		vw := max(d.w-width(head), 4)
		for i, l := range escWrap(c.Actual, vw, 6) {
			if i == 0 {
				d.add(head + l)
			} else {
				d.add(strings.Repeat(" ", width(head)) + l)
			}
		}
	}
	if sideBySide {
		d.add(pre + "  " + strings.Repeat(" ", lw) + "  " + s.label.Render(padRight("expected", colW)) + "  " + s.label.Render("actual"))
		for _, c := range cs {
			if isFact(c) {
				fact(c)
				continue
			}
			d.add(pre + mark(c) + " " + padRight(esc(c.Label, 14), lw) + "  " + padRight(esc(c.Expected, colW), colW) + "  " + actual(c, colW))
			m.codePoints(d, c, indent+2+lw+2)
		}
		return
	}
	vi := indent + 2 + lw + 2 + 9 // value column after "expected "
	vw := max(d.w-vi, 4)
	for _, c := range cs {
		if isFact(c) {
			fact(c)
			continue
		}
		head := pre + mark(c) + " " + padRight(esc(c.Label, 14), lw) + "  "
		d.add(head + s.label.Render("expected ") + esc(c.Expected, vw))
		d.add(strings.Repeat(" ", width(head)) + s.label.Render("actual   ") + actual(c, vw))
		m.codePoints(d, c, width(head))
	}
}

// isFact reports whether a piece of evidence states something rather than
// comparing: nothing was expected.
func isFact(c diagnose.Comparison) bool { return c.Expected == "" && c.Actual != "" }

// codePoints shows a failed comparison's values as code points when either
// holds a character that escaping changed, so look-alikes can be told apart.
func (m Model) codePoints(d *detailWriter, c diagnose.Comparison, indent int) {
	if c.OK || (!untrusted.Suspicious(c.Expected) && !untrusted.Suspicious(c.Actual)) {
		return
	}
	pad := strings.Repeat(" ", indent)
	w := d.w - indent - 9
	d.add(pad + m.styles.dim.Render("expected ") + clip(untrusted.CodePoints(c.Expected), w))
	d.add(pad + m.styles.dim.Render("actual   ") + clip(untrusted.CodePoints(c.Actual), w))
}

// STEP 8: the verdict and the diagnosis

// scheduleDetail lists what happens next, as the real client does it
// (reference/convex.md §3.3): the timers with their absolute times.
func (m Model) scheduleDetail(d *detailWriter) {
	s := m.styles
	sc := m.st.schedule
	now := m.clock.Now()
	line := func(label, what string, t time.Time) {
		if t.IsZero() {
			return
		}
		d.kv(label, fmtClock(t, now)+s.dim.Render(" ("+fmtRel(t, now)+") "+what))
	}
	d.section("What happens next")
	line("Refetch", "client fetches a new token (exp − 10 s)", sc.NextRefetch)
	line("Clerk cache", "Clerk's token cache refreshes (exp − 15 s)", sc.ClerkRefresh)
	line("JWKS cache", "the backend's cached keys go stale", sc.JWKSExpiry)
	if sc.Reason != "" {
		d.kvText("No refetch", sc.Reason, 3)
	}
	if sc.NextRefetch.IsZero() && sc.ClerkRefresh.IsZero() && sc.JWKSExpiry.IsZero() && sc.Reason == "" {
		d.add(s.dim.Render("  no timers reported"))
	}
}

func (m Model) verdictDetail(d *detailWriter, v *flow.Verdict) {
	s := m.styles
	if v.Authenticated {
		d.kv("Verdict", s.ok.Render("✓ isAuthenticated: true"))
	} else {
		d.kv("Verdict", s.fail.Render("✗ isAuthenticated: false"))
	}
	if v.Problem != "" {
		d.kvText("Problem", v.Problem, 6)
	}
	if v.Message != "" {
		// The backend's exact text, in full: it is what users search for.
		vw := max(d.w-labelW, 8)
		for i, l := range escWrap(curly(v.Message), vw, 40) {
			if i == 0 {
				d.kv("Backend said", l)
			} else {
				d.add(strings.Repeat(" ", labelW) + l)
			}
		}
	}
	if v.CloseCode != 0 || v.CloseReason != "" {
		d.kv("Closed", closeText(v.CloseCode)+" "+esc(v.CloseReason, 60))
	}
	if v.Reason != "" {
		d.kv("Failed check", esc(string(v.Reason), 40))
	}
	if v.Authenticated {
		d.kv("Identity", s.dim.Render("tab shows what ctx.auth.getUserIdentity() returns"))
	}
	if v.Authenticated && m.round == len(m.st.rounds)-1 {
		m.scheduleDetail(d)
	}
	if len(v.Findings) > 0 {
		d.section("Diagnosis")
		m.findings(d, v.Findings)
	}
}

// findings lists diagnosed causes: title and code, expected against
// actual, the fix and the public page that explains the cause.
func (m Model) findings(d *detailWriter, fs []diagnose.Finding) {
	s := m.styles
	for i, f := range fs {
		if i > 0 {
			d.blank()
		}
		title := s.fail.Render("✗ ") + s.bold.Render(esc(f.Title, d.w-6-width(esc(f.Code, 30))))
		if f.Code != "" {
			title += s.dim.Render("  [" + esc(f.Code, 30) + "]")
		}
		d.add(title)
		if len(f.Evidence) > 0 {
			m.comparisonTable(d, f.Evidence, 2)
		}
		d.hanging(s.ok.Render("Fix: "), f.Fix, 20)
		// A docs link is wrapped, not cut: a cut URL leads nowhere.
		d.hanging(s.dim.Render("See: "), f.Docs, 3)
	}
}

// hanging adds text under a five-column label ("Fix: ", "See: "),
// wrapped to at most maxLines lines aligned after the label.
func (d *detailWriter) hanging(label, text string, maxLines int) {
	for j, l := range escWrap(text, d.w-7, maxLines) {
		if j == 0 {
			d.add("  " + label + l)
		} else {
			d.add("       " + l)
		}
	}
}
