package clerk

import (
	"encoding/base64"
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/authscope/authscope/flow/clerk/internal/weburl"
	"github.com/authscope/authscope/flow/untrusted"
)

// InstanceType is what a publishable key's prefix says about its instance.
type InstanceType string

// Instance types: pk_test_ is development, pk_live_ production (SPEC.md
// "Publishable keys").
const (
	InstanceDevelopment InstanceType = "development"
	InstanceProduction  InstanceType = "production"
)

const (
	prefixLive = "pk_live_"
	prefixTest = "pk_test_"
)

// PublishableKey is a parsed Clerk publishable key.
type PublishableKey struct {
	// Raw is the key as given.
	Raw      string
	Instance InstanceType
	// FrontendAPI is the decoded host without the trailing "$", for example
	// "verb-noun-00.clerk.accounts.dev"; for the demo it includes a port
	// ("127.0.0.1:54321").
	FrontendAPI string
}

// KeyErrorReason names the check of SPEC.md "Publishable keys" a key
// failed.
type KeyErrorReason string

// Reasons a publishable key is refused.
const (
	KeyMissing       KeyErrorReason = "missing"
	KeyBadPrefix     KeyErrorReason = "prefix"         // not pk_test_/pk_live_
	KeyBadParts      KeyErrorReason = "parts"          // key.split("_") is not 3 parts, or the third is empty
	KeyDecodeFailed  KeyErrorReason = "decode"         // not base64 (atob throws)
	KeyInvalidFormat KeyErrorReason = "decoded_format" // decoded value is not "<host with a dot>$"
)

// Clerk's error texts for publishable keys (SPEC.md "Publishable keys",
// parsePublishableKey in @clerk/shared keys.ts; Clerk appends setup guidance
// after a blank line, which authscope gives as KeyError.Hint instead).
const (
	MsgKeyMissing       = "Publishable key is missing."
	MsgKeyNotValid      = "Publishable key not valid (expected format: pk_test_... or pk_live_...)."
	MsgKeyDecodeFailed  = "Publishable key not valid: Failed to decode key."
	MsgKeyInvalidFormat = "Publishable key not valid: Decoded key has invalid format."
)

// KeyError is a refused publishable key.
//
// Message is the text Clerk's parser has for the failed check. Note that
// Clerk runs isPublishableKey (which decodes and checks the format) before
// its own decode and format checks, so ClerkJS itself reports every
// malformed key with MsgKeyNotValid; authscope names the precise check.
type KeyError struct {
	Reason  KeyErrorReason
	Message string
	// Detail says what exactly was wrong, in authscope's words. It may
	// quote the (escaped, cut) decoded value.
	Detail string
}

func (e *KeyError) Error() string { return e.Message }

// Hint says what to do about any publishable key error.
func (e *KeyError) Hint() string {
	return "Copy the Publishable key from the Clerk Dashboard (API keys page, https://dashboard.clerk.com/last-active?path=api-keys); it starts with pk_test_ for a development instance."
}

// ParsePublishableKey parses a key with the rules of @clerk/shared
// parsePublishableKey (SPEC.md "Publishable keys"): prefix pk_live_ or
// pk_test_, exactly three "_"-separated parts, the third base64 (padded or
// not, decoded like the browser's atob) of a Frontend API host that contains
// a "." and is followed by exactly one "$".
func ParsePublishableKey(key string) (PublishableKey, error) {
	if key == "" {
		return PublishableKey{}, &KeyError{Reason: KeyMissing, Message: MsgKeyMissing,
			Detail: "no publishable key was given"}
	}
	if !strings.HasPrefix(key, prefixLive) && !strings.HasPrefix(key, prefixTest) {
		return PublishableKey{}, &KeyError{Reason: KeyBadPrefix, Message: MsgKeyNotValid,
			Detail: fmt.Sprintf("the key starts with \"%s\", not pk_test_ or pk_live_", untrusted.Text(firstN(key, 8), 16))}
	}
	parts := strings.Split(key, "_")
	if len(parts) != 3 || parts[2] == "" {
		return PublishableKey{}, &KeyError{Reason: KeyBadParts, Message: MsgKeyNotValid,
			Detail: fmt.Sprintf("the key has %d \"_\"-separated parts; it must be pk, test|live and one base64 part", len(parts))}
	}
	decoded, ok := atob(parts[2])
	if !ok {
		return PublishableKey{}, &KeyError{Reason: KeyDecodeFailed, Message: MsgKeyDecodeFailed,
			Detail: "the part after the prefix is not base64"}
	}
	if why := decodedFormatProblem(decoded); why != "" {
		return PublishableKey{}, &KeyError{Reason: KeyInvalidFormat, Message: MsgKeyInvalidFormat,
			Detail: fmt.Sprintf("it decodes to \"%s\", which %s", untrusted.Text(decoded, 60), why)}
	}
	inst := InstanceDevelopment
	if strings.HasPrefix(key, prefixLive) {
		inst = InstanceProduction
	}
	return PublishableKey{Raw: key, Instance: inst, FrontendAPI: decoded[:len(decoded)-1]}, nil
}

// decodedFormatProblem is isValidDecodedPublishableKey: "" when decoded is
// a host followed by exactly one "$" and the host contains a ".".
func decodedFormatProblem(decoded string) string {
	if !strings.HasSuffix(decoded, "$") {
		return `does not end in "$"`
	}
	host := decoded[:len(decoded)-1]
	if strings.Contains(host, "$") {
		return `contains more than one "$"`
	}
	if !strings.Contains(host, ".") {
		return `is not a dotted host name`
	}
	return ""
}

// atob decodes like the browser's atob (WHATWG forgiving-base64): ASCII
// whitespace is removed, one or two trailing "=" are accepted when the
// length is a multiple of 4, missing padding is accepted, and the result is
// one character per byte (Latin-1), as Clerk's isomorphicAtob returns it.
func atob(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\f', '\r', ' ':
			return -1
		}
		return r
	}, s)
	if len(s)%4 == 0 {
		s = strings.TrimSuffix(s, "=")
		s = strings.TrimSuffix(s, "=")
	}
	if len(s)%4 == 1 {
		return "", false
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return "", false
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r), true
}

// BuildPublishableKey encodes a Frontend API host as a publishable key, with
// unpadded base64 as Clerk's buildPublishableKey emits. An empty instance
// infers it as Clerk does: development for a "verb-noun-00.clerk.accounts.dev"
// host (or a legacy clerk.*.lcl.dev one), production otherwise.
func BuildPublishableKey(frontendAPI string, instance InstanceType) string {
	if instance == "" {
		instance = InstanceProduction
		if IsClerkDevSlugHost(frontendAPI) || (strings.HasPrefix(frontendAPI, "clerk.") && hasAnySuffix(frontendAPI, legacyDevSuffixes)) {
			instance = InstanceDevelopment
		}
	}
	prefix := prefixLive
	if instance == InstanceDevelopment {
		prefix = prefixTest
	}
	return prefix + base64.RawStdEncoding.EncodeToString([]byte(frontendAPI+"$"))
}

// devSlugHost is PUBLISHABLE_FRONTEND_API_DEV_REGEX of @clerk/shared keys.ts.
var devSlugHost = regexp.MustCompile(`(?i)^(([a-z]+)-){2}([0-9]{1,2})\.clerk\.accounts([a-z.]*)(dev|com)$`)

// IsClerkDevSlugHost reports whether host has the shape of a development
// Frontend API host, such as "verb-noun-00.clerk.accounts.dev".
func IsClerkDevSlugHost(host string) bool { return devSlugHost.MatchString(host) }

// devOrStagingSuffixes is DEV_OR_STAGING_SUFFIXES of @clerk/shared
// constants.ts (SPEC.md "Development and production hosts"); ClerkJS
// only runs the dev-browser logic for a Frontend API host ending in one of
// them.
var devOrStagingSuffixes = []string{
	".lcl.dev", ".stg.dev", ".lclstage.dev", ".stgstage.dev", ".dev.lclclerk.com",
	".stg.lclclerk.com", ".accounts.lclclerk.com", "accountsstage.dev", "accounts.dev",
}

var legacyDevSuffixes = []string{".lcl.dev", ".lclstage.dev", ".lclclerk.com"}

// IsDevHost reports whether the key's Frontend API host gets the
// development treatment (dev browser, __clerk_db_jwt): a host ending in one
// of Clerk's DEV_OR_STAGING_SUFFIXES, or a loopback host, which only the
// embedded demo instance uses.
func (k PublishableKey) IsDevHost() bool {
	host, _ := splitHostPort(k.FrontendAPI)
	return isDevHost(host)
}

// isDevHost is the host test of IsDevHost, for a host without a port.
func isDevHost(host string) bool {
	return weburl.IsLoopbackHost(host) || hasAnySuffix(host, devOrStagingSuffixes)
}

// IsLoopback reports whether the Frontend API host is a loopback address,
// as the demo's is.
func (k PublishableKey) IsLoopback() bool {
	host, _ := splitHostPort(k.FrontendAPI)
	return weburl.IsLoopbackHost(host)
}

// FrontendAPIURL is the Frontend API base URL, which is also the issuer of
// the instance's tokens (SPEC.md "Frontend API URL and issuer"):
// https://<host>, but http:// for a loopback host (the demo serves plain
// HTTP on 127.0.0.1).
func (k PublishableKey) FrontendAPIURL() string {
	if k.IsLoopback() {
		return "http://" + k.FrontendAPI
	}
	return "https://" + k.FrontendAPI
}

func hasAnySuffix(s string, suffixes []string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// splitHostPort splits "host:port" or "[v6]:port"; a string without a port
// is all host.
func splitHostPort(s string) (host, port string) {
	if h, p, err := net.SplitHostPort(s); err == nil {
		return h, p
	}
	return strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"), ""
}

func firstN(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
