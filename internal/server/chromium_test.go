package server

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromiumPath is Debian's chromium; .ci/run installs it.
const chromiumPath = "/usr/bin/chromium"

// inCI reports whether the tests run in CI, where the browser test must not
// skip: CI systems set CI (GitHub Actions, GitLab and others to "true").
func inCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v != "" && v != "false" && v != "0"
}

// findChromium returns the browser's path: chromium on PATH, else Debian's.
func findChromium() (string, error) {
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		return "", fmt.Errorf("chromium is not on PATH and %w", err)
	}
	return chromiumPath, nil
}

// TestPreviewInChromium loads the preview page in headless chromium, with
// images forced eager, and checks that every card image loaded. Without
// chromium it skips, except in CI (CI set), where it fails: a green CI run
// must have checked the page in a browser.
func TestPreviewInChromium(t *testing.T) {
	chromium, err := findChromium()
	if err != nil {
		const install = "install it with `apt-get install -y --no-install-recommends chromium` (.ci/run does)"
		if inCI() {
			t.Fatalf("browser test cannot run in CI: %v; %s", err, install)
		}
		t.Skipf("browser test skipped: %v; %s to run it", err, install)
	}
	dir := writeTree(t, map[string]string{
		"content/blog/2025-02-01-日本語のタイトル.md": "---\ntitle: 日本語のタイトル\n---\n",
	})
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content")})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--disable-dev-shm-usage", "--user-data-dir="+t.TempDir(), "--virtual-time-budget=30000",
		"--dump-dom", ts.URL+"/?eager=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)
	want := len(s.index.Load().list)
	if !strings.Contains(dom, `data-images="ok `) {
		i := strings.Index(dom, "data-images")
		t.Fatalf("images did not all load: %q", dom[max(i, 0):min(max(i, 0)+60, len(dom))])
	}
	if !strings.Contains(dom, `data-images="ok `+itoa(want)+`"`) {
		t.Errorf("want %d images loaded", want)
	}
	if n := s.metrics.renders.Load(); n != uint64(want) {
		t.Errorf("%d renders for %d cards", n, want)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
