//go:build race

package render

// raceEnabled: under the race detector sync.Pool drops some Puts on
// purpose, so tests of what a pool keeps do not hold.
const raceEnabled = true
