// Command authscope inspects the Clerk → Convex authentication handshake:
// it runs the sign-in and the eight steps of Convex's Clerk guide and says
// why isAuthenticated is false when it is.
//
// This package only parses flags, resolves the configuration, wires the
// parts together and decides the exit status; the logic lives in flow,
// oauthloop and tui.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/authscope/authscope/flow/untrusted"
)

// memoryLimit is the Go runtime's soft memory limit. What a deployment
// sends is bounded (frame headers checked, logs capped), but a server that
// floods small messages makes garbage faster than the collector's pace
// returns it; with the limit the collector works harder instead of letting
// the process grow. GOMEMLIMIT in the environment overrides it.
const memoryLimit = 40 << 20

func main() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Every line authscope writes to stderr is escaped and cut: errors quote
// files, servers, flags and the environment.
const (
	maxErrLine  = 1000
	maxErrLines = 40
)

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &environment{stdin: stdin, stdout: stdout, stderr: stderr, stderrTTY: isTerminal(stderr), getenv: os.LookupEnv, getwd: os.Getwd}
	return execute(ctx, args, env)
}

// execute parses the command line and runs the command in env. Everything
// written to env.stderr is escaped and cut from here on.
func execute(ctx context.Context, args []string, env *environment) int {
	if _, ok := env.stderr.(*untrusted.Writer); !ok {
		env.stderr = untrusted.NewWriter(env.stderr, maxErrLine)
	}
	o, err := parseArgs(args, env.stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitAuthenticated
	}
	if err != nil {
		printErr(env.stderr, err)
		return exitUsage
	}
	stdout := env.stdout
	if o.version {
		return printVersion(stdout)
	}
	switch o.command {
	case "version":
		return printVersion(stdout)
	case "scenarios":
		return listScenarios(stdout)
	case "check":
		return check(ctx, o, env)
	case "decode":
		return decode(ctx, o, env)
	}
	return interactive(ctx, o, env)
}

// environment is what the process gives the command; tests replace it.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) (string, bool)
	getwd          func() (string, error)
	// isTerminal reports whether stdout is a terminal (nil: detect).
	isTerminal func() bool
	// stderrTTY is true when stderr is a terminal a person reads.
	stderrTTY bool
	// stepTimeout bounds each network step (0: the runner's 30 s); tests
	// shorten it.
	stepTimeout time.Duration
}

// printErr prints an error, escaped and cut: errors can quote files,
// servers, flags, the environment and tokens.
func printErr(w io.Writer, err error) {
	fmt.Fprintf(w, "authscope: %s\n", untrusted.Lines(err.Error(), maxErrLine, maxErrLines))
}

// fail prints an error and returns the exit status it deserves.
func fail(env *environment, err error) int {
	printErr(env.stderr, err)
	if errors.Is(err, errInterrupted) {
		return exitInterrupted
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitRejected
}
