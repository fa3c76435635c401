package project

import (
	"path/filepath"
	"testing"
)

// BenchmarkReadAuthConfig is the reader alone on a typical config (the
// Vite + React template's, with the provider in): esbuild bundles it, goja
// evaluates it.
func BenchmarkReadAuthConfig(b *testing.B) {
	root, err := filepath.Abs(filepath.Join("testdata", "vite-react"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadAuthConfig(root, "convex/auth.config.ts", noEnv); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad is the whole reading of a typical project: dotenv files,
// package.json, the auth config (evaluated twice: the second time checks
// the issuer derived from the publishable key) and the findings.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(filepath.Join("testdata", "vite-react"), nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadFreshTemplate reads the template as shipped, with its
// provider commented out (read a second time, from the comment).
func BenchmarkLoadFreshTemplate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(filepath.Join("testdata", "fresh-template"), nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
