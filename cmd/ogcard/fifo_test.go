//go:build unix

package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runBounded runs the CLI in process and fails the test if it has not
// returned within 5 s: a blocked open must fail the test, not hang it.
// With quick set it must return within quickLimit.
func runBounded(t *testing.T, quick bool, args ...string) (int, string, string) {
	t.Helper()
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
		done <- result{code, out.String(), errb.String()}
	}()
	select {
	case r := <-done:
		if took := time.Since(start); quick && took > quickLimit {
			t.Errorf("ogcard %s took %v, want under %v", strings.Join(args, " "), took, quickLimit)
		}
		return r.code, r.out, r.err
	case <-time.After(5 * time.Second):
		t.Fatalf("ogcard %s still running after 5s", strings.Join(args, " "))
		return 0, "", ""
	}
}

// quickLimit bounds a command that should fail at once. The refusal itself
// takes microseconds, but a run includes parsing the fonts and templates:
// about 0.3 s alone, and 1.06 to 1.16 s once with five packages' tests
// sharing two cores. A blocked open takes forever, so 3 s still tells.
const quickLimit = 3 * time.Second

// fifoSite writes a site: ogcard.yaml naming logo.png and art.png, a good
// post, a talk whose speaker photo is ada.png, and PNGs for every image.
// Each name in fifos is then replaced by a named pipe.
func fifoSite(t *testing.T, fifos ...string) string {
	t.Helper()
	dir := t.TempDir()
	var pngb bytes.Buffer
	png.Encode(&pngb, image.NewNRGBA(image.Rect(0, 0, 8, 8)))
	files := map[string]string{
		"ogcard.yaml":           "site: Test\nlogo: logo.png\nbackground: art.png\n",
		"logo.png":              pngb.String(),
		"art.png":               pngb.String(),
		"posts/hello.md":        "---\ntitle: Hello\n---\nhi\n",
		"posts/talk/index.md":   "---\ntitle: Talk\nauthors:\n  - name: Ada Lovelace\n    avatar: ada.png\n---\n",
		"posts/talk/ada.png":    pngb.String(),
		"posts/zz-last-post.md": "---\ntitle: Last\n---\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range fifos {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.Remove(p)
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRenderFIFO checks `ogcard render` fails at once, naming the
// file and saying it is a named pipe, for a FIFO post, photo, logo or
// background, and still renders when nothing is a FIFO.
func TestRenderFIFO(t *testing.T) {
	for _, tt := range []struct {
		name, fifo, post string
		code             int
	}{
		{"none", "", "posts/talk/index.md", exitOK},
		{"post", "posts/pipe.md", "posts/pipe.md", exitFail},
		{"photo", "posts/talk/ada.png", "posts/talk/index.md", exitFail},
		{"logo", "logo.png", "posts/hello.md", exitUsage},
		{"background", "art.png", "posts/hello.md", exitUsage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var fifos []string
			if tt.fifo != "" {
				fifos = append(fifos, tt.fifo)
			}
			dir := fifoSite(t, fifos...)
			out := filepath.Join(t.TempDir(), "card.png")
			code, _, stderr := runBounded(t, tt.fifo != "", "render", filepath.Join(dir, tt.post), "-o", out)
			if code != tt.code {
				t.Fatalf("render = exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if tt.fifo == "" {
				return
			}
			base := filepath.Base(tt.fifo)
			if !strings.Contains(stderr, base) || !strings.Contains(stderr, "is a named pipe (FIFO), not a regular file") {
				t.Errorf("stderr does not name %s and say it is a named pipe:\n%s", base, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("render wrote %s despite the error", out)
			}
		})
	}
}

// TestBuildFIFO checks that in `ogcard build` a FIFO post or photo fails
// that post only, naming it, while the other posts are built (the whole
// build within 5 s); and that a FIFO logo fails the build as a config
// error.
func TestBuildFIFO(t *testing.T) {
	for _, tt := range []struct {
		name, fifo, failed string
		built              []string
		code               int
	}{
		{"post", "posts/pipe.md", "pipe.md", []string{"posts/hello.png", "posts/talk.png", "posts/zz-last-post.png"}, exitFail},
		{"photo", "posts/talk/ada.png", "ada.png", []string{"posts/hello.png", "posts/zz-last-post.png"}, exitFail},
		{"logo", "logo.png", "logo.png", nil, exitUsage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := fifoSite(t, tt.fifo)
			out := t.TempDir()
			code, _, stderr := runBounded(t, false, "build", dir, "-o", out)
			if code != tt.code {
				t.Fatalf("build = exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.failed) || !strings.Contains(stderr, "is a named pipe (FIFO), not a regular file") {
				t.Errorf("stderr does not name %s and say it is a named pipe:\n%s", tt.failed, stderr)
			}
			var got []string
			filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				if err == nil && strings.HasSuffix(p, ".png") {
					rel, _ := filepath.Rel(out, p)
					got = append(got, filepath.ToSlash(rel))
				}
				return nil
			})
			if strings.Join(got, " ") != strings.Join(tt.built, " ") {
				t.Errorf("built %v, want %v", got, tt.built)
			}
		})
	}
}

// TestServeFIFOLogo checks `ogcard serve` refuses a FIFO logo at start
// at once (a FIFO photo or post is tested in internal/server).
func TestServeFIFOLogo(t *testing.T) {
	dir := fifoSite(t, "logo.png")
	code, _, stderr := runBounded(t, true, "serve", "--content", dir, "--addr", "127.0.0.1:0")
	if code != exitUsage || !strings.Contains(stderr, "logo.png") || !strings.Contains(stderr, "is a named pipe (FIFO)") {
		t.Errorf("serve = exit %d, want %d naming logo.png as a named pipe; stderr:\n%s", code, exitUsage, stderr)
	}
}

// TestMergeFIFOManifest checks `build --merge-manifests` refuses a named
// pipe given as a manifest at once, naming it.
func TestMergeFIFOManifest(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "shard.json")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runBounded(t, true, "build", "--merge-manifests", "-o", filepath.Join(dir, "out"), p)
	if code == exitOK || !strings.Contains(stderr, "shard.json") || !strings.Contains(stderr, "is a named pipe (FIFO)") {
		t.Errorf("merge = exit %d, want an error naming shard.json as a named pipe; stderr:\n%s", code, stderr)
	}
}
