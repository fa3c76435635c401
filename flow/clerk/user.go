package clerk

// User is a Clerk user as a page sees it: the fields of UserJSON a
// browser flow reads (ClientState.User), and the demo users of the dev
// instance.
type User struct {
	ID, FirstName, LastName, Email, Username, ImageURL string
	EmailVerified                                      bool
}

// FullName is "First Last", trimmed; Clerk's user.full_name.
func (u User) FullName() string {
	switch {
	case u.FirstName == "":
		return u.LastName
	case u.LastName == "":
		return u.FirstName
	}
	return u.FirstName + " " + u.LastName
}
