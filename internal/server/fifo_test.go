//go:build linux

package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/render"
)

// fifoServer serves a content tree with a post whose speaker photo is a
// named pipe (/talk), a good post (/hello) and a named pipe called like a
// post (pipe.md). It returns the server and its log.
func fifoServer(t *testing.T) (*Server, *syncBuffer) {
	t.Helper()
	dir := writeTree(t, map[string]string{
		"content/talk/index.md": "---\ntitle: Talk\npath: /talk\nauthors:\n  - name: Ada Lovelace\n    avatar: ada.png\n---\n",
		"content/hello.md":      "---\ntitle: Hello\npath: /hello\n---\n",
	})
	content := filepath.Join(dir, "content")
	for _, p := range []string{"talk/ada.png", "pipe.md"} {
		if err := syscall.Mkfifo(filepath.Join(content, p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := render.New(render.Options{
		Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand,
		Card: &card.Options{Root: "."}, ContentRoot: content,
	})
	if err != nil {
		t.Fatal(err)
	}
	var log syncBuffer
	type result struct {
		s   *Server
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := New(Config{Content: content, Renderer: r, Poll: -1, Workers: 2, Deadline: 30 * time.Second,
			Logger: slog.New(slog.NewTextHandler(&log, nil))})
		done <- result{s, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			t.Fatal(res.err)
		}
		t.Cleanup(func() { res.s.Close() })
		return res.s, &log
	case <-time.After(5 * time.Second):
		t.Fatal("New still blocked after 5s on a FIFO post or photo")
		return nil, nil
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// unblock opens every named pipe in dir for writing and closes it, so an
// open(2) blocked on one returns: when the code under test is broken, the
// test then fails instead of hanging in httptest.Server.Close.
func unblock(dir string) {
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type()&os.ModeNamedPipe != 0 {
			if f, err := os.OpenFile(p, os.O_RDWR|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
		}
		return nil
	})
}

// openFDs counts this process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(fds)
}

// TestFIFOPhotoNoLeak makes 200 requests for a post whose speaker photo is
// a named pipe. Before safefile, computing the card's key (on the request
// goroutine, outside the worker pool and past the deadline) blocked in
// open(2) for good: every request kept a thread and two descriptors. Now
// each answers within a second with a 500 saying what is wrong, and the
// goroutine and descriptor counts end where they started.
func TestFIFOPhotoNoLeak(t *testing.T) {
	s, log := fifoServer(t)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	defer unblock(s.cfg.Content)
	client := &http.Client{Timeout: 2 * time.Second}
	do := func() (int, string, time.Duration, error) {
		start := time.Now()
		res, err := client.Get(ts.URL + "/og/talk.png")
		if err != nil {
			return 0, "", time.Since(start), err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		return res.StatusCode, string(body), time.Since(start), err
	}
	do() // warm up: connections, the index
	client.CloseIdleConnections()
	settle := func() { time.Sleep(50 * time.Millisecond) }
	settle()
	goroutines, fds := runtime.NumGoroutine(), openFDs(t)

	const n, conc = 200, 4
	began := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	for w := range conc {
		wg.Go(func() {
			for range n / conc {
				code, body, took, err := do()
				mu.Lock()
				if err != nil || code != http.StatusInternalServerError || took > time.Second ||
					!strings.Contains(body, "not a regular file") {
					failures = append(failures, fmtFailure(w, code, body, took, err))
				}
				stop := len(failures) >= 5
				mu.Unlock()
				if stop {
					return
				}
			}
		})
	}
	wg.Wait()
	client.CloseIdleConnections()
	// Server connection goroutines end shortly after the client closes.
	var g, f int
	for deadline := time.Now().Add(2 * time.Second); ; {
		settle()
		g, f = runtime.NumGoroutine(), openFDs(t)
		if (g <= goroutines+2 && f <= fds+2) || time.Now().After(deadline) {
			break
		}
	}
	t.Logf("up to %d requests in %v: goroutines %d -> %d, open fds %d -> %d", n, time.Since(began).Round(time.Millisecond), goroutines, g, fds, f)
	if g > goroutines+2 || f > fds+2 {
		t.Errorf("after the requests: %d goroutines (was %d), %d open fds (was %d); want no growth", g, goroutines, f, fds)
	}
	if len(failures) > 0 {
		t.Fatalf("%d requests failed (stopped at 5), want a 500 naming the problem within 1s each; first: %s", len(failures), failures[0])
	}
	if !strings.Contains(log.String(), "is a named pipe (FIFO), not a regular file") {
		t.Errorf("log does not say the photo is a named pipe:\n%s", log)
	}
	// The good post is still served. Its first render parses the fonts,
	// which under the race detector on a loaded machine can take seconds:
	// the FIFO requests above are held to 1 s by the client, not by the
	// server's deadline.
	slow := &http.Client{Timeout: 30 * time.Second}
	if res, err := slow.Get(ts.URL + "/og/hello.png"); err != nil || res.StatusCode != 200 {
		t.Errorf("GET /og/hello.png = %v, %v; want 200", res, err)
	} else {
		res.Body.Close()
	}
}

func fmtFailure(worker, code int, body string, took time.Duration, err error) string {
	return fmt.Sprintf("worker %d: status %d in %v, body %q, err %v", worker, code, took, strings.TrimSpace(body), err)
}

// TestFIFOPostNotServed checks a named pipe called like a post does not
// block the index (New returned, in fifoServer), is logged by name, and is
// 404 while the other posts are served; and that the index logs a post
// whose photo is a named pipe before any request asks for it.
func TestFIFOPostNotServed(t *testing.T) {
	s, log := fifoServer(t)
	// The photo is hashed, and found to be a pipe, when the index is built.
	if l := log.String(); !strings.Contains(l, "talk/index.md") || !strings.Contains(l, "ada.png: is a named pipe (FIFO)") {
		t.Errorf("index log does not report talk/index.md's photo ada.png as a named pipe:\n%s", l)
	}
	h := s.Handler()
	if got := get(t, h, "GET", "/og/pipe.png", nil); got.Code != http.StatusNotFound {
		t.Errorf("GET /og/pipe.png = %d, want 404", got.Code)
	}
	if got := get(t, h, "GET", "/og/hello.png", nil); got.Code != 200 {
		t.Errorf("GET /og/hello.png = %d, want 200", got.Code)
	}
	if l := log.String(); !strings.Contains(l, "pipe.md") || !strings.Contains(l, "is a named pipe (FIFO), not a regular file") {
		t.Errorf("log does not name pipe.md as a named pipe:\n%s", l)
	}
	if err := s.Refresh(context.Background()); err != nil {
		t.Errorf("Refresh = %v", err)
	}
}
