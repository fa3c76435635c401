package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/authscope/authscope/flow/convex/jose"
	"github.com/authscope/authscope/flow/provider"
)

// readToken reads the given token: decode's argument, --token (- for
// stdin) or --token-file, and returns it with where it came from.
func readToken(o *options, env *environment) (string, string, error) {
	switch {
	case o.tokenFile != "":
		b, err := readCapped(func() (io.ReadCloser, error) { return os.Open(o.tokenFile) })
		if err != nil {
			return "", "", usagef("read --token-file: %v", err)
		}
		return cleanToken(string(b)), o.tokenFile, nil
	case o.token == "-":
		t, err := readStdinToken(env)
		if err != nil {
			return "", "", err
		}
		if t == "" {
			hint := "pbpaste | authscope check --token -"
			if o.command == "decode" {
				hint = "pbpaste | authscope decode -"
			}
			return "", "", usagef("no token on stdin: pipe one in, e.g. %s", hint)
		}
		return t, "stdin", nil
	}
	if !o.tokenWarned {
		// A token on the command line lands in the shell's history and,
		// while authscope runs, in /proc/<pid>/cmdline for every local user.
		o.tokenWarned = true
		fmt.Fprintln(env.stderr, "authscope: warning: a token on the command line is kept in your shell history and visible to other users of this machine while authscope runs; use --token - (stdin) or --token-file FILE")
	}
	return cleanToken(o.token), orDefault(o.tokenLabel, "--token"), nil
}

// stdinTerminal reports whether stdin is a terminal a token can be typed
// (pasted) into.
func stdinTerminal(env *environment) bool {
	f, ok := env.stdin.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// tokenProvider is the sign-in provider a token's issuer names, or "".
func tokenProvider(tok string) provider.ID {
	d, err := jose.Decode(tok)
	if err != nil {
		return ""
	}
	return provider.IssuerProvider(d.String("iss"))
}

// readStdinToken reads the token from stdin. On a terminal it asks for it
// and reads one line without echo: a token is a credential, and it should
// not stay on the screen or in the scrollback.
func readStdinToken(env *environment) (string, error) {
	if stdinTerminal(env) {
		f := env.stdin.(*os.File)
		fmt.Fprint(env.stderr, "Paste the token and press Enter (it is not shown): ")
		line, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(env.stderr)
		if err != nil {
			return "", usagef("read the token: %v", err)
		}
		if len(line) > jose.MaxSize {
			return "", usagef("read the token: more than %d bytes: that is not a JWT", jose.MaxSize)
		}
		return cleanToken(string(line)), nil
	}
	b, err := readCapped(func() (io.ReadCloser, error) { return io.NopCloser(env.stdin), nil })
	if err != nil {
		return "", usagef("read the token from stdin: %v", err)
	}
	return cleanToken(string(b)), nil
}

func readCapped(open func() (io.ReadCloser, error)) ([]byte, error) {
	r, err := open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, jose.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > jose.MaxSize {
		return nil, fmt.Errorf("more than %d bytes: that is not a JWT", jose.MaxSize)
	}
	return b, nil
}

// cleanToken takes a token as people paste it: with surrounding
// whitespace or quotes, as a JSON string, after "Bearer " or a whole
// "Authorization: Bearer …" header line.
func cleanToken(s string) string {
	for {
		before := s
		s = strings.TrimSpace(s)
		s = unquote(s)
		s = trimPrefixFold(s, "Authorization:")
		s = trimPrefixFold(strings.TrimSpace(s), "Bearer ")
		if s == before {
			return s
		}
	}
}

// unquote removes one pair of surrounding quotes; a double-quoted value is
// read as a JSON string, so escapes such as \/ come out right.
func unquote(s string) string {
	if len(s) < 2 {
		return s
	}
	switch first, last := s[0], s[len(s)-1]; {
	case first == '"' && last == '"':
		var v string
		if json.Unmarshal([]byte(s), &v) == nil {
			return v
		}
		return s[1 : len(s)-1]
	case first == last && (first == '\'' || first == '`'):
		return s[1 : len(s)-1]
	}
	return s
}

func trimPrefixFold(s, prefix string) string {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):]
	}
	return s
}
