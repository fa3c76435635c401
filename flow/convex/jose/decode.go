package jose

// The one JWT decoder for display, without verification: the header and
// claims in the order the token has them, each with its raw JSON, and the
// time claims as times. It answers "what does the token say", also for a
// token the backend would refuse, so it reads members leniently (padded
// base64url, a repeated member keeps its last value); the validator's
// strict reading is elsewhere in this package. jwx splits the compact form
// and types the header (SPEC.md "Display").

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v2/jws"
)

// MaxSize is the largest token authscope decodes. Clerk tokens are about
// 1 KiB; anything past this is refused rather than parsed.
const MaxSize = 64 << 10

// Member is one header parameter or claim: its name and its JSON text, in
// token order.
type Member struct {
	Name string
	JSON json.RawMessage
}

// Decoded is a token split into its parts.
type Decoded struct {
	Raw       string
	Header    []Member
	Claims    []Member
	Signature []byte
	// Parts are the three base64url segments as found.
	Parts [3]string
	// Alg, Kid and Typ are the header as jwx types it; all are empty when
	// jwx cannot read the header (an alg that is not a string, say), and
	// Header still lists what is there.
	Alg, Kid, Typ string
}

// DecodeError says which part of the token could not be read, and why.
type DecodeError struct {
	Part string // "token", "header", "payload", "signature"
	Msg  string
}

func (e *DecodeError) Error() string {
	if e.Part == "token" {
		return e.Msg
	}
	return fmt.Sprintf("the %s %s", e.Part, e.Msg)
}

// Decode splits raw into header, claims and signature. It accepts padded
// base64url too (the display should show what is there), but reports
// anything that is not three parts of JSON objects.
func Decode(raw string) (*Decoded, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, &DecodeError{"token", "the token is empty: paste a JWT (three base64url parts separated by dots)"}
	}
	if len(raw) > MaxSize {
		return nil, &DecodeError{"token", fmt.Sprintf("the token is %d bytes, more than the %d bytes authscope decodes: is this really a JWT?", len(raw), MaxSize)}
	}
	h, p, s, err := jws.SplitCompactString(raw)
	if err != nil {
		return nil, &DecodeError{"token", fmt.Sprintf("a JWT has three parts separated by dots; this one has %d", strings.Count(raw, ".")+1)}
	}
	d := &Decoded{Raw: raw, Parts: [3]string{string(h), string(p), string(s)}}
	if d.Header, err = decodeObject("header", d.Parts[0]); err != nil {
		return nil, err
	}
	if d.Claims, err = decodeObject("payload", d.Parts[1]); err != nil {
		return nil, err
	}
	if d.Signature, err = b64(d.Parts[2]); err != nil {
		return nil, &DecodeError{"signature", "is not base64url: " + err.Error()}
	}
	d.typeHeader()
	return d, nil
}

// typeHeader has jwx read the compact form and type the header. Its errors
// are not reported: the members above already say what is there.
func (d *Decoded) typeHeader() {
	msg, err := jws.Parse([]byte(d.Raw), jws.WithCompact())
	if err != nil || len(msg.Signatures()) != 1 {
		return
	}
	ph := msg.Signatures()[0].ProtectedHeaders()
	d.Alg, d.Kid, d.Typ = ph.Algorithm().String(), ph.KeyID(), ph.Type()
}

func b64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

func decodeObject(part, seg string) ([]Member, error) {
	data, err := b64(seg)
	if err != nil {
		return nil, &DecodeError{part, "is not base64url: " + err.Error()}
	}
	members, err := objectMembers(data)
	if err != nil {
		return nil, &DecodeError{part, "is not a JSON object: " + err.Error()}
	}
	return members, nil
}

// objectMembers reads a JSON object keeping its member order, which
// encoding/json's maps lose.
func objectMembers(data []byte) ([]Member, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("it does not start with {")
	}
	var out []Member
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, ok := tok.(string)
		if !ok {
			return nil, errors.New("a member name is not a string")
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if seen[name] {
			// JSON parsers disagree on duplicates; the last one usually wins,
			// so keep the last and say nothing here: Duplicates reports it.
			for i := range out {
				if out[i].Name == name {
					out = append(out[:i], out[i+1:]...)
					break
				}
			}
		}
		seen[name] = true
		out = append(out, Member{Name: name, JSON: v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("there is data after the object")
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("there is data after the object")
	}
	return out, nil
}

// Get returns a claim's JSON.
func (d *Decoded) Get(name string) (json.RawMessage, bool) { return get(d.Claims, name) }

// HeaderGet returns a header parameter's JSON.
func (d *Decoded) HeaderGet(name string) (json.RawMessage, bool) { return get(d.Header, name) }

func get(ms []Member, name string) (json.RawMessage, bool) {
	for _, m := range ms {
		if m.Name == name {
			return m.JSON, true
		}
	}
	return nil, false
}

// String returns a string claim, or "" when absent or not a string.
func (d *Decoded) String(name string) string { return str(d.Claims, name) }

// HeaderString returns a string header parameter.
func (d *Decoded) HeaderString(name string) string { return str(d.Header, name) }

func str(ms []Member, name string) string {
	raw, ok := get(ms, name)
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// Audiences returns aud as a list: a string is a list of one.
func (d *Decoded) Audiences() []string {
	raw, ok := d.Get("aud")
	if !ok {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many
	}
	return nil
}

// Time returns a NumericDate claim (iat, nbf, exp, auth_time, updated_at…)
// as a time. Fractions are kept to the millisecond.
func (d *Decoded) Time(name string) (time.Time, bool) {
	raw, ok := d.Get(name)
	if !ok {
		return time.Time{}, false
	}
	return displayTime(raw)
}

func displayTime(raw json.RawMessage) (time.Time, bool) {
	var f float64
	if json.Unmarshal(raw, &f) != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e11 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e3)*int64(time.Millisecond)).UTC(), true
}

// TimeClaims are the claims shown as times.
var TimeClaims = map[string]bool{"iat": true, "nbf": true, "exp": true, "auth_time": true, "updated_at": true}

// Lifetime is exp − iat, or 0 when either is missing.
func (d *Decoded) Lifetime() time.Duration {
	iat, ok1 := d.Time("iat")
	exp, ok2 := d.Time("exp")
	if !ok1 || !ok2 {
		return 0
	}
	return exp.Sub(iat)
}

// Redacted returns the token with its signature replaced, for screens that
// are shared.
func Redacted(raw string) string {
	i := strings.LastIndexByte(raw, '.')
	if i < 0 {
		return "…"
	}
	return raw[:i+1] + "<signature hidden>"
}
