package diagnose

import (
	"errors"
	"fmt"

	"github.com/authscope/authscope/flow/untrusted"
)

// projectPublishableKeyInvalid finds publishable-key-invalid: the
// publishable key does not decode as Clerk builds keys (pk_test_ or
// pk_live_, then the base64 of the Frontend API host and a "$").
func projectPublishableKeyInvalid(p *projectFacts) []Finding {
	pk := p.PublishableKey
	if !pk.Known || pk.Value == "" || p.KeyErr == nil {
		return nil
	}
	detail := untrusted.Text(p.KeyErr.Error(), 200)
	var h interface{ Hint() string }
	if errors.As(p.KeyErr, &h) {
		detail += " " + h.Hint()
	}
	f := Finding{Title: fmt.Sprintf("The publishable key %s (%s) is not valid", pk.Name, pk.Source)}
	f.note("key", detail)
	f.Fix = fmt.Sprintf("Copy the publishable key from the Clerk Dashboard (API keys) into %s.", pk.Name)
	return []Finding{f}
}
