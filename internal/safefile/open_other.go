//go:build !unix

package safefile

// openFlags is empty where the OS has no O_NONBLOCK for opens; the stat
// before the open still refuses anything but a regular file.
const openFlags = 0
