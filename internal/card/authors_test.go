package card

import (
	"strings"
	"testing"

	"github.com/ogcard/ogcard/internal/permalink"
	"github.com/ogcard/ogcard/internal/post"
)

// TestAuthorIDs: author ids in front matter resolve through the author
// data; an id the data lacks is kept as written and warned about.
func TestAuthorIDs(t *testing.T) {
	opts := &Options{Authors: map[string]Person{"ann": {Name: "Ann Lee", Role: "Maintainer", Company: "Acme", Avatar: "ann.png"}}}
	p, err := post.Parse("content/posts/x.md", []byte("---\ntitle: X\nauthors: [ann, ghost, Jo Doe]\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := FromPost(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Authors) != 3 || c.Authors[0] != opts.Authors["ann"] || c.Authors[1].Name != "ghost" || c.Authors[2].Name != "Jo Doe" {
		t.Errorf("authors %+v: want Ann's entry, ghost and Jo Doe as written", c.Authors)
	}
	var warned []string
	for _, w := range c.Warnings {
		if strings.Contains(w, "author id") {
			warned = append(warned, w)
		}
	}
	if len(warned) != 1 || !strings.Contains(warned[0], `"ghost"`) {
		t.Errorf("warnings %q: want one about the unknown id ghost", c.Warnings)
	}
	// Without author data, a one-word author is a name, not a mistake.
	c, _ = FromPost(p, nil)
	for _, w := range c.Warnings {
		if strings.Contains(w, "author id") {
			t.Errorf("warning %q without author data", w)
		}
	}
}

// TestURLsOption: a generator's rules give PageURL, and URLPath from it.
func TestURLsOption(t *testing.T) {
	p, err := post.Parse("site/content/posts/2025-05-20-Hello.md", []byte("---\ntitle: X\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := FromPost(p, &Options{Root: "site/content", URLs: permalink.Hugo})
	if err != nil {
		t.Fatal(err)
	}
	if c.PageURL != "/posts/2025-05-20-hello/" || c.URLPath != "/posts/2025-05-20-hello" || c.Slug != "2025-05-20-hello" {
		t.Errorf("PageURL %q, URLPath %q, Slug %q", c.PageURL, c.URLPath, c.Slug)
	}
	c, _ = FromPost(p, &Options{Root: "site/content"})
	if c.PageURL != "" || c.URLPath != "/posts/2025/05/20/hello" {
		t.Errorf("default rule: PageURL %q, URLPath %q", c.PageURL, c.URLPath)
	}
}
