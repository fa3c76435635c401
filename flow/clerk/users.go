package clerk

// Ids of the default demo users. They are fixed so that demos, scenarios
// and tests can name a user.
const (
	DemoUserAda   = "user_2demoAdaLovelace0000001"
	DemoUserGrace = "user_2demoGraceHopper000002"
)

// DefaultUsers are the two demo users of a dev instance.
func DefaultUsers() []User {
	return []User{
		{ID: DemoUserAda, FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Username: "ada", EmailVerified: true},
		{ID: DemoUserGrace, FirstName: "Grace", LastName: "Hopper", Email: "grace@example.com", Username: "grace", EmailVerified: true},
	}
}

// findUser looks a sign-in identifier up the way the demo sign-in does: a
// user id, an email address or a username.
func (d *DevInstance) findUser(identifier string) (User, bool) {
	if u, ok := d.userByID[identifier]; ok {
		return u, true
	}
	for _, u := range d.users {
		if (u.Email != "" && u.Email == identifier) || (u.Username != "" && u.Username == identifier) {
			return u, true
		}
	}
	return User{}, false
}
