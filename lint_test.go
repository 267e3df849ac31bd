package ogcard_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogcard/ogcard"
)

// TestLint checks Lint through the public package: the built-in templates
// pass on the reference post, and a config's template with light grey
// text on white is an error-level contrast finding that the config's lint
// section can lower to a warning.
func TestLint(t *testing.T) {
	r, err := ogcard.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Lint(context.Background(), ogcard.LintOptions{Files: []string{"testdata/posts/cilium-at-kubecon-eu-2026.md"}, Templates: r.Templates()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors != 0 || rep.Cards < len(r.Templates()) || len(rep.Failures) != 0 {
		t.Errorf("reference post: %d errors, %d cards, failures %v; findings %v", rep.Errors, rep.Cards, rep.Failures, rep.Findings)
	}

	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pale.yaml", "name: pale\nwidth: 1200\nheight: 630\nlayers:\n  - kind: fill\n    color: \"#ffffff\"\n  - kind: text\n    text: '{{.Title}}'\n    box: {x: 400, y: 265, w: 400, h: 100}\n    style: {font: heading, size: 20, max_lines: 1, color: \"#cccccc\"}\n")
	write("post.md", "---\ntitle: Hello there\n---\n")
	for _, tc := range []struct {
		config, level string
		errors        int
	}{
		{"templates: [pale.yaml]\n", "error", 1},
		{"templates: [pale.yaml]\nlint:\n  contrast: {level: warning}\n", "warning", 0},
	} {
		write("ogcard.yaml", tc.config)
		r, err := ogcard.New(&ogcard.Options{ConfigFile: filepath.Join(dir, "ogcard.yaml")})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := r.Lint(context.Background(), ogcard.LintOptions{Root: dir})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Errors != tc.errors || len(rep.Findings) != 1 {
			t.Fatalf("%q: %d errors, findings %v", tc.config, rep.Errors, rep.Findings)
		}
		f := rep.Findings[0]
		if f.Rule != "contrast" || f.Level != tc.level || f.Card != "pale" || !strings.HasSuffix(f.Post, "post.md") || f.Fix == "" {
			t.Errorf("%q: finding %+v", tc.config, f)
		}
	}
}
