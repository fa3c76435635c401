package diagnose

import "github.com/authscope/authscope/flow/convex/wire"

// frameTooLarge finds frame-too-large: a frame header announced more than
// the client's message limit, and the client refused it at the header,
// before reading any of it. A deployment answering Authenticate sends a
// few hundred bytes.
func frameTooLarge(d *round) *Finding {
	kind, te := d.transport()
	if kind != wire.Oversize || te == nil {
		return nil
	}
	f := &Finding{Title: "The server announced a message larger than the client accepts; it was refused at its header, unread"}
	size := wire.Bytes(te.Announced) + " (announced)"
	if te.Announced == 0 {
		// The library counted past the limit across fragments.
		f.Title = "The server sent a message larger than the client accepts; it was refused while being read"
		size = "more than " + wire.Bytes(te.Limit)
	}
	f.compare("frame size", "at most "+wire.Bytes(te.Limit), size)
	f.sentNote(te)
	f.Fix = "A Convex deployment answers Authenticate with a few hundred bytes, so something other than the deployment is answering: " +
		"check the deployment URL and any proxy in between, then run authscope again."
	return f
}
