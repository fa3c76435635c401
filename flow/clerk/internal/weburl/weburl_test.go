package weburl

import (
	"net/url"
	"testing"
)

func TestIsLoopbackOrigin(t *testing.T) {
	tests := map[string]bool{
		"http://127.0.0.1:8080": true, "http://localhost:3000": true, "https://127.0.0.1": true, "http://[::1]:5": true,
		"http://127.0.0.1.evil.com": false, "http://evil.com": false, "null": false, "": false,
		"ftp://127.0.0.1": false, "http://user@127.0.0.1": false, "http://127.0.0.1/path": false,
	}
	for origin, want := range tests {
		if got := IsLoopbackOrigin(origin); got != want {
			t.Errorf("IsLoopbackOrigin(%q) = %v, want %v", origin, got, want)
		}
	}
}

func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://127.0.0.1:9/x?y#z": "http://127.0.0.1:9", "https://a.example": "https://a.example",
		"/relative": "", "": "", "%zz": "",
	} {
		if got := OriginOf(in); got != want {
			t.Errorf("OriginOf(%q) = %q, want %q", in, got, want)
		}
	}
	if Origin(nil) != "" || Origin(&url.URL{Scheme: "http"}) != "" {
		t.Errorf("Origin of a URL without host is not empty")
	}
}
