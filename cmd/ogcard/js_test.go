package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ogcard/ogcard/internal/build"
	"github.com/ogcard/ogcard/internal/sitemanifest"
)

// TestJSSnippet runs integrations/js/ogcard.mjs with Node over a manifest
// and checks it gives the tags `ogcard meta` gives, by URL and by source.
func TestJSSnippet(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	st := &build.Manifest{Posts: []build.Post{{Source: "posts/a.md", URLPath: "/posts/a", Page: "/posts/a/", Title: "A",
		Outputs: []build.Output{
			{File: "posts/a.png", Template: "og", Width: 1200, Height: 630, Alt: `A "quoted" <title>`},
			{File: "posts/a-session-01.png", Template: "session", Card: "01", Width: 1080, Height: 1080, Alt: "Talk"},
		}}}}
	m := sitemanifest.From(st, "/og/")
	js, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := filepath.Abs(filepath.Join("..", "..", "integrations", "js", "ogcard.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	script := `import { ogcardTags } from ` + jsString(mod) + `;
const m = JSON.parse(process.argv[1]);
console.log(JSON.stringify([
  ogcardTags(m, { url: "/posts/a/", site: "https://example.org" }),
  ogcardTags(m, { source: "posts/a.md", site: "https://example.org/blog/" }),
  ogcardTags(m, { url: "/" }),
]));`
	out, err := exec.Command(node, "--input-type=module", "-e", script, string(js)).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got [3][]sitemanifest.Tag
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	abs := sitemanifest.From(st, "https://example.org/og/")
	want := sitemanifest.Tags(abs.Pages["/posts/a/"].Cards)
	for i := range 2 {
		if g, w := mustJSON(t, got[i]), mustJSON(t, want); g != w {
			t.Errorf("call %d:\n got %s\nwant %s", i, g, w)
		}
	}
	if len(got[2]) != 0 {
		t.Errorf("a page without cards got tags %v", got[2])
	}
}

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
