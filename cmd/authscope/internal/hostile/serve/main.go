// Command serve starts one misbehaving deployment (see package hostile)
// and an embedded Clerk-like issuer, prints the deployment URL, and keeps
// a fresh token from the issuer in a file, so the built binary can be run
// against it by hand:
//
//	go run ./cmd/authscope/internal/hostile/serve -token-file /tmp/tok chunk-flood
//	/usr/bin/time -v authscope check --token-file /tmp/tok --deployment http://127.0.0.1:PORT
//
// It runs until interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/authscope/authscope/cmd/authscope/internal/hostile"
	"github.com/authscope/authscope/flow/clerk/devinstance"
)

func main() {
	tokenFile := flag.String("token-file", "", "write a fresh token from the issuer here every 20 s")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: serve [-token-file FILE] BEHAVIOUR\nbehaviours: %v\n", hostile.All)
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, hostile.Behaviour(flag.Arg(0)), *tokenFile); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

func serve(ctx context.Context, b hostile.Behaviour, tokenFile string) error {
	s, err := hostile.Start(b)
	if err != nil {
		return err
	}
	defer s.Close()
	dev, err := devinstance.New(devinstance.Options{IntegrationOn: true})
	if err != nil {
		return err
	}
	if err := dev.Start(ctx); err != nil {
		return err
	}
	defer dev.Close()
	fmt.Println(s.URL)
	for {
		if tokenFile != "" {
			tok, err := dev.MintToken(dev.Users()[0].ID, "")
			if err != nil {
				return err
			}
			if err := os.WriteFile(tokenFile, []byte(tok), 0o600); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(20 * time.Second):
		}
	}
}
