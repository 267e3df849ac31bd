package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncPaths makes paths durable with one syncfs(2) per filesystem they are
// on (found by each folder's device), falling back to syncing each file
// and folder where syncfs fails.
func syncPaths(paths []string) error {
	seen := map[uint64]bool{}
	for _, p := range paths {
		dir := dirOf(p)
		var st unix.Stat_t
		if err := unix.Stat(dir, &st); err != nil {
			return syncFiles(paths)
		}
		if seen[uint64(st.Dev)] {
			continue
		}
		seen[uint64(st.Dev)] = true
		d, err := os.Open(dir)
		if err != nil {
			return syncFiles(paths)
		}
		err = unix.Syncfs(int(d.Fd()))
		d.Close()
		if err != nil {
			return syncFiles(paths)
		}
	}
	return nil
}
