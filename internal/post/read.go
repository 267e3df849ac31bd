package post

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/ogcard/ogcard/internal/safefile"
)

// Read reads and parses the post file at path. It refuses a file larger than
// MaxFileBytes without reading it, and anything but a regular file (a
// named pipe, socket, device or folder) without blocking on it.
func Read(path string) (*Post, error) {
	f, err := safefile.OpenPath(path)
	if err != nil {
		return nil, &Error{Path: path, Err: withoutPath(err)}
	}
	defer f.Close()
	return readFile(f, path)
}

// ReadFS reads and parses the post file name in fsys (an os.Root's FS, an
// embed.FS, a fstest.MapFS), with the same limits as Read. Errors carry name
// as the path. Pass safefile.FS(root) rather than root.FS() so that a
// named pipe fails at once instead of blocking the open.
func ReadFS(fsys fs.FS, name string) (*Post, error) {
	f, err := safefile.OpenFS(fsys, name)
	if err != nil {
		return nil, &Error{Path: name, Err: withoutPath(err)}
	}
	defer f.Close()
	return readFile(f, name)
}

// readFile checks f's size, reads at most MaxFileBytes+1 bytes of it and
// parses them.
func readFile(f fs.File, path string) (*Post, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, &Error{Path: path, Err: withoutPath(err)}
	}
	if !info.Mode().IsRegular() {
		return nil, &Error{Path: path, Err: &safefile.NotRegularError{Mode: info.Mode()}}
	}
	if info.Size() > MaxFileBytes {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: file has %d bytes, the limit is %d",
			ErrTooLarge, info.Size(), MaxFileBytes)}
	}
	// The size may be wrong (a file that grows, a virtual file system), so
	// the read is bounded too; one byte over the cap makes Parse refuse it.
	data, err := safefile.ReadUpTo(f, MaxFileBytes+1, info.Size())
	if err != nil {
		return nil, &Error{Path: path, Err: fmt.Errorf("read: %w", withoutPath(err))}
	}
	return Parse(path, data)
}

// withoutPath drops the path from an *fs.PathError, which *Error already
// shows, keeping the operation and the cause (so errors.Is(err,
// fs.ErrNotExist) still holds).
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
