//go:build unix

package config

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

// TestLoadNonRegular checks that a named pipe, socket or folder where the
// config, a logo, a background, a font or a template should be fails Load
// at once with an error naming the file and what it is. Before safefile, a
// FIFO blocked the open until a writer came: forever.
func TestLoadNonRegular(t *testing.T) {
	tests := []struct {
		name, yaml, file, kind string
	}{
		{"config", "", FileName, "a named pipe (FIFO)"},
		{"logo", "logo: logo.png\n", "logo.png", "a named pipe (FIFO)"},
		{"background", "background: art.png\n", "art.png", "a named pipe (FIFO)"},
		{"font", "fonts: {files: [fonts/My.ttf]}\n", "fonts/My.ttf", "a named pipe (FIFO)"},
		{"template", "templates: [mine.yaml]\n", "mine.yaml", "a named pipe (FIFO)"},
		{"logo folder", "logo: logo.png\n", "logo.png", "a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.yaml != "" {
				write(t, dir, FileName, []byte(tt.yaml))
			}
			p := filepath.Join(dir, filepath.FromSlash(tt.file))
			os.MkdirAll(filepath.Dir(p), 0o755)
			var err error
			if tt.kind == "a folder" {
				err = os.Mkdir(p, 0o755)
			} else {
				err = syscall.Mkfifo(p, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				_, err := Load(filepath.Join(dir, FileName))
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, safefile.ErrNotRegular) {
					t.Fatalf("Load = %v, want safefile.ErrNotRegular", err)
				}
				want := "is " + tt.kind + ", not a regular file"
				if !strings.Contains(err.Error(), tt.file) || !strings.Contains(err.Error(), want) {
					t.Errorf("Load error %q does not name %s and say %q", err, tt.file, want)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("Load still blocked after 5s on a FIFO %s", tt.file)
			}
		})
	}
}

// TestLoadTooLarge checks the cap on a file the config names, read through
// the same path as every other.
func TestLoadTooLarge(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, FileName, []byte("templates: [big.yaml]\n"))
	write(t, dir, "big.yaml", make([]byte, maxConfigBytes+1))
	_, err := Load(filepath.Join(dir, FileName))
	if !errors.Is(err, safefile.ErrTooLarge) || !strings.Contains(err.Error(), "big.yaml") {
		t.Fatalf("Load = %v, want safefile.ErrTooLarge naming big.yaml", err)
	}
}
