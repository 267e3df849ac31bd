//go:build unix

package post

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ogcard/ogcard/internal/safefile"
)

// TestReadFIFO checks that a named pipe called like a post fails at once
// with a message saying what it is, instead of blocking the open until a
// writer appears (forever, for a stray FIFO).
func TestReadFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	for name, read := range map[string]func() (*Post, error){
		"Read":   func() (*Post, error) { return Read(filepath.Join(dir, "pipe.md")) },
		"ReadFS": func() (*Post, error) { return ReadFS(safefile.FS(root), "pipe.md") },
	} {
		t.Run(name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := read()
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), "pipe.md") ||
					!strings.Contains(err.Error(), "is a named pipe (FIFO), not a regular file") {
					t.Fatalf("%s(pipe.md) = %v; want an error naming the file and saying it is a named pipe", name, err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("%s(pipe.md) still blocked after 5s", name)
			}
		})
	}
}
