package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInputWarningsReachEveryCommand checks that what ogcard accepts but a
// writer should fix (a photo it cannot show, a repeated YAML key) is printed
// by render, build -v and inspect, naming the post.
func TestInputWarningsReachEveryCommand(t *testing.T) {
	root := filepath.Join(t.TempDir(), "content")
	postPath := filepath.Join(root, "posts", "hello", "index.md")
	if err := os.MkdirAll(filepath.Dir(postPath), 0o755); err != nil {
		t.Fatal(err)
	}
	src := "---\ntitle: Hello\ndate: 2024-05-22\ntitle: Hallo\nauthors:\n  - name: Ann Lee\n    avatar: ann.png\n---\nBody\n"
	if err := os.WriteFile(postPath, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	photo := `authors[0].avatar "ann.png" (Ann Lee): no such file in ` + filepath.Dir(postPath)
	repeated := `line 4: key "title" repeats the one on line 2; the value on line 4 is used, as Jekyll does`
	t.Chdir(t.TempDir())

	t.Run("render", func(t *testing.T) {
		code, _, errOut := runCLI(t, "", "render", postPath, "-o", "hello.png")
		if code != exitOK {
			t.Fatalf("exit %d, want 0; stderr:\n%s", code, errOut)
		}
		for _, want := range []string{"warning: " + postPath + ": " + photo, "warning: " + postPath + ": " + repeated} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}
	})
	t.Run("build", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "build", root, "-o", "og", "-v")
		if code != exitOK {
			t.Fatalf("exit %d, want 0; stderr:\n%s", code, errOut)
		}
		for _, want := range []string{"warning: " + postPath + ": " + photo, "warning: " + postPath + ": " + repeated} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\nstdout:\n%s\nstderr:\n%s", want, out, errOut)
			}
		}
	})
	t.Run("inspect", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "inspect", postPath)
		if code != exitOK {
			t.Fatalf("exit %d, want 0; stderr:\n%s", code, errOut)
		}
		var c struct {
			Source   string
			Title    string
			Warnings []string
		}
		if err := json.Unmarshal([]byte(out), &c); err != nil {
			t.Fatal(err)
		}
		if c.Source != postPath || c.Title != "Hallo" {
			t.Errorf("source %q, title %q; want %q, Hallo", c.Source, c.Title, postPath)
		}
		if got := strings.Join(c.Warnings, "\n"); !strings.Contains(got, repeated) || !strings.Contains(got, photo) {
			t.Errorf("warnings %q lack %q and %q", c.Warnings, repeated, photo)
		}
	})
}

// TestUnreadableTextIsNamed checks that a post in the wrong encoding is an
// error naming the encoding and the place, not "no title".
func TestUnreadableTextIsNamed(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"latin-1", "---\ntitle: Caf\xe9\n---\n", "post <stdin>: line 2: not UTF-8 text: column 11: byte 0xE9 is not UTF-8"},
		{"utf-16 without a byte-order mark", "-\x00-\x00-\x00\n\x00", "the file looks like UTF-16LE without a byte-order mark"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			code, _, errOut := runCLI(t, tt.in, "render", "-")
			if code != exitFail || !strings.Contains(errOut, tt.want) {
				t.Errorf("render - = exit %d, stderr %q; want %d and %q", code, errOut, exitFail, tt.want)
			}
		})
	}
}

// TestBuildCountsCardWarnings: without -v, build says how many card
// warnings it has, in words that fit the count, and -v lists them instead.
func TestBuildCountsCardWarnings(t *testing.T) {
	root := filepath.Join(t.TempDir(), "content")
	for i, name := range []string{"a.md", "b.md"} {
		src := "---\ntitle: Hello\nauthors:\n  - name: Ann Lee\n    avatar: ann.png\n---\n"
		if i == 1 {
			src = "---\ntitle: Plain\n---\n"
		}
		writeFile(t, filepath.Join(root, name), src)
	}
	t.Chdir(t.TempDir())
	code, out, errOut := runCLI(t, "", "build", root, "-o", "og")
	if code != exitOK || !strings.Contains(out, "\n1 card warning (-v lists them)\n") {
		t.Errorf("build = exit %d, stdout %q; want 0 and \"1 card warning (-v lists them)\"; stderr:\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "build", root, "-o", "og", "-v")
	if code != exitOK || strings.Contains(out, "card warning") || !strings.Contains(errOut, `authors[0].avatar "ann.png"`) {
		t.Errorf("build -v = exit %d, stdout %q, stderr %q; want the warning listed, not counted", code, out, errOut)
	}
}

// TestRenderStdinNamedByTitle: a post read from standard input has no file
// name, so its card is named after its title (or its own slug), not
// "stdin.png".
func TestRenderStdinNamedByTitle(t *testing.T) {
	for _, tt := range []struct{ front, want string }{
		{"title: From stdin, déjà vu!", "from-stdin-deja-vu.png"},
		{"title: Anything\nslug: my-own", "my-own.png"},
		{"title: 日本語のタイトル", "日本語のタイトル.png"},
		{"title: " + strings.Repeat("word ", 40), strings.TrimSuffix(strings.Repeat("word-", 16), "-") + ".png"},
		{"title: '!!!'", "card.png"},
	} {
		dir := t.TempDir()
		t.Chdir(dir)
		code, _, errOut := runCLI(t, "---\n"+tt.front+"\n---\nBody.\n", "render", "-")
		if code != exitOK {
			t.Errorf("render - (%s) = exit %d: %s", tt.front, code, errOut)
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, tt.want)); err != nil {
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("render - (%s) wrote %v, want %s", tt.front, names, tt.want)
		}
	}
}
