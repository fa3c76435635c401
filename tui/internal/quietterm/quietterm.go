// Package quietterm keeps Bubble Tea from asking the terminal for its
// background colour while the program starts.
//
// Bubble Tea v1's package initialisation asks Lip Gloss whether the
// terminal's background is dark (bubbletea's tea_init.go), and termenv
// answers by writing an OSC 11 query and then waiting up to 5 s for a reply
// (termenv_unix.go, OSCTimeout). A terminal that never replies (a serial
// console, some SSH and container setups) would keep authscope's first
// frame waiting for seconds. This package's init runs first and tells Lip
// Gloss's default renderer the answer, so nothing is asked; the interface
// asks later, without blocking (see tui.Run).
//
// It works because Go initialises packages in import-path order among
// those whose imports are ready (the Go spec, "Package initialization"):
// github.com/authscope/… sorts before github.com/charmbracelet/bubbletea,
// and this package imports only Lip Gloss. TestInitBeforeBubbleTea in
// package tui checks the order.
package quietterm

import "github.com/charmbracelet/lipgloss"

func init() {
	// Dark is the usual background and what termenv assumes without an
	// answer; the interface corrects it when the terminal replies.
	lipgloss.SetHasDarkBackground(true)
}
