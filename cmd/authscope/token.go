package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/authscope/authscope/flow/convex/jose"
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
		in := env.stdin
		if f, ok := in.(*os.File); ok && term.IsTerminal(f.Fd()) {
			// A terminal: ask, and read one line rather than waiting for
			// an end of file nobody knows to type.
			fmt.Fprint(env.stderr, "Paste the token and press Enter: ")
			line, err := bufio.NewReader(io.LimitReader(f, jose.MaxSize+2)).ReadString('\n')
			if err != nil && err != io.EOF {
				return "", "", usagef("read the token: %v", err)
			}
			in = strings.NewReader(line)
		}
		b, err := readCapped(func() (io.ReadCloser, error) { return io.NopCloser(in), nil })
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
	b, err := io.ReadAll(io.LimitReader(r, jose.MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > jose.MaxSize {
		return nil, fmt.Errorf("more than %d bytes: that is not a JWT", jose.MaxSize)
	}
	return b, nil
}

func decode(ctx context.Context, o *options, env *environment) int {
	if len(o.args) == 1 {
		o.token = o.args[0]
	} else if o.token == "" && o.tokenFile == "" {
		o.token = "-"
	}
	return check(ctx, o, env)
}
