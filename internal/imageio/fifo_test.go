//go:build unix

package imageio

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

// TestReadFSFIFO checks ReadFS refuses a named pipe at once, naming it,
// even through a plain os.Root FS (whose Open would block on it).
func TestReadFSFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "logo.png"), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	done := make(chan error, 1)
	go func() {
		_, err := ReadFS(root.FS(), "logo.png")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), "image logo.png") {
			t.Fatalf("ReadFS(logo.png) = %v, want safefile.ErrNotRegular naming image logo.png", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadFS(logo.png) still blocked after 5s")
	}
}
