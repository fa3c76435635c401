package devinstance

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

// devBrowser is a dev browser and its client (clerk's SPEC.md "Dev
// browser"). Guarded by Instance.mu.
type devBrowser struct {
	id       string
	lastUsed time.Time
	client   *client
}

type client struct {
	id         string
	sessions   []*session // active sessions, oldest first
	lastActive string
	createdAt  time.Time
	updatedAt  time.Time
}

// route dispatches every path the instance serves.
func (d *Instance) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == clerk.PathDiscovery:
		d.serveDiscovery(w, r)
	case p == clerk.PathJWKS:
		d.serveJWKS(w, r)
	case p == "/v1" || strings.HasPrefix(p, "/v1/"):
		d.serveFAPI(w, r)
	case p == PathSignIn || p == PathSignIn+"/":
		d.serveSignInPage(w, r)
	case p == pathSignInJS || p == pathSignInCSS:
		d.serveAsset(w, r)
	case strings.HasPrefix(p, pathAvatars):
		d.serveAvatar(w, r)
	case strings.HasPrefix(p, pathNPM):
		d.serveScript(w, r)
	case p == "/favicon.ico":
		// Browsers ask for it on every page; an empty answer keeps their
		// logs free of a 404 that has nothing to do with the flow.
		setKind(w, KindAsset)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.WriteHeader(http.StatusNoContent)
	default:
		plainError(w, http.StatusNotFound, "not found: the demo instance serves the Frontend API (/v1/…), /.well-known/…, /sign-in and the ClerkJS script")
	}
}

// serveFAPI answers the Frontend API subset. Bodies are forms; verbs other
// than GET and POST may be tunnelled as _method (clerk's SPEC.md "Frontend
// API requests").
func (d *Instance) serveFAPI(w http.ResponseWriter, r *http.Request) {
	method := r.Method
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodDelete:
	default:
		methodNotAllowed(w, "GET, POST, DELETE")
		return
	}
	if method == http.MethodPost || method == http.MethodDelete {
		if err := r.ParseForm(); err != nil {
			bodyError(w, err)
			return
		}
		if m := strings.ToUpper(r.Form.Get(clerk.MethodParam)); m != "" && method == http.MethodPost {
			method = m
		}
	}
	if method == http.MethodHead {
		method = http.MethodGet
	}
	segs, ok := pathSegments(strings.TrimPrefix(r.URL.EscapedPath(), "/v1"))
	if !ok {
		writeErrors(w, http.StatusNotFound, notFoundError("The requested path is not a Frontend API path of this demo instance."))
		return
	}

	if d.production && r.Header.Get("Origin") != "" {
		writeErrors(w, http.StatusBadRequest, clerk.OriginInvalidError())
		return
	}

	// Endpoint table: kind, the method, and the handler.
	type endpoint struct {
		kind   RequestKind
		method string
		serve  func(http.ResponseWriter, *http.Request, *devBrowser, []string)
	}
	var ep endpoint
	switch {
	case match(segs, "dev_browser"):
		setKind(w, KindDevBrowser)
		if method != http.MethodPost {
			methodNotAllowed(w, "POST")
			return
		}
		d.createDevBrowser(w)
		return
	case match(segs, "environment"):
		ep = endpoint{KindEnvironment, http.MethodGet, d.serveEnvironment}
		// ClerkJS touches the environment on load in development, with
		// POST ?_method=PATCH (SPEC.md "What ClerkJS 6.40.0 sends").
		if method == http.MethodPatch {
			ep.method = method
		}
	case match(segs, "client"):
		ep = endpoint{KindClient, http.MethodGet, d.serveClient}
	case match(segs, "client", "sign_ins"):
		ep = endpoint{KindSignIn, http.MethodPost, d.serveSignIns}
	case match(segs, "client", "sessions"):
		ep = endpoint{KindSignOut, http.MethodDelete, d.serveSignOut}
	case match(segs, "client", "sessions", "*", "tokens"):
		ep = endpoint{KindSessionToken, http.MethodPost, d.serveToken}
	case match(segs, "client", "sessions", "*", "tokens", "*"):
		ep = endpoint{KindTemplateToken, http.MethodPost, d.serveToken}
	case match(segs, "client", "sessions", "*", "touch"), match(segs, "client", "sessions", "*", "remove"):
		ep = endpoint{KindSession, http.MethodPost, d.serveSessionAction}
	default:
		writeErrors(w, http.StatusNotFound, notFoundError("The requested path is not a Frontend API path of this demo instance."))
		return
	}
	setKind(w, ep.kind)
	if method != ep.method {
		methodNotAllowed(w, ep.method)
		return
	}
	db := d.lookupDevBrowser(devBrowserOf(r))
	if db == nil {
		writeErrors(w, http.StatusUnauthorized, clerk.DevBrowserUnauthenticatedError())
		return
	}
	ep.serve(w, r, db, segs)
}

// pathSegments splits an escaped path into unescaped segments.
func pathSegments(escaped string) ([]string, bool) {
	escaped = strings.Trim(escaped, "/")
	if escaped == "" {
		return nil, true
	}
	parts := strings.Split(escaped, "/")
	for i, p := range parts {
		u, err := url.PathUnescape(p)
		if err != nil || u == "" {
			return nil, false
		}
		parts[i] = u
	}
	return parts, true
}

// match compares segments with a pattern where "*" is any one segment.
func match(segs []string, pattern ...string) bool {
	if len(segs) != len(pattern) {
		return false
	}
	for i, p := range pattern {
		if p != "*" && p != segs[i] {
			return false
		}
	}
	return true
}

func (d *Instance) createDevBrowser(w http.ResponseWriter) {
	now := d.now()
	db := &devBrowser{id: newID("dvb"), lastUsed: now,
		client: &client{id: newID("client"), createdAt: now, updatedAt: now}}
	d.mu.Lock()
	if len(d.devBrowsers) >= maxDevBrowsers {
		var oldest *devBrowser
		for _, x := range d.devBrowsers {
			if oldest == nil || x.lastUsed.Before(oldest.lastUsed) {
				oldest = x
			}
		}
		d.dropDevBrowserLocked(oldest)
	}
	d.devBrowsers[db.id] = db
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, clerk.DevBrowserJSON{Object: "dev_browser", ID: db.id})
}

func (d *Instance) dropDevBrowserLocked(db *devBrowser) {
	for _, s := range db.client.sessions {
		delete(d.sessions, s.id)
	}
	delete(d.devBrowsers, db.id)
}

// devBrowserOf reads the dev browser of a request: the __clerk_db_jwt query
// parameter ClerkJS appends to every call, else the cookie of that name
// (or its suffixed form, __clerk_db_jwt_<key suffix>) that a page on the
// instance's own host sends (SPEC.md "Dev browser").
func devBrowserOf(r *http.Request) string {
	if id := r.URL.Query().Get(clerk.DevBrowserParam); id != "" {
		return id
	}
	for _, c := range r.Cookies() {
		if c.Name == clerk.DevBrowserParam || strings.HasPrefix(c.Name, clerk.DevBrowserParam+"_") {
			return c.Value
		}
	}
	return ""
}

func (d *Instance) lookupDevBrowser(id string) *devBrowser {
	if id == "" {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	db := d.devBrowsers[id]
	if db != nil {
		db.lastUsed = d.now()
	}
	return db
}

func (d *Instance) serveEnvironment(w http.ResponseWriter, _ *http.Request, _ *devBrowser, _ []string) {
	f := d.Faults()
	if failing(f.EnvironmentStatus) {
		writeErrors(w, f.EnvironmentStatus, faultError(f.EnvironmentStatus))
		return
	}
	env := d.environment()
	if f.SignInURL != "" {
		env.DisplayConfig.SignInURL = f.SignInURL
	}
	writeJSON(w, http.StatusOK, env)
}

func (d *Instance) environment() clerk.EnvironmentJSON {
	return clerk.EnvironmentJSON{
		Object: "environment", ID: "env_" + strings.TrimPrefix(d.instanceID, "ins_"),
		AuthConfig: map[string]any{"object": "auth_config", "single_session_mode": true},
		DisplayConfig: clerk.DisplayConfigJSON{
			Object: "display_config", ID: "display_config_" + strings.TrimPrefix(d.instanceID, "ins_"),
			InstanceEnvironmentType: string(clerk.InstanceDevelopment), ApplicationName: "authscope demo",
			SignInURL: d.SignInURL(), SignUpURL: d.SignInURL(), PreferredSignInStrategy: clerk.DemoSignInStrategy,
		},
		UserSettings: map[string]any{
			"attributes": map[string]any{
				"email_address": map[string]any{"enabled": true, "required": false, "used_for_first_factor": true},
				"username":      map[string]any{"enabled": true, "required": false, "used_for_first_factor": true},
			},
		},
		OrganizationSettings: map[string]any{"enabled": false},
	}
}
