package project

import (
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkParseAuthConfig(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "fresh-template", "convex", "auth.config.ts"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseAuthConfig("convex/auth.config.ts", src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(filepath.Join("testdata", "vite-react"), nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
