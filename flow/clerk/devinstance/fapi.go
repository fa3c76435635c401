package devinstance

import (
	"github.com/authscope/authscope/flow/clerk"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// devBrowser is a dev-browser and its client (reference/clerk.md §1.3).
// Guarded by DevInstance.mu.
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
// than GET and POST may be tunnelled as _method (reference/clerk.md §3.1).
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

	// Endpoint table: kind, the one method, and the handler.
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
	db := d.lookupDevBrowser(r.URL.Query().Get(clerk.DevBrowserParam))
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
	writeJSON(w, http.StatusOK, d.environment())
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

// clientView is a client's state copied under the lock, with the token
// inputs for each active session.
type clientView struct {
	c      client
	active []sessionView
}

type sessionView struct {
	s    session
	user clerk.User
	in   mintInput
	err  error
}

func (d *Instance) viewLocked(c *client, origin string) clientView {
	v := clientView{c: *c}
	v.c.sessions = nil
	for _, s := range c.sessions {
		u := d.userByID[s.userID]
		in, err := d.mintInputLocked(u, s, "", origin)
		v.active = append(v.active, sessionView{s: *s, user: u, in: in, err: err})
	}
	return v
}

// clientJSON renders a view, minting each session's last_active_token
// outside the lock as the Frontend API does on every client answer.
func (d *Instance) clientJSON(v clientView) *clerk.ClientJSON {
	now := d.now()
	// sign_in is null: a completed sign-in is not kept on the client.
	cj := &clerk.ClientJSON{Object: "client", ID: v.c.id, Sessions: []clerk.SessionJSON{},
		LastActiveSessionID: strPtr(v.c.lastActive), CreatedAt: ms(v.c.createdAt), UpdatedAt: ms(v.c.updatedAt)}
	for _, sv := range v.active {
		cj.Sessions = append(cj.Sessions, d.sessionJSON(sv, now))
	}
	return cj
}

func (d *Instance) sessionJSON(sv sessionView, now time.Time) clerk.SessionJSON {
	s := sv.s
	sj := clerk.SessionJSON{
		Object: "session", ID: s.id, Status: s.status,
		ExpireAt: ms(s.createdAt.Add(7 * 24 * time.Hour)), AbandonAt: ms(s.createdAt.Add(30 * 24 * time.Hour)),
		LastActiveAt: ms(s.lastActiveAt), User: userJSON(sv.user, d.createdAt),
		PublicUserData: &clerk.PublicUserDataJSON{FirstName: strPtr(sv.user.FirstName), LastName: strPtr(sv.user.LastName),
			ImageURL: sv.user.ImageURL, HasImage: sv.user.ImageURL != "", Identifier: sv.user.Email},
		FactorVerificationAge: []int64{int64(now.Sub(s.createdAt) / time.Minute), -1},
		CreatedAt:             ms(s.createdAt), UpdatedAt: ms(s.lastActiveAt),
	}
	if s.status == "active" && sv.err == nil {
		if jwt, err := mint(sv.in, now); err == nil {
			sj.LastActiveToken = &clerk.TokenJSON{Object: "token", JWT: jwt}
		}
	}
	return sj
}

func (d *Instance) serveClient(w http.ResponseWriter, r *http.Request, db *devBrowser, _ []string) {
	d.mu.Lock()
	v := d.viewLocked(db.client, r.Header.Get("Origin"))
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, clerk.Envelope[*clerk.ClientJSON]{Response: d.clientJSON(v)})
}

// serveSignIns signs a demo user in with strategy=demo_user and
// identifier=<user id, email or username>. The instance is in
// single-session mode: a new sign-in ends the client's other sessions.
func (d *Instance) serveSignIns(w http.ResponseWriter, r *http.Request, db *devBrowser, _ []string) {
	strategy := r.PostForm.Get(clerk.StrategyField)
	ident := r.PostForm.Get(clerk.IdentifierField)
	switch {
	case strategy == "":
		writeErrors(w, http.StatusUnprocessableEntity, formMissing(clerk.StrategyField))
		return
	case strategy != clerk.DemoSignInStrategy:
		writeErrors(w, http.StatusUnprocessableEntity, clerk.APIError{Message: "is invalid",
			LongMessage: "strategy does not match one of the allowed values for parameter strategy: " + clerk.DemoSignInStrategy,
			Code:        clerk.CodeFormParamInvalid, Meta: map[string]any{"param_name": clerk.StrategyField}})
		return
	case ident == "":
		writeErrors(w, http.StatusUnprocessableEntity, formMissing(clerk.IdentifierField))
		return
	}
	u, ok := d.findUser(ident)
	if !ok {
		writeErrors(w, http.StatusUnprocessableEntity, clerk.APIError{Message: "Couldn't find your account.",
			LongMessage: "Couldn't find your account.", Code: clerk.CodeIdentifierNotFound,
			Meta: map[string]any{"param_name": clerk.IdentifierField}})
		return
	}
	now := d.now()
	d.mu.Lock()
	c := db.client
	for _, old := range c.sessions {
		old.status = "ended"
		delete(d.sessions, old.id)
	}
	s := &session{id: newID("sess"), userID: u.ID, clientID: c.id, status: "active", createdAt: now, lastActiveAt: now}
	d.sessions[s.id] = s
	c.sessions = []*session{s}
	c.lastActive = s.id
	c.updatedAt = now
	sid := s.id
	signIn := &clerk.SignInJSON{Object: "sign_in_attempt", ID: newID("sia"), Status: "complete",
		SupportedIdentifiers: []string{"email_address", "username"}, Identifier: ident,
		CreatedSessionID: &sid, AbandonAt: ms(now.Add(24 * time.Hour))}
	v := d.viewLocked(c, r.Header.Get("Origin"))
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, clerk.Envelope[*clerk.SignInJSON]{Response: signIn, Client: d.clientJSON(v)})
}

func formMissing(param string) clerk.APIError {
	return clerk.APIError{Message: "is missing", LongMessage: param + " must be included.", Code: clerk.CodeFormParamMissing,
		Meta: map[string]any{"param_name": param}}
}

// serveSignOut ends every session of the client (DELETE /v1/client/sessions).
func (d *Instance) serveSignOut(w http.ResponseWriter, r *http.Request, db *devBrowser, _ []string) {
	d.mu.Lock()
	c := db.client
	for _, s := range c.sessions {
		s.status = "ended"
		delete(d.sessions, s.id)
	}
	c.sessions = nil
	c.lastActive = ""
	c.updatedAt = d.now()
	v := d.viewLocked(c, r.Header.Get("Origin"))
	d.mu.Unlock()
	cj := d.clientJSON(v)
	writeJSON(w, http.StatusOK, clerk.Envelope[*clerk.ClientJSON]{Response: cj, Client: cj})
}

// activeSessionLocked finds a session of this client.
func activeSessionLocked(c *client, sid string) *session {
	for _, s := range c.sessions {
		if s.id == sid {
			return s
		}
	}
	return nil
}

func sessionNotFound(sid string) clerk.APIError {
	return notFoundError("No active session with id " + sid + " exists on this client.")
}

// serveToken mints a session token (…/tokens) or a template token
// (…/tokens/{template}); azp is the request's Origin.
func (d *Instance) serveToken(w http.ResponseWriter, r *http.Request, db *devBrowser, segs []string) {
	sid := segs[2]
	template := ""
	if len(segs) == 5 {
		template = segs[4]
	}
	d.mu.Lock()
	s := activeSessionLocked(db.client, sid)
	if s == nil {
		d.mu.Unlock()
		writeErrors(w, http.StatusNotFound, sessionNotFound(sid))
		return
	}
	s.lastActiveAt = d.now()
	in, err := d.mintInputLocked(d.userByID[s.userID], s, template, r.Header.Get("Origin"))
	d.mu.Unlock()
	if err != nil {
		writeErrors(w, http.StatusNotFound, clerk.MissingTemplateError(template))
		return
	}
	jwt, err := mint(in, d.now())
	if err != nil {
		writeErrors(w, http.StatusUnprocessableEntity, clerk.APIError{Message: "Invalid JWT template",
			LongMessage: "The JWT template could not be rendered: " + oneLine(err.Error()), Code: clerk.CodeFormParamInvalid})
		return
	}
	writeJSON(w, http.StatusOK, clerk.TokenJSON{Object: "token", JWT: jwt})
}

// serveSessionAction is …/touch (mark active) and …/remove (sign this
// session out).
func (d *Instance) serveSessionAction(w http.ResponseWriter, r *http.Request, db *devBrowser, segs []string) {
	sid, action := segs[2], segs[3]
	now := d.now()
	d.mu.Lock()
	c := db.client
	s := activeSessionLocked(c, sid)
	if s == nil {
		d.mu.Unlock()
		writeErrors(w, http.StatusNotFound, sessionNotFound(sid))
		return
	}
	u := d.userByID[s.userID]
	in, ierr := d.mintInputLocked(u, s, "", r.Header.Get("Origin"))
	if action == "remove" {
		s.status = "removed"
		delete(d.sessions, s.id)
		kept := c.sessions[:0]
		for _, x := range c.sessions {
			if x.id != sid {
				kept = append(kept, x)
			}
		}
		c.sessions = kept
		if c.lastActive == sid {
			c.lastActive = ""
		}
	} else {
		s.lastActiveAt = now
		c.lastActive = sid
	}
	c.updatedAt = now
	sv := sessionView{s: *s, user: u, in: in, err: ierr}
	v := d.viewLocked(c, r.Header.Get("Origin"))
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, clerk.Envelope[clerk.SessionJSON]{Response: d.sessionJSON(sv, now), Client: d.clientJSON(v)})
}
