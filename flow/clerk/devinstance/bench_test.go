package devinstance

import (
	"context"
	"testing"

	"github.com/authscope/authscope/flow/clerk"
)

func BenchmarkMintSessionToken(b *testing.B) {
	d, err := New(Options{IntegrationOn: true})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	for b.Loop() {
		if _, err := d.MintToken(DemoUserAda, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMintTemplateToken(b *testing.B) {
	d, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	for b.Loop() {
		if _, err := d.MintToken(DemoUserAda, clerk.ConvexTemplateName); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetTokenOverHTTP is one skipCache getToken round trip over
// loopback HTTP: request, mint, answer, parse.
func BenchmarkGetTokenOverHTTP(b *testing.B) {
	d, err := New(Options{IntegrationOn: true})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := d.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	c := clerk.NewFAPIClient(d.Issuer(), nil, landing)
	if _, err := c.Load(ctx, landing+"/"); err != nil {
		b.Fatal(err)
	}
	ret, err := clerk.AutoSignIn(ctx, nil, c.RedirectToSignInURL(landing+"/"), DemoUserAda)
	if err != nil {
		b.Fatal(err)
	}
	st, err := c.Load(ctx, ret)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.GetToken(ctx, st.SessionID, "", true); err != nil {
			b.Fatal(err)
		}
	}
}
