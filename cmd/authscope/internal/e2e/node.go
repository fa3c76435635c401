package e2e

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// NodeDir is cmd/authscope/testdata/node, the one pinned test-only Node
// package that holds every real peer (convex, ws, @clerk/clerk-js,
// @clerk/react, react, react-dom, esbuild). It ends the test through
// Missing when node is not installed or the packages are not (npm ci).
func NodeDir(t testing.TB) string {
	t.Helper()
	Require(t, "node", "apt-get install -y nodejs npm")
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the e2e package's source")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "node")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err != nil {
		Missing(t, "the pinned Node packages are not installed", "run npm ci in "+dir)
	}
	return dir
}

// NodeModule is the path of a file inside an installed package of NodeDir,
// such as NodeModule(t, "@clerk/clerk-js/dist").
func NodeModule(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(NodeDir(t), "node_modules", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		Missing(t, "the pinned Node packages lack "+rel, "run npm ci in "+NodeDir(t))
	}
	return p
}
