package diagnose

// issuerMismatch finds issuer-mismatch: any other difference between the
// token's iss and the domain the deployment trusts. Convex compares them as
// plain strings (trailing '/' aside), so an invisible or look-alike
// character counts.
func issuerMismatch(d *round) *Finding {
	if d.stage != stageNoProvider {
		return nil
	}
	v := d.view()
	if !v.issuerFails() {
		return nil
	}
	title := "The token's issuer is not the domain the deployment trusts"
	fix := d.issuerFix()
	if v.lookAlike {
		title = "The deployment's domain looks like the token's issuer but is a different string (invisible or look-alike character)"
		fix = "The value holds a character that does not show (see the code points): it was probably pasted from a web page or chat. Type it again. " + fix
	}
	f := d.finding(title)
	f.compare("domain", d.tok.iss, v.domain())
	if v.source != "" {
		f.note("deployment providers from", v.source)
	}
	f.Fix = fix
	return f
}
