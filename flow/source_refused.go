package flow

import (
	"context"
	"errors"
)

// RefusedSource stands in for a token source that could not be set up,
// such as a browser sign-in with a production publishable key, which Clerk
// refuses on a loopback origin (SPEC.md: Production keys). Running it still
// gives a run with a verdict and a diagnosis: SignIn fails at step 1 with
// Err, and the runner diagnoses that.
type RefusedSource struct {
	// SourceKind and SourceName are what Kind and Name report.
	SourceKind, SourceName string
	// Err is why the source was refused.
	Err error
}

var _ Source = (*RefusedSource)(nil)

// Kind returns SourceKind.
func (s *RefusedSource) Kind() string { return s.SourceKind }

// Name returns SourceName.
func (s *RefusedSource) Name() string { return s.SourceName }

// SignIn returns Err, marked as a refused sign-in: nothing is opened, and
// nothing decides isAuthenticated.
func (s *RefusedSource) SignIn(context.Context, Reporter) error {
	if s.Err == nil {
		return WithUndecided(UndecidedSignInRefused, errors.New("the token source was refused"))
	}
	return WithUndecided(UndecidedSignInRefused, s.Err)
}

// FetchToken cannot fetch anything.
func (s *RefusedSource) FetchToken(context.Context, bool) (TokenResult, error) {
	return TokenResult{}, s.SignIn(context.Background(), nil)
}

// Close does nothing.
func (s *RefusedSource) Close() error { return nil }
