package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// frameHeader is a server frame's header (unmasked).
func frameHeader(fin bool, opcode byte, length uint64) []byte {
	b0 := opcode
	if fin {
		b0 |= 0x80
	}
	switch {
	case length < 126:
		return []byte{b0, byte(length)}
	case length <= 0xffff:
		h := []byte{b0, 126, 0, 0}
		binary.BigEndian.PutUint16(h[2:], uint16(length))
		return h
	}
	h := []byte{b0, 127, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint64(h[2:], length)
	return h
}

// stream is a server's byte stream, fed to the guard in small reads, with
// an endless supply of zeros after it (a payload that never ends).
type stream struct {
	data  []byte
	chunk int
	read  int // bytes handed out, zeros included
}

func (s *stream) Read(p []byte) (int, error) {
	n := min(len(p), s.chunk)
	if len(s.data) > 0 {
		n = copy(p[:n], s.data)
		s.data = s.data[n:]
	} else {
		clear(p[:n])
	}
	s.read += n
	return n, nil
}
func (s *stream) Write(p []byte) (int, error) { return len(p), nil }
func (s *stream) Close() error                { return nil }

// readAll reads through the guard until it fails, at most max bytes.
func readAll(g *frameGuard, max int) ([]byte, error) {
	var out []byte
	buf := make([]byte, 7)
	for len(out) < max {
		n, err := g.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

func TestGuardRefusesAnOversizeFrameAtItsHeader(t *testing.T) {
	ok := append(frameHeader(true, 1, 2), "hi"...)
	for _, announced := range []uint64{100 << 20, 1 << 62, 1<<64 - 1} {
		s := &stream{data: append(append([]byte(nil), ok...), frameHeader(true, 1, announced)...), chunk: 5}
		g := newFrameGuard(s, 8<<20)
		got, err := readAll(g, 64<<20)
		var big *frameTooLarge
		if !errors.As(err, &big) || big.announced != announced || big.limit != 8<<20 {
			t.Fatalf("announced %d: error %v", announced, err)
		}
		// The frame before comes through whole; of the refused one, at
		// most the header bytes that came in earlier reads.
		whole := append(append([]byte(nil), ok...), frameHeader(true, 1, announced)...)
		if !bytes.HasPrefix(got, ok) || !bytes.HasPrefix(whole, got) {
			t.Errorf("announced %d: %q came through", announced, got)
		}
		if s.read > len(ok)+len(frameHeader(true, 1, announced))+5 {
			t.Errorf("announced %d: %d bytes read from the server: the payload was read", announced, s.read)
		}
		if _, err := g.Read(make([]byte, 8)); !errors.As(err, &big) {
			t.Error("a refused stream must stay refused")
		}
	}
}

func TestGuardAddsUpFragments(t *testing.T) {
	var data []byte
	data = append(append(data, frameHeader(false, 1, 40)...), bytes.Repeat([]byte{'a'}, 40)...)
	data = append(append(data, frameHeader(false, 0, 40)...), bytes.Repeat([]byte{'b'}, 40)...)
	data = append(data, frameHeader(true, 0, 40)...) // 120 bytes in all, over 100
	g := newFrameGuard(&stream{data: data, chunk: 64}, 100)
	_, err := readAll(g, 1<<20)
	var big *frameTooLarge
	if !errors.As(err, &big) || big.announced != 40 {
		t.Fatalf("error %v, want the third fragment refused", err)
	}
	// Control frames between fragments do not count, and a finished
	// message starts the count again.
	data = nil
	data = append(append(data, frameHeader(false, 1, 60)...), bytes.Repeat([]byte{'a'}, 60)...)
	data = append(append(data, frameHeader(true, 9, 4)...), "ping"...)
	data = append(append(data, frameHeader(true, 0, 30)...), bytes.Repeat([]byte{'b'}, 30)...)
	data = append(append(data, frameHeader(true, 1, 90)...), bytes.Repeat([]byte{'c'}, 90)...)
	g = newFrameGuard(&stream{data: data, chunk: 3}, 100)
	if got, err := readAll(g, len(data)); err != nil || len(got) != len(data) {
		t.Fatalf("read %d of %d bytes: %v", len(got), len(data), err)
	}
}

func TestGuardLeavesControlFramesToTheLibrary(t *testing.T) {
	data := frameHeader(true, 9, 1<<62) // a ping the library refuses itself
	g := newFrameGuard(&stream{data: data, chunk: 64}, 100)
	if got, err := readAll(g, len(data)); err != nil || len(got) != len(data) {
		t.Fatalf("read %d bytes: %v", len(got), err)
	}
}

// eofAfter hands out data and then io.EOF.
type eofAfter struct{ r io.Reader }

func (e eofAfter) Read(p []byte) (int, error) { return e.r.Read(p) }
func (eofAfter) Write(p []byte) (int, error)  { return len(p), nil }
func (eofAfter) Close() error                 { return nil }

func TestGuardSeesATruncatedFrame(t *testing.T) {
	data := append(frameHeader(true, 1, 100), strings.Repeat("x", 10)...)
	g := newFrameGuard(eofAfter{bytes.NewReader(data)}, 1<<20)
	if _, err := readAll(g, 1<<20); err != io.EOF {
		t.Fatalf("error %v", err)
	}
	if got, of, ok := g.truncated(); !ok || got != 10 || of != 100 {
		t.Errorf("truncated = %d of %d (%v), want 10 of 100", got, of, ok)
	}
	// A stream that ends between frames is not a truncated frame.
	g = newFrameGuard(eofAfter{bytes.NewReader(append(frameHeader(true, 1, 2), "ok"...))}, 1<<20)
	_, _ = readAll(g, 1<<20)
	if _, _, ok := g.truncated(); ok {
		t.Error("a whole frame was called truncated")
	}
}

func TestFrameLogIsBounded(t *testing.T) {
	l := &frameLog{}
	l.add(Frame{Outgoing: true, Type: TypeConnect, JSON: "{}"})
	big := strings.Repeat("é", 40<<10)
	for i := range 100000 {
		l.add(Frame{Type: TypePing, JSON: `{"type":"Ping"}`})
		l.add(Frame{Type: TypeTransitionChunk, JSON: big[:1+i%(len(big)-1)]})
	}
	frames, gap := l.frames()
	if l.pings != 100000 || l.received != 200000 {
		t.Errorf("pings %d, received %d", l.pings, l.received)
	}
	if len(frames) > logHead+logTail || gap == nil || gap.After != len(l.head) || gap.Count != 100000+1-len(frames) {
		t.Fatalf("%d frames kept, gap %+v", len(frames), gap)
	}
	text := 0
	for _, f := range frames {
		text += len(f.JSON)
		if f.Type == TypePing {
			t.Fatal("a Ping was kept")
		}
		if len(f.JSON) > maxFrameText+32 {
			t.Fatalf("a frame kept %d bytes of text", len(f.JSON))
		}
	}
	if text > 2*maxLogText+2*(maxFrameText+32) {
		t.Errorf("%d bytes of text kept", text)
	}
	if frames[0].Type != TypeConnect || gap.Types[0].Type != TypeTransitionChunk {
		t.Errorf("first frame %s, gap types %+v", frames[0].Type, gap.Types)
	}
	if !strings.Contains(l.receivedTypes(), "Ping ×100000") {
		t.Errorf("received types %q", l.receivedTypes())
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 B", 1023: "1023 B", 1024: "1 KiB", 200 << 10: "200 KiB", 8 << 20: "8 MiB",
		100 << 20: "100 MiB", 1 << 62: "4 EiB", 1536: "1.5 KiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
