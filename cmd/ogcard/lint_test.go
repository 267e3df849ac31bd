package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLintReferencePost checks that every built-in template passes on the
// reference post and on the smallest post a new site starts with (a title
// and a date, no event details): no error-level finding, exit 0.
func TestLintReferencePost(t *testing.T) {
	minimal := t.TempDir()
	if err := os.WriteFile(filepath.Join(minimal, "hello.md"), []byte("---\ntitle: Hello\ndate: 2024-01-01\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{refPost, minimal} {
		code, out, errOut := runCLI(t, "", "lint", target, "--template", "all")
		if code != exitOK {
			t.Fatalf("lint %s = exit %d\n%s%s", target, code, out, errOut)
		}
		if !strings.Contains(out, "1 posts, ") || !strings.Contains(out, " cards: 0 errors") {
			t.Errorf("lint %s summary: %q", target, out)
		}
	}
}

// TestLintFindsAndExits checks a failing site: the finding in JSON names
// post, card, rule and fix, and the exit code is 1; switching the rule off
// in ogcard.yaml makes it pass.
func TestLintFindsAndExits(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The template sets light grey text on white: under 4.5:1.
	write("pale.yaml", "name: pale\nwidth: 1200\nheight: 630\nlayers:\n  - kind: fill\n    color: \"#ffffff\"\n  - kind: text\n    text: '{{.Title}}'\n    box: {x: 100, y: 265, w: 1000, h: 100}\n    style: {font: heading, size: 20, max_lines: 1, color: \"#cccccc\"}\n")
	write("ogcard.yaml", "templates: [pale.yaml]\n")
	write("post.md", "---\ntitle: Hello there\n---\n")
	code, out, errOut := runCLI(t, "", "lint", dir, "--json")
	if code != exitFail {
		t.Fatalf("lint = exit %d, want 1\n%s%s", code, out, errOut)
	}
	var rep struct {
		Findings []struct{ Post, Card, Rule, Level, Message, Fix string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(rep.Findings) == 0 {
		t.Fatal("no findings")
	}
	f := rep.Findings[0] // sorted by rule: contrast comes first
	if f.Post != filepath.Join(dir, "post.md") || f.Card != "pale" || f.Rule != "contrast" || f.Level != "error" || f.Fix == "" {
		t.Errorf("finding %+v", f)
	}
	// build reports the same finding as a card warning, and --no-lint
	// turns it off.
	code, _, errOut = runCLI(t, "", "build", dir, "-o", filepath.Join(t.TempDir(), "out"), "-v")
	if code != exitOK || !strings.Contains(errOut, "pale: lint error contrast: text \"Hello there\" has contrast 1.6") {
		t.Errorf("build -v: exit %d, stderr lacks the contrast warning:\n%s", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "build", dir, "-o", filepath.Join(t.TempDir(), "out"), "-v", "--no-lint")
	if code != exitOK || strings.Contains(errOut, "contrast") {
		t.Errorf("build --no-lint: exit %d, stderr:\n%s", code, errOut)
	}
	write("ogcard.yaml", "templates: [pale.yaml]\nlint:\n  contrast: {level: warning}\n")
	if code, out, errOut := runCLI(t, "", "lint", dir); code != exitOK || !strings.Contains(out, "warning contrast") {
		t.Errorf("with contrast a warning: exit %d, want 0\n%s%s", code, out, errOut)
	}
	write("ogcard.yaml", "templates: [pale.yaml]\nlint:\n  contrast: {level: loud}\n")
	if code, _, errOut := runCLI(t, "", "lint", dir); code != exitUsage || !strings.Contains(errOut, "ogcard.yaml:2: lint: invalid config: contrast: level \"loud\"") {
		t.Errorf("bad level: exit %d, want 2 naming the config's line, the rule and the level: %s", code, errOut)
	}
}
