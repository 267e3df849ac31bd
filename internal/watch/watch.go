// Package watch reports changes under a folder tree, gathered over a quiet
// period, for `ogcard build --watch` next to a site generator's own server.
// It wraps github.com/fsnotify/fsnotify, which watches single folders: Run
// adds every subfolder, and new ones as they appear.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce is the quiet time Run waits for when Options.Debounce is
// 0: editors save a file as several writes and renames within a few
// milliseconds, and a `git checkout` touches many files at once.
const DefaultDebounce = 200 * time.Millisecond

// Options configure Run. The zero value works.
type Options struct {
	// Debounce is how long events must stop before Run reports them.
	Debounce time.Duration
	// Skip says whether to ignore a path (and, for a folder, everything in
	// it): the output folder, .git. nil skips nothing.
	Skip func(path string, isDir bool) bool
	// Ready, when set, is called once every folder is watched, before any
	// change is reported: what a test waits for before writing a file.
	Ready func()
}

// Run watches root and its subfolders until ctx is done, and calls
// onChange with the paths that changed (created, written, removed or
// renamed; sorted, each once) whenever events have been quiet for the
// debounce time. onChange runs on Run's goroutine; what changes meanwhile
// is reported by the next call. Run returns nil when ctx is done, and
// otherwise the first error of onChange or of the watcher.
func Run(ctx context.Context, root string, o Options, onChange func(ctx context.Context, paths []string) error) error {
	if o.Debounce <= 0 {
		o.Debounce = DefaultDebounce
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", root, err)
	}
	defer w.Close()
	if err := addTree(w, root, o.Skip); err != nil {
		return err
	}
	if o.Ready != nil {
		o.Ready()
	}
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			// An overflowed kernel queue loses events: report the whole
			// tree as changed rather than miss an edit.
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				pending[root] = true
				timer.Reset(o.Debounce)
				continue
			}
			return fmt.Errorf("watch %s: %w", root, err)
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Op == fsnotify.Chmod {
				continue // touching permissions changes no card
			}
			st, statErr := os.Stat(ev.Name)
			isDir := statErr == nil && st.IsDir()
			if o.Skip != nil && o.Skip(ev.Name, isDir) {
				continue
			}
			if isDir && ev.Has(fsnotify.Create) {
				// A new folder (a new page bundle): watch it and what it
				// already holds, which may have been written before the
				// watch was in place.
				if err := addTree(w, ev.Name, o.Skip); err != nil {
					return err
				}
			}
			pending[ev.Name] = true
			timer.Reset(o.Debounce)
		case <-timer.C:
			paths := make([]string, 0, len(pending))
			for p := range pending {
				paths = append(paths, p)
			}
			slices.Sort(paths)
			clear(pending)
			if err := onChange(ctx, paths); err != nil {
				return err
			}
		}
	}
}

// addTree watches dir and every folder below it that skip allows.
func addTree(w *fsnotify.Watcher, dir string, skip func(string, bool) bool) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path != dir && errors.Is(err, fs.ErrNotExist) {
				return nil // removed while we walked
			}
			return fmt.Errorf("watch %s: %w", path, err)
		}
		if !d.IsDir() {
			return nil
		}
		if path != dir && skip != nil && skip(path, true) {
			return filepath.SkipDir
		}
		if err := w.Add(path); err != nil {
			return fmt.Errorf("watch %s: %w (on Linux, raise fs.inotify.max_user_watches)", path, err)
		}
		return nil
	})
}
