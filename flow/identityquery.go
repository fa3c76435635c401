package flow

import "context"

// identityQuery subscribes to the deployed query named by --identity-query
// on the authenticated connection and returns what it answered, so the
// user sees ctx.auth.getUserIdentity() as their own function sees it
// (the first step of https://docs.convex.dev/auth/debug: log
// getUserIdentity() in a function, to see whether authentication works on the
// backend).
func (r *Runner) identityQuery() Field {
	f := Field{Label: "ctx.auth.getUserIdentity() via " + r.cfg.IdentityQuery}
	r.mu.Lock()
	conn := r.conn
	r.mu.Unlock()
	if conn == nil {
		f.Value = "not asked: the connection closed after the verdict"
		return f
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.StepTimeout)
	defer cancel()
	val, qerr, err := conn.Subscribe(ctx, r.cfg.IdentityQuery, map[string]any{})
	switch {
	case err != nil:
		f.Value = "the query did not answer: " + err.Error()
	case qerr != nil:
		f.Value = "the query failed: " + qerr.Message
	default:
		f.Value = string(val)
	}
	return f
}
