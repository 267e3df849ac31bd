package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ogcard/ogcard/internal/atomicfile"
	"github.com/ogcard/ogcard/internal/build"
)

const corpusPosts = "../../../shared/corpus/cilium/src/posts"

// copyCorpus copies the first n post folders of the cilium corpus into a
// new content folder.
func copyCorpus(t *testing.T, n int) string {
	t.Helper()
	dirs, err := os.ReadDir(corpusPosts)
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	root := filepath.Join(t.TempDir(), "content")
	copied := 0
	for _, d := range dirs {
		if copied == n {
			break
		}
		src := filepath.Join(corpusPosts, d.Name(), "index.md")
		data, err := os.ReadFile(src)
		if err != nil {
			continue
		}
		dst := filepath.Join(root, "posts", d.Name(), "index.md")
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
		copied++
	}
	return root
}

// pngs returns the PNG files under dir, and fails the test for any temp
// file when noTemps is set.
func pngs(t *testing.T, dir string, noTemps bool) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if atomicfile.IsTemp(d.Name()) && noTemps {
			t.Errorf("temporary file left: %s", p)
		}
		if strings.HasSuffix(p, ".png") && !atomicfile.IsTemp(d.Name()) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func decodeAll(t *testing.T, files []string) {
	t.Helper()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(data)); err != nil {
			t.Errorf("%s (%d bytes) does not decode: %v", f, len(data), err)
		}
	}
}

func TestBuildOneBadPost(t *testing.T) {
	root := copyCorpus(t, 12)
	bad := filepath.Join(root, "posts", "zz-broken", "index.md")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("---\ntitle: ok\ndate: [1, 2\n---\nbody\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "og")
	tests := []struct {
		name         string
		args         []string
		wantCode     int
		wantRendered int
	}{
		{"cold", []string{"build", root, "-o", out, "--json"}, exitFail, 12},
		{"rerun, nothing changed", []string{"build", root, "-o", out, "--json"}, exitFail, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, nil, &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			var rep struct {
				Rendered, Unchanged, Failed int
				Failures                    []build.Failure
			}
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Fatalf("--json report: %v\n%s", err, stdout.String())
			}
			if rep.Rendered != tt.wantRendered || rep.Rendered+rep.Unchanged != 12 || rep.Failed != 1 {
				t.Errorf("report %+v, want %d rendered of 12, 1 failed", rep, tt.wantRendered)
			}
			if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(bad) + `:\d+: syntax error`).MatchString(stderr.String()) {
				t.Errorf("stderr lacks the failure as %s:LINE: reason:\n%s", bad, stderr.String())
			}
			if n := len(pngs(t, out, true)); n != 12 {
				t.Errorf("%d PNGs in the output, want 12", n)
			}
		})
	}
}

func TestBuildUsage(t *testing.T) {
	root := copyCorpus(t, 1)
	out := filepath.Join(t.TempDir(), "og")
	tests := []struct {
		name string
		args []string
	}{
		{"no content", []string{"build", "-o", out}},
		{"no output", []string{"build", root}},
		{"bad shard", []string{"build", root, "-o", out, "--shard", "2/2"}},
		{"unknown template", []string{"build", root, "-o", out, "--template", "nope"}},
		{"missing content", []string{"build", root + "-nope", "-o", out}},
		{"merge without files", []string{"build", "--merge-manifests", "-o", out}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tt.args, nil, &stdout, &stderr); code != exitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("output folder written on a usage error")
			}
		})
	}
}

// TestBuildSIGKILL kills a build at random moments and checks that every
// PNG left decodes, and that the next run removes the temporary files.
func TestBuildSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "ogcard")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	root := copyCorpus(t, 60)
	out := filepath.Join(t.TempDir(), "og")
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	for i := range 5 {
		cmd := exec.Command(bin, "build", root, "-o", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(100+rng.IntN(1400)) * time.Millisecond
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		files := pngs(t, out, false)
		t.Logf("kill %d after %v: %d PNGs", i, delay, len(files))
		decodeAll(t, files)
	}
	cmd := exec.Command(bin, "build", root, "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("final build: %v\n%s", err, msg)
	}
	decodeAll(t, pngs(t, out, true))
	msg, err := exec.Command(bin, "build", root, "-o", out).Output() // stderr says which config it used
	if err != nil || !strings.HasPrefix(string(msg), "0 rendered, ") {
		t.Errorf("no-op build after the kills: %v\n%s", err, msg)
	}
}
