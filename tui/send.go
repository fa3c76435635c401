package tui

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/convex/wire"
)

// sendDetail is step 6: the sync-protocol exchange, frame by frame.
func (m Model) sendDetail(d *detailWriter, sd *flow.SendDetail) {
	s := m.styles
	where := "deployment"
	if sd.Embedded {
		where = "embedded backend"
	}
	d.kvText("WebSocket", sd.URL+" · "+where)
	o := sd.Outcome
	if o == nil {
		return
	}
	d.kv("Timing", "connect "+fmtDur(o.ConnectTime)+s.dim.Render(" · ")+"round trip "+fmtDur(o.RoundTrip))
	switch {
	case o.Accepted:
		d.kv("Outcome", s.ok.Render("✓ Transition")+": the backend accepted the token (identity version "+itoa(o.IdentityVersion)+")")
	case o.AuthError != nil:
		d.kvText("AuthError", curly(o.AuthError.Error))
		attempted := "false (the token expired later in the session)"
		if o.AuthError.Attempted() {
			attempted = "true (the backend rejected this token)"
		}
		d.kv("", s.dim.Render("authUpdateAttempted: ")+attempted)
	case o.FatalError != "":
		d.kvText("FatalError", curly(o.FatalError))
	}
	if o.Closed {
		d.kvText("Closed", closeText(o.CloseCode)+" "+o.CloseReason)
	}
	if o.ClientClockSkew != nil {
		d.kv("Clock skew", fmtSkew(*o.ClientClockSkew)+s.dim.Render(" (client clock − server clock)"))
	}
	if o.Pings > 0 {
		d.kv("Pings", itoa(o.Pings)+s.dim.Render(" JSON Pings received (counted, not kept)"))
	}
	if len(o.Frames) == 0 && o.FramesLeftOut == nil {
		return
	}
	d.section("Frames")
	var t0 time.Time
	if len(o.Frames) > 0 {
		t0 = o.Frames[0].At
	}
	typeW := 4
	for _, f := range o.Frames {
		typeW = max(typeW, width(esc(f.Type, 14)))
	}
	for i, f := range o.Frames {
		if g := o.FramesLeftOut; g != nil && g.After == i {
			m.frameGap(d, g)
		}
		dir := s.ok.Render("→")
		if !f.Outgoing {
			dir = s.running.Render("←")
		}
		at := ""
		if !f.At.IsZero() && !t0.IsZero() {
			at = "+" + fmtDur(f.At.Sub(t0))
		}
		prefix := "  " + dir + " " + padLeft(at, 8) + " " + padRight(esc(f.Type, 14), typeW) + "  "
		vw := d.w - width(prefix)
		lines := escWrap(f.JSON, vw, d.machineLines(1, 0))
		d.noteCut(lines)
		if vw < 10 || len(lines) == 0 {
			d.add(prefix)
			continue
		}
		d.add(prefix + s.dim.Render(lines[0]))
		for _, l := range lines[1:] {
			d.add(strings.Repeat(" ", width(prefix)) + s.dim.Render(l))
		}
	}
	if g := o.FramesLeftOut; g != nil && g.After >= len(o.Frames) {
		m.frameGap(d, g)
	}
}

// frameGap is the line that stands for the frames a log left out.
func (m Model) frameGap(d *detailWriter, g *wire.FrameGap) {
	var parts []string
	for _, tc := range g.Types {
		parts = append(parts, esc(tc.Type, 20)+" ×"+itoa(tc.Count))
	}
	d.add(clip("  "+m.styles.warn.Render("… "+itoa(g.Count)+" frames not kept")+m.styles.dim.Render(": "+strings.Join(parts, ", ")), d.w))
}

func curly(s string) string { return "“" + s + "”" }

func closeText(code int) string {
	switch code {
	case 0:
		return "closed"
	case 1005:
		return "1005 (no status code)"
	default:
		return itoa(code)
	}
}

func fmtSkew(ms float64) string {
	sign := "+"
	if ms < 0 {
		sign = "−"
		ms = -ms
	}
	return sign + fmtDur(time.Duration(ms*float64(time.Millisecond)))
}
