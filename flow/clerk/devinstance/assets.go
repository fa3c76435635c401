package devinstance

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
)

//go:embed assets/clerk.browser.js assets/signin.js assets/signin.css assets/signin.html assets/refused.html assets/demo-keys.pem
var assetFS embed.FS

// BrowserScript is assets/clerk.browser.js, the stand-in for ClerkJS the
// dev instance serves.
func BrowserScript() []byte { return mustAsset("assets/clerk.browser.js") }

func mustAsset(name string) []byte {
	b, err := assetFS.ReadFile(name)
	if err != nil {
		panic("devinstance: embedded asset missing: " + name) // a build error, not a runtime one
	}
	return b
}

type asset struct {
	body        []byte
	contentType string
	etag        string
}

func newAsset(name, contentType string) asset {
	b := mustAsset(name)
	sum := sha256.Sum256(b)
	return asset{body: b, contentType: contentType, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}

var (
	scriptAsset    = newAsset("assets/clerk.browser.js", "text/javascript; charset=utf-8")
	signInJSAsset  = newAsset("assets/signin.js", "text/javascript; charset=utf-8")
	signInCSSAsset = newAsset("assets/signin.css", "text/css; charset=utf-8")

	signInTemplate  = template.Must(template.New("signin").Parse(string(mustAsset("assets/signin.html"))))
	refusedTemplate = template.Must(template.New("refused").Parse(string(mustAsset("assets/refused.html"))))
)
