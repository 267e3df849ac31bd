//go:build unix

package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/render"
	"github.com/ogcard/ogcard/internal/safefile"
)

// TestScanReportsFIFO checks that a named pipe with a Markdown name is
// found (so a build reports it rather than silently missing a post), that
// Resolve refuses it at once naming it, and that a symbolic link is still
// not followed.
func TestScanReportsFIFO(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "a.md"), []byte("---\ntitle: A\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "pipe.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.md", filepath.Join(root, "link.md")); err != nil {
		t.Fatal(err)
	}
	entries, err := Scan(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for _, e := range entries {
		rels = append(rels, e.Rel)
	}
	if want := []string{"a.md", "pipe.md"}; !slices.Equal(rels, want) {
		t.Fatalf("Scan = %v, want %v", rels, want)
	}
	r, err := render.New(render.Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Resolve(r, entries[1])
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), "pipe.md") {
			t.Fatalf("Resolve(pipe.md) = %v, want safefile.ErrNotRegular naming it", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Resolve(pipe.md) still blocked after 5s")
	}
}
