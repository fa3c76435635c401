package flow

import "time"

// Clock is the time source of the engine. Tests inject a fake one so that
// refresh arithmetic and countdowns are deterministic.
type Clock interface {
	Now() time.Time
	// After waits for the duration to elapse and then sends the current time.
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// After is time.After.
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
