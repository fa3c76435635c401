// Package hostile runs Convex "deployments" that misbehave on purpose, one
// loopback server per behaviour, for the tests that check authscope stays
// bounded in memory and time and names the failure for what it is. Each
// server speaks just enough HTTP and WebSocket (RFC 6455) to take the
// client's Connect and Authenticate, then does the one thing it is named
// for. It writes raw frames, so it can send what no WebSocket library
// would: reserved bits, absurd lengths, frames cut short.
package hostile

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/convex/wire"
)

// Behaviour is what a server does once the token has been sent.
type Behaviour string

// The behaviours.
const (
	ChunkFlood     Behaviour = "chunk-flood"     // valid TransitionChunk messages, without end
	PingFlood      Behaviour = "ping-flood"      // Ping messages, without end
	Garbage        Behaviour = "garbage"         // a text frame that is not JSON
	Binary         Behaviour = "binary"          // a binary frame
	Reset          Behaviour = "reset"           // a TCP reset
	Truncated      Behaviour = "truncated"       // a frame cut short, then the end of the stream
	RSVBits        Behaviour = "rsv-bits"        // a frame with a reserved bit set
	Length2p62     Behaviour = "length-2p62"     // a frame header announcing 2^62 bytes
	Announce100MiB Behaviour = "announce-100mib" // a header announcing 100 MiB, then silence
	NeverAnswers   Behaviour = "never-answers"   // nothing at all
)

// All lists every behaviour.
var All = []Behaviour{ChunkFlood, PingFlood, Garbage, Binary, Reset, Truncated, RSVBits, Length2p62, Announce100MiB, NeverAnswers}

// Server is one misbehaving deployment on 127.0.0.1.
type Server struct {
	// URL is the deployment URL to give authscope (http://127.0.0.1:port).
	URL string
	b   Behaviour
	ln  net.Listener

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// Start listens on a free loopback port and serves b to every client.
func Start(b Behaviour) (*Server, error) {
	known := false
	for _, x := range All {
		known = known || x == b
	}
	if !known {
		return nil, fmt.Errorf("no behaviour %q", b)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + ln.Addr().String(), b: b, ln: ln, conns: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Close stops the server and ends every connection.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				_ = c.Close()
			}()
			s.serve(c)
		}()
	}
}

// serve upgrades the connection, waits for Connect and Authenticate and
// misbehaves. Client frames keep being read (and dropped) so the client's
// writes never block.
func (s *Server) serve(c net.Conn) {
	br := bufio.NewReader(c)
	if err := upgrade(c, br); err != nil {
		return
	}
	authenticated := make(chan struct{})
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		for n := 0; ; n++ {
			if n == 2 { // Connect, then Authenticate
				close(authenticated)
			}
			if err := skipFrame(br); err != nil {
				return
			}
		}
	}()
	select {
	case <-authenticated:
	case <-gone:
		return
	case <-time.After(10 * time.Second):
		return
	}
	s.misbehave(c, gone)
}

// upgrade reads the handshake and accepts it (RFC 6455 §4.2.2).
func upgrade(c net.Conn, br *bufio.Reader) error {
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	req, err := http.ReadRequest(br)
	if err != nil {
		return err
	}
	_ = c.SetReadDeadline(time.Time{})
	key := req.Header.Get("Sec-WebSocket-Key")
	if key == "" {
		return errors.New("not a WebSocket handshake")
	}
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	_, err = fmt.Fprintf(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
		base64.StdEncoding.EncodeToString(h[:]))
	return err
}

// skipFrame reads one client frame and drops it.
func skipFrame(br *bufio.Reader) error {
	var h [2]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		return err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if h[1]&0x80 != 0 {
		n += 4 // the mask key
	}
	_, err := io.CopyN(io.Discard, br, int64(min(n, 1<<30)))
	return err
}

// frame is a server frame: unmasked, with the given first byte (FIN,
// reserved bits, opcode) and an announced length that may differ from
// the payload's.
func frame(b0 byte, announced uint64, payload []byte) []byte {
	var h []byte
	switch {
	case announced < 126:
		h = []byte{b0, byte(announced)}
	case announced <= 0xffff:
		h = []byte{b0, 126, byte(announced >> 8), byte(announced)}
	default:
		h = make([]byte, 10)
		h[0], h[1] = b0, 127
		binary.BigEndian.PutUint64(h[2:], announced)
	}
	return append(h, payload...)
}

// text is a whole text frame.
func text(s string) []byte { return frame(0x81, uint64(len(s)), []byte(s)) }

// chunk and ping are valid sync messages, written by the protocol's own
// encoder: a TransitionChunk (part of a Transition too large for one
// message) and the heartbeat Ping.
var chunk, ping = encode(wire.TransitionChunk{
	Chunk:      "eyJ0eXBlIjoiVHJhbnNpdGlvbiJ9eyJ0eXBlIjoiVHJhbnNpdGlvbiJ9eyJ0eXBlIjoiVHJhbnNpdGlvbiJ9",
	PartNumber: 0, TotalParts: 2, TransitionID: "hostile"}), encode(wire.Ping{})

func encode(m any) string {
	b, err := wire.Encode(m)
	if err != nil {
		panic(err) // fixed values: cannot fail
	}
	return string(b)
}

// misbehave does the server's one thing, then holds the connection until
// the client goes away.
func (s *Server) misbehave(c net.Conn, gone <-chan struct{}) {
	flood := func(msg []byte) {
		batch := make([]byte, 0, 64<<10)
		for len(batch)+len(msg) <= cap(batch) {
			batch = append(batch, msg...)
		}
		for {
			if _, err := c.Write(batch); err != nil {
				return
			}
		}
	}
	switch s.b {
	case ChunkFlood:
		flood(text(chunk))
		return
	case PingFlood:
		flood(text(ping))
		return
	case Garbage:
		_, _ = c.Write(text("<!doctype html><h1>Welcome to nginx!</h1>"))
	case Binary:
		_, _ = c.Write(frame(0x82, 4, []byte{0xde, 0xad, 0xbe, 0xef}))
	case Reset:
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with an RST, not a FIN
		}
		_ = c.Close()
		return
	case Truncated:
		_, _ = c.Write(frame(0x81, 100, []byte(chunk[:11]))) // 11 of the 100 bytes announced
		_ = c.Close()
		return
	case RSVBits:
		_, _ = c.Write(frame(0x81|0x20, uint64(len(ping)), []byte(ping)))
	case Length2p62:
		_, _ = c.Write(frame(0x81, 1<<62, make([]byte, 1024)))
	case Announce100MiB:
		_, _ = c.Write(frame(0x81, 100<<20, nil))
	case NeverAnswers:
	}
	<-gone
}
