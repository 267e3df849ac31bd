package card

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ogcard/ogcard/internal/post"
)

// corpusDir returns the shared corpus of real posts, or skips the test.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("OGCARD_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Skipf("corpus not found at %s (set OGCARD_CORPUS to its folder): %v", dir, err)
	}
	return dir
}

// corpusRoots are the content roots of the corpus sites, relative to the
// corpus folder.
var corpusRoots = map[string]string{
	"cilium":          "cilium/src/posts",
	"redox":           "redox/content",
	"rust-blog":       "rust-blog/content",
	"react-zh":        "react-zh/src/content",
	"tauri":           "tauri/src/content/docs",
	"k8s-cjk-excerpt": "k8s-cjk-excerpt/content",
}

// corpusResult is FromPost's outcome for one corpus file.
type corpusResult struct {
	rel  string // relative to the corpus folder, slash-separated
	site string
	card *Card
	err  error
}

func runCorpus(t *testing.T) []corpusResult {
	t.Helper()
	dir := corpusDir(t)
	authorData, err := os.ReadFile(filepath.Join(dir, "cilium", "src", "utils", "author-data.js"))
	if err != nil {
		t.Fatalf("reading cilium author data: %v", err)
	}
	ciliumAuthors, err := parseAuthorDataJS(authorData)
	if err != nil {
		t.Fatalf("parseAuthorDataJS(author-data.js) error: %v", err)
	}
	var results []corpusResult
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".mdx")) {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "README.md" {
			return nil // the corpus's own README
		}
		site, _, _ := strings.Cut(rel, "/")
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		r := corpusResult{rel: rel, site: site}
		pp, err := post.Parse(rel, data)
		if err != nil {
			r.err = err
			results = append(results, r)
			return nil
		}
		opts := &Options{Root: corpusRoots[site]}
		if site == "cilium" {
			opts.Authors = ciliumAuthors
		}
		r.card, r.err = FromPost(pp, opts)
		results = append(results, r)
		return nil
	})
	if err != nil {
		t.Fatalf("walking the corpus: %v", err)
	}
	return results
}

func TestCorpus(t *testing.T) {
	results := runCorpus(t)
	counts := map[string]int{}
	var withTitle, withDate int
	var ciliumBody, ciliumMarked, ciliumAuthor, ciliumMarkedAuthor int
	var ref *Card
	for _, r := range results {
		var skip *SkipError
		switch {
		case errors.As(r.err, &skip):
			counts["skip: "+skip.Reason.String()]++
			continue
		case r.err != nil:
			counts["error"]++
			t.Logf("error: %v", r.err)
			continue
		}
		counts["ok"]++
		if r.card.Draft {
			counts["ok, draft"]++
		}
		if r.card.Title != "" {
			withTitle++
			if !r.card.Date.IsZero() {
				withDate++
			} else {
				t.Logf("no date: %s", r.rel)
			}
		}
		if r.rel == "cilium/src/posts/2026-01-23-cilium-at-kubecon-eu-26/index.md" {
			ref = r.card
		}
		if r.site == "cilium" && strings.TrimSpace(string(mustBody(t, r.rel))) != "" {
			ciliumBody++
			marked := hasBylineMarker(mustBody(t, r.rel))
			if marked {
				ciliumMarked++
			}
			if len(r.card.Authors) > 0 {
				ciliumAuthor++
				if marked {
					ciliumMarkedAuthor++
				}
			} else if marked {
				t.Logf("cilium post with a byline marker but no author: %s", r.rel)
			}
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("%-16s %d", k, counts[k])
	}
	t.Logf("files %d; with a title %d, of which with a date %d", len(results), withTitle, withDate)
	t.Logf("cilium posts with a body %d: with an author %d; with a byline or <BlogAuthor> %d, of which with an author %d",
		ciliumBody, ciliumAuthor, ciliumMarked, ciliumMarkedAuthor)

	if withTitle == 0 || withDate*100 < withTitle*95 {
		t.Errorf("%d of %d posts with a title have a date, want at least 95%%", withDate, withTitle)
	}
	// Most cilium.io posts are link-only (an externalUrl, no body) and many
	// bodies name no author anywhere, so the bar is set on the posts whose
	// body has a byline line or a <BlogAuthor> component: the parser must
	// read those.
	if ciliumMarked == 0 || ciliumMarkedAuthor*100 < ciliumMarked*80 {
		t.Errorf("%d of %d cilium posts with a byline got an author, want at least 80%%", ciliumMarkedAuthor, ciliumMarked)
	}
	if counts["error"] > 0 {
		t.Errorf("%d corpus files failed, want 0", counts["error"])
	}

	if ref == nil {
		t.Fatal("reference post cilium/src/posts/2026-01-23-cilium-at-kubecon-eu-26/index.md: no card")
	}
	checkReference(t, ref)
}

// checkReference checks the card of the cilium.io reference post.
func checkReference(t *testing.T, c *Card) {
	t.Helper()
	if want := "Cilium at KubeCon + CloudNativeCon and CiliumCon Europe 2026"; c.Title != want {
		t.Errorf("reference Title = %q, want %q", c.Title, want)
	}
	if want := "Learn how to engage with the Cilium community at KubeCon + CloudNativeCon Europe 2026"; c.Summary != want {
		t.Errorf("reference Summary = %q, want %q", c.Summary, want)
	}
	if y, m, d := c.Date.Date(); y != 2025 || m != time.January || d != 23 {
		t.Errorf("reference Date = %v, want 2025-01-23", c.Date)
	}
	if want := []Person{{Name: "Katie Meinders", Company: "Isovalent"}}; !slices.Equal(c.Authors, want) {
		t.Errorf("reference Authors = %+v, want %+v", c.Authors, want)
	}
	if want := "/blog/2026/01/23/cilium-at-kubecon-eu-2026"; c.URLPath != want {
		t.Errorf("reference URLPath = %q, want %q", c.URLPath, want)
	}
	if want := "cilium-at-kubecon-eu-2026"; c.Slug != want {
		t.Errorf("reference Slug = %q, want %q", c.Slug, want)
	}
	if want := []string{"Cilium"}; !slices.Equal(c.Tags, want) {
		t.Errorf("reference Tags = %q, want %q", c.Tags, want)
	}
	if want := []string{"Community"}; !slices.Equal(c.Categories, want) {
		t.Errorf("reference Categories = %q, want %q", c.Categories, want)
	}
	if want := "Social-Snackable-kubecon-europe26.png"; c.Image != want {
		t.Errorf("reference Image = %q, want %q", c.Image, want)
	}
}

func mustBody(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := post.Parse(rel, data)
	if err != nil {
		t.Fatal(err)
	}
	return p.Body
}

// hasBylineMarker reports whether a body has a line starting with
// Author/Authors/By (after Markdown markers) among its first lines, or a
// <BlogAuthor {...authors.X} /> component: the posts whose author the body
// states in a form meant to be read as a byline.
func hasBylineMarker(body []byte) bool {
	if len(BlogAuthorIDs(body)) > 0 {
		return true
	}
	n := 0
	for line := range strings.Lines(string(body)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "import ") {
			continue
		}
		if n++; n > bylineLines {
			break
		}
		l := strings.ToLower(strings.TrimLeft(line, "*_#> "))
		if strings.HasPrefix(l, "author:") || strings.HasPrefix(l, "authors:") || strings.HasPrefix(l, "by:") {
			return true
		}
	}
	return false
}
