//go:build unix

package render

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/safefile"
)

// TestFIFOPhotoFailsFast checks that a speaker photo that is a named pipe
// (or a folder) fails Key and Render at once, with an error naming the post,
// the photo and what it is, instead of blocking on the open: in serve the
// key is computed on the request's goroutine, outside the worker pool and
// its deadline. A missing photo still gives initials, not an error.
func TestFIFOPhotoFailsFast(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "ada.png"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "grace.png"), 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := New(Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ photo, kind string }{
		{"ada.png", "a named pipe (FIFO)"},
		{"grace.png", "a folder"},
		{"missing.png", ""},
	} {
		t.Run(tt.photo, func(t *testing.T) {
			src := filepath.Join(dir, "talk.md")
			p, err := post.Parse(src, []byte("---\ntitle: Talk\nauthors:\n  - name: Ada Lovelace\n    avatar: "+tt.photo+"\n---\n"))
			if err != nil {
				t.Fatal(err)
			}
			c, err := r.Card(p)
			if err != nil {
				t.Fatal(err)
			}
			for name, call := range map[string]func() error{
				"Key":    func() error { _, err := r.Key(c, "og"); return err },
				"Render": func() error { _, err := r.Render(context.Background(), c, "og"); return err },
			} {
				done := make(chan error, 1)
				go func() { done <- call() }()
				select {
				case err := <-done:
					if tt.kind == "" {
						if err != nil {
							t.Errorf("%s with a missing photo = %v, want initials and no error", name, err)
						}
						continue
					}
					want := "is " + tt.kind + ", not a regular file"
					if !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), want) ||
						!strings.Contains(err.Error(), tt.photo) || !strings.Contains(err.Error(), src) {
						t.Errorf("%s = %v; want an error naming %s and %s and saying %q", name, err, src, tt.photo, want)
					}
				case <-time.After(5 * time.Second):
					t.Fatalf("%s still blocked after 5s on photo %s", name, tt.photo)
				}
			}
		})
	}
}
