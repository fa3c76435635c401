package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/diagnose"
)

// member is one header parameter or claim, kept in order.
type member struct {
	name  string
	value any
}

// craft builds a compact JWT with the members in the given order and a
// signature nobody checks: decode reads, it does not verify.
func craft(t *testing.T, header, claims []member) string {
	t.Helper()
	obj := func(ms []member) string {
		parts := make([]string, len(ms))
		for i, m := range ms {
			k, _ := json.Marshal(m.name)
			v, err := json.Marshal(m.value)
			if err != nil {
				t.Fatal(err)
			}
			parts[i] = string(k) + ":" + string(v)
		}
		return base64.RawURLEncoding.EncodeToString([]byte("{" + strings.Join(parts, ",") + "}"))
	}
	return obj(header) + "." + obj(claims) + "." + base64.RawURLEncoding.EncodeToString(make([]byte, 256))
}

// clerkLike is a token shaped like a Clerk session token for iss.
func clerkLike(t *testing.T, iss string, now time.Time) string {
	return craft(t,
		[]member{{"alg", "RS256"}, {"kid", "ins_2abc"}, {"typ", "JWT"}},
		[]member{{"azp", "http://localhost:5173"}, {"exp", now.Add(43 * time.Second).Unix()}, {"iat", now.Add(-17 * time.Second).Unix()},
			{"iss", iss}, {"nbf", now.Add(-27 * time.Second).Unix()}, {"sid", "sess_1"}, {"sub", "user_1"}, {"aud", "convex"},
			{"name", "Ada Lovelace"}, {"email", "ada@example.com"}})
}

// countingIssuer is an issuer that counts every request it gets.
func countingIssuer(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		http.NotFound(w, nil)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

// decode shows what jwt.io shows, offline: header and claims in token
// order, times local and relative, the lifetime, the client's refetch, the
// identity and the provider it assumes; it exits 0 and asks nobody.
func TestDecodeIsOfflineAndComplete(t *testing.T) {
	iss, hits := countingIssuer(t)
	tok := clerkLike(t, iss, time.Now())
	code, out, errs := runIn(t, t.TempDir(), "", "decode", tok)
	if code != exitAuthenticated {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errs)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("decode made %d requests to the issuer; it must stay offline", n)
	}
	order := []string{"header", "  alg ", "  kid ", "  typ ", "claims", "  azp ", "  exp ", "  iat ", "  iss ", "  nbf ", "  sid ", "  sub ", "  aud ", "  name ", "  email "}
	at := 0
	for _, w := range order {
		i := strings.Index(out[at:], w)
		if i < 0 {
			t.Fatalf("%q missing or out of order:\n%s", w, out)
		}
		at += i + len(w)
	}
	for _, re := range []string{
		`exp +\d+ +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+, in 4[0-3]s`,
		`iat +\d+ +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+, 1[7-9]s ago`,
		`lifetime: 1m0s`,
		`Convex client refetch: \d\d:\d\d:\d\d, in 3[0-3]s \(iat \+ 50s`,
		`provider: assumed: an OIDC provider`,
		`(?s)ctx.auth.getUserIdentity\(\) would return, on the OIDC path:\s+\{\s+"tokenIdentifier": "` + regexp.QuoteMeta(iss) + `\|user_1"`,
		`warnings: none`,
		`offline: nothing was sent or fetched`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("output does not match %s:\n%s", re, out)
		}
	}
	if strings.Contains(out, tok) || strings.Contains(out, strings.Split(tok, ".")[1]) {
		t.Error("decode printed the token itself")
	}
}

// People paste tokens with "Bearer ", quotes, whitespace, as a JSON string
// or as a whole header line: all decode the same, from the argument, from
// stdin and from a file.
func TestDecodeAcceptsPastedForms(t *testing.T) {
	tok := clerkLike(t, "https://happy-animal-123.clerk.accounts.dev", time.Now())
	quoted, _ := json.Marshal(tok)
	forms := []string{tok, "  " + tok + "\n", "Bearer " + tok, "bearer " + tok, `"` + tok + `"`, "'" + tok + "'",
		string(quoted), "Authorization: Bearer " + tok, `"Bearer ` + tok + `"`, "\t'Bearer " + tok + "'\r\n"}
	dir := t.TempDir()
	file := filepath.Join(dir, "token.txt")
	for _, f := range forms {
		for _, how := range []string{"arg", "stdin", "file"} {
			var code int
			var out, errs string
			switch how {
			case "arg":
				code, out, errs = runIn(t, dir, "", "decode", f)
			case "stdin":
				code, out, errs = runIn(t, dir, f, "decode", "-")
			case "file":
				if err := os.WriteFile(file, []byte(f), 0o600); err != nil {
					t.Fatal(err)
				}
				code, out, errs = runIn(t, dir, "", "decode", "--token-file", file)
			}
			if code != exitAuthenticated || !strings.Contains(out, `sub    "user_1"`) {
				t.Errorf("%s %q: exit %d\n%s\n%s", how, f, code, out, errs)
			}
		}
	}
}

// Not a token: exit 2 and a sentence saying which part is wrong. No token
// on stdin: the hint names decode -.
func TestDecodeRefusesWhatIsNotAToken(t *testing.T) {
	for _, in := range []string{"hello", "a.b", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", "Bearer "} {
		code, out, errs := runIn(t, t.TempDir(), "", "decode", in)
		if code != exitUsage || !strings.Contains(errs, "authscope: this is not a JWT: ") || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", in, code, out, errs)
		}
	}
	code, _, errs := runIn(t, t.TempDir(), "", "decode")
	if code != exitUsage || !strings.Contains(errs, "pbpaste | authscope decode -") {
		t.Errorf("no stdin: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runIn(t, t.TempDir(), "", "decode", "-")
	if code != exitUsage || !strings.Contains(errs, "authscope decode -") || strings.Contains(errs, "check --token") {
		t.Errorf("decode -: exit %d, stderr %q", code, errs)
	}
}

// Every warning decode knows, each with its rule's code; the token is
// still well formed, so decode exits 0.
func TestDecodeWarnings(t *testing.T) {
	now := time.Now()
	cases := []struct {
		name   string
		header []member
		claims []member
		codes  []string
	}{
		{"no kid, HS256, two audiences, 5 s, expired",
			[]member{{"alg", "HS256"}, {"typ", "JWT"}},
			[]member{{"iss", "https://a.example"}, {"sub", "u"}, {"aud", []string{"convex", "other"}}, {"iat", now.Add(-time.Minute).Unix()}, {"exp", now.Add(-55 * time.Second).Unix()}},
			[]string{diagnose.CodeUnknownKid, diagnose.CodeOIDCAlgorithm, diagnose.CodeMultipleAudiences, diagnose.CodeTokenLifetimeTooShort, diagnose.CodeTokenExpired}},
		{"no sub, iat or exp",
			[]member{{"alg", "RS256"}, {"kid", "k"}},
			[]member{{"iss", "https://a.example"}, {"aud", "convex"}},
			[]string{diagnose.CodeTokenMissingClaims}},
		{"not valid yet",
			[]member{{"alg", "EdDSA"}, {"kid", "k"}},
			[]member{{"iss", "https://a.example"}, {"sub", "u"}, {"aud", "convex"}, {"iat", now.Unix()}, {"nbf", now.Add(time.Hour).Unix()}, {"exp", now.Add(2 * time.Hour).Unix()}},
			[]string{diagnose.CodeTokenNotYetValid}},
	}
	all := []string{diagnose.CodeUnknownKid, diagnose.CodeOIDCAlgorithm, diagnose.CodeMultipleAudiences, diagnose.CodeTokenMissingClaims,
		diagnose.CodeTokenLifetimeTooShort, diagnose.CodeTokenExpired, diagnose.CodeTokenNotYetValid}
	for _, c := range cases {
		code, out, errs := runIn(t, t.TempDir(), "", "decode", craft(t, c.header, c.claims))
		if code != exitAuthenticated {
			t.Fatalf("%s: exit %d\n%s\n%s", c.name, code, out, errs)
		}
		for _, want := range all {
			has := strings.Contains(out, "warning ["+want+"]")
			if has != contains(c.codes, want) {
				t.Errorf("%s: warning %s shown %v, want %v:\n%s", c.name, want, has, !has, out)
			}
		}
		if !strings.Contains(out, "see: https://") {
			t.Errorf("%s: the warnings have no docs link:\n%s", c.name, out)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// --redact hides the personal claims and identity fields.
func TestDecodeRedact(t *testing.T) {
	tok := clerkLike(t, "https://happy-animal-123.clerk.accounts.dev", time.Now())
	code, out, _ := runIn(t, t.TempDir(), "", "decode", "--redact", tok)
	if code != exitAuthenticated || strings.Contains(out, "Ada") || strings.Contains(out, "ada@example.com") {
		t.Fatalf("exit %d; --redact leaves personal data:\n%s", code, out)
	}
	if !strings.Contains(out, "email  (hidden by --redact)") || !strings.Contains(out, `"email": "‹redacted›"`) {
		t.Errorf("--redact does not say what it hid:\n%s", out)
	}
}

// In a project, decode reads the token for the provider that matches it,
// still offline.
func TestDecodeInAProject(t *testing.T) {
	root := "../../flow/project/testdata/vite-react"
	tok := clerkLike(t, "https://brave-otter-12.clerk.accounts.dev", time.Now())
	code, out, errs := runIn(t, root, "", "decode", tok)
	if code != exitAuthenticated || !strings.Contains(out, "provider: provider #1 of the project's auth config (oidc)") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runIn(t, root, "", "decode", clerkLike(t, "https://other-fox-1.clerk.accounts.dev", time.Now()))
	if code != exitAuthenticated || !strings.Contains(out, "no provider of the project's auth config matches iss") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// decode --verify gives the backend's view after the token's: a token from
// the loopback issuer is accepted (exit 0), an expired one refused with
// Convex's message (exit 1). With no project it says on stderr which
// issuer it will fetch, before fetching.
func TestDecodeVerify(t *testing.T) {
	dev := startIssuer(t)
	tok, err := dev.MintToken(dev.Users()[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runIn(t, t.TempDir(), "", "decode", tok, "--verify")
	if code != exitAuthenticated || !strings.Contains(out, "claims\n") || !strings.Contains(out, "the backend's view (--verify):") ||
		!strings.Contains(out, "verdict: isAuthenticated: true") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "checking the token against the issuer it names, "+dev.Issuer()) {
		t.Errorf("stderr does not announce the issuer fetch: %q", errs)
	}
	dev.SetFaults(devinstance.Faults{ClockOffset: -5 * time.Minute})
	old, err := dev.MintToken(dev.Users()[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ = runIn(t, t.TempDir(), old, "decode", "--verify", "-")
	msg := "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired."
	if code != exitRejected || !strings.Contains(out, "warning ["+diagnose.CodeTokenExpired+"]") || !strings.Contains(unwrap(out), msg) {
		t.Errorf("expired: exit %d, want 1\n%s", code, out)
	}
}

// With no project, the token's own issuer is all there is to ask: a plain
// http issuer that is not this machine is never fetched.
func TestGivenTokenIssuerMustBeHTTPS(t *testing.T) {
	iss, hits := countingIssuer(t) // http://127.0.0.1: loopback is allowed
	for _, c := range []struct {
		iss  string
		code int
		want string
	}{
		{"http://example.com", exitUsage, "authscope: the token's issuer http://example.com is not https: authscope fetches an issuer's keys over https only, or from this machine, so it will not ask it."},
		{"http://192.0.2.1:8080", exitUsage, "is not https"},
		{iss, exitRejected, "checking the token against the issuer it names, " + iss},
	} {
		tok := clerkLike(t, c.iss, time.Now())
		for _, args := range [][]string{{"check", "--token", "-"}, {"decode", "--verify", "-"}} {
			code, out, errs := runIn(t, t.TempDir(), tok, args...)
			if code != c.code || !strings.Contains(errs, c.want) {
				t.Errorf("%s %v: exit %d (want %d), stderr %q\n%s", c.iss, args, code, c.code, errs, out)
			}
		}
	}
	if hits.Load() == 0 {
		t.Error("the loopback issuer was never asked")
	}
}

// TestInterruptedStdinRead: Ctrl+C (here: the context ending) while
// authscope waits for a token on a pipe that never ends stops it with 130,
// for decode and for check.
func TestInterruptedStdinRead(t *testing.T) {
	for _, args := range [][]string{{"decode", "-"}, {"check", "--token", "-"}} {
		r, w := io.Pipe()
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		var out, errb bytes.Buffer
		code := run(ctx, args, r, &out, &errb)
		_ = w.Close()
		if code != exitInterrupted || !strings.Contains(errb.String(), "authscope: interrupted") {
			t.Errorf("%v: exit %d, stderr %q; want 130 and the word interrupted", args, code, errb.String())
		}
	}
}
