package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ogcard/ogcard/internal/atomicfile"
	"github.com/ogcard/ogcard/internal/build"
)

// corpusDir is the shared corpus of real posts: $OGCARD_CORPUS, else
// ../shared/corpus beside the repository.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("OGCARD_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus of real posts not found at %s (set OGCARD_CORPUS): %v", dir, err)
	}
	return dir
}

// copyCorpus copies the first n post folders of the cilium corpus into a
// new content folder.
func copyCorpus(t *testing.T, n int) string {
	t.Helper()
	posts := filepath.Join(corpusDir(t), "cilium", "src", "posts")
	dirs, err := os.ReadDir(posts)
	if err != nil {
		t.Fatalf("corpus: %v", err)
	}
	root := filepath.Join(t.TempDir(), "content")
	copied := 0
	for _, d := range dirs {
		if copied == n {
			break
		}
		src := filepath.Join(posts, d.Name(), "index.md")
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
	if copied < n {
		t.Fatalf("corpus %s has %d posts, want %d", posts, copied, n)
	}
	return root
}

// syntheticSite writes n short posts and the reference event post (16
// talks) under a new content folder; it needs no corpus.
func syntheticSite(t *testing.T, n int) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "content")
	write := func(name string, data []byte) {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		write(filepath.Join(root, "blog", fmt.Sprintf("post-%03d.md", i)),
			fmt.Appendf(nil, "---\ntitle: Post %d, on cards and the builds that make them\ndate: 2025-01-%02d\n---\nBody.\n", i, i%28+1))
	}
	ref, err := os.ReadFile("../../testdata/posts/cilium-at-kubecon-eu-2026.md")
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(root, "events", "kubecon.md"), ref)
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
	root := syntheticSite(t, 1)
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

// TestBuildSIGKILL runs the real binary, SIGKILLs it at several points of
// a build (before the first card, after the first, after a few, after
// most) one run after the other, then runs it to the end: the output
// folder must then be a clean build's, byte for byte, and a further run
// must draw nothing.
func TestBuildSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "ogcard")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	root := syntheticSite(t, 40)
	args := func(out string) []string {
		// The build's own state goes beside the output folder, so both
		// can be compared with a clean build's: both read the same post
		// files, so even their recorded sizes and times agree.
		return []string{"build", root, "-o", out, "--state", out + ".state.json", "--template", "og,session", "--jobs", "2"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	clean := filepath.Join(t.TempDir(), "clean")
	if msg, err := exec.CommandContext(ctx, bin, args(clean)...).CombinedOutput(); err != nil {
		t.Fatalf("clean build: %v\n%s", err, msg)
	}
	want := readTree(t, clean)
	cards := len(want)
	wantState := readFile(t, clean+".state.json")
	if cards != 40+1+16 {
		t.Fatalf("clean build made %d cards, want 57", cards)
	}

	out := filepath.Join(t.TempDir(), "og")
	for _, after := range []int{0, 1, 5, cards / 2, cards - 3} {
		cmd := exec.CommandContext(ctx, bin, args(out)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		// Kill once the folder holds `after` more cards than before this
		// run (0: at once), or give up when the run ends by itself.
		start := len(pngs(t, out, false))
		tick := time.NewTicker(2 * time.Millisecond)
	wait:
		for {
			select {
			case err := <-exited:
				t.Logf("run to kill after %d cards ended by itself (%v)", after, err)
				break wait
			case <-tick.C:
				if n := len(pngs(t, out, false)); n-start >= after || n >= cards {
					cmd.Process.Signal(syscall.SIGKILL)
					<-exited
					t.Logf("killed after %d new cards (%d in the folder)", n-start, n)
					break wait
				}
			}
		}
		tick.Stop()
		decodeAll(t, pngs(t, out, false))
	}
	if msg, err := exec.CommandContext(ctx, bin, args(out)...).CombinedOutput(); err != nil {
		t.Fatalf("complete build after the kills: %v\n%s", err, msg)
	}
	got := readTree(t, out)
	if g := readFile(t, out+".state.json"); !bytes.Equal(g, wantState) {
		t.Errorf("state after the kills differs from a clean build's:\n%s\nwant:\n%s", g, wantState)
	}
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("missing %s after the kills", name)
		} else if !bytes.Equal(g, w) {
			t.Errorf("%s differs from a clean build's (%d bytes, want %d)", name, len(g), len(w))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("extra file %s after the kills", name)
		}
	}
	msg, err := exec.CommandContext(ctx, bin, args(out)...).Output() // stderr says which config it used
	if want := fmt.Sprintf("%d posts: 0 rendered, %d unchanged, ", 41, 41); err != nil || !strings.HasPrefix(string(msg), want) {
		t.Errorf("no-op build after the kills: %v\n%s\nwant it to start %q", err, msg, want)
	}
}

// readTree reads every file under dir, by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestBuildCollectorSettings: a build sets the soft memory limit and,
// under it, a collector goal of 400% (the limit's goal rules once the heap
// is large); GOGC and GOMEMLIMIT, when set, are the user's and are kept.
func TestBuildCollectorSettings(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "a.md"), "---\ntitle: One post\n---\nBody.\n")
	restore := func() {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	}
	defer restore()
	for _, tt := range []struct {
		env     map[string]string
		percent int
		limited bool
	}{
		{nil, 400, true},
		{map[string]string{"GOGC": "100"}, 100, true},
		{map[string]string{"GOMEMLIMIT": "1GiB"}, 100, false},
	} {
		restore()
		for k, v := range tt.env {
			t.Setenv(k, v)
		}
		if code, _, errOut := runCLI(t, "", "build", root, "-o", t.TempDir()); code != exitOK {
			t.Fatalf("build (env %v) = exit %d: %s", tt.env, code, errOut)
		}
		limit := debug.SetMemoryLimit(-1)
		if got := debug.SetGCPercent(100); got != tt.percent {
			t.Errorf("env %v: GC percent %d after the build, want %d", tt.env, got, tt.percent)
		}
		if limited := limit != math.MaxInt64; limited != tt.limited {
			t.Errorf("env %v: memory limit %d after the build, want one set: %v", tt.env, limit, tt.limited)
		}
		for k := range tt.env {
			os.Unsetenv(k)
		}
	}
}
