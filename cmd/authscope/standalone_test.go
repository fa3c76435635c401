package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepositoryStandsOnItsOwn fails when a file of the repository (code,
// comments, docs, assets, goldens) points at the notes and design documents
// the project was started from, which are not part of it: every fact the
// code rests on is written down in a SPEC.md beside that code, with public
// links, and everything shown to users links public docs.
func TestRepositoryStandsOnItsOwn(t *testing.T) {
	root := filepath.Join("..", "..")
	// Spelled in pieces so that this file does not match itself.
	banned := []string{
		"reference" + "/convex.md", "reference" + "/clerk.md",
		"reference" + "/peers-and-security.md", "reference" + "/style.md",
		"DESIGN" + ".md", "../" + "shared/",
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil || !info.Mode().IsRegular() || info.Size() > 8<<20 {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(b)
		for _, s := range banned {
			if i := strings.Index(text, s); i >= 0 {
				line := strings.Count(text[:i], "\n") + 1
				t.Errorf("%s:%d mentions %q, a document that is not in this repository", path, line, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
