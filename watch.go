package ogcard

import (
	"context"
	"time"

	"github.com/ogcard/ogcard/internal/watch"
)

// TempFilePrefix starts the names of the temporary files ogcard writes
// before renaming them into place; watchers and cleaners may ignore them.
const TempFilePrefix = ".ogcard-tmp-"

// WatchOptions configure Watch. The zero value works.
type WatchOptions struct {
	// Debounce is how long events must stop before Watch reports them;
	// 0 means 200 ms.
	Debounce time.Duration
	// Skip says whether to ignore a path (and, for a folder, everything in
	// it): an output folder, .git. nil skips nothing.
	Skip func(path string, isDir bool) bool
	// Ready, when set, is called once every folder is watched.
	Ready func()
}

// Watch watches root and the folders below it (new ones as they appear)
// until ctx is done, and calls onChange on its own goroutine with the
// paths that changed, sorted, once events have been quiet for the
// debounce time: what `ogcard build --watch` rebuilds on. It returns nil
// when ctx is done, else the first error of onChange or of the watcher.
func Watch(ctx context.Context, root string, o WatchOptions, onChange func(ctx context.Context, paths []string) error) error {
	return watch.Run(ctx, root, watch.Options{Debounce: o.Debounce, Skip: o.Skip, Ready: o.Ready}, onChange)
}
