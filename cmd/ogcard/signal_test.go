//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the signal tests run the real command in a child process:
// with OGCARD_TEST_MAIN=1 the test binary is ogcard (main, signals and
// all), and OGCARD_TEST_GRACE shortens the stop grace.
func TestMain(m *testing.M) {
	if os.Getenv("OGCARD_TEST_MAIN") == "1" {
		if g, err := time.ParseDuration(os.Getenv("OGCARD_TEST_GRACE")); err == nil {
			stopGrace.Store(int64(g))
		}
		signalsReady = func(w io.Writer) { fmt.Fprintln(w, readyLine) }
		main()
		return
	}
	os.Exit(m.Run())
}

// readyLine is what a child prints once its signal handlers are in place.
const readyLine = "ogcard-test: signal handlers installed"

// child is ogcard running as a child process.
type child struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	done   chan struct{}
	err    error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// start runs ogcard args in a child process and waits until it has
// installed its signal handlers (so a signal sent next is handled, not
// fatal by default). Its standard input is a pipe left open and empty.
func start(t *testing.T, grace time.Duration, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "OGCARD_TEST_MAIN=1", "OGCARD_TEST_GRACE="+grace.String())
	c := &child{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = c.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close() })
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.err = cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			cmd.Process.Kill()
			<-c.done
		}
	})
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(c.stderr.String(), readyLine); {
		if time.Now().After(deadline) {
			t.Fatalf("ogcard %s: signal handlers not installed after 10s; stderr:\n%s", strings.Join(args, " "), c.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return c
}

// wait returns the child's exit code and how long it took from since, or
// fails the test if the child is still running after limit.
func (c *child) wait(t *testing.T, since time.Time, limit time.Duration) (int, time.Duration) {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(limit - time.Since(since)):
		t.Fatalf("still running %v after the signal; stderr:\n%s", limit, c.stderr)
	}
	took := time.Since(since)
	var ee *exec.ExitError
	switch {
	case c.err == nil:
		return 0, took
	case errors.As(c.err, &ee):
		return ee.ExitCode(), took // -1 when a signal ended it unhandled
	}
	t.Fatal(c.err)
	return 0, took
}

func (c *child) running() bool {
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

// TestSignalStopsServeCleanly: the first SIGINT or SIGTERM shuts serve
// down gracefully and it exits 0 well within the grace.
func TestSignalStopsServeCleanly(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "a.md"), []byte("---\ntitle: A\n---\n"), 0o644)
			c := start(t, 10*time.Second, "serve", "--content", dir, "--addr", "127.0.0.1:0")
			for deadline := time.Now().Add(10 * time.Second); !strings.Contains(c.stderr.String(), "serving"); {
				if time.Now().After(deadline) || !c.running() {
					t.Fatalf("serve did not start; stderr:\n%s", c.stderr)
				}
				time.Sleep(20 * time.Millisecond)
			}
			sent := time.Now()
			c.cmd.Process.Signal(sig)
			code, took := c.wait(t, sent, 5*time.Second)
			if code != 0 || !strings.Contains(c.stderr.String(), "stopping") || !strings.Contains(c.stderr.String(), "shutting down") {
				t.Errorf("serve after %v = exit %d in %v, want 0 after a graceful shutdown; stderr:\n%s", sig, code, took, c.stderr)
			}
		})
	}
}

// TestSecondSignalQuits: `render -` blocks reading a standard input that
// never ends, which no context cancels; the first signal cannot stop it,
// the second ends the process at once with 128+signal.
func TestSecondSignalQuits(t *testing.T) {
	for _, tt := range []struct {
		first, second syscall.Signal
		code          int
	}{
		{syscall.SIGINT, syscall.SIGINT, 130},
		{syscall.SIGINT, syscall.SIGTERM, 143},
	} {
		t.Run(tt.first.String()+"+"+tt.second.String(), func(t *testing.T) {
			c := start(t, time.Minute, "render", "-", "-o", filepath.Join(t.TempDir(), "x.png"))
			c.cmd.Process.Signal(tt.first)
			time.Sleep(300 * time.Millisecond)
			if !c.running() {
				t.Fatalf("render - exited on the first signal though its read is not cancellable; stderr:\n%s", c.stderr)
			}
			sent := time.Now()
			c.cmd.Process.Signal(tt.second)
			code, took := c.wait(t, sent, 5*time.Second)
			if code != tt.code || took > time.Second {
				t.Errorf("after a second signal: exit %d in %v, want %d within 1s; stderr:\n%s", code, took, tt.code, c.stderr)
			}
		})
	}
}

// TestStuckCommandQuitsAfterGrace: with one signal only, a command that
// does not stop is ended when the grace (2 s here, 10 s by default) is over,
// not before and not never.
func TestStuckCommandQuitsAfterGrace(t *testing.T) {
	const grace = 2 * time.Second
	c := start(t, grace, "render", "-", "-o", filepath.Join(t.TempDir(), "x.png"))
	sent := time.Now()
	c.cmd.Process.Signal(syscall.SIGTERM)
	code, took := c.wait(t, sent, grace+5*time.Second)
	if code != 143 || took < grace || !strings.Contains(c.stderr.String(), "not stopped") {
		t.Errorf("after one SIGTERM: exit %d in %v, want 143 after the %v grace; stderr:\n%s", code, took, grace, c.stderr)
	}
}
