package permalink

import (
	"testing"
	"time"
)

// The Hugo and Jekyll cases are what hugo v0.111.3 and jekyll 4.3.1 (Debian
// bookworm) printed as .RelPermalink and page.url for these files; the
// end-to-end test in integrations/ checks the same against the programs.
func TestURL(t *testing.T) {
	date := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	fm := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name  string
		style Style
		page  Page
		want  string
	}{
		{"hugo dated file", Hugo, Page{Rel: "posts/2025-05-20-Hello World.md"}, "/posts/2025-05-20-hello-world/"},
		{"hugo slug", Hugo, Page{Rel: "posts/b.md", Front: fm("slug", "Custom Slug")}, "/posts/custom-slug/"},
		{"hugo url", Hugo, Page{Rel: "posts/c.md", Front: fm("url", "/about-c")}, "/about-c/"},
		{"hugo url key any case", Hugo, Page{Rel: "posts/c.md", Front: fm("URL", "/x/y.html")}, "/x/y.html"},
		{"hugo bundle", Hugo, Page{Rel: "posts/my-bundle/index.md"}, "/posts/my-bundle/"},
		{"hugo nested", Hugo, Page{Rel: "posts/sub/E_f.g.md"}, "/posts/sub/e_f.g/"},
		{"hugo top page", Hugo, Page{Rel: "about.md"}, "/about/"},
		{"jekyll post", Jekyll, Page{Rel: "_posts/2025-05-20-Hello-World.md"}, "/2025/05/20/Hello-World.html"},
		{"jekyll folder and front matter categories, date", Jekyll,
			Page{Rel: "blog/_posts/2025-05-21-b.md", Front: fm("categories", []any{"News", "Tech"}), Date: date},
			"/blog/news/tech/2025/06/01/b.html"},
		{"jekyll slug, one category with a space, short date", Jekyll,
			Page{Rel: "_posts/2025-5-2-c.md", Front: fm("slug", "my slug", "category", "x y")}, "/x%20y/2025/05/02/my-slug.html"},
		{"jekyll categories string splits", Jekyll,
			Page{Rel: "_posts/2025-05-02-c.md", Front: fm("categories", "a B")}, "/a/b/2025/05/02/c.html"},
		{"jekyll permalink placeholders", Jekyll,
			Page{Rel: "_posts/2025-05-03-d_e.md", Front: fm("permalink", "/:categories/:title/", "categories", "q")}, "/q/d_e/"},
		{"jekyll page", Jekyll, Page{Rel: "docs/about.md"}, "/docs/about.html"},
		{"jekyll index page", Jekyll, Page{Rel: "docs/index.md"}, "/docs/"},
		{"jekyll file in _posts without a date is a page", Jekyll, Page{Rel: "_posts/notes.md"}, "/notes.html"},
		{"zola dated file", Zola, Page{Rel: "blog/2025-05-20-Hello World.md"}, "/blog/hello-world/"},
		{"zola dated bundle", Zola, Page{Rel: "blog/2025-05-20_x/index.md"}, "/blog/x/"},
		{"zola slug", Zola, Page{Rel: "blog/a.md", Front: fm("slug", "Other")}, "/blog/other/"},
		{"zola path", Zola, Page{Rel: "blog/a.md", Front: fm("path", "about")}, "/about/"},
		{"path style is card's", Path, Page{Rel: "blog/a.md"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.style.URL(tt.page); got != tt.want {
				t.Errorf("%s.URL(%q) = %q, want %q", tt.style, tt.page.Rel, got, tt.want)
			}
		})
	}
}

func TestFileBase(t *testing.T) {
	for in, want := range map[string]string{
		"/posts/x/": "/posts/x", "/b/2025/05/20/x.html": "/b/2025/05/20/x", "/": "/", "/d/index.html": "/d",
	} {
		if got := FileBase(in); got != want {
			t.Errorf("FileBase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseStyle(t *testing.T) {
	if s, err := ParseStyle("Hugo"); err != nil || s != Hugo {
		t.Errorf("ParseStyle(Hugo) = %q, %v", s, err)
	}
	if _, err := ParseStyle("gatsby"); err == nil {
		t.Error("ParseStyle(gatsby) = nil error, want one")
	}
}
