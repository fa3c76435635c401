package flow

import (
	"bytes"
	"encoding/json"
	"strings"
)

// personalClaims are the claim names, and the keys of the identity they
// become, that hold personal data: --redact and the interface's x key hide
// their values, in the interactive view, in `check -v` and in the JSON
// report alike.
//
// The set is the OpenID Connect standard profile claims that name or
// reach a person (name, email, phone, picture, birthdate, address…, see
// https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims),
// under their token names and under the camelCase keys Convex gives them
// in ctx.auth.getUserIdentity() (givenName, pictureUrl, phoneNumber…, see
// https://docs.convex.dev/api/interfaces/server.UserIdentity), plus the obviously personal names
// Clerk JWT templates commonly use (first_name, username, image_url,
// primary_email_address…). Flags and metadata about those claims
// (email_verified, locale, zoneinfo, updated_at) are not personal and stay
// visible: they are often what a user is checking.
var personalClaims = map[string]bool{
	// OIDC standard claims, as they appear in a token.
	"name": true, "given_name": true, "family_name": true, "middle_name": true,
	"nickname": true, "preferred_username": true, "profile": true, "picture": true,
	"website": true, "email": true, "gender": true, "birthdate": true,
	"phone_number": true, "address": true,
	// The identity keys Convex maps them to (name, nickname, email and
	// gender keep their names).
	"givenName": true, "familyName": true, "preferredUsername": true,
	"profileUrl": true, "pictureUrl": true, "websiteUrl": true,
	"birthday": true, "phoneNumber": true,
	// Clerk template shortcodes.
	"first_name": true, "last_name": true, "full_name": true, "username": true,
	"image_url": true, "email_address": true, "primary_email_address": true,
}

// Redacted replaces a hidden value.
const Redacted = "‹redacted›"

// IsPersonal reports whether a claim name or identity key holds personal
// data. Dotted keys (flattened customJwt claims such as "properties.email")
// count by their last part.
func IsPersonal(name string) bool {
	if personalClaims[name] {
		return true
	}
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return personalClaims[name[i+1:]]
	}
	return false
}

// RedactIdentity replaces the personal fields of an identity JSON object by
// Redacted, keeping the keys and their order. Text that is not a JSON
// object is returned unchanged, with ok false.
func RedactIdentity(text string) (out string, ok bool) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return text, false
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for dec.More() {
		tok, err := dec.Token()
		k, isKey := tok.(string)
		var raw json.RawMessage
		if err != nil || !isKey || dec.Decode(&raw) != nil {
			return text, false
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		kj, _ := json.Marshal(k)
		b.Write(kj)
		b.WriteByte(':')
		if IsPersonal(k) {
			raw, _ = json.Marshal(Redacted)
		}
		b.Write(raw)
	}
	if _, err := dec.Token(); err != nil {
		return text, false
	}
	b.WriteByte('}')
	return b.String(), true
}

// IsPersonalLabel reports whether a step field's label ("Email", "given
// name") names a personal claim.
func IsPersonalLabel(label string) bool {
	return IsPersonal(strings.ToLower(strings.ReplaceAll(label, " ", "_")))
}

// Redacted returns a copy of the timeline with every personal value
// replaced by Redacted: personal claims, personal step fields and the
// personal fields of the identity. It is what `check --json --redact`
// prints. The timeline itself is left as it is.
func (t *Timeline) Redacted() *Timeline {
	c := *t
	c.Rounds = make([]Round, len(t.Rounds))
	for i, r := range t.Rounds {
		r.Steps = append([]Step(nil), r.Steps...)
		for j := range r.Steps {
			r.Steps[j].Detail = r.Steps[j].Detail.Redacted()
		}
		c.Rounds[i] = r
	}
	return &c
}

// Redacted returns a copy of the detail with every personal value
// replaced by Redacted (and no raw token), or nil for nil.
func (d *Detail) Redacted() *Detail {
	if d == nil {
		return nil
	}
	c := *d
	if len(d.Fields) > 0 {
		c.Fields = append([]Field(nil), d.Fields...)
		for i := range c.Fields {
			if IsPersonalLabel(c.Fields[i].Label) {
				c.Fields[i].Value = Redacted
			}
		}
	}
	if d.Token != nil {
		tok := *d.Token
		tok.Raw = ""
		tok.Claims = append([]Claim(nil), d.Token.Claims...)
		hidden, _ := json.Marshal(Redacted)
		for i := range tok.Claims {
			if IsPersonal(tok.Claims[i].Name) {
				tok.Claims[i].JSON = string(hidden)
			}
		}
		c.Token = &tok
	}
	if d.JWKS != nil && d.JWKS.Identity != "" {
		j := *d.JWKS
		j.Identity, _ = RedactIdentity(j.Identity)
		c.JWKS = &j
	}
	return &c
}
