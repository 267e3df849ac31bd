package watch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// start runs Run in the background and returns a channel of its batches;
// it waits until the watch is in place.
func start(t *testing.T, root string, o Options) (batches <-chan []string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan []string, 16)
	ready := make(chan struct{})
	done := make(chan error, 1)
	o.Ready = func() { close(ready) }
	go func() {
		done <- Run(ctx, root, o, func(_ context.Context, paths []string) error {
			ch <- paths
			return nil
		})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Run returned before watching: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("watch not ready after 5s")
	}
	var stopped bool
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return within 5s of its context ending")
			return nil
		}
	}
	t.Cleanup(func() { stop() })
	return ch, stop
}

// next waits for the next batch, at most 5 s.
func next(t *testing.T, ch <-chan []string) []string {
	t.Helper()
	select {
	case b := <-ch:
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no change reported within 5s")
		return nil
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRunReportsBurstOnce(t *testing.T) {
	root := t.TempDir()
	ch, stop := start(t, root, Options{Debounce: 150 * time.Millisecond})
	post := filepath.Join(root, "post.md")
	for i := range 5 {
		write(t, post, strings.Repeat("x", i+1))
		time.Sleep(10 * time.Millisecond)
	}
	if got := next(t, ch); !slices.Equal(got, []string{post}) {
		t.Errorf("batch = %q, want [%q]", got, post)
	}
	select {
	case b := <-ch:
		t.Errorf("a burst of 5 writes gave a second batch %q; want one", b)
	case <-time.After(450 * time.Millisecond):
	}
	if err := stop(); err != nil {
		t.Errorf("Run = %v after its context ended, want nil", err)
	}
}

func TestRunWatchesNewFolders(t *testing.T) {
	root := t.TempDir()
	ch, _ := start(t, root, Options{Debounce: 100 * time.Millisecond})
	bundle := filepath.Join(root, "posts", "new")
	if err := os.MkdirAll(bundle, 0o755); err != nil {
		t.Fatal(err)
	}
	first := next(t, ch)
	if !slices.Contains(first, filepath.Join(root, "posts")) {
		t.Errorf("batch = %q, want the new folder", first)
	}
	// The folder is watched now: a file written into it later is seen.
	time.Sleep(50 * time.Millisecond)
	post := filepath.Join(bundle, "index.md")
	write(t, post, "---\ntitle: T\n---\n")
	deadline := time.After(5 * time.Second)
	for {
		select {
		case b := <-ch:
			if slices.Contains(b, post) {
				return
			}
		case <-deadline:
			t.Fatalf("a file written in a new folder was not reported within 5s")
		}
	}
}

func TestRunSkips(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	os.Mkdir(out, 0o755)
	ch, _ := start(t, root, Options{
		Debounce: 100 * time.Millisecond,
		Skip: func(p string, _ bool) bool {
			return p == out || strings.HasPrefix(p, out+string(filepath.Separator)) || strings.HasSuffix(p, ".tmp")
		},
	})
	write(t, filepath.Join(out, "card.png"), "png")
	write(t, filepath.Join(root, "card.png.tmp"), "png")
	time.Sleep(300 * time.Millisecond)
	post := filepath.Join(root, "a.md")
	write(t, post, "a")
	if got := next(t, ch); !slices.Equal(got, []string{post}) {
		t.Errorf("batch = %q, want only %q (the output folder and .tmp files are skipped)", got, post)
	}
}
