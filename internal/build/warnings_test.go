package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestWarningsRepeatOnRebuild: a rebuild that neither reads a post again
// nor redraws its card still reports the post's warnings (a YAML key
// written twice) and the card's (a character no font has), so 'ogcard
// build -v' lists the same warnings on every run; as does one that reads
// the post again but finds its card unchanged.
func TestWarningsRepeatOnRebuild(t *testing.T) {
	root := filepath.Join(t.TempDir(), "content")
	post := filepath.Join(root, "a.md")
	writeText(t, post, "---\ntitle: First\ntitle: \"Ethiopic \u1230\"\n---\n")
	writeText(t, filepath.Join(root, "b.md"), "---\ntitle: Plain\n---\n")
	r := defaultInputs(t).renderer(t, root)
	opts := Options{Root: root, OutDir: filepath.Join(t.TempDir(), "out"), Jobs: 1}
	warnings := func(rep *Report) []string {
		ws := slices.Clone(rep.CardWarnings)
		slices.Sort(ws)
		return ws
	}
	first := completeBuild(t, r, opts)
	want := warnings(first)
	if len(want) < 2 || !strings.Contains(strings.Join(want, "\n"), `key "title" repeats`) || !strings.Contains(strings.Join(want, "\n"), "U+1230") {
		t.Fatalf("first build's warnings %q: want the repeated key and the missing glyph", want)
	}
	again := completeBuild(t, r, opts)
	if again.Unchanged != 2 || again.CardsRendered != 0 {
		t.Fatalf("rebuild: %+v, want both posts unchanged", again)
	}
	if got := warnings(again); !slices.Equal(got, want) {
		t.Errorf("rebuild without reading the posts: warnings %q, want %q", got, want)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(post, later, later); err != nil {
		t.Fatal(err)
	}
	touched, err := Build(context.Background(), r, opts)
	if err != nil || touched.CardsRendered != 0 || touched.CardsUnchanged != 2 {
		t.Fatalf("rebuild after a touch: %+v, %v; want the post read again and its card unchanged", touched, err)
	}
	if got := warnings(touched); !slices.Equal(got, want) {
		t.Errorf("rebuild reading the post again, card unchanged: warnings %q, want %q", got, want)
	}
}
