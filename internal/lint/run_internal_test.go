package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/render"
	"github.com/ogcard/ogcard/internal/site"
)

// TestSiteSurvivesAPanic: a panic while checking one post (a bug in a
// rule, say) is reported as that post's failure, and every other post is
// still checked, as the batch build does.
func TestSiteSurvivesAPanic(t *testing.T) {
	r, err := render.New(render.Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand})
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for _, name := range []string{"a.md", "boom.md", "c.md", "d.md"} {
		body := "---\ntitle: Post " + name + "\n---\nText.\n"
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := site.Scan(context.Background(), root, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	orig := checkPost
	defer func() { checkPost = orig }()
	checkPost = func(l *Linter, ctx context.Context, r *render.Renderer, c *card.Card, post string, templates []string) ([]Finding, []Sum, error) {
		if strings.HasSuffix(post, "boom.md") {
			panic("a rule's bug")
		}
		return orig(l, ctx, r, c, post, templates)
	}
	l, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := l.Site(context.Background(), r, entries, []string{"og"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Posts != 4 || rep.Cards != 3 || len(rep.Failures) != 1 {
		t.Fatalf("%d posts, %d cards, failures %v; want 4 posts, 3 cards and boom.md's failure", rep.Posts, rep.Cards, rep.Failures)
	}
	if msg := rep.Failures[0].Error(); !strings.Contains(msg, "boom.md") || !strings.Contains(msg, "panic: a rule's bug") {
		t.Errorf("failure %q, want one naming boom.md and the panic", msg)
	}
}
