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

// chromium runs headless chromium on url with extra flags and returns
// its standard output.
func chromium(t *testing.T, url string, flags ...string) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("%s not found: install it with `apt-get install -y --no-install-recommends chromium` to run the browser test", chromiumPath)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--disable-dev-shm-usage", "--user-data-dir=" + t.TempDir(), "--virtual-time-budget=30000", "--hide-scrollbars"}, flags...)
	out, err := exec.CommandContext(ctx, chromiumPath, append(args, url)...).Output()
	if err != nil {
		t.Fatalf("chromium %s: %v", url, err)
	}
	return string(out)
}

// refURLPath is the URL path of the reference post in writeTree's tree.
func refURLPath(t *testing.T, s *Server) string {
	t.Helper()
	for _, e := range s.index.Load().list {
		if strings.HasPrefix(e.card.Title, "Cilium at KubeCon") {
			return e.card.URLPath
		}
	}
	t.Fatal("reference post not served")
	return ""
}

// TestPlatformPreviewInChromium opens the platform page of the reference
// post's og card: the card and seven mock unfurls load, each platform's
// crop is the documented one, lint's findings are listed, and a
// screenshot is kept in the test's artifact folder (go test -artifacts).
func TestPlatformPreviewInChromium(t *testing.T) {
	dir := writeTree(t, nil)
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content")})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	page := ts.URL + "/preview/card?" + cardQuery(refURLPath(t, s), "og", "") + "&eager=1"
	dom := chromium(t, page, "--dump-dom")
	if !strings.Contains(dom, `data-images="ok 8"`) {
		i := max(strings.Index(dom, "data-images"), 0)
		t.Fatalf("want the card and 7 mocks loaded: %q", dom[i:min(i+60, len(dom))])
	}
	for _, want := range []string{
		// X: 2:1 from the centre of 1200x630 keeps y 15-615, shown 506x253.
		`data-platform="x" data-frame="506x253" data-crop="0,15,1200,615"`,
		`data-platform="facebook" data-frame="500x261" data-crop="0,1,1200,629"`,
		`data-platform="linkedin" data-frame="552x289" data-crop="0,1,1200,629"`,
		`data-platform="slack" data-frame="360x189" data-crop="0,0,1200,630"`,
		`data-platform="discord" data-frame="400x210" data-crop="0,0,1200,630"`,
		// WhatsApp: the centre square.
		`data-platform="whatsapp" data-frame="96x96" data-crop="285,0,915,630"`,
		`data-platform="imessage" data-frame="300x158" data-crop="0,0,1200,630"`,
		`data-rule="safe-zone-whatsapp"`,
		"developer.x.com/en/docs/x-for-websites/cards/overview/summary-card-with-large-image",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	shot := filepath.Join(t.ArtifactDir(), "platforms.png")
	chromium(t, page, "--window-size=1400,2200", "--screenshot="+shot)
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		t.Errorf("screenshot %s: %v", shot, err)
	}
}

// TestPreviewTemplateSwitchInChromium opens the preview for the session
// template: every session card of the reference post is shown and loads.
func TestPreviewTemplateSwitchInChromium(t *testing.T) {
	full, err := os.ReadFile("../../testdata/posts/cilium-at-kubecon-eu-2026.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := writeTree(t, map[string]string{"content/ref/index.md": string(full)})
	s := newTestServer(t, Config{Content: filepath.Join(dir, "content")})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	refs, err := s.cfg.Renderer.Cards(s.index.Load().byPath[refURLPath(t, s)].card, "session")
	if err != nil || len(refs) < 2 {
		t.Fatalf("reference post: %d session cards (%v), want several", len(refs), err)
	}
	dom := chromium(t, ts.URL+"/?template=session&eager=1", "--dump-dom")
	if want := `data-images="ok ` + itoa(len(refs)) + `"`; !strings.Contains(dom, want) {
		i := max(strings.Index(dom, "data-images"), 0)
		t.Fatalf("want %s: %q", want, dom[i:min(i+60, len(dom))])
	}
	if !strings.Contains(dom, `class="on">session</a>`) {
		t.Error("the switcher does not mark session as shown")
	}
	shot := filepath.Join(t.ArtifactDir(), "sessions.png")
	chromium(t, ts.URL+"/?template=session&eager=1", "--window-size=1200,900", "--screenshot="+shot)
}
