package oauthloop

import (
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/untrusted"
)

// The page's presence, as the loopback sees it (protocol.go: "The page's
// presence"). After the sign-in the page keeps a long poll open, except
// while it fetches a token; it posts Leave from pagehide. A cut-off poll
// or a Leave makes the page suspect and starts a grace period; a poll
// still open when the grace ends (a reload polls again at once) keeps the
// page present, none makes it away.
//
// Only an open poll clears the suspicion: a poll that merely started
// after the Leave may have been sent before it (the closing tab's last
// one, answered at once with the steps' progress), and when it ends
// without a successor the page is gone. So a poll that ends while the page
// is suspect starts the grace again instead of forgetting the Leave.

// pageGrace is how long the page may be without a poll after a Leave or a
// cut-off poll before it counts as gone. A reload polls again well within
// it (the landing page is small, and ClerkJS comes from the browser's
// cache).
const pageGrace = 2 * time.Second

// presence is the server's view of the page. Its fields are guarded by
// server.mu.
type presence struct {
	polling int  // long polls in flight
	seen    bool // a token or a poll came after the sign-in: the page is watched
	away    bool
	// suspect is the reason the page may be gone (a Leave, a cut-off poll)
	// while its grace runs; empty when the page is known to be here.
	suspect string
	// gone is closed when the page goes away, and replaced when it is back.
	gone  chan struct{}
	timer *time.Timer
	// grace counts the grace periods started: a timer that fired while a
	// newer one was started is stale and decides nothing.
	grace int
	// changes delivers each change to the Source's runner.
	changes chan flow.PageChange
}

func newPresence() presence {
	return presence{gone: make(chan struct{}), changes: make(chan flow.PageChange, 16)}
}

// pollStarted counts a poll in: the page is here, unless it is suspect
// (then the poll must still be open when the grace ends).
func (s *server) pollStarted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &s.presence
	p.polling++
	p.seen = true
	if p.away {
		p.away = false
		p.gone = make(chan struct{})
		s.tell(flow.PageChange{Open: true, Detail: "the page asked for work again"})
	}
}

// pollEnded counts a poll out; cut says the browser cut it off. A poll
// that ends while the page is suspect, answered or not, starts the grace
// again: the page has to poll once more to show it is still here.
func (s *server) pollEnded(cut bool) {
	s.mu.Lock()
	s.presence.polling--
	why := s.presence.suspect
	s.mu.Unlock()
	if cut {
		why = "its waiting request was cut off"
	}
	if why != "" {
		s.suspect(why)
	}
}

// suspect starts (or starts again) the grace period after which a page
// that has no poll open is away.
func (s *server) suspect(why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &s.presence
	if !p.seen || p.away || s.isClosing() {
		return // nothing to decide: never watched, gone, or authscope closing it
	}
	if p.timer != nil {
		p.timer.Stop()
	}
	p.suspect = why
	p.grace++
	n := p.grace
	p.timer = time.AfterFunc(pageGrace, func() { s.graceEnded(n) })
}

// graceEnded decides the suspect page's presence when grace period n
// ends: present if a poll is open, else away.
func (s *server) graceEnded(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &s.presence
	if n != p.grace {
		return // a newer grace period runs
	}
	p.timer = nil
	why := p.suspect
	p.suspect = ""
	if s.isClosing() {
		return // authscope closed it: nothing to tell
	}
	if p.away || p.polling > 0 {
		return
	}
	p.away = true
	close(p.gone)
	s.tell(flow.PageChange{Open: false, Detail: why})
}

// stopGrace stops a grace period in progress, when the server closes.
func (s *server) stopGrace() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.presence.timer; t != nil {
		t.Stop()
		s.presence.timer = nil
	}
}

// isClosing reports whether authscope is closing the server.
func (s *server) isClosing() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

// tell queues a change for the runner; the caller holds s.mu. A full
// queue drops the change: the runner is not reading, and the state is
// still known to FetchToken.
func (s *server) tell(c flow.PageChange) {
	select {
	case s.presence.changes <- c:
	default:
	}
}

// pageAway reports whether the page is away, and the channel closed when
// it goes away.
func (s *server) pageAway() (bool, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.presence.away, s.presence.gone
}

// progress is steps 5–8 of the latest round, as the page shows them.
type progress struct {
	version int
	round   int
	steps   map[flow.StepID]PageStep
}

// maxPageText bounds what the page is sent of a step's summary and error:
// the terminal has it whole.
const maxPageText = 2000

// observe records a step for the page and wakes its poll.
func (s *server) observe(st flow.Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &s.progress
	if st.Round < p.round {
		return
	}
	if st.Round > p.round || p.steps == nil {
		p.round, p.steps = st.Round, map[flow.StepID]PageStep{}
	}
	p.steps[st.ID] = PageStep{Step: st.ID, Round: st.Round, Status: st.Status,
		Summary: untrusted.Cut(st.Summary, maxPageText), Error: untrusted.Cut(st.Error, maxPageText)}
	p.version++
	close(s.wake)
	s.wake = make(chan struct{})
}

// pendingProgress is the progress newer than seen; the caller holds s.mu.
func (s *server) pendingProgress(seen int) (Command, bool) {
	p := &s.progress
	if p.version <= seen {
		return Command{}, false
	}
	cmd := Command{Kind: CommandProgress, Version: p.version, Round: p.round}
	for _, id := range flow.RefreshSteps {
		if st, ok := p.steps[id]; ok {
			cmd.Steps = append(cmd.Steps, st)
		}
	}
	return cmd, true
}
