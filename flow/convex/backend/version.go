package backend

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file mirrors how the backend reads the client version of a sync
// request (backend: crates/common/src/version.rs, crates/common/src/http
// ExtractClientVersion and client_version_state_middleware, and
// crates/common/deprecation.json).

// semver is a parsed semantic version (the Rust semver crate's grammar).
type semver struct {
	major, minor, patch uint64
	pre, build          []string
	text                string
}

func (v semver) String() string { return v.text }

// parseSemver parses like semver::Version::parse and returns its error
// texts, which the backend quotes in InvalidClientVersion.
func parseSemver(s string) (semver, error) {
	v := semver{text: s}
	if s == "" {
		return v, fmt.Errorf("empty string, expected a semver version")
	}
	rest := s
	nums := [3]*uint64{&v.major, &v.minor, &v.patch}
	names := [3]string{"major version number", "minor version number", "patch version number"}
	for i := range 3 {
		n, r, err := numericIdentifier(rest, names[i])
		if err != nil {
			return v, err
		}
		*nums[i] = n
		rest = r
		if i < 2 {
			if rest == "" {
				return v, fmt.Errorf("unexpected end of input while parsing %s", names[i])
			}
			if rest[0] != '.' {
				return v, fmt.Errorf("unexpected character %s after %s", rustChar(rest), names[i])
			}
			rest = rest[1:]
		}
	}
	after := names[2]
	if strings.HasPrefix(rest, "-") {
		var err error
		if v.pre, rest, err = identifiers(rest[1:], "pre-release identifier", true); err != nil {
			return v, err
		}
		after = "pre-release identifier"
	}
	if strings.HasPrefix(rest, "+") {
		var err error
		if v.build, rest, err = identifiers(rest[1:], "build metadata", false); err != nil {
			return v, err
		}
		after = "build metadata"
	}
	if rest != "" {
		return v, fmt.Errorf("unexpected character %s after %s", rustChar(rest), after)
	}
	return v, nil
}

func numericIdentifier(s, pos string) (uint64, string, error) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		if s == "" {
			return 0, s, fmt.Errorf("unexpected end of input while parsing %s", pos)
		}
		return 0, s, fmt.Errorf("unexpected character %s while parsing %s", rustChar(s), pos)
	}
	if s[0] == '0' && i > 1 {
		return 0, s, fmt.Errorf("invalid leading zero in %s", pos)
	}
	n, err := strconv.ParseUint(s[:i], 10, 64)
	if err != nil {
		return 0, s, fmt.Errorf("value of %s exceeds u64::MAX", pos)
	}
	return n, s[i:], nil
}

func identChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-'
}

func identifiers(s, pos string, noLeadingZero bool) ([]string, string, error) {
	var out []string
	for {
		i := 0
		for i < len(s) && identChar(s[i]) {
			i++
		}
		seg := s[:i]
		if seg == "" {
			return nil, s, fmt.Errorf("empty identifier segment in %s", pos)
		}
		if noLeadingZero && len(seg) > 1 && seg[0] == '0' && isNumeric(seg) {
			return nil, s, fmt.Errorf("invalid leading zero in %s", pos)
		}
		out = append(out, seg)
		s = s[i:]
		if !strings.HasPrefix(s, ".") {
			return out, s, nil
		}
		s = s[1:]
	}
}

func isNumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// rustChar prints the first character of s as Rust's `{:?}` prints a char.
func rustChar(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '\n':
		return `'\n'`
	case '\r':
		return `'\r'`
	case '\t':
		return `'\t'`
	case '\'':
		return `'\''`
	case '\\':
		return `'\\'`
	}
	if r < 0x20 || r == 0x7f {
		return fmt.Sprintf(`'\u{%x}'`, r)
	}
	return "'" + string(r) + "'"
}

// compare orders versions as the semver crate does: numbers, then a
// pre-release sorts before the release, then build metadata.
func (v semver) compare(o semver) int {
	for _, d := range [3][2]uint64{{v.major, o.major}, {v.minor, o.minor}, {v.patch, o.patch}} {
		if d[0] != d[1] {
			if d[0] < d[1] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(v.pre) == 0 && len(o.pre) > 0:
		return 1
	case len(v.pre) > 0 && len(o.pre) == 0:
		return -1
	}
	if c := compareIdents(v.pre, o.pre); c != 0 {
		return c
	}
	return compareIdents(v.build, o.build)
}

func compareIdents(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		an, bn := isNumeric(a[i]), isNumeric(b[i])
		switch {
		case an && bn:
			x, _ := strconv.ParseUint(a[i], 10, 64)
			y, _ := strconv.ParseUint(b[i], 10, 64)
			if x != y {
				if x < y {
					return -1
				}
				return 1
			}
		case an:
			return -1
		case bn:
			return 1
		default:
			if c := strings.Compare(a[i], b[i]); c != 0 {
				return c
			}
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// clientVersion is a client name and version, from the Convex-Client
// header or the URL path.
type clientVersion struct {
	client  string // "npm", "npm-cli", "python-convex", … or an unrecognised name
	version semver
}

// clientNames maps a lowercased header name to the backend's ClientType.
var knownClients = map[string]bool{
	"python-convex": true, "npm-cli": true, "npm": true, "actions": true, "rust": true,
	"streaming-import": true, "airbyte-export": true, "fivetran-export": true,
}

// parseClientHeader reads `Convex-Client: <name>-<semver>`, taking the
// longest semver from the right.
func parseClientHeader(h string) (clientVersion, error) {
	parts := strings.Split(h, "-")
	for n := 1; n < len(parts); n++ {
		v, err := parseSemver(strings.Join(parts[n:], "-"))
		if err != nil {
			continue
		}
		name := strings.ToLower(strings.Join(parts[:n], "-"))
		return clientVersion{client: name, version: v}, nil
	}
	return clientVersion{}, fmt.Errorf("Failed to parse client version string: '%s'. Expected format is {client_name}-{semver}, e.g. my-esolang-client-0.0.1", h)
}

// Deprecation thresholds from deprecation.json: a version at or below
// "unsupported" is refused.
var (
	npmUnsupported    = mustSemver("0.19.1")
	pythonUnsupported = mustSemver("0.0.2")
	rustUnsupported   = mustSemver("0.0.1")
)

func mustSemver(s string) semver {
	v, err := parseSemver(s)
	if err != nil {
		panic(err)
	}
	return v
}

// unsupported returns the backend's refusal for a version at or below its
// client's threshold, or "".
func (cv clientVersion) unsupported() string {
	var limit semver
	var how string
	switch cv.client {
	case "npm", "npm-cli", "actions":
		limit, how = npmUnsupported, "Update your Convex npm version with `npx convex update` or `npm update`."
	case "python-convex":
		limit, how = pythonUnsupported, "Update your Convex python version with `pip install --upgrade convex`."
	case "rust":
		limit, how = rustUnsupported, "Update your Convex rust version with `cargo update -p convex` or by updating `Cargo.toml`."
	default:
		return ""
	}
	if cv.version.compare(limit) > 0 {
		return ""
	}
	return fmt.Sprintf("The Convex %s package at version %s is no longer supported. %s", cv.client, cv.version, how)
}

// httpError is a refusal before the WebSocket upgrade, sent as the
// backend's JSON error body.
type httpError struct {
	status  int
	code    string
	message string
	header  map[string]string
}

// checkClientVersion applies the backend's checks to a sync request, in
// its order: parse (400 InvalidClientVersion), deprecation (400
// ClientVersionUnsupported), then whether the client may use WebSockets.
func checkClientVersion(r *http.Request, pathVersion string, hasPathVersion bool) *httpError {
	var cv clientVersion
	header, hasHeader := r.Header["Convex-Client"]
	switch {
	case hasHeader && isVisibleASCII(header[0]):
		var err error
		if cv, err = parseClientHeader(header[0]); err != nil {
			return &httpError{status: http.StatusBadRequest, code: "InvalidClientVersion", message: err.Error()}
		}
	case hasPathVersion:
		v, err := parseSemver(pathVersion)
		if err != nil {
			return &httpError{status: http.StatusBadRequest, code: "InvalidClientVersion", message: "Failed to parse client version: " + err.Error()}
		}
		// A path ending in /sync is an npm client (ClientVersion::from_path_param).
		cv = clientVersion{client: "npm", version: v}
	default:
		cv = clientVersion{client: "unknown"}
	}
	if msg := cv.unsupported(); msg != "" {
		return &httpError{status: http.StatusBadRequest, code: "ClientVersionUnsupported", message: msg,
			header: map[string]string{"x-convex-deprecation-state": "Unsupported", "x-convex-deprecation-message": msg}}
	}
	if knownClients[cv.client] && cv.client != "npm" && cv.client != "rust" {
		// new_sync_worker_config refuses these with an error that has no
		// metadata: an internal error.
		return &httpError{status: http.StatusInternalServerError, code: "InternalServerError", message: internalServerErrorMsg}
	}
	return nil
}

func isVisibleASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}
