// Package atomicfile writes files so that a reader, or a later run after a
// crash, sees either the old content or the new, never a truncated file.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// TempPrefix starts the names of temporary files, so a later run can find
// and remove the ones a killed process left behind.
const TempPrefix = ".ogcard-tmp-"

// WriteFile writes data to a temporary file in path's folder, syncs and
// closes it, checks every error, and renames it over path.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return writeFile(path, data, perm, true)
}

// A Batch writes files as WriteFile does, by temporary file and rename,
// but does not sync each one: Sync makes all of them durable at once (one
// syncfs(2) per filesystem on Linux). A reader, or a later run after the
// process is killed, still sees the old content or the new; only after a
// power failure may a file written since the last Sync be empty or stale,
// so a caller records a file as complete only once Sync has returned. A
// batch build writes a thousand cards between two records of its state;
// syncing each (file and folder) cost it more than a second.
//
// A Batch is safe for concurrent use.
type Batch struct {
	mu      sync.Mutex
	pending []string // written since the last Sync
}

// WriteFile writes data at path by temporary file and rename, unsynced.
func (b *Batch) WriteFile(path string, data []byte, perm os.FileMode) error {
	if err := writeFile(path, data, perm, false); err != nil {
		return err
	}
	b.mu.Lock()
	b.pending = append(b.pending, path)
	b.mu.Unlock()
	return nil
}

// Sync makes the files written since the last Sync, and their names,
// durable.
func (b *Batch) Sync() error {
	b.mu.Lock()
	paths := b.pending
	b.pending = nil
	b.mu.Unlock()
	if len(paths) == 0 {
		return nil
	}
	if err := syncPaths(paths); err != nil {
		b.mu.Lock()
		b.pending = append(b.pending, paths...) // still not known to be durable
		b.mu.Unlock()
		return err
	}
	return nil
}

// syncFiles fsyncs each file of paths and each folder they are in: the
// portable Sync, and Linux's where syncfs fails.
func syncFiles(paths []string) error {
	dirs := map[string]bool{}
	for _, p := range paths {
		if err := syncOne(p); err != nil {
			return err
		}
		dirs[filepath.Dir(p)] = true
	}
	for d := range dirs {
		syncOne(d) // a folder that cannot be synced (some filesystems) is no error
	}
	return nil
}

func syncOne(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

func writeFile(path string, data []byte, perm os.FileMode, sync bool) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, TempPrefix+base+"-*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the temporary name means nothing to the user
		}
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes 0600 files; cards are meant to be served. (By the
	// open file: no second walk of the path.)
	if err = f.Chmod(perm); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if sync {
		if err = f.Sync(); err != nil {
			f.Close()
			return fmt.Errorf("sync %s: %w", path, err)
		}
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename into %s: %w", path, err)
	}
	// Sync the folder so the rename itself survives a crash; a folder
	// that cannot be synced (some filesystems) is no error.
	if !sync {
		return nil
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// IsTemp reports whether name is one of WriteFile's temporary files.
func IsTemp(name string) bool { return strings.HasPrefix(filepath.Base(name), TempPrefix) }

// CleanDir removes temporary files left in dir (not recursive) by killed
// runs, and returns how many it removed.
func CleanDir(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() && IsTemp(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err == nil {
				n++
			}
		}
	}
	return n, nil
}

// dirOf is path's folder, "." for a bare name.
func dirOf(path string) string {
	if d := filepath.Dir(path); d != "" {
		return d
	}
	return "."
}
