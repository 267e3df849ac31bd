package post

import (
	"errors"
	"fmt"
	"io"
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
	data, err := readSized(io.LimitReader(f, MaxFileBytes+1), info.Size())
	if err != nil {
		return nil, &Error{Path: path, Err: fmt.Errorf("read: %w", withoutPath(err))}
	}
	return Parse(path, data)
}

// readSized reads r to its end into a buffer made for size bytes (and the
// read that finds the end), growing it only if r has more. io.ReadAll
// starts at 512 bytes and doubles, allocating and copying a post several
// times over.
func readSized(r io.Reader, size int64) ([]byte, error) {
	data := make([]byte, 0, min(max(size, 0), MaxFileBytes)+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // room for more
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
	}
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
