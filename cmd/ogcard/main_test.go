package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const refPost = "../../testdata/posts/cilium-at-kubecon-eu-2026.md"

// runCLI runs the CLI in process and returns exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestRenderWritesPNG(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "card.png")
	code, out, errOut := runCLI(t, "", "render", refPost, "-o", dest)
	if code != exitOK {
		t.Fatalf("render = exit %d, stderr %q", code, errOut)
	}
	if strings.TrimSpace(out) != dest {
		t.Errorf("stdout = %q, want the output path", out)
	}
	f, err := os.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != 1200 || cfg.Height != 630 {
		t.Errorf("output is %dx%d (%v), want a 1200x630 PNG", cfg.Width, cfg.Height, err)
	}
}

func TestRenderDefaultNameIsSlug(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	abs, _ := filepath.Abs(filepath.Join(origWD, refPost))
	code, out, errOut := runCLI(t, "", "render", abs)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := strings.TrimSpace(out); got != "cilium-at-kubecon-eu-2026.png" {
		t.Errorf("wrote %q, want cilium-at-kubecon-eu-2026.png (the slug)", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "cilium-at-kubecon-eu-2026.png")); err != nil {
		t.Error(err)
	}
}

func TestRenderRefusesPostsOwnImage(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile(refPost)
	post := filepath.Join(dir, "index.md")
	os.WriteFile(post, data, 0o644)
	own := filepath.Join(dir, "Social-Snackable-kubecon-europe26.png")
	os.WriteFile(own, []byte("designer's art"), 0o644)
	code, _, errOut := runCLI(t, "", "render", post, "-o", own)
	if code != exitUsage || !strings.Contains(errOut, "--force") {
		t.Errorf("exit %d, stderr %q; want 2 and a hint about --force", code, errOut)
	}
	if b, _ := os.ReadFile(own); string(b) != "designer's art" {
		t.Error("the post's own image was overwritten")
	}
	if code, _, errOut := runCLI(t, "", "render", post, "-o", own, "--force"); code != exitOK {
		t.Errorf("with --force: exit %d, %s", code, errOut)
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name      string
		stdin     string
		args      []string
		want      int
		errSubstr string
	}{
		{"no command", "", nil, exitUsage, ""},
		{"unknown command", "", []string{"frobnicate"}, exitUsage, "unknown command"},
		{"no post", "", []string{"render"}, exitUsage, "exactly one POST"},
		{"bad flag", "", []string{"render", "-nope", refPost}, exitUsage, "--help"},
		{"unknown template", "", []string{"render", refPost, "--template", "nope"}, exitUsage, "unknown template"},
		{"missing file", "", []string{"render", "does-not-exist.md"}, exitFail, "does-not-exist.md"},
		{"wrong type", "---\ntitle: [1, 2]\n---\n", []string{"render", "-"}, exitFail, `line 2: key "title"`},
		{"bad date", "---\ntitle: x\ndate: 2024-13-45\n---\n", []string{"render", "-"}, exitFail, "month out of range"},
		{"unclosed", "---\ntitle: x\n", []string{"render", "-"}, exitFail, "close it with"},
		{"no title", "---\ndate: 2024-01-01\n---\nno heading here\n", []string{"render", "-"}, exitFail, "<stdin>: not rendered: skipped: no title: no title in front matter and no level-1 heading in the body; add title: to its front matter or a # heading to its body"},
		{"no title, inspect", "---\ndate: 2024-01-01\n---\n", []string{"inspect", "-"}, exitFail, "ogcard inspect: <stdin>: not rendered: skipped: no title"},
		{"no title, meta", "---\ndate: 2024-01-01\n---\n", []string{"meta", "-", "--base-url", "/og/"}, exitFail, "ogcard meta: <stdin>: not rendered: skipped: no title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			code, _, errOut := runCLI(t, tt.stdin, tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.want, errOut)
			}
			if !strings.Contains(errOut, tt.errSubstr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.errSubstr)
			}
		})
	}
}

func TestHelpHasExample(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			code, out, _ := runCLI(t, "", c.name, "--help")
			if code != exitOK || !strings.Contains(out, "Example:") || !strings.Contains(out, "ogcard "+c.name) {
				t.Errorf("%s --help: exit %d, output %q; want 0 and an example", c.name, code, out)
			}
		})
	}
}

func TestInspect(t *testing.T) {
	code, out, errOut := runCLI(t, "", "inspect", refPost)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var c struct {
		Title   string
		Summary string
		URLPath string
		Authors []struct{ Name, Company string }
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.Title != "Cilium at KubeCon + CloudNativeCon and CiliumCon Europe 2026" ||
		c.URLPath != "/blog/2026/01/23/cilium-at-kubecon-eu-2026" ||
		len(c.Authors) != 1 || c.Authors[0].Name != "Katie Meinders" {
		t.Errorf("inspect = %+v", c)
	}
}

func TestTemplatesListsAndPrints(t *testing.T) {
	code, out, _ := runCLI(t, "", "templates")
	if code != exitOK || !strings.Contains(out, "og\n    1200x630") {
		t.Errorf("templates: exit %d, %q", code, out)
	}
	code, out, _ = runCLI(t, "", "templates", "og")
	if code != exitOK || !strings.Contains(out, "kind: gradient") {
		t.Errorf("templates og: exit %d, %q", code, out)
	}
}

var origWD, _ = os.Getwd()

func TestInitThenBuild(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := runCLI(t, "", "init", dir); code != exitOK || !strings.Contains(out, "custom-og.yaml") {
		t.Fatalf("init: exit %d, %q, %q", code, out, errOut)
	}
	data, _ := os.ReadFile(refPost)
	os.MkdirAll(filepath.Join(dir, "posts"), 0o755)
	os.WriteFile(filepath.Join(dir, "posts", "kubecon.md"), data, 0o644)
	out := filepath.Join(dir, "public")
	code, stdout, errOut := runCLI(t, "", "build", dir, "-o", out)
	if code != exitOK {
		t.Fatalf("build after init: exit %d, %s %s", code, stdout, errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "blog/2026/01/23/cilium-at-kubecon-eu-2026-custom-og.png")); err != nil {
		t.Errorf("the custom template's card is missing: %v", err)
	}
	if code, _, errOut := runCLI(t, "", "init", dir); code != exitUsage || !strings.Contains(errOut, "--force") {
		t.Errorf("second init: exit %d, %q; want 2 and a hint about --force", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "init", "--force", dir); code != exitOK {
		t.Errorf("init --force over an earlier init: exit %d, %q; want 0", code, errOut)
	}
}

func TestRenderAllSessions(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "", "render", refPost, "--template", "session", "--all", "-o", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	files := strings.Fields(out)
	if len(files) != 16 || !strings.HasSuffix(files[0], "cilium-at-kubecon-eu-2026-session-01.png") {
		t.Errorf("wrote %d files (%v), want 16 named ...-session-01.png onwards", len(files), files[:min(2, len(files))])
	}
}
