package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/authscope/authscope/flow/convex/jose"
)

// readToken reads the given token: decode's argument, --token (- for
// stdin) or --token-file, and returns it with where it came from.
func readToken(ctx context.Context, o *options, env *environment) (string, string, error) {
	switch {
	case o.tokenFile != "":
		b, err := readCapped(func() (io.ReadCloser, error) { return os.Open(o.tokenFile) })
		if err != nil {
			return "", "", usagef("read --token-file: %v", err)
		}
		return cleanToken(string(b)), o.tokenFile, nil
	case o.token == "-":
		t, err := readStdinToken(ctx, env)
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

// errInterrupted ends a command stopped by Ctrl+C (SIGINT) or SIGTERM
// before its run started, for example at the token prompt.
var errInterrupted = errors.New("interrupted")

// readStdinToken reads the token from stdin. On a terminal it asks for it
// and reads one line without echo: a token is a credential, and it should
// not stay on the screen or in the scrollback. Ctrl+C at the prompt, or on
// a pipe that never ends, stops it (errInterrupted).
func readStdinToken(ctx context.Context, env *environment) (string, error) {
	if stdinTerminal(env) {
		f := env.stdin.(*os.File)
		fmt.Fprint(env.stderr, "Paste the token and press Enter (it is not shown): ")
		// ReadPassword turns echo off until it returns; an interrupted
		// prompt must turn it back on itself.
		saved, _ := term.GetState(f.Fd())
		line, err := whileRunning(ctx, func() ([]byte, error) { return term.ReadPassword(f.Fd()) })
		if errors.Is(err, errInterrupted) && saved != nil {
			_ = term.Restore(f.Fd(), saved)
		}
		fmt.Fprintln(env.stderr)
		switch {
		case errors.Is(err, errInterrupted):
			return "", err
		case err != nil:
			return "", usagef("read the token: %v", err)
		case len(line) > jose.MaxSize:
			return "", usagef("read the token: more than %d bytes: that is not a JWT", jose.MaxSize)
		}
		return cleanToken(string(line)), nil
	}
	b, err := whileRunning(ctx, func() ([]byte, error) {
		return readCapped(func() (io.ReadCloser, error) { return io.NopCloser(env.stdin), nil })
	})
	switch {
	case errors.Is(err, errInterrupted):
		return "", err
	case err != nil:
		return "", usagef("read the token from stdin: %v", err)
	}
	return cleanToken(string(b)), nil
}

// whileRunning returns what read returns, or errInterrupted as soon as ctx
// ends. A read of a terminal or a pipe cannot be cancelled: it is left
// blocked, and the process exits right after.
func whileRunning(ctx context.Context, read func() ([]byte, error)) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := read()
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		return nil, errInterrupted
	}
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
