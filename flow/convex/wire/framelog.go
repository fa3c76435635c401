package wire

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// The frame log is bounded whatever the server sends: it keeps the first
// and the last frames of an exchange, counts the ones between by type,
// and counts JSON Pings without keeping them. Each kept frame's text is
// cut, and the text kept is capped.
const (
	// logHead and logTail are the frames kept at each end.
	logHead = 16
	logTail = 16
	// maxFrameText cuts one frame's text.
	maxFrameText = 16 << 10
	// maxLogText caps the text kept at each end.
	maxLogText = 128 << 10
)

// FrameGap says which frames a log left out: Count frames (of the Types
// listed) came between Frames[After-1] and Frames[After].
type FrameGap struct {
	After int         `json:"after"`
	Count int         `json:"count"`
	Types []TypeCount `json:"types"`
}

// TypeCount is how many frames of one type a log left out.
type TypeCount struct {
	Type  string `json:"type"`
	Count int    `json:"count"`
}

// frameLog is one exchange's frames: from a Connect or an Authenticate to
// its verdict.
type frameLog struct {
	head, tail         []Frame
	headText, tailText int
	omitted            map[string]int
	omittedCount       int
	pings              int
	// received counts the messages that arrived (Pings included).
	received int
}

func (l *frameLog) add(f Frame) {
	if !f.Outgoing {
		l.received++
		if f.Type == TypePing {
			l.pings++
			return
		}
	}
	f.JSON = cut(f.JSON)
	if len(l.tail) == 0 && len(l.head) < logHead && l.headText+len(f.JSON) <= maxLogText {
		l.head = append(l.head, f)
		l.headText += len(f.JSON)
		return
	}
	l.tail = append(l.tail, f)
	l.tailText += len(f.JSON)
	for len(l.tail) > logTail || (l.tailText > maxLogText && len(l.tail) > 1) {
		old := l.tail[0]
		copy(l.tail, l.tail[1:])
		l.tail = l.tail[:len(l.tail)-1]
		l.tailText -= len(old.JSON)
		if l.omitted == nil {
			l.omitted = map[string]int{}
		}
		l.omitted[old.Type]++
		l.omittedCount++
	}
}

// frames returns the frames kept, in order, and the gap between the first
// and the last ones, if any.
func (l *frameLog) frames() ([]Frame, *FrameGap) {
	out := make([]Frame, 0, len(l.head)+len(l.tail))
	out = append(append(out, l.head...), l.tail...)
	if l.omittedCount == 0 {
		return out, nil
	}
	return out, &FrameGap{After: len(l.head), Count: l.omittedCount, Types: l.omittedTypes()}
}

func (l *frameLog) omittedTypes() []TypeCount {
	var out []TypeCount
	for t, n := range l.omitted {
		out = append(out, TypeCount{Type: t, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Type < out[j].Type
	})
	return out
}

// WithoutFrames returns a copy of o whose frames are all left out, each
// counted by type in FramesLeftOut: what a report keeps of an old round.
func (o *Outcome) WithoutFrames() *Outcome {
	c := *o
	l := &frameLog{omitted: map[string]int{}}
	for _, f := range o.Frames {
		l.omitted[f.Type]++
		l.omittedCount++
	}
	if g := o.FramesLeftOut; g != nil {
		for _, tc := range g.Types {
			l.omitted[tc.Type] += tc.Count
		}
		l.omittedCount += g.Count
	}
	c.Frames = nil
	_, c.FramesLeftOut = l.frames()
	return &c
}

// receivedTypes describes the messages received, for an error: "Ping
// ×3400000, TransitionChunk ×12".
func (l *frameLog) receivedTypes() string {
	counts := map[string]int{}
	for _, f := range append(append([]Frame(nil), l.head...), l.tail...) {
		if !f.Outgoing {
			counts[f.Type]++
		}
	}
	for t, n := range l.omitted {
		counts[t] += n
	}
	if l.pings > 0 {
		counts[TypePing] += l.pings
	}
	var parts []string
	for t, n := range counts {
		parts = append(parts, fmt.Sprintf("%s ×%d", t, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// maxMessageText cuts the text of an AuthError or a FatalError. The
// backend's messages are far shorter (a provider list of two hundred
// providers would fit); a longer one is a server that is not Convex, and
// its text is copied into every output.
const maxMessageText = 16 << 10

// cutMessage shortens a server's message text.
func cutMessage(s string) string { return cutAt(s, maxMessageText) }

// cut shortens one frame's text for the log.
func cut(s string) string { return cutAt(s, maxFrameText) }

// cutAt shortens s to about max bytes, saying how long it was.
func cutAt(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i-- // never end inside a character
	}
	return s[:i] + fmt.Sprintf("…(%d bytes in all)", len(s))
}
