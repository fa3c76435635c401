package clerk

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func b64(s string) string    { return base64.StdEncoding.EncodeToString([]byte(s)) }
func rawB64(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }

func TestParsePublishableKeyErrors(t *testing.T) {
	tests := []struct {
		name   string
		key    string
		reason KeyErrorReason
		msg    string
	}{
		{"empty", "", KeyMissing, "Publishable key is missing."},
		{"secret key", "sk_test_" + rawB64("a.b$"), KeyBadPrefix, "Publishable key not valid (expected format: pk_test_... or pk_live_...)."},
		{"no prefix", rawB64("a.b$"), KeyBadPrefix, "Publishable key not valid (expected format: pk_test_... or pk_live_...)."},
		{"upper case prefix", "PK_TEST_" + rawB64("a.b$"), KeyBadPrefix, MsgKeyNotValid},
		{"empty encoded part", "pk_test_", KeyBadParts, MsgKeyNotValid},
		{"four parts", "pk_test_" + rawB64("a.b$") + "_x", KeyBadParts, MsgKeyNotValid},
		{"not base64", "pk_test_!!!!", KeyDecodeFailed, "Publishable key not valid: Failed to decode key."},
		{"length 1 mod 4", "pk_test_abcde", KeyDecodeFailed, MsgKeyDecodeFailed},
		// base64url's "_" splits the key into four parts.
		{"url-safe alphabet", "pk_test_YS5i__8k", KeyBadParts, MsgKeyNotValid},
		{"url-safe dash", "pk_test_YS5i--8k", KeyDecodeFailed, MsgKeyDecodeFailed},
		{"no dollar", "pk_test_" + rawB64("foo.example.com"), KeyInvalidFormat, "Publishable key not valid: Decoded key has invalid format."},
		{"no dot", "pk_test_" + rawB64("localhost:3000$"), KeyInvalidFormat, MsgKeyInvalidFormat},
		{"two dollars", "pk_test_" + rawB64("a.b$$"), KeyInvalidFormat, MsgKeyInvalidFormat},
		{"dollar inside", "pk_live_" + rawB64("a$.b$"), KeyInvalidFormat, MsgKeyInvalidFormat},
		{"only dollar", "pk_live_" + rawB64("$"), KeyInvalidFormat, MsgKeyInvalidFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePublishableKey(tt.key)
			var ke *KeyError
			if !errors.As(err, &ke) {
				t.Fatalf("ParsePublishableKey(%q) error = %v, want a *KeyError", tt.key, err)
			}
			if ke.Reason != tt.reason || ke.Error() != tt.msg {
				t.Errorf("got (%s, %q), want (%s, %q)", ke.Reason, ke.Error(), tt.reason, tt.msg)
			}
			if ke.Detail == "" || !strings.Contains(ke.Hint(), "dashboard.clerk.com") {
				t.Errorf("missing detail or hint: %+v", ke)
			}
		})
	}
}

func TestParsePublishableKeyValid(t *testing.T) {
	tests := []struct {
		name     string
		key      string
		instance InstanceType
		fapi     string
		url      string
		dev      bool
	}{
		{"docs example", "pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk", InstanceDevelopment, "example.accounts.dev", "https://example.accounts.dev", true},
		{"unpadded dev", "pk_test_" + rawB64("verb-noun-00.clerk.accounts.dev$"), InstanceDevelopment, "verb-noun-00.clerk.accounts.dev", "https://verb-noun-00.clerk.accounts.dev", true},
		{"padded dev", "pk_test_" + b64("verb-noun-00.clerk.accounts.dev$"), InstanceDevelopment, "verb-noun-00.clerk.accounts.dev", "https://verb-noun-00.clerk.accounts.dev", true},
		{"padded one =", "pk_test_" + b64("ab.cd$"), InstanceDevelopment, "ab.cd", "https://ab.cd", false},
		{"live", "pk_live_" + rawB64("clerk.example.com$"), InstanceProduction, "clerk.example.com", "https://clerk.example.com", false},
		{"live padded", "pk_live_" + b64("clerk.example.com$"), InstanceProduction, "clerk.example.com", "https://clerk.example.com", false},
		{"demo loopback", "pk_test_" + rawB64("127.0.0.1:54321$"), InstanceDevelopment, "127.0.0.1:54321", "http://127.0.0.1:54321", true},
		{"whitespace ignored like atob", "pk_test_" + rawB64("ab.cd$")[:4] + " \n" + rawB64("ab.cd$")[4:], InstanceDevelopment, "ab.cd", "https://ab.cd", false},
		{"staging suffix", "pk_test_" + rawB64("foo.accountsstage.dev$"), InstanceDevelopment, "foo.accountsstage.dev", "https://foo.accountsstage.dev", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParsePublishableKey(tt.key)
			if err != nil {
				t.Fatalf("ParsePublishableKey(%q): %v", tt.key, err)
			}
			if k.Raw != tt.key || k.Instance != tt.instance || k.FrontendAPI != tt.fapi {
				t.Errorf("got %+v, want instance %s, fapi %q", k, tt.instance, tt.fapi)
			}
			if k.FrontendAPIURL() != tt.url {
				t.Errorf("FrontendAPIURL = %q, want %q", k.FrontendAPIURL(), tt.url)
			}
			if k.IsDevHost() != tt.dev {
				t.Errorf("IsDevHost = %v, want %v", k.IsDevHost(), tt.dev)
			}
		})
	}
}

func TestBuildPublishableKey(t *testing.T) {
	tests := []struct {
		fapi     string
		instance InstanceType
		want     string
	}{
		{"example.accounts.dev", InstanceDevelopment, "pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk"},
		{"ab.cd", InstanceDevelopment, "pk_test_" + rawB64("ab.cd$")}, // would be padded "YWIuY2Qk" / no pad needed
		{"abc.de", InstanceProduction, "pk_live_" + rawB64("abc.de$")},
		// Clerk's inference when no instance is given.
		{"verb-noun-00.clerk.accounts.dev", "", "pk_test_" + rawB64("verb-noun-00.clerk.accounts.dev$")},
		{"clerk.foo.lcl.dev", "", "pk_test_" + rawB64("clerk.foo.lcl.dev$")},
		{"clerk.example.com", "", "pk_live_" + rawB64("clerk.example.com$")},
	}
	for _, tt := range tests {
		got := BuildPublishableKey(tt.fapi, tt.instance)
		if got != tt.want {
			t.Errorf("BuildPublishableKey(%q, %q) = %q, want %q", tt.fapi, tt.instance, got, tt.want)
		}
		if strings.Contains(got, "=") {
			t.Errorf("BuildPublishableKey(%q) is padded: %q", tt.fapi, got)
		}
		k, err := ParsePublishableKey(got)
		if err != nil || k.FrontendAPI != tt.fapi {
			t.Errorf("round trip of %q: %+v, %v", got, k, err)
		}
	}
	// A host whose base64 needs padding: the key must still be unpadded.
	if k := BuildPublishableKey("a.b", InstanceDevelopment); strings.Contains(k, "=") || k != "pk_test_"+rawB64("a.b$") {
		t.Errorf("BuildPublishableKey(a.b) = %q", k)
	}
}

func TestDevHostRules(t *testing.T) {
	slug := []struct {
		host string
		want bool
	}{
		{"verb-noun-00.clerk.accounts.dev", true},
		{"happy-hippo-7.clerk.accounts.dev", true},
		{"Happy-Hippo-71.clerk.accounts.dev", true}, // the regex is case-insensitive
		{"verb-noun-123.clerk.accounts.dev", false},
		{"verb-00.clerk.accounts.dev", false},
		{"verb-noun-00.clerk.accountsstage.dev", true},
		{"verb-noun-00.clerk.accounts.lclclerk.com", true},
		{"clerk.example.com", false},
		// Clerk's regex is this loose: ([a-z.]*) swallows ".dev.evil.".
		{"verb-noun-00.clerk.accounts.dev.evil.com", true},
	}
	for _, tt := range slug {
		if got := IsClerkDevSlugHost(tt.host); got != tt.want {
			t.Errorf("IsClerkDevSlugHost(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
	dev := []struct {
		fapi string
		want bool
	}{
		{"verb-noun-00.clerk.accounts.dev", true},
		{"x.lcl.dev", true}, {"x.stg.dev", true}, {"x.lclstage.dev", true}, {"x.stgstage.dev", true},
		{"x.dev.lclclerk.com", true}, {"x.stg.lclclerk.com", true}, {"x.accounts.lclclerk.com", true},
		{"x.accountsstage.dev", true}, {"accounts.dev", true},
		{"clerk.example.com", false}, {"accounts.dev.example.com", false},
		{"127.0.0.1:4000", true}, {"localhost:4000", true}, {"[::1]:4000", true}, {"127.0.0.1", true},
		{"10.0.0.1:4000", false},
	}
	for _, tt := range dev {
		k := PublishableKey{FrontendAPI: tt.fapi}
		if got := k.IsDevHost(); got != tt.want {
			t.Errorf("IsDevHost(%q) = %v, want %v", tt.fapi, got, tt.want)
		}
	}
	if u := (PublishableKey{FrontendAPI: "localhost:8080"}).FrontendAPIURL(); u != "http://localhost:8080" {
		t.Errorf("loopback FrontendAPIURL = %q", u)
	}
}

func FuzzParsePublishableKey(f *testing.F) {
	for _, s := range []string{"", "pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk", "pk_live_" + b64("a.b$"), "pk_test_!!", "pk_test_a_b", "pk_test_\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		k, err := ParsePublishableKey(key)
		if err != nil {
			var ke *KeyError
			if !errors.As(err, &ke) || ke.Message == "" {
				t.Fatalf("error is not a *KeyError with a message: %v", err)
			}
			return
		}
		if !strings.Contains(k.FrontendAPI, ".") || strings.Contains(k.FrontendAPI, "$") {
			t.Fatalf("accepted %q with frontend API %q", key, k.FrontendAPI)
		}
		_ = k.FrontendAPIURL()
		_ = k.IsDevHost()
	})
}

func BenchmarkParsePublishableKey(b *testing.B) {
	key := BuildPublishableKey("verb-noun-00.clerk.accounts.dev", InstanceDevelopment)
	for b.Loop() {
		if _, err := ParsePublishableKey(key); err != nil {
			b.Fatal(err)
		}
	}
}
