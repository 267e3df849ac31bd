package render

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/post"
)

// corpusDir is the shared corpus of real posts: $OGCARD_CORPUS, else
// ../shared/corpus beside the repository.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("OGCARD_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus of real posts not found at %s (set OGCARD_CORPUS): %v", dir, err)
	}
	return dir
}

// TestCorpus runs every post of the corpus through parsing and card
// building, and renders every 10th: no post may panic, and every post
// either renders or is skipped for a named reason.
func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	r := renderer(t)
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			switch strings.ToLower(filepath.Ext(p)) {
			case ".md", ".mdx", ".markdown":
				files = append(files, p)
			}
		}
		return nil
	})
	sort.Strings(files)
	if len(files) < 100 {
		t.Fatalf("found only %d posts under %s", len(files), dir)
	}
	counts := map[string]int{}
	rendered := 0
	for i, f := range files {
		p, err := post.Read(f)
		if err != nil {
			counts["bad front matter"]++
			t.Logf("%v", err)
			continue
		}
		c, err := r.Card(p)
		var skip *card.SkipError
		switch {
		case errors.As(err, &skip):
			counts["skipped: "+skip.Reason.String()]++
			continue
		case err != nil:
			counts["bad field"]++
			t.Logf("%v", err)
			continue
		}
		counts["card"]++
		if i%10 != 0 {
			continue
		}
		img, err := r.Render(context.Background(), c, "og")
		if err != nil {
			t.Errorf("%s: render: %v", f, err)
			continue
		}
		rendered++
		for _, w := range img.Warnings {
			t.Logf("%s: %s", f, w)
		}
	}
	t.Logf("%d posts: %v; %d rendered", len(files), counts, rendered)
	if counts["card"] < len(files)*95/100 {
		t.Errorf("only %d of %d posts gave a card", counts["card"], len(files))
	}
	if rendered == 0 {
		t.Error("rendered no post")
	}
}
