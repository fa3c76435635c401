package clerk

// JSON shapes of the Frontend API subset authscope speaks, named after
// ClerkJS's types (EnvironmentJSON, ClientJSON, SessionJSON, UserJSON,
// TokenJSON in @clerk/shared types/json.ts; SPEC.md "Frontend API
// requests"). Only the fields a browser flow reads are filled. The dev
// instance writes them and FAPIClient reads them, so the two cannot
// disagree.

// TokenJSON is a minted token: {"object": "token", "jwt": "…"}.
type TokenJSON struct {
	Object string `json:"object"`
	JWT    string `json:"jwt"`
}

// DevBrowserJSON answers POST /v1/dev_browser; ClerkJS stores ID as
// __clerk_db_jwt (older ClerkJS read "token" instead).
type DevBrowserJSON struct {
	Object string `json:"object"`
	ID     string `json:"id"`
}

// VerificationJSON is the verification of an email address.
type VerificationJSON struct {
	Status   string `json:"status"`
	Strategy string `json:"strategy"`
}

// EmailAddressJSON is one email address of a user.
type EmailAddressJSON struct {
	Object       string            `json:"object"`
	ID           string            `json:"id"`
	EmailAddress string            `json:"email_address"`
	Verification *VerificationJSON `json:"verification"`
}

// UserJSON is a user.
type UserJSON struct {
	Object                string             `json:"object"`
	ID                    string             `json:"id"`
	Username              *string            `json:"username"`
	FirstName             *string            `json:"first_name"`
	LastName              *string            `json:"last_name"`
	ImageURL              string             `json:"image_url"`
	HasImage              bool               `json:"has_image"`
	PrimaryEmailAddressID *string            `json:"primary_email_address_id"`
	EmailAddresses        []EmailAddressJSON `json:"email_addresses"`
	PhoneNumbers          []any              `json:"phone_numbers"`
	PublicMetadata        map[string]any     `json:"public_metadata"`
	UnsafeMetadata        map[string]any     `json:"unsafe_metadata"`
	PasswordEnabled       bool               `json:"password_enabled"`
	TwoFactorEnabled      bool               `json:"two_factor_enabled"`
	CreatedAt             int64              `json:"created_at"`
	UpdatedAt             int64              `json:"updated_at"`
}

// PublicUserDataJSON is the public part of a session's user.
type PublicUserDataJSON struct {
	FirstName  *string `json:"first_name"`
	LastName   *string `json:"last_name"`
	ImageURL   string  `json:"image_url"`
	HasImage   bool    `json:"has_image"`
	Identifier string  `json:"identifier"`
}

// SessionJSON is a session.
type SessionJSON struct {
	Object                   string              `json:"object"`
	ID                       string              `json:"id"`
	Status                   string              `json:"status"`
	ExpireAt                 int64               `json:"expire_at"`
	AbandonAt                int64               `json:"abandon_at"`
	LastActiveAt             int64               `json:"last_active_at"`
	LastActiveOrganizationID *string             `json:"last_active_organization_id"`
	LastActiveToken          *TokenJSON          `json:"last_active_token"`
	Actor                    any                 `json:"actor"`
	User                     *UserJSON           `json:"user"`
	PublicUserData           *PublicUserDataJSON `json:"public_user_data"`
	FactorVerificationAge    []int64             `json:"factor_verification_age"`
	CreatedAt                int64               `json:"created_at"`
	UpdatedAt                int64               `json:"updated_at"`
}

// SignInJSON is a sign-in attempt.
type SignInJSON struct {
	Object               string   `json:"object"`
	ID                   string   `json:"id"`
	Status               string   `json:"status"`
	SupportedIdentifiers []string `json:"supported_identifiers"`
	Identifier           string   `json:"identifier"`
	CreatedSessionID     *string  `json:"created_session_id"`
	AbandonAt            int64    `json:"abandon_at"`
}

// ClientJSON is the browser's client: its sessions and the last active one.
type ClientJSON struct {
	Object              string        `json:"object"`
	ID                  string        `json:"id"`
	Sessions            []SessionJSON `json:"sessions"`
	SignIn              *SignInJSON   `json:"sign_in"`
	SignUp              any           `json:"sign_up"`
	LastActiveSessionID *string       `json:"last_active_session_id"`
	CreatedAt           int64         `json:"created_at"`
	UpdatedAt           int64         `json:"updated_at"`
}

// DisplayConfigJSON is the part of the environment that names the
// Account Portal pages.
type DisplayConfigJSON struct {
	Object                  string `json:"object"`
	ID                      string `json:"id"`
	InstanceEnvironmentType string `json:"instance_environment_type"`
	ApplicationName         string `json:"application_name"`
	SignInURL               string `json:"sign_in_url"`
	SignUpURL               string `json:"sign_up_url"`
	UserProfileURL          string `json:"user_profile_url"`
	HomeURL                 string `json:"home_url"`
	AfterSignInURL          string `json:"after_sign_in_url"`
	AfterSignOutAllURL      string `json:"after_sign_out_all_url"`
	AfterSignOutOneURL      string `json:"after_sign_out_one_url"`
	PreferredSignInStrategy string `json:"preferred_sign_in_strategy"`
	Branded                 bool   `json:"branded"`
}

// EnvironmentJSON answers GET /v1/environment.
type EnvironmentJSON struct {
	Object               string            `json:"object"`
	ID                   string            `json:"id"`
	AuthConfig           map[string]any    `json:"auth_config"`
	DisplayConfig        DisplayConfigJSON `json:"display_config"`
	UserSettings         map[string]any    `json:"user_settings"`
	OrganizationSettings map[string]any    `json:"organization_settings"`
	MaintenanceMode      bool              `json:"maintenance_mode"`
}

// Envelope wraps resource answers: {"response": …, "client": …}; ClerkJS
// reads json.response || json.
type Envelope[T any] struct {
	Response T           `json:"response"`
	Client   *ClientJSON `json:"client"`
}

// User converts a UserJSON back to a User.
func (uj *UserJSON) User() *User {
	if uj == nil {
		return nil
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	u := &User{ID: uj.ID, FirstName: deref(uj.FirstName), LastName: deref(uj.LastName),
		Username: deref(uj.Username), ImageURL: uj.ImageURL}
	for _, e := range uj.EmailAddresses {
		if uj.PrimaryEmailAddressID != nil && e.ID == *uj.PrimaryEmailAddressID {
			u.Email = e.EmailAddress
			u.EmailVerified = e.Verification != nil && e.Verification.Status == "verified"
		}
	}
	return u
}
