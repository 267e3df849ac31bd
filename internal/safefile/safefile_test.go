//go:build unix

package safefile

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// within runs fn and fails the test if it has not returned after d: a
// blocking open must fail the test, not hang it.
func within[T any](t *testing.T, d time.Duration, fn func() (T, error)) (T, error) {
	t.Helper()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(d):
		t.Fatalf("still blocked after %v", d)
		panic("unreachable")
	}
}

// tree makes a folder with a regular file, a FIFO, a folder, a socket and
// a symbolic link to the FIFO.
func tree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "folder"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("fifo", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	// Socket paths are short (108 bytes); skip the socket if the temp
	// folder is too deep.
	if ln, err := net.Listen("unix", filepath.Join(dir, "sock")); err == nil {
		t.Cleanup(func() { ln.Close() })
	}
	return dir
}

func TestRefusesNonRegular(t *testing.T) {
	dir := tree(t)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	openers := map[string]func(name string) ([]byte, error){
		"Read":     func(n string) ([]byte, error) { return Read(root, n, 100) },
		"ReadPath": func(n string) ([]byte, error) { return ReadPath(filepath.Join(dir, n), 100) },
		"ReadFS":   func(n string) ([]byte, error) { return ReadFS(FS(root), n, 100) },
		"ReadFS(root.FS)": func(n string) ([]byte, error) {
			return ReadFS(root.FS(), n, 100)
		},
		"OpenInRoot": func(n string) ([]byte, error) {
			f, err := OpenInRoot(dir, n)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return ReadAll(f, n, 100)
		},
	}
	cases := []struct{ name, kind string }{
		{"fifo", "a named pipe (FIFO)"},
		{"link", "a named pipe (FIFO)"},
		{"folder", "a folder"},
		{"sock", "a socket"},
	}
	for on, open := range openers {
		for _, c := range cases {
			t.Run(on+"/"+c.name, func(t *testing.T) {
				if _, err := os.Lstat(filepath.Join(dir, c.name)); err != nil {
					t.Skip("not made here:", err)
				}
				data, err := within(t, 5*time.Second, func() ([]byte, error) { return open(c.name) })
				if !errors.Is(err, ErrNotRegular) {
					t.Fatalf("%s(%s) = %q, %v; want ErrNotRegular", on, c.name, data, err)
				}
				var pe *fs.PathError
				if !errors.As(err, &pe) || !strings.Contains(pe.Path, c.name) {
					t.Errorf("error %q does not name the file", err)
				}
				if want := "is " + c.kind + ", not a regular file"; !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			})
		}
		t.Run(on+"/regular", func(t *testing.T) {
			data, err := within(t, 5*time.Second, func() ([]byte, error) { return open("ok.txt") })
			if err != nil || string(data) != "hello" {
				t.Fatalf("%s(ok.txt) = %q, %v; want hello", on, data, err)
			}
		})
		t.Run(on+"/too-large", func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(dir, "big.txt"), make([]byte, 101), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := within(t, 5*time.Second, func() ([]byte, error) { return open("big.txt") })
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "big.txt") {
				t.Fatalf("%s(big.txt, cap 100) = %v; want ErrTooLarge naming the file", on, err)
			}
		})
	}
}

// TestReadAllCaps checks the cap holds where the size is not known in
// advance (a file that grows, a virtual file system).
func TestReadAllCaps(t *testing.T) {
	for _, n := range []int{0, 99, 100, 101, 5000} {
		data, err := ReadAll(strings.NewReader(strings.Repeat("x", n)), "f", 100)
		if tooBig := n > 100; tooBig != errors.Is(err, ErrTooLarge) || (!tooBig && len(data) != n) {
			t.Errorf("ReadAll(%d bytes, cap 100) = %d bytes, %v", n, len(data), err)
		}
	}
}

// TestMapFS checks the stat-before-open path for file systems other than
// an os.Root.
func TestMapFS(t *testing.T) {
	fsys := fstest.MapFS{
		"pipe.png": {Mode: fs.ModeNamedPipe},
		"ok.png":   {Data: []byte("png")},
	}
	if _, err := ReadFS(fsys, "pipe.png", 10); !errors.Is(err, ErrNotRegular) {
		t.Errorf("ReadFS(pipe.png) = %v, want ErrNotRegular", err)
	}
	if b, err := ReadFS(fsys, "ok.png", 10); err != nil || string(b) != "png" {
		t.Errorf("ReadFS(ok.png) = %q, %v", b, err)
	}
}

// TestFSGlob checks FS still lists folders for fs.Glob and fs.WalkDir.
func TestFSGlob(t *testing.T) {
	dir := tree(t)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	names, err := fs.Glob(FS(root), "*.txt")
	if err != nil || len(names) != 1 || names[0] != "ok.txt" {
		t.Fatalf("Glob(*.txt) = %v, %v; want [ok.txt]", names, err)
	}
	if _, err := FS(root).Open("../x"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("Open(../x) = %v, want fs.ErrInvalid", err)
	}
}
