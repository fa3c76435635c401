package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/authscope/authscope/flow/token"
)

// readToken reads --token (or - for stdin) or --token-file.
func readToken(o *options, env *environment) (string, string, error) {
	switch {
	case o.tokenFile != "":
		b, err := readCapped(func() (io.ReadCloser, error) { return os.Open(o.tokenFile) })
		if err != nil {
			return "", "", usagef("read --token-file: %v", err)
		}
		return strings.TrimSpace(string(b)), o.tokenFile, nil
	case o.token == "-":
		b, err := readCapped(func() (io.ReadCloser, error) { return io.NopCloser(env.stdin), nil })
		if err != nil {
			return "", "", usagef("read the token from stdin: %v", err)
		}
		t := strings.TrimSpace(string(b))
		if t == "" {
			return "", "", usagef("no token on stdin: pipe one in, e.g. pbpaste | authscope check --token -")
		}
		return t, "stdin", nil
	}
	return strings.TrimSpace(o.token), "--token", nil
}

func readCapped(open func() (io.ReadCloser, error)) ([]byte, error) {
	r, err := open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, token.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > token.MaxSize {
		return nil, fmt.Errorf("more than %d bytes: that is not a JWT", token.MaxSize)
	}
	return b, nil
}

func decode(ctx context.Context, o *options, env *environment) int {
	if len(o.args) == 1 {
		o.token = o.args[0]
	} else if o.token == "" && o.tokenFile == "" {
		if f, ok := env.stdin.(*os.File); ok && term.IsTerminal(f.Fd()) {
			// Reading a terminal would wait for input nobody knows to type.
			return fail(env, usagef("decode needs a token: authscope decode TOKEN, or pipe one in (pbpaste | authscope decode)"))
		}
		o.token = "-"
	}
	return check(ctx, o, env)
}
