// Package safefile opens the files a user names (posts, images, fonts,
// config, templates) so that a file that is not a regular one fails at
// once instead of blocking, and reads them under a size cap.
//
// Opening a named pipe (FIFO) for reading blocks until a writer appears,
// which may be never; some devices block or have side effects on open. So
// every open here first stats the name (which never blocks) and refuses
// anything but a regular file, then opens with O_NONBLOCK and O_NOCTTY
// (where the OS has them) and checks the opened file again with fstat,
// which closes the window in which the name could be swapped for a pipe.
// Nothing is read before both checks pass.
//
// Files inside a folder are opened through an os.Root, so a name cannot
// escape the folder by ".." or a symbolic link.
//
// Every function is safe for concurrent use.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotRegular is wrapped by the error for a folder, named pipe, socket,
// device or anything else that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by the error for a file over its size cap.
var ErrTooLarge = errors.New("file too large")

// NotRegularError says what a refused file is. It matches ErrNotRegular
// with errors.Is.
type NotRegularError struct {
	Mode fs.FileMode // the file's type bits
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("is %s, not a regular file; ogcard reads only regular files, so point to one instead", Kind(e.Mode))
}

func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// Kind names a file type for a message: "a named pipe (FIFO)", "a folder".
func Kind(m fs.FileMode) string {
	switch t := m.Type(); {
	case t == 0:
		return "a regular file"
	case t&fs.ModeDir != 0:
		return "a folder"
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&fs.ModeCharDevice != 0:
		return "a character device"
	case t&fs.ModeDevice != 0:
		return "a block device"
	case t&fs.ModeSymlink != 0:
		return "a symbolic link"
	case t&fs.ModeIrregular != 0:
		return "an irregular file"
	default:
		return "a " + t.String() + " file"
	}
}

// check returns nil when info is a regular file, else an *fs.PathError
// wrapping a *NotRegularError.
func check(op, name string, info fs.FileInfo) error {
	if info.Mode().IsRegular() {
		return nil
	}
	return &fs.PathError{Op: op, Path: name, Err: &NotRegularError{Mode: info.Mode()}}
}

// Open opens name inside root for reading. It fails at once, without
// blocking, unless name is a regular file (symbolic links inside root are
// followed). The caller closes the file.
func Open(root *os.Root, name string) (*os.File, error) {
	info, err := root.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := check("open", name, info); err != nil {
		return nil, err
	}
	f, err := root.OpenFile(name, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	return verify(f, name)
}

// OpenPath opens the file at path for reading, with Open's checks but no
// root: for a file the user named on the command line.
func OpenPath(path string) (*os.File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := check("open", path, info); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	return verify(f, path)
}

// OpenInRoot opens name inside the folder dir, as os.OpenInRoot does, with
// Open's checks.
func OpenInRoot(dir, name string) (*os.File, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return Open(root, name)
}

// verify checks the opened file itself: the name may have been replaced
// between the stat and the open.
func verify[F fs.File](f F, name string) (F, error) {
	info, err := f.Stat()
	if err == nil {
		err = check("open", name, info)
	}
	if err != nil {
		f.Close()
		var none F
		return none, err
	}
	return f, nil
}

// ReadAll reads r to the end, at most limit bytes. One byte more fails
// with an *fs.PathError naming name and wrapping ErrTooLarge.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	return readAll(r, name, limit, 0)
}

func readAll(r io.Reader, name string, limit, size int64) ([]byte, error) {
	data, err := ReadUpTo(r, limit+1, size)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(name, limit)
	}
	return data, nil
}

// ReadUpTo reads r to its end or to n bytes, into a buffer made for size
// bytes (what Stat said; and the read that finds the end), growing it only
// if r has more. io.ReadAll starts at 512 bytes and doubles, allocating
// and copying a file several times over.
func ReadUpTo(r io.Reader, n, size int64) ([]byte, error) {
	lr := io.LimitedReader{R: r, N: n}
	data := make([]byte, 0, min(max(size, 0), n)+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // room for more
		}
		k, err := lr.Read(data[len(data):cap(data)])
		data = data[:len(data)+k]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
	}
}

func tooLarge(name string, limit int64) error {
	return &fs.PathError{Op: "read", Path: name,
		Err: fmt.Errorf("%w: over the limit of %d bytes; make it smaller", ErrTooLarge, limit)}
}

// Read reads the regular file name inside root, at most limit bytes.
func Read(root *os.Root, name string, limit int64) ([]byte, error) {
	f, err := Open(root, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readChecked(f, name, limit)
}

// ReadPath reads the regular file at path, at most limit bytes.
func ReadPath(path string, limit int64) ([]byte, error) {
	f, err := OpenPath(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readChecked(f, path, limit)
}

// readChecked refuses a file whose size is over limit before reading it,
// then reads at most limit+1 bytes (the size may change, or lie).
func readChecked(f fs.File, name string, limit int64) ([]byte, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() > limit {
		return nil, tooLarge(name, limit)
	}
	return readAll(f, name, limit, info.Size())
}

// OpenFS opens name in fsys with Open's checks: fsys from FS gets them
// all; any other fsys (embed.FS, fstest.MapFS, os.DirFS) is checked with
// fs.Stat before the open and with the file's Stat after it.
func OpenFS(fsys fs.FS, name string) (fs.File, error) {
	if r, ok := fsys.(rootFS); ok {
		if !fs.ValidPath(name) {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
		}
		return Open(r.root, filepath.FromSlash(name))
	}
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if err := check("open", name, info); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	return verify(f, name)
}

// ReadFS reads the regular file name in fsys, at most limit bytes.
func ReadFS(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := OpenFS(fsys, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readChecked(f, name, limit)
}

// FS returns root as an fs.FS whose Open refuses, without blocking,
// anything but a folder or a regular file. Use it where code takes an
// fs.FS (fs.Glob, fs.ReadFile) instead of root.FS().
func FS(root *os.Root) fs.FS { return rootFS{root} }

type rootFS struct{ root *os.Root }

func (r rootFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	native := filepath.FromSlash(name)
	info, err := r.root.Stat(native)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return r.root.Open(native) // opening a folder does not block
	}
	return Open(r.root, native)
}

func (r rootFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	return r.root.Stat(filepath.FromSlash(name))
}

func (r rootFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return fs.ReadDir(r.root.FS(), name)
}
