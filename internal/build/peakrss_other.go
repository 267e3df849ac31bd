//go:build !linux

package build

// PeakRSS returns 0: peak memory is only read on Linux.
func PeakRSS() int64 { return 0 }
