package diagnose_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/flow/diagnose"
)

// readmeRow is one row of the README's cause tables.
type readmeRow struct {
	code, title string
	// scenarios is nil when the table has no scenario column.
	scenarios []string
}

var backticked = regexp.MustCompile("`([^`]+)`")

// readmeCauses reads the rows of the tables in the README's section on
// causes, in order.
func readmeCauses(t *testing.T) []readmeRow {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "## Why `isAuthenticated` is false")
	if start < 0 {
		t.Fatal("the README has no section on the causes")
	}
	section := text[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	var rows []readmeRow
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		row := readmeRow{code: strings.Trim(cells[0], "`"), title: strings.ReplaceAll(cells[1], "`", "")}
		if len(cells) == 4 {
			row.scenarios = []string{}
			for _, m := range backticked.FindAllStringSubmatch(cells[3], -1) {
				row.scenarios = append(row.scenarios, m[1])
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// TestReadmeListsEveryRule: the README's cause tables and the rule table
// list the same codes, in the same order, with the same titles, and each
// runtime row names the demo scenarios that produce its cause.
func TestReadmeListsEveryRule(t *testing.T) {
	rows := readmeCauses(t)
	rules := diagnose.Rules()
	var readmeCodes, ruleCodes []string
	for _, r := range rows {
		readmeCodes = append(readmeCodes, r.code)
	}
	for _, r := range rules {
		ruleCodes = append(ruleCodes, r.Code)
	}
	if !slices.Equal(readmeCodes, ruleCodes) {
		t.Fatalf("the README lists the codes\n%v\nthe rule table has\n%v", readmeCodes, ruleCodes)
	}
	scenarios := map[string][]string{}
	for _, sc := range demo.All() {
		if sc.Cause != "" {
			scenarios[sc.Cause] = append(scenarios[sc.Cause], sc.Name)
		}
	}
	for i, row := range rows {
		r := rules[i]
		if row.title != r.Title {
			t.Errorf("%s: the README says\n  %q\nthe rule says\n  %q", r.Code, row.title, r.Title)
		}
		switch {
		case row.scenarios == nil && r.Runtime():
			t.Errorf("%s is found in rounds but sits in a table without scenarios", r.Code)
		case row.scenarios != nil && !r.Runtime():
			t.Errorf("%s is found only in projects but sits in the table of rounds", r.Code)
		case row.scenarios != nil:
			want := scenarios[r.Code]
			slices.Sort(want)
			got := slices.Sorted(slices.Values(row.scenarios))
			if !slices.Equal(got, want) {
				t.Errorf("%s: the README names the scenarios %v, the demo has %v", r.Code, got, want)
			}
		}
	}
}
