package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// waitFor polls cond every 20 ms until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestBuildWatch runs `build --watch` in process: it builds, says it is
// watching, draws the card of a post written afterwards (and of nothing
// else), and ends with exit 0 when its context ends (Ctrl-C).
func TestBuildWatch(t *testing.T) {
	dir := t.TempDir()
	content, out := filepath.Join(dir, "content"), filepath.Join(dir, "public")
	os.MkdirAll(filepath.Join(content, "blog"), 0o755)
	os.WriteFile(filepath.Join(content, "blog", "first.md"), []byte("---\ntitle: First\n---\n"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"build", content, "-o", out, "--watch"}, strings.NewReader(""), stdout, stderr)
	}()
	waitFor(t, 20*time.Second, "first build and watch", func() bool { return strings.Contains(stderr.String(), "watching "+content) })
	if !exists(filepath.Join(out, "blog", "first.png")) {
		t.Fatalf("first build wrote no card; stdout %q stderr %q", stdout.String(), stderr.String())
	}
	firstInfo, _ := os.Stat(filepath.Join(out, "blog", "first.png"))
	os.WriteFile(filepath.Join(content, "blog", "second.md"), []byte("---\ntitle: Second\n---\n"), 0o644)
	waitFor(t, 20*time.Second, "the new post's card", func() bool { return exists(filepath.Join(out, "blog", "second.png")) })
	waitFor(t, 10*time.Second, "the rebuild's summary "+stdout.String(), func() bool { return strings.Count(stdout.String(), " rendered, ") >= 2 })
	t.Logf("stdout %q\nstderr %q", stdout.String(), stderr.String())
	if info, _ := os.Stat(filepath.Join(out, "blog", "first.png")); !info.ModTime().Equal(firstInfo.ModTime()) {
		t.Error("the rebuild redrew the unchanged post's card")
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "2 posts: 1 rendered, 1 unchanged") }) {
		t.Errorf("no rebuild summary with 1 rendered, 1 unchanged: %q", lines)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d after Ctrl-C, want 0; stderr %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("build --watch did not stop within 10s of its context ending")
	}
}

// TestBuildColocateNote checks that --colocate says which page bundles it
// gave the default card name.
func TestBuildColocateNote(t *testing.T) {
	content := t.TempDir()
	os.MkdirAll(filepath.Join(content, "posts", "hello"), 0o755)
	os.WriteFile(filepath.Join(content, "posts", "hello", "index.md"), []byte("---\ntitle: Hello\n---\n"), 0o644)
	code, _, errOut := runCLI(t, "", "build", content, "--colocate", "-v")
	if code != exitOK || !exists(filepath.Join(content, "posts", "hello", "og.png")) {
		t.Fatalf("exit %d, og.png written %v; stderr %q", code, exists(filepath.Join(content, "posts", "hello", "og.png")), errOut)
	}
	if !strings.Contains(errOut, "note: 1 page bundle without ogImage: each card is written as og.png") || !strings.Contains(errOut, filepath.Join("posts", "hello", "index.md")) {
		t.Errorf("no note naming the bundle: %q", errOut)
	}
}

// TestBuildWatchColocateIgnoresOwnCards checks that `build --watch
// --colocate` does not take the cards it writes beside the posts (nor its
// state file) for changes: a title edit and a new page bundle give one
// rebuild each, and no rebuild follows them.
func TestBuildWatchColocateIgnoresOwnCards(t *testing.T) {
	t.Run("default state", func(t *testing.T) { testWatchColocate(t, false) })
	t.Run("state file in the content folder", func(t *testing.T) { testWatchColocate(t, true) })
}

func testWatchColocate(t *testing.T, stateInContent bool) {
	content := t.TempDir()
	args := []string{"build", content, "--colocate", "--watch"}
	if stateInContent {
		args = append(args, "--state", filepath.Join(content, "state.json"))
	}
	hello := filepath.Join(content, "blog", "hello")
	os.MkdirAll(hello, 0o755)
	os.WriteFile(filepath.Join(hello, "index.md"), []byte("---\ntitle: Hello\n---\n"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, strings.NewReader(""), stdout, stderr)
	}()
	waitFor(t, 20*time.Second, "first build and watch", func() bool { return strings.Contains(stderr.String(), "watching "+content) })
	if !exists(filepath.Join(hello, "og.png")) {
		t.Fatalf("first build wrote no og.png; stderr %q", stderr.String())
	}
	summaries := func(n int) func() bool {
		return func() bool { return strings.Count(stdout.String(), " rendered, ") >= n }
	}
	// A title edit redraws og.png in place (a rename over the old file).
	os.WriteFile(filepath.Join(hello, "index.md"), []byte("---\ntitle: Hello again\n---\n"), 0o644)
	waitFor(t, 20*time.Second, "the rebuild after the edit", summaries(2))
	// A new bundle's card is a file no earlier build wrote.
	second := filepath.Join(content, "blog", "second")
	os.MkdirAll(second, 0o755)
	os.WriteFile(filepath.Join(second, "index.md"), []byte("---\ntitle: Second\n---\n"), 0o644)
	waitFor(t, 20*time.Second, "the rebuild after the new post", summaries(3))
	// Several debounce periods: a rebuild set off by the cards would start.
	time.Sleep(8 * 200 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("build --watch did not stop within 10s of its context ending")
	}
	errs := stderr.String()
	t.Logf("stdout %q\nstderr %q", stdout.String(), errs)
	if n := strings.Count(errs, "; rebuilding"); n != 2 {
		t.Errorf("%d rebuilds, want 2 (one per edit)", n)
	}
	for _, l := range strings.Split(errs, "\n") {
		if strings.Contains(l, "changed: ") && (strings.Contains(l, "og.png") || strings.Contains(l, ".ogcard") || strings.Contains(l, "state.json")) {
			t.Errorf("rebuilt for its own output: %s", l)
		}
	}
}
