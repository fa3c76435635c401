package project

import (
	"os"
	"path/filepath"
	"testing"
)

func mkdirs(t *testing.T, root string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFind(t *testing.T) {
	tmp := t.TempDir()
	app := filepath.Join(tmp, "app")
	mkdirs(t, app, "convex/_generated", "src/components", "node_modules/convex/dist")
	// A folder named convex that is a file, not a directory, does not count.
	writeFile(t, filepath.Join(tmp, "other", "convex"), "")
	mkdirs(t, tmp, "other/sub")
	// convex.json may move the functions directory.
	custom := filepath.Join(tmp, "custom")
	writeFile(t, filepath.Join(custom, "convex.json"), `{"functions": "src/convex/"}`)
	mkdirs(t, custom, "src/convex", "src/pages")

	tests := []struct {
		start string
		root  string
		ok    bool
	}{
		{app, app, true},
		{filepath.Join(app, "src", "components"), app, true},
		{filepath.Join(app, "convex"), app, true},
		{filepath.Join(app, "convex", "_generated"), app, true},
		{filepath.Join(app, "node_modules", "convex", "dist"), app, true},
		{filepath.Join(tmp, "other", "sub"), "", false},
		{filepath.Join(custom, "src", "pages"), custom, true},
	}
	for _, tt := range tests {
		root, ok := Find(tt.start)
		if root != tt.root || ok != tt.ok {
			t.Errorf("Find(%s) = %q, %v; want %q, %v", tt.start, root, ok, tt.root, tt.ok)
		}
	}
}

func TestFindRelative(t *testing.T) {
	root, ok := Find(filepath.Join("testdata", "vite-react", "src"))
	want, _ := filepath.Abs(filepath.Join("testdata", "vite-react"))
	if !ok || root != want {
		t.Errorf("Find = %q, %v; want %q", root, ok, want)
	}
}

func TestLoadCustomFunctionsDir(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "convex.json"), `{"functions": "src/convex/"}`)
	writeFile(t, filepath.Join(root, "src", "convex", "auth.config.ts"), `export default { providers: [{ domain: "https://a.example.com", applicationID: "convex" }] };`)
	p, err := Load(root, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.FunctionsDir != "src/convex" || p.AuthConfigName() != "src/convex/auth.config.ts" || len(p.Config.Providers) != 1 {
		t.Errorf("FunctionsDir %q, auth config %q, providers %d", p.FunctionsDir, p.AuthConfigName(), len(p.Config.Providers))
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(t.TempDir(), nil, nil); err == nil {
		t.Error("Load of a folder without convex/ succeeded")
	}
	root := t.TempDir()
	mkdirs(t, root, "convex")
	big := make([]byte, maxAuthConfig+1)
	writeFile(t, filepath.Join(root, "convex", "auth.config.ts"), string(big))
	if _, err := Load(root, nil, nil); err == nil {
		t.Error("Load of an oversized auth.config.ts succeeded")
	}
}

func TestLoadSkipsDotenvDirectory(t *testing.T) {
	root := t.TempDir()
	mkdirs(t, root, "convex", ".env/bin")
	writeFile(t, filepath.Join(root, ".env.local"), "CONVEX_DEPLOYMENT=dev:happy-animal-123\n")
	p, err := Load(root, nil, nil)
	if err != nil {
		t.Fatalf("a .env virtualenv folder made Load fail: %v", err)
	}
	if len(p.EnvFiles) != 1 || p.EnvFiles[0] != ".env.local" {
		t.Errorf("EnvFiles %v", p.EnvFiles)
	}
}
