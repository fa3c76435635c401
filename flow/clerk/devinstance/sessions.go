package devinstance

import (
	"net/http"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

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
	if f := d.Faults(); failing(f.TokenStatus) {
		writeErrors(w, f.TokenStatus, faultError(f.TokenStatus))
		return
	}
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
