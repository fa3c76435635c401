package rules

import (
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// endsWithTLD is ends_with_tld (crates/common/src/auth.rs): localhost, or
// a host whose last label is a top-level domain. The backend asks the tld
// crate, which holds IANA's root zone list; authscope asks the ICANN
// section of the Public Suffix List, which names the same domains.
func endsWithTLD(host string) bool {
	if host == "localhost" {
		return true
	}
	i := strings.LastIndexByte(host, '.')
	if i < 0 {
		return false
	}
	return isTLD(host[i+1:])
}

// isTLD reports whether label is a top-level domain in the ICANN section
// of the Public Suffix List. The label is looked up under a subdomain that
// no rule names ("_"), so that a TLD the list has only through wildcards,
// such as "*.ck", counts too. Internationalised labels are compared in
// their punycode form, as the url crate gives hosts.
func isTLD(label string) bool {
	ascii, err := idna.ToASCII(strings.ToLower(label))
	if err != nil || ascii == "" {
		return false
	}
	_, icann := publicsuffix.PublicSuffix("_." + ascii)
	return icann
}
