package rules

import (
	"encoding/base64"
	"fmt"
	"mime"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/internal/weburl"
)

// Where the customJwt path's key set comes from (SPEC.md "customJwt
// path"; crates/authentication fetch_jwks): a data: URL decoded locally,
// or an http(s) URL fetched and checked.

// How the backend's request building treats a jwks value that is not a
// data: URL: fetched, refused by reqwest (C2 "builder error"), or refused
// earlier by http::Request's URI parser, whose error has no ErrorMetadata.
const (
	jwksFetch = iota
	jwksBuilderError
	jwksInternal
)

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)

// classifyJWKSURL approximates http::Uri's parser (no spaces, controls or
// "<>\^`{|}; an authority-only form needs a numeric port) and reqwest's
// scheme check.
func classifyJWKSURL(s string) (int, string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}", c) >= 0 {
			return jwksInternal, fmt.Sprintf("byte %q is not allowed in a URI", c)
		}
	}
	if schemeRE.MatchString(s) {
		u, err := url.Parse(s)
		switch {
		case err != nil || u.Host == "":
			return jwksInternal, "invalid URI"
		case u.Scheme != "http" && u.Scheme != "https":
			return jwksBuilderError, "builder error for url (" + s + ")"
		}
		return jwksFetch, ""
	}
	// No scheme: only the authority form parses ("host" or "host:port").
	if s == "" || strings.ContainsAny(s, "/?#") {
		return jwksInternal, "a URI without a scheme must be a bare host"
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		if _, err := strconv.ParseUint(s[i+1:], 10, 16); err != nil {
			return jwksInternal, "invalid port"
		}
	}
	return jwksBuilderError, "builder error"
}

// customContentTypeOK is fetch_jwks's check: the header is required, its
// essence must be application/json or application/jwk-set+json
// (case-insensitive) and a charset parameter, if any, must be utf-8 (the
// mime crate compares charset values case-insensitively).
func customContentTypeOK(res *fetch.Result) (bool, string) {
	if !res.HasContentType {
		return false, "the JWKS response has no Content-Type; the customJwt path requires one"
	}
	if !headerToStr(res.ContentType) {
		return false, "the JWKS Content-Type is not visible ASCII"
	}
	mt, params, err := mime.ParseMediaType(res.ContentType)
	if err != nil {
		return false, fmt.Sprintf("the JWKS Content-Type %q does not parse as a media type: %v", res.ContentType, err)
	}
	if mt != "application/json" && mt != "application/jwk-set+json" {
		return false, fmt.Sprintf("the JWKS Content-Type is %q; serve application/json or application/jwk-set+json", mt)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return false, fmt.Sprintf("the JWKS Content-Type has charset %q; only utf-8 is accepted", cs)
	}
	return true, ""
}

// decodeDataURL follows the data_url crate (the WHATWG fetch "data: URL
// processor"): isData is false when s is not a data: URL at all (no
// "data:" scheme or no comma), in which case the backend treats it as an
// http URL. A base64 body uses the standard alphabet with forgiving
// decoding; base64url characters fail.
func decodeDataURL(s string) (isData bool, data []byte, err error) {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	if len(s) < 5 || !strings.EqualFold(s[:5], "data:") {
		return false, nil, nil
	}
	rest := s[5:]
	comma := strings.IndexByte(rest, ',')
	hash := strings.IndexByte(rest, '#')
	if comma < 0 || (hash >= 0 && hash < comma) {
		return false, nil, nil
	}
	header, body := rest[:comma], rest[comma+1:]
	if i := strings.IndexByte(body, '#'); i >= 0 {
		body = body[:i]
	}
	header = strings.TrimRight(header, " ")
	isBase64 := false
	if semi := strings.LastIndexByte(header, ';'); semi >= 0 {
		if strings.EqualFold(strings.TrimLeft(header[semi+1:], " "), "base64") {
			isBase64 = true
		}
	}
	decoded := weburl.PercentDecode(body)
	if !isBase64 {
		return true, decoded, nil
	}
	out, err := forgivingBase64(decoded)
	if err != nil {
		return true, nil, err
	}
	return true, out, nil
}

// forgivingBase64 is the WHATWG forgiving-base64 decode: ASCII whitespace
// is removed, up to two trailing '=' are allowed when the length is a
// multiple of 4, a length of 1 mod 4 fails, and only the standard alphabet
// is accepted. Trailing bits are discarded.
func forgivingBase64(in []byte) ([]byte, error) {
	b := make([]byte, 0, len(in))
	for _, c := range in {
		switch c {
		case ' ', '\t', '\n', '\f', '\r':
			continue
		}
		b = append(b, c)
	}
	if len(b)%4 == 0 {
		if len(b) > 0 && b[len(b)-1] == '=' {
			b = b[:len(b)-1]
			if len(b) > 0 && b[len(b)-1] == '=' {
				b = b[:len(b)-1]
			}
		}
	}
	if len(b)%4 == 1 {
		return nil, fmt.Errorf("invalid base64 length")
	}
	for i, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
			return nil, fmt.Errorf("invalid base64 character %q at %d (data: URLs use the standard alphabet, not base64url)", c, i)
		}
	}
	return base64.RawStdEncoding.DecodeString(string(b))
}

// shortDataURL keeps a data: URL readable in the trace.
func shortDataURL(s string) string {
	if len(s) <= 64 {
		return s
	}
	return s[:48] + "… (" + strconv.Itoa(len(s)) + " bytes)"
}
