package wire

import (
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// The WebSocket library enforces its read limit while it reads a message:
// a frame that announces 100 MiB is read up to the limit before it is
// refused, and one that announces 100 MiB and then sends nothing holds
// the read until the deadline. frameGuard sits under the library, on the
// byte stream after the HTTP upgrade, reads each frame header as it goes
// by (RFC 6455 §5.2) and refuses a data message that announces more than
// the limit before any of its payload is read. It also remembers a frame
// the connection cut short, so a drop can be told from a truncated frame.

// frameTooLarge is the guard's refusal.
type frameTooLarge struct {
	announced, limit uint64
}

func (e *frameTooLarge) Error() string {
	return fmt.Sprintf("a frame header announced %d bytes, over the %d-byte limit", e.announced, e.limit)
}

// frameGuard wraps the upgraded connection's stream (server to client).
type frameGuard struct {
	rwc   io.ReadWriteCloser
	limit uint64

	mu  sync.Mutex
	hdr [14]byte
	hn  int // header bytes seen
	// need is the header's length once its second byte is known.
	need int
	// left is the payload still to come in the current frame, of size.
	left, size uint64
	// msg is the current data message's size so far (fragments add up).
	msg uint64
	// refused is set once a header was refused; every later read fails.
	refused *frameTooLarge
	// cut is set when the stream ended inside a frame.
	cut       bool
	cutGot    uint64
	cutOfSize uint64
}

func newFrameGuard(rwc io.ReadWriteCloser, limit uint64) *frameGuard {
	return &frameGuard{rwc: rwc, limit: limit}
}

// Read reads from the stream and scans the frame headers in what it got.
// When a header is refused, the bytes before it are returned first and the
// refusal with the next read.
func (g *frameGuard) Read(p []byte) (int, error) {
	g.mu.Lock()
	if g.refused != nil {
		g.mu.Unlock()
		return 0, g.refused
	}
	g.mu.Unlock()
	n, err := g.rwc.Read(p)
	g.mu.Lock()
	defer g.mu.Unlock()
	if at := g.scan(p[:n]); at >= 0 {
		if at == 0 {
			return 0, g.refused
		}
		return at, nil
	}
	if err != nil && g.left > 0 && !g.cut {
		g.cut, g.cutGot, g.cutOfSize = true, g.size-g.left, g.size
	}
	return n, err
}

func (g *frameGuard) Write(p []byte) (int, error) { return g.rwc.Write(p) }

func (g *frameGuard) Close() error { return g.rwc.Close() }

// truncated reports a frame the stream ended inside: the bytes of it that
// came and the size its header announced.
func (g *frameGuard) truncated() (got, of uint64, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.cutGot, g.cutOfSize, g.cut
}

// scan follows the frames in b. It returns the offset in b where a refused
// header starts (0 when the header began in an earlier read), or -1.
func (g *frameGuard) scan(b []byte) int {
	start := 0
	for i := 0; i < len(b); {
		if g.left > 0 {
			k := min(uint64(len(b)-i), g.left)
			g.left -= k
			i += int(k)
			continue
		}
		if g.hn == 0 {
			start = i
		}
		g.hdr[g.hn] = b[i]
		g.hn++
		i++
		if g.hn == 2 {
			g.need = headerLen(g.hdr[1])
		}
		if g.hn >= 2 && g.hn == g.need && !g.header() {
			return start
		}
	}
	return -1
}

// headerLen is a frame header's length from its second byte: 2, plus 2
// or 8 for an extended length, plus 4 for a mask key.
func headerLen(b1 byte) int {
	n := 2
	switch b1 & 0x7f {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if b1&0x80 != 0 {
		n += 4
	}
	return n
}

// header takes a complete header; it returns false when the frame is
// refused.
func (g *frameGuard) header() bool {
	fin, opcode := g.hdr[0]&0x80 != 0, g.hdr[0]&0x0f
	var length uint64
	switch l := g.hdr[1] & 0x7f; l {
	case 126:
		length = uint64(binary.BigEndian.Uint16(g.hdr[2:4]))
	case 127:
		length = binary.BigEndian.Uint64(g.hdr[2:10])
	default:
		length = uint64(l)
	}
	g.hn, g.need = 0, 0
	total := length
	switch opcode {
	case 0x0: // continuation
		total = g.msg + length
		if total < g.msg {
			total = ^uint64(0)
		}
	case 0x1, 0x2: // text, binary: a new message
	default:
		// Control frames (and unknown opcodes) are the library's to
		// refuse: it checks their length at the header itself.
		g.left, g.size = length, length
		return true
	}
	if total > g.limit {
		g.refused = &frameTooLarge{announced: length, limit: g.limit}
		return false
	}
	g.msg = total
	if fin {
		g.msg = 0
	}
	g.left, g.size = length, length
	return true
}

// guardTransport puts a frameGuard on the stream of every upgraded
// connection its round trips open.
type guardTransport struct {
	base  http.RoundTripper
	limit uint64

	mu    sync.Mutex
	guard *frameGuard
}

func (t *guardTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		return resp, err
	}
	rwc, ok := resp.Body.(io.ReadWriteCloser)
	if !ok {
		return resp, nil // the library refuses such a body itself
	}
	g := newFrameGuard(rwc, t.limit)
	t.mu.Lock()
	t.guard = g
	t.mu.Unlock()
	resp.Body = g
	return resp, nil
}

// last is the guard of the latest upgrade.
func (t *guardTransport) last() *frameGuard {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.guard
}

// guarded returns a copy of hc whose transport guards upgraded streams.
func guarded(hc *http.Client, limit uint64) (*http.Client, *guardTransport) {
	c := *hc
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	gt := &guardTransport{base: base, limit: limit}
	c.Transport = gt
	return &c, gt
}
