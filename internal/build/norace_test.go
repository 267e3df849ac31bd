//go:build !race

package build

const raceStride = 1
