package diagnose

// Finding is one diagnosed cause of isAuthenticated: false, found in a
// round or in the project's files.
type Finding struct {
	// Code is the rule's stable kebab-case code.
	Code  string `json:"code"`
	Title string `json:"title"`
	// Evidence puts what Convex or Clerk expects beside what was found,
	// and the facts that explain the cause.
	Evidence []Comparison `json:"evidence,omitempty"`
	Fix      string       `json:"fix"`
	// Docs is the public page (docs.convex.dev, clerk.com/docs) that
	// explains the cause.
	Docs string `json:"docs,omitempty"`
}

// Comparison puts what the backend expects beside what it got. A fact has
// no expectation: only Actual is set and OK is true.
type Comparison struct {
	Label    string `json:"label"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
	OK       bool   `json:"ok"`
}

// Labels of the evidence that quotes the backend's answer, which a
// finding of a round carries first (round.finding).
const (
	LabelBackendSaid   = "backend said"
	LabelBackendClosed = "backend closed"
)

// IsBackendAnswer reports whether the comparison quotes what the backend
// answered (its message, or how it closed the socket) rather than evidence
// of the cause: a report that shows the verdict's answer already can leave
// it out of the cause, instead of saying it twice.
func (c Comparison) IsBackendAnswer() bool {
	return c.Expected == "" && (c.Label == LabelBackendSaid || c.Label == LabelBackendClosed)
}

// compare adds an expected-against-actual row, and a code-point view of
// the two when they differ but look alike or hold characters a terminal
// would not show: those are findings in themselves.
func (f *Finding) compare(label, expected, actual string) {
	f.Evidence = append(f.Evidence, Comparison{Label: label, Expected: expected, Actual: actual, OK: expected == actual})
	if expected != actual && (lookAlike(expected, actual) || hasHidden(expected) || hasHidden(actual)) {
		f.codePoints(label, expected, actual)
	}
}

// codePoints adds the code-point view of two strings around their first
// difference.
func (f *Finding) codePoints(label, expected, actual string) {
	e, a := codePointDiff(expected, actual)
	f.Evidence = append(f.Evidence, Comparison{Label: label + " code points", Expected: e, Actual: a})
}

// note adds a piece of evidence with no expectation.
func (f *Finding) note(label, actual string) { f.Evidence = append(f.Evidence, fact(label, actual)) }

// fact is a piece of evidence with no expectation.
func fact(label, actual string) Comparison { return Comparison{Label: label, Actual: actual, OK: true} }
