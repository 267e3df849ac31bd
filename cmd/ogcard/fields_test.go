package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestConfigTemplateUnknownField: a config whose template names a field
// cards lack is refused at load, by every command, with exit 2, the file
// and line, a suggestion and the fields.
func TestConfigTemplateUnknownField(t *testing.T) {
	dir := t.TempDir()
	_, og, _ := runCLI(t, "", "templates", "og")
	bad := strings.Replace(og, "text: '{{.Title}}'", "text: '{{.Titel}}'", 1)
	if bad == og {
		t.Fatal("the og template has no text: '{{.Title}}' to misspell")
	}
	line := strings.Count(bad[:strings.Index(bad, "{{.Titel}}")], "\n") + 1
	writeFile(t, filepath.Join(dir, "mine.yaml"), strings.Replace(bad, "name: og", "name: mine", 1))
	writeFile(t, filepath.Join(dir, "ogcard.yaml"), "templates: [mine.yaml]\n")
	post := filepath.Join(dir, "posts", "a.md")
	writeFile(t, post, "---\ntitle: A\n---\n")
	for _, args := range [][]string{
		{"render", post, "-o", filepath.Join(dir, "a.png")},
		{"build", dir, "-o", filepath.Join(dir, "out")},
		{"inspect", post},
		{"meta", post},
	} {
		t.Run(args[0], func(t *testing.T) {
			code, _, errOut := runCLI(t, "", args...)
			want := filepath.Join(dir, "mine.yaml") + ":" + strconv.Itoa(line) + ": template mine: "
			if code != exitUsage || !strings.Contains(errOut, want) || !strings.Contains(errOut, "unknown field .Titel; did you mean .Title?") ||
				!strings.Contains(errOut, ".Authors") {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 2, %q, the suggestion and the fields", code, errOut, want)
			}
			if strings.Count(errOut, "unknown field") != 1 {
				t.Errorf("the error is reported %d times:\n%s", strings.Count(errOut, "unknown field"), errOut)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("build wrote an output folder before refusing the config")
	}
}

func TestTemplatesFieldsAndInspectNames(t *testing.T) {
	code, out, _ := runCLI(t, "", "templates", "--fields")
	if code != exitOK {
		t.Fatalf("templates --fields: exit %d", code)
	}
	for _, want := range []string{".Title ", ".Authors[].Company ", ".Event.Hashtags ", "list of text", "Cilium at KubeCon Europe 2026"} {
		if !strings.Contains(out, want) {
			t.Errorf("templates --fields lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runCLI(t, "", "inspect", refPost)
	if !strings.Contains(out, `"Authors": [`) || strings.Contains(out, `"authors"`) {
		t.Errorf("inspect does not use the names templates use:\n%s", out)
	}
}
