//go:build !linux

package atomicfile

// syncPaths makes paths durable by syncing each file and folder.
func syncPaths(paths []string) error { return syncFiles(paths) }
