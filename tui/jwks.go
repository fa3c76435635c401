package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/rules"
)

// jwksDetail is step 7: the provider matched, discovery, the JWKS and its
// keys, the signature, the backend's error and its own fetches.
func (m Model) jwksDetail(d *detailWriter, j *flow.JWKSDetail, r *flow.Round) {
	s := m.styles
	tr := j.Trace
	if j.Replayed {
		d.kv("Checked by", s.dim.Render("authscope as well, on this machine, with the backend's own requests and rules"))
	}
	switch {
	case tr.Provider != nil:
		d.kvText("Provider", "#"+itoa(tr.ProviderIndex+1)+" "+providerText(tr.Provider))
	case tr.ProviderIndex < 0:
		d.kv("Provider", s.fail.Render("✗ no provider matched"))
	}
	if len(j.Comparisons) > 0 {
		m.comparisonTable(d, j.Comparisons, 2)
	}
	m.fetchLines(d, "Discovery", fetch.Discovery, tr.DiscoveryURL, tr.Fetches)
	if tr.DiscoveredIssuer != "" {
		d.kvText("  issuer", tr.DiscoveredIssuer)
	}
	m.fetchLines(d, "JWKS", fetch.JWKS, tr.JWKSURL, tr.Fetches)
	m.keyLines(d, tr.Keys)
	if tr.Kid != "" || tr.Alg != "" {
		d.kv("Token kid", esc(tr.Kid, d.valueW()/2)+s.dim.Render(" · alg ")+esc(tr.Alg, 12))
	}
	switch tr.Signature {
	case rules.SignatureVerified:
		d.kv("Signature", s.ok.Render("✓ verified"))
	case rules.SignatureFailed:
		d.kv("Signature", s.fail.Render("✗ failed"))
	default:
		d.kv("Signature", s.warn.Render("– not checked")+s.dim.Render(" (validation stopped before it)"))
	}
	m.rejection(d, j.Error)
	fetches := j.BackendFetches
	if len(fetches) == 0 {
		fetches = r.Fetches
	}
	m.backendFetches(d, fetches)
	if d.expanded {
		m.checks(d, tr.Checks)
	}
}

// keyLines lists the JWKS's keys, marking the one the token's kid chose.
func (m Model) keyLines(d *detailWriter, keys []rules.KeyInfo) {
	s := m.styles
	for i, k := range keys {
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
		desc := esc(k.Kid, d.valueW()/2)
		if desc == "" {
			desc = s.dim.Render("(no kid)")
		}
		desc += s.dim.Render(" " + esc(strings.TrimSpace(k.Kty+" "+k.Alg+" "+k.Use), 20))
		d.kv(label, mark+desc+note)
	}
}

// rejection is the backend's error: its exact message, code and why.
func (m Model) rejection(d *detailWriter, e *rules.AuthError) {
	if e == nil {
		return
	}
	d.section("Rejected")
	d.kvText("Message", curly(e.Message))
	code := e.Code
	if e.Reason != "" {
		code += " · check " + checkWords(e.Reason)
	}
	if e.HTTPStatus != 0 {
		code += " · HTTP " + itoa(e.HTTPStatus)
	}
	d.kvText("Code", code)
	if e.Detail != "" {
		d.kvText("Why", e.Detail)
	}
}

// backendFetches lists the embedded backend's own discovery and JWKS
// fetches, hit or miss.
func (m Model) backendFetches(d *detailWriter, fetches []fetch.Record) {
	s := m.styles
	for _, f := range list(d, "Backend's own fetches", fetches) {
		hit := "miss"
		if f.FromCache {
			hit = "hit "
		}
		line := "  " + padRight(esc(string(f.Kind), 10), 10) + " " + hit + " " + padLeft(fmtDur(f.Timing.Total), 7)
		if f.Status != 0 {
			line += s.dim.Render(" · HTTP " + itoa(f.Status))
		}
		d.add(line)
		if f.Err != "" {
			for _, l := range escWrap(f.Err, max(d.w-4, 8), maxTextLines) {
				d.add("    " + s.fail.Render(l))
			}
		}
	}
}

// checks lists every rule the validator applied, in the backend's order.
func (m Model) checks(d *detailWriter, checks []rules.Check) {
	s := m.styles
	for _, c := range list(d, "Checks, in the backend's order", checks) {
		mark := s.ok.Render("✓")
		if !c.OK {
			mark = s.fail.Render("✗")
		}
		line := "  " + mark + " " + esc(c.Name, d.w)
		switch {
		case c.Expected != "" && c.Actual != "":
			line += s.dim.Render("  expected ") + esc(c.Expected, d.w) + s.dim.Render("  actual ") + esc(c.Actual, d.w)
		case c.Expected != "" || c.Actual != "":
			line += "  " + esc(c.Expected+c.Actual, d.w) // only one is known
		}
		if width(line) <= d.w {
			d.add(line)
			continue
		}
		// Too long for a line: each part wraps under the check's name.
		d.wrapAt("  "+mark+" ", c.Name)
		d.wrapAt("      "+s.dim.Render("expected "), c.Expected)
		d.wrapAt("      "+s.dim.Render("actual   "), c.Actual)
	}
}

// checkWords says a failed check's reason code (no_provider_match) in
// words (no provider match); the JSON report keeps the code.
func checkWords(r rules.Reason) string { return strings.ReplaceAll(string(r), "_", " ") }

// providerText describes a provider entry of auth.config.ts, unescaped
// (the caller wraps it with kvText).
func providerText(p *rules.Provider) string {
	var parts []string
	switch p.Kind {
	case rules.KindCustomJWT:
		parts = append(parts, "customJwt", "issuer "+p.Issuer, "algorithm "+p.Algorithm)
		if p.HasApplicationID {
			parts = append(parts, "applicationID "+p.ApplicationID)
		}
	default:
		parts = append(parts, "oidc", "domain "+p.Domain, "applicationID "+p.ApplicationID)
	}
	return strings.Join(parts, " · ")
}

// fetchLines shows one fetched document: URL, status, timings, cache.
func (m Model) fetchLines(d *detailWriter, label string, kind fetch.Kind, url string, fetches []fetch.Record) {
	s := m.styles
	var rec *fetch.Record
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
	d.kvText(label, url)
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
	switch {
	case rec.FromCache && rec.Lifetime > 0:
		parts = append(parts, "cached, "+fmtDur(rec.Lifetime)+" of its Cache-Control lifetime left")
	case rec.Lifetime > 0:
		parts = append(parts, "Cache-Control lifetime "+fmtDur(rec.Lifetime))
	default:
		parts = append(parts, "not cacheable (no Cache-Control max-age)")
	}
	if rec.FromCache {
		parts = append(parts, "served from cache")
	}
	d.kv("", strings.Join(parts, s.dim.Render(" · ")))
	if !rec.FromCache {
		d.kv("", timingText(s, rec.Timing))
	}
	if rec.Network != "" {
		d.kvText("", "this machine's connection failed: "+rec.Network.Text())
	}
	if rec.Err != "" {
		d.kvText("", rec.Err)
	}
}

// timingText is the DNS / connect / TLS / first-byte breakdown; a phase
// that did not happen (an IP literal, plain HTTP) is shown as –. Through
// a proxy the proxy resolved the name and connect is the connection to
// the proxy: both are said.
func timingText(s styles, t fetch.Timing) string {
	ph := func(name string, v time.Duration) string {
		if v <= 0 {
			return s.label.Render(name+" ") + "–"
		}
		return s.label.Render(name+" ") + fmtDur(v)
	}
	sep := s.dim.Render(" · ")
	if t.Proxy != "" {
		return s.label.Render("via proxy ") + esc(t.Proxy, 60) + sep + s.label.Render("DNS ") + "by the proxy" + sep +
			ph("connect to it", t.Connect) + sep + ph("TLS", t.TLS) + sep + ph("first byte", t.FirstByte) + sep + ph("total", t.Total)
	}
	return ph("DNS", t.DNS) + sep + ph("connect", t.Connect) + sep + ph("TLS", t.TLS) + sep +
		ph("first byte", t.FirstByte) + sep + ph("total", t.Total)
}
