package card

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ogcard/ogcard/internal/post"
)

func TestSlugFromPath(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"blog/2024-05-22-hello.md", "/blog/2024/05/22/hello"},
		{"posts/foo/index.md", "/posts/foo"},
		{"posts/foo/_index.md", "/posts/foo"},
		{"_index.md", "/"},
		{"index.mdx", "/"},
		{"", "/"},
		{"blog/2020/12/21/data-fetching.md", "/blog/2020/12/21/data-fetching"},
		{"ja/blog/_posts/2025-03-24-ingress-nginx-CVE-2025-1974.md", "/ja/blog/2025/03/24/ingress-nginx-cve-2025-1974"},
		{"2023-10-31-chereo-zero-trust/index.md", "/2023/10/31/chereo-zero-trust"},
		{"15-06-2017-bpf-updates-07/index.md", "/15-06-2017-bpf-updates-07"},
		{"1.94.1-release.md", "/1.94.1-release"},
		{"inside-rust/infra-team-meeting@5.md", "/inside-rust/infra-team-meeting-5"},
		{"My Post (draft)!.md", "/my-post-draft"},
		{"../../etc/passwd", "/etc/passwd"},
		{"a//b/./c.md", "/a/b/c"},
		{`win\path\post.md`, "/win/path/post"},
		{"blog/..../x.md", "/blog/x"},
		{"blog/弃用-dockershim.md", "/blog/弃用-dockershim"},
		{"blog/post.markdown", "/blog/post"},
		{".md", "/.md"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := SlugFromPath(tt.in); got != tt.want {
				t.Errorf("SlugFromPath(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestURLPath(t *testing.T) {
	tests := []struct {
		name     string
		path     string
		kv       []any
		opts     *Options
		wantPath string
		wantSlug string
	}{
		{"path key", "x/index.md", []any{"path", "/blog/2026/01/23/cilium-at-kubecon-eu-2026"}, nil, "/blog/2026/01/23/cilium-at-kubecon-eu-2026", "cilium-at-kubecon-eu-2026"},
		{"relative path key keeps case", "x.md", []any{"path", "2014/12/12/1.0-Timeline"}, nil, "/2014/12/12/1.0-Timeline", "1.0-Timeline"},
		{"trailing slash", "x.md", []any{"url", "/blog/foo/"}, nil, "/blog/foo", "foo"},
		{"absolute url", "x.md", []any{"permalink", "https://example.com/a/b?x=1#top"}, nil, "/a/b", "b"},
		{"dot segments", "x.md", []any{"path", "/a/../../b//c"}, nil, "/a/b/c", "c"},
		{"slug replaces the file name", "content/ja/blog/_posts/2025-03-24-ingress.md", []any{"slug", "ingress-nginx-CVE-2025-1974"}, nil, "/ja/blog/2025/03/24/ingress-nginx-cve-2025-1974", "ingress-nginx-cve-2025-1974"},
		{"slug of a bundle", "content/posts/foo/index.md", []any{"slug", "bar"}, nil, "/posts/bar", "bar"},
		{"slug at the root", "content/index.md", []any{"slug", "a/b"}, nil, "/a-b", "a-b"},
		{"root stripped", "site/src/posts/2023-10-31-zero/index.md", nil, &Options{Root: "site/src/posts"}, "/2023/10/31/zero", "zero"},
		{"root with trailing slash", "site/posts/hello.md", nil, &Options{Root: "site/posts/"}, "/hello", "hello"},
		{"path outside root", "other/hello.md", nil, &Options{Root: "site"}, "/other/hello", "hello"},
		{"after content folder", "/srv/site/content/blog/hello.md", nil, nil, "/blog/hello", "hello"},
		{"no content folder", "./blog/Hello World.md", nil, nil, "/blog/hello-world", "hello-world"},
		{"path beats slug", "a.md", []any{"slug", "s", "path", "/p"}, nil, "/p", "p"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCard(t, newPost(tt.path, "", append([]any{"title", "T"}, tt.kv...)...), tt.opts)
			if c.URLPath != tt.wantPath || c.Slug != tt.wantSlug {
				t.Errorf("URLPath, Slug = %q, %q, want %q, %q", c.URLPath, c.Slug, tt.wantPath, tt.wantSlug)
			}
		})
	}
}

// TestBareIndexSlug checks that a bare index.md, read from inside its
// bundle's folder, takes the folder's name as its slug.
func TestBareIndexSlug(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "My Post")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, tc := range []struct{ path, want string }{
		{"index.md", "/my-post"},
		{"index.mdx", "/my-post"},
		{"hello.md", "/hello"},
	} {
		c, err := FromPost(newPost(tc.path, "", "title", "T"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.URLPath != tc.want {
			t.Errorf("%s in %s: URLPath = %q, want %q", tc.path, dir, c.URLPath, tc.want)
		}
	}
}

// TestRootAbsoluteAndRelative: a root and a post path, one absolute and one
// relative to the working directory, still give the path under the root.
func TestRootAbsoluteAndRelative(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ root, path string }{
		{filepath.Join(wd, "site"), "site/posts/summit/index.md"},
		{"site", filepath.Join(wd, "site/posts/summit/index.md")},
	} {
		c, err := FromPost(&post.Post{Path: tc.path, Front: map[string]any{"title": "T"}}, &Options{Root: tc.root})
		if err != nil {
			t.Fatal(err)
		}
		if c.URLPath != "/posts/summit" {
			t.Errorf("root %s, post %s: URL path %s, want /posts/summit", tc.root, tc.path, c.URLPath)
		}
	}
}
