package diagnose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authscope/authscope/flow/untrusted"
)

// FuzzProject reads hostile project files and draws the static findings
// from them: no finding may carry a raw control character to the terminal.
func FuzzProject(f *testing.F) {
	env := "CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: x\nVITE_CLERK_PUBLISHABLE_KEY=pk_test_YnJhdmUtb3R0ZXItMTIuY2xlcmsuYWNjb3VudHMuZGV2JA\nCLERK_JWT_ISSUER_DOMAIN=https://a.example.com/\n"
	files, _ := filepath.Glob(filepath.Join(fixtures, "*", "convex", "auth.config.*"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data), env, `{"dependencies": {"next": "16"}}`)
	}
	f.Add("export default { providers: [{ domain: process.env[\"\\u001b[31m\"], applicationID: \"\\u202e\" }] };", "\x1b[31m=\x07\nVITE_CLERK_PUBLISHABLE_KEY=pk_live_\u202e", `{}`)
	f.Add("/* {\n domain: \"\x1b]0;x\x07\",\n */ export default { providers: [] };", "CLERK_X=\u200b", "\x00")
	f.Fuzz(func(t *testing.T, config, dotenv, pkg string) {
		root := writeProject(t, map[string]string{"convex/auth.config.ts": config, ".env.local": dotenv, "package.json": pkg})
		for _, fd := range all(load(t, root, nil, nil)) {
			for _, s := range strings.Split(text(fd), "\n") {
				if strings.ContainsFunc(s, func(r rune) bool {
					return r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f || untrusted.Invisible(r)
				}) {
					t.Fatalf("finding %s carries a raw control character: %q", fd.Code, s)
				}
			}
		}
	})
}
