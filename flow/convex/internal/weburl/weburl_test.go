package weburl

import "testing"

func TestWebURL(t *testing.T) {
	ok := []string{"https://a.com", "https:a.com", "http://localhost:3000/x?y#z", "https://user:pw@a.com", "foo:bar",
		"https://0x7f.1", "https://[::1]:8080", "https://xn--p1ai.xn--p1ai", "https://ДОМ.рф", "custom://x/y z"}
	for _, s := range ok {
		if err := CheckAbsolute(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	bad := map[string]error{"a.com": ErrRelativeURL, "/path": ErrRelativeURL, "1http://a": ErrRelativeURL,
		"https://a.com:x": ErrInvalidPort, "https://a b.com": ErrInvalidDomain, "https://a%20b.com": ErrInvalidDomain,
		"https://1.2.3.4.5": ErrInvalidIPv4, "https://[zz]": ErrInvalidIPv6, "http://": ErrEmptyHost, "custom://x y": ErrInvalidDomain}
	for s, want := range bad {
		if err := CheckAbsolute(s); err != want {
			t.Errorf("%q: got %v, want %v", s, err, want)
		}
	}
}
