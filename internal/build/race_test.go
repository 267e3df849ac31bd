//go:build race

package build

// raceStride thins the interruption tests under the race detector, which
// makes rendering some ten times slower: every step is still run without
// it.
const raceStride = 6
