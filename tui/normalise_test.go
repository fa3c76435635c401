package tui

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/authscope/authscope/flow"
)

// A recorded run is normalised so that running the same scenario again
// gives the same stream, byte for byte:
//
//   - Order: steps 6 and 7 start concurrently, so step 7's "running" event
//     is moved to right after step 6's.
//   - Ports: every 127.0.0.1 port becomes 41001, 41002… in order of first
//     appearance.
//   - Per-run random values (session and key IDs, the loopback page's state
//     and secret, the sync session's UUID, jti) become counters of the same
//     length.
//   - Times. A run is only kept when it lies within the first half of one
//     wall-clock second S (recordRun retries until it does), so that every
//     whole-second value (token claims, Date headers, times truncated or
//     rounded to the second) is the same from run to run relative to S.
//     Those are shifted by T0−S. Measured instants are replaced: the i-th
//     event happens at T0 + 100 ms + i ms, a step starts at its "running"
//     event and ends at its final one, the k-th item of a list (frames,
//     fetches) is k×100µs after its event, and other instants keep their
//     distance to their event rounded to the second (a refetch 50 s ahead).
//     Measured durations that are not whole seconds become 1ms, in fields
//     and in text.
//
// So a golden shows a state the engine produced, with made-up timings.

// t0 is where a normalised run starts: a whole second.
var t0 = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

// recorded is one event of a recorded run. The token itself is not part of
// an Event's JSON (it never leaves the process), so the recording keeps
// step 5's token beside it: the interface shows and copies it.
type recorded struct {
	flow.Event
	RawToken string `json:"rawToken,omitempty"`
}

var (
	timeType     = reflect.TypeOf(time.Time{})
	durationType = reflect.TypeOf(time.Duration(0))

	rePort        = regexp.MustCompile(`(127\.0\.0\.1(?::|%3A))(\d{2,5})`)
	reRandomID    = regexp.MustCompile(`\b(sess|ins)_[A-Za-z0-9]{16,}\b`)
	reSecret      = regexp.MustCompile(`(state=|state%3D|secret=)[A-Za-z0-9_-]{16,}`)
	reUUID        = regexp.MustCompile(`\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	reHex         = regexp.MustCompile(`\b[0-9a-f]{16,}\b`)
	reEpoch       = regexp.MustCompile(`\b1[5-9]\d{8}(\d{3}(\d{6})?)?\b`)
	reWireTS      = regexp.MustCompile(`("ts":")([A-Za-z0-9+/]{11}=)(")`)
	reSkew        = regexp.MustCompile(`("clientClockSkew":)(-?\d+(?:\.\d+)?)`)
	reDigitPoints = regexp.MustCompile(`U\+003[0-9] \([0-9]\)(?: U\+003[0-9] \([0-9]\))*`)
	reShortDur    = regexp.MustCompile(`\b(?:\d+(?:\.\d+)?(?:ns|µs|ms)|0s)\b`)
	reDateTime    = regexp.MustCompile(`\b(\d{4}-\d\d-\d\d)([ T])(\d\d:\d\d:\d\d)(\.\d+)?`)
	placeholders  = map[string]byte{"state=": 'S', "state%3D": 'S', "secret=": 'Z'}
)

// normaliser rewrites one run; it keeps the maps that must be the same for
// every event of the run.
type normaliser struct {
	shift   time.Duration // T0 − S, for whole-second instants
	ports   map[string]string
	order   []string // the recorded ports, in order of first appearance
	ids     map[string]string
	counter int
	// at and atN are the current event's instant, as recorded and as
	// normalised.
	at, atN time.Time
	// running is when each step of each round started, normalised.
	running map[string]time.Time
}

// normaliseRun returns the normalised form of a run's events. The events
// are copied (through their JSON), never changed.
func normaliseRun(evs []flow.Event) ([]recorded, error) {
	if len(evs) == 0 {
		return nil, nil
	}
	evs = canonicalOrder(evs)
	n := &normaliser{
		shift:   t0.Sub(evs[0].At.Truncate(time.Second)),
		ports:   map[string]string{},
		ids:     map[string]string{},
		running: map[string]time.Time{},
	}
	out := make([]recorded, len(evs))
	for i, ev := range evs {
		raw := ""
		if ev.Step != nil && ev.Step.Detail != nil && ev.Step.Detail.Token != nil {
			raw = ev.Step.Detail.Token.Raw
		}
		b, err := json.Marshal(ev)
		if err != nil {
			return nil, err
		}
		var cp flow.Event
		if err := json.Unmarshal(b, &cp); err != nil {
			return nil, err
		}
		n.at, n.atN = ev.At, t0.Add(100*time.Millisecond+time.Duration(i)*time.Millisecond)
		n.walk(reflect.ValueOf(&cp).Elem(), 0)
		cp.At = n.atN
		if cp.Step != nil {
			n.step(cp.Step, ev.Step)
		}
		out[i] = recorded{Event: cp, RawToken: n.token(raw, cp.Step)}
	}
	return out, nil
}

// canonicalOrder moves each round's step 7 "running" event to right after
// step 6's: the two start together and either may be reported first.
func canonicalOrder(evs []flow.Event) []flow.Event {
	evs = append([]flow.Event(nil), evs...)
	isRunning := func(ev flow.Event, round int, id flow.StepID) bool {
		return ev.Kind == flow.EventStep && ev.Step != nil && ev.Step.Round == round && ev.Step.ID == id && ev.Step.Status == flow.StatusRunning
	}
	for i := 0; i < len(evs); i++ {
		if ev := evs[i]; ev.Kind != flow.EventStep || ev.Step == nil || ev.Step.ID != flow.StepJWKS || ev.Step.Status != flow.StatusRunning {
			continue
		}
		round := evs[i].Step.Round
		send := -1
		for j := range evs {
			if isRunning(evs[j], round, flow.StepSend) {
				send = j
			}
		}
		if send < 0 || send == i-1 {
			continue
		}
		moved := evs[i]
		evs = append(evs[:i], evs[i+1:]...)
		if send > i {
			send--
		}
		evs = append(evs[:send+1], append([]flow.Event{moved}, evs[send+1:]...)...)
		if send > i {
			i-- // the event now at i has not been looked at
		}
	}
	return evs
}

// walk normalises every time, duration, float and string under v. index is
// v's position when it is an item of a list.
func (n *normaliser) walk(v reflect.Value, index int) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			n.walk(v.Elem(), index)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(n.instant(v.Interface().(time.Time), index)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			switch {
			case !f.IsExported():
			case f.Name == "Connect" && f.Type == durationType:
				// Whether a connection was reused (no connect time) varies
				// from run to run.
				v.Field(i).SetInt(0)
			default:
				n.walk(v.Field(i), index)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			n.walk(v.Index(i), i)
		}
	case reflect.String:
		v.SetString(n.text(v.String()))
	case reflect.Int64:
		if d := time.Duration(v.Int()); v.Type() == durationType && d%time.Second != 0 {
			v.SetInt(int64(time.Millisecond))
		}
	case reflect.Float64:
		v.SetFloat(roundSkew(v.Float())) // clientClockSkew, in ms
	}
}

// instant normalises a time (see the top of this file).
func (n *normaliser) instant(t time.Time, index int) time.Time {
	switch {
	case t.IsZero():
		return t
	case t.Nanosecond() == 0:
		return t.Add(n.shift).UTC()
	}
	return n.atN.Add(t.Sub(n.at).Round(time.Second) + time.Duration(index)*100*time.Microsecond)
}

// step gives a step the synthetic times of its events: it starts at its
// "running" event (or just before its final one) and ends at its final one.
func (n *normaliser) step(s *flow.Step, orig *flow.Step) {
	key := fmt.Sprint(s.Round, s.ID)
	if orig.Start.IsZero() {
		return
	}
	start, ok := n.running[key]
	if !ok {
		start = n.atN
		if s.Status.Done() {
			start = n.atN.Add(-time.Millisecond)
		}
		n.running[key] = start
	}
	s.Start = start
	if orig.Duration != 0 {
		s.Duration = n.atN.Sub(start)
	}
	if s.Detail != nil && s.Detail.Token != nil && s.Detail.Token.Latency != 0 {
		s.Detail.Token.Latency = s.Duration
	}
}

// token rebuilds a recorded token from its normalised header and claims,
// with a signature of the same length, so that what the interface shows of
// it agrees with the claims.
func (n *normaliser) token(raw string, s *flow.Step) string {
	if raw == "" || s == nil || s.Detail == nil || s.Detail.Token == nil {
		return ""
	}
	t := s.Detail.Token
	parts := strings.Split(raw, ".")
	if len(parts) != 3 || len(t.Header) == 0 || len(t.Claims) == 0 {
		return n.text(raw)
	}
	return encodeToken(t.Header, t.Claims, len(parts[2]))
}

// encodeToken writes a compact JWT from its header parameters and claims,
// in order, with a made-up signature of sigLen characters.
func encodeToken(header, claims []flow.Claim, sigLen int) string {
	obj := func(cs []flow.Claim) string {
		var b strings.Builder
		b.WriteByte('{')
		for i, c := range cs {
			if i > 0 {
				b.WriteByte(',')
			}
			name, _ := json.Marshal(c.Name)
			b.Write(name)
			b.WriteByte(':')
			b.WriteString(c.JSON)
		}
		b.WriteByte('}')
		return base64.RawURLEncoding.EncodeToString([]byte(b.String()))
	}
	return obj(header) + "." + obj(claims) + "." + strings.Repeat("s1gn4tuRe", sigLen/9+1)[:sigLen]
}

// text normalises a string: ports, random IDs, wall-clock values and
// measured durations (see the top of this file).
func (n *normaliser) text(s string) string {
	s = rePort.ReplaceAllStringFunc(s, func(m string) string {
		sub := rePort.FindStringSubmatch(m)
		p, ok := n.ports[sub[2]]
		if !ok {
			p = strconv.Itoa(41001 + len(n.ports))
			n.ports[sub[2]] = p
			n.order = append(n.order, sub[2])
		}
		return sub[1] + p
	})
	s = reDigitPoints.ReplaceAllStringFunc(s, n.portDigits)
	s = reSecret.ReplaceAllStringFunc(s, func(m string) string {
		sub := reSecret.FindStringSubmatch(m)
		return sub[1] + strings.Repeat(string(placeholders[sub[1]]), len(m)-len(sub[1]))
	})
	s = reRandomID.ReplaceAllStringFunc(s, n.id)
	s = reUUID.ReplaceAllStringFunc(s, n.id)
	s = reHex.ReplaceAllStringFunc(s, func(m string) string {
		if strings.Trim(m, "0123456789") == "" {
			return m // a number, such as a Unix time in nanoseconds
		}
		return n.id(m)
	})
	s = reWireTS.ReplaceAllStringFunc(s, func(m string) string {
		sub := reWireTS.FindStringSubmatch(m)
		b, err := base64.StdEncoding.DecodeString(sub[2])
		if err != nil || len(b) != 8 || binary.LittleEndian.Uint64(b) == 0 {
			return m
		}
		binary.LittleEndian.PutUint64(b, uint64(n.atN.UnixNano()))
		return sub[1] + base64.StdEncoding.EncodeToString(b) + sub[3]
	})
	s = reEpoch.ReplaceAllStringFunc(s, n.epoch)
	s = reSkew.ReplaceAllStringFunc(s, func(m string) string {
		sub := reSkew.FindStringSubmatch(m)
		f, _ := strconv.ParseFloat(sub[2], 64)
		return sub[1] + strconv.FormatFloat(roundSkew(f), 'f', -1, 64)
	})
	s = reDateTime.ReplaceAllStringFunc(s, func(m string) string {
		sub := reDateTime.FindStringSubmatch(m)
		t, err := time.Parse("2006-01-02 15:04:05", sub[1]+" "+sub[3])
		if err != nil {
			return m
		}
		t = t.Add(n.shift)
		return t.Format("2006-01-02") + sub[2] + t.Format("15:04:05") + zeroFraction(sub[4])
	})
	return reShortDur.ReplaceAllString(s, "1ms")
}

// portDigits rewrites digits listed as code points ("U+0033 (3) U+0037 (7)",
// the end of a URL shown around a difference) when they end a recorded
// port, as the port itself was rewritten. The first port that fits wins:
// the issuer's, which is what such comparisons show.
func (n *normaliser) portDigits(m string) string {
	var digits []byte
	for i := 0; i < len(m); i++ {
		if m[i] == '(' {
			digits = append(digits, m[i+1])
		}
	}
	for _, orig := range n.order {
		if !strings.HasSuffix(orig, string(digits)) {
			continue
		}
		repl := n.ports[orig][len(n.ports[orig])-len(digits):]
		parts := make([]string, len(repl))
		for i, d := range []byte(repl) {
			parts[i] = fmt.Sprintf("U+%04X (%c)", d, d)
		}
		return strings.Join(parts, " ")
	}
	return m
}

// roundSkew rounds a clock skew in milliseconds to the second, never to −0.
func roundSkew(ms float64) float64 {
	if r := math.Round(ms/1000) * 1000; r != 0 {
		return r
	}
	return 0
}

// zeroFraction keeps a fraction's length with every digit 0.
func zeroFraction(f string) string {
	if f == "" {
		return ""
	}
	return "." + strings.Repeat("0", len(f)-1)
}

// id maps a random value to a counter of the same length, the same value
// always to the same counter.
func (n *normaliser) id(m string) string {
	if r, ok := n.ids[m]; ok {
		return r
	}
	n.counter++
	keep := 0
	if i := strings.IndexByte(m, '_'); i >= 0 && !strings.Contains(m, "-") {
		keep = i + 1
	}
	c := strconv.Itoa(n.counter)
	r := m[:keep] + strings.Repeat("0", max(len(m)-keep-len(c), 0)) + c
	if strings.Contains(m, "-") { // a UUID keeps its shape
		r = fmt.Sprintf("00000000-0000-4000-8000-%012d", n.counter)
	}
	n.ids[m] = r
	return r
}

// epoch normalises a Unix time in text: seconds are shifted like every
// whole-second instant; milliseconds and nanoseconds are measured instants.
func (n *normaliser) epoch(m string) string {
	v, err := strconv.ParseInt(m, 10, 64)
	if err != nil {
		return m
	}
	switch len(m) {
	case 10:
		return strconv.FormatInt(v+int64(n.shift/time.Second), 10)
	case 13:
		return strconv.FormatInt(n.atN.UnixMilli(), 10)
	default:
		return strconv.FormatInt(n.atN.UnixNano(), 10)
	}
}
