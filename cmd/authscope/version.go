package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// version is authscope's version as the build recorded it: the module
// version for `go install …@latest` (or a tagged build), else "(devel)"
// with the commit when the build recorded one (go build in a checkout),
// and "(devel)" alone for `go run`.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	if v != "" && v != "(devel)" {
		return v + " (" + info.GoVersion + ")"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "(devel) (" + info.GoVersion + ")"
	}
	return "(devel) (commit " + rev + modified + ", " + info.GoVersion + ")"
}

func printVersion(w io.Writer) int {
	fmt.Fprintln(w, "authscope "+version())
	return exitAuthenticated
}
