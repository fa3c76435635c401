package project

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Size caps for the files read: config files are small, and a huge or
// endless file (a FIFO, /dev/zero behind a symlink) must not exhaust memory.
const (
	maxAuthConfig  = 1 << 20
	maxDotenv      = 1 << 20
	maxPackageJSON = 4 << 20
	maxConvexJSON  = 1 << 20
	maxSourceScan  = 256 << 10
)

// Find walks up from start to the first folder that holds the Convex
// functions directory: `convex/`, or the folder convex.json names in
// "functions". ok is false when no folder up to the file-system root
// does. A `convex` folder directly under node_modules (the npm package) is
// not a project.
func Find(start string) (root string, ok bool) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", false
	}
	for {
		if fd, err := functionsDir(dir); err == nil {
			return ownerOf(dir, filepath.Join(dir, fd)), true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// ownerOf returns the ancestor of dir whose convex.json names functions as
// its functions directory (a project with "functions": "src/convex/" seen
// from inside src/), else dir.
func ownerOf(dir, functions string) string {
	for a := filepath.Dir(dir); ; a = filepath.Dir(a) {
		if fd, err := functionsDir(a); err == nil && filepath.Join(a, fd) == functions {
			return a
		}
		if filepath.Dir(a) == a {
			return dir
		}
	}
}

// functionsDir returns the project's functions directory relative to root
// (normally "convex"), honouring convex.json's "functions" setting.
func functionsDir(root string) (string, error) {
	if filepath.Base(root) == "node_modules" {
		return "", fmt.Errorf("%s is a node_modules folder", root)
	}
	rel := "convex"
	if data, err := readCapped(filepath.Join(root, "convex.json"), maxConvexJSON); err == nil {
		var cfg struct {
			Functions string `json:"functions"`
		}
		if json.Unmarshal(data, &cfg) == nil && cfg.Functions != "" && filepath.IsLocal(filepath.FromSlash(cfg.Functions)) {
			rel = filepath.Clean(filepath.FromSlash(cfg.Functions))
		}
	}
	fi, err := os.Stat(filepath.Join(root, rel))
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s is not a directory", filepath.Join(root, rel))
	}
	return rel, nil
}

// errNotRegular is a path that exists but is not a regular file (a
// directory, a FIFO, a device).
var errNotRegular = errors.New("not a regular file")

// errTooLarge is a file over the cap readCapped was given.
var errTooLarge = errors.New("file too large")

// readCapped reads a regular file up to max bytes; a larger file is an
// error rather than silently cut.
func readCapped(path string, max int64) ([]byte, error) {
	// Stat before opening: opening a FIFO for reading would block.
	if fi, err := os.Stat(path); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, errNotRegular)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, errNotRegular)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes: %w", path, max, errTooLarge)
	}
	return data, nil
}
