package devinstance

import (
	"strings"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

// Ids of the default demo users. They are fixed so that demos, scenarios
// and tests can name a user.
const (
	DemoUserAda   = "user_2demoAdaLovelace0000001"
	DemoUserGrace = "user_2demoGraceHopper000002"
)

// DefaultUsers are the two demo users of a dev instance.
func DefaultUsers() []clerk.User {
	return []clerk.User{
		{ID: DemoUserAda, FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Username: "ada", EmailVerified: true},
		{ID: DemoUserGrace, FirstName: "Grace", LastName: "Hopper", Email: "grace@example.com", Username: "grace", EmailVerified: true},
	}
}

// findUser looks a sign-in identifier up the way the demo sign-in does: a
// user id, an email address or a username.
func (d *Instance) findUser(identifier string) (clerk.User, bool) {
	if u, ok := d.userByID[identifier]; ok {
		return u, true
	}
	for _, u := range d.users {
		if (u.Email != "" && u.Email == identifier) || (u.Username != "" && u.Username == identifier) {
			return u, true
		}
	}
	return clerk.User{}, false
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// userJSON converts a demo user.
func userJSON(u clerk.User, created time.Time) *clerk.UserJSON {
	uj := &clerk.UserJSON{
		Object: "user", ID: u.ID, Username: strPtr(u.Username), FirstName: strPtr(u.FirstName),
		LastName: strPtr(u.LastName), ImageURL: u.ImageURL, HasImage: u.ImageURL != "",
		EmailAddresses: []clerk.EmailAddressJSON{}, PhoneNumbers: []any{},
		PublicMetadata: map[string]any{}, UnsafeMetadata: map[string]any{},
		CreatedAt: ms(created), UpdatedAt: ms(created),
	}
	if u.Email != "" {
		id := "idn_" + strings.TrimPrefix(u.ID, "user_")
		status := "unverified"
		if u.EmailVerified {
			status = "verified"
		}
		uj.PrimaryEmailAddressID = &id
		uj.EmailAddresses = []clerk.EmailAddressJSON{{Object: "email_address", ID: id, EmailAddress: u.Email,
			Verification: &clerk.VerificationJSON{Status: status, Strategy: "email_code"}}}
	}
	return uj
}
