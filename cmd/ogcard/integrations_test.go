package main

import (
	"encoding/json"
	"html"
	"image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ogcard/ogcard/internal/sitemanifest"
)

// The tests here build small sites of corpus posts with the real Hugo and
// Jekyll after `ogcard build`, with the partial and include of
// integrations/, and read every page the generator wrote.

// needTool returns the path of a program, skipping the test when it is
// missing, except in CI, where a missing program is a failure.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed, and CI=true: .ci/run installs it (apt-get install -y hugo jekyll)", name)
		}
		t.Skipf("%s is not installed (apt-get install -y %s); CI=true makes this a failure", name, name)
	}
	return p
}

func corpus(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("OGCARD_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("corpus not found at %s (set OGCARD_CORPUS): %v", dir, err)
		}
		t.Skipf("corpus not found at %s (set OGCARD_CORPUS): %v", dir, err)
	}
	return dir
}

// copyFile copies src to dst, making dst's folder.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dst, string(data))
}

func writeFile(t *testing.T, dst, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// page is what a generated page's <head> says, and what its <body> marks.
type page struct {
	file   string
	isPost bool   // the layout marked it as a post (data-post="yes")
	src    string // the source file the layout printed (data-src)
	url    string // the URL the generator gave it (data-url)
	og     []map[string]string
	tw     map[string]string
}

var (
	metaTag = regexp.MustCompile(`(?s)<meta\s+([^>]*?)/?>`)
	attr    = regexp.MustCompile(`([a-zA-Z:_-]+)="([^"]*)"`)
	bodyTag = regexp.MustCompile(`<body\s+([^>]*)>`)
)

func attrs(s string) map[string]string {
	m := map[string]string{}
	for _, a := range attr.FindAllStringSubmatch(s, -1) {
		m[a[1]] = html.UnescapeString(a[2])
	}
	return m
}

// readPages parses every .html file under dir.
func readPages(t *testing.T, dir string) []page {
	t.Helper()
	var pages []page
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc := string(data)
		head, _, ok := strings.Cut(doc, "</head>")
		if !ok {
			return nil // a redirect or fragment, not a page of the layouts
		}
		pg := page{file: p, tw: map[string]string{}}
		if b := bodyTag.FindStringSubmatch(doc); b != nil {
			a := attrs(b[1])
			pg.isPost, pg.src, pg.url = a["data-post"] == "yes", a["data-src"], a["data-url"]
		}
		for _, m := range metaTag.FindAllStringSubmatch(head, -1) {
			a := attrs(m[1])
			switch prop := a["property"]; {
			case prop == "og:image":
				pg.og = append(pg.og, map[string]string{"url": a["content"]})
			case strings.HasPrefix(prop, "og:image:"):
				if len(pg.og) == 0 {
					t.Errorf("%s: %s before any og:image", p, prop)
					continue
				}
				pg.og[len(pg.og)-1][strings.TrimPrefix(prop, "og:image:")] = a["content"]
			case strings.HasPrefix(a["name"], "twitter:"):
				pg.tw[strings.TrimPrefix(a["name"], "twitter:")] = a["content"]
			}
		}
		pages = append(pages, pg)
		return nil
	})
	return pages
}

// checkPages checks what the issue promises of a generated site: every post
// page names an og:image whose file exists with the stated width and
// height, with type, alt and twitter tags; every other page names none;
// and the manifest knows each post page by the URL the generator gave it.
func checkPages(t *testing.T, pages []page, published, baseURL string, m *sitemanifest.Manifest, wantPosts int) {
	t.Helper()
	posts := 0
	for _, pg := range pages {
		if !pg.isPost {
			if len(pg.og) > 0 || len(pg.tw) > 0 {
				t.Errorf("%s: not a post, yet has og:image %v, twitter %v", pg.file, pg.og, pg.tw)
			}
			continue
		}
		posts++
		if len(pg.og) == 0 {
			t.Errorf("%s (post %s at %s): no og:image", pg.file, pg.src, pg.url)
			continue
		}
		for _, og := range pg.og {
			rel, ok := strings.CutPrefix(og["url"], baseURL)
			if !ok {
				t.Errorf("%s: og:image %q is not under %s", pg.file, og["url"], baseURL)
				continue
			}
			f, err := os.Open(filepath.Join(published, filepath.FromSlash(rel)))
			if err != nil {
				t.Errorf("%s: og:image %q: %v", pg.file, og["url"], err)
				continue
			}
			cfg, err := png.DecodeConfig(f)
			f.Close()
			if err != nil {
				t.Errorf("%s: og:image %q: %v", pg.file, og["url"], err)
				continue
			}
			if strconv.Itoa(cfg.Width) != og["width"] || strconv.Itoa(cfg.Height) != og["height"] {
				t.Errorf("%s: og:image %q is %dx%d, tags say %sx%s", pg.file, og["url"], cfg.Width, cfg.Height, og["width"], og["height"])
			}
			if og["type"] != "image/png" {
				t.Errorf("%s: og:image:type = %q, want image/png", pg.file, og["type"])
			}
			if strings.TrimSpace(og["alt"]) == "" {
				t.Errorf("%s: og:image %q has no alt", pg.file, og["url"])
			}
			if strings.HasPrefix(og["url"], "https://") && og["secure_url"] != og["url"] {
				t.Errorf("%s: og:image:secure_url = %q, want %q", pg.file, og["secure_url"], og["url"])
			}
		}
		if pg.tw["card"] != "summary_large_image" || pg.tw["image"] != pg.og[0]["url"] || pg.tw["image:alt"] != pg.og[0]["alt"] {
			t.Errorf("%s: twitter tags %v, want summary_large_image with the first og:image and its alt", pg.file, pg.tw)
		}
		// The URL rules: the manifest names the page by the URL the
		// generator gave it.
		if e := m.Pages[pg.url]; e == nil {
			t.Errorf("%s: the manifest has no page %q (the generator's URL of %s)", pg.file, pg.url, pg.src)
		} else if e.Source != pg.src {
			t.Errorf("%s: manifest page %q is %s, the generator built it from %s", pg.file, pg.url, e.Source, pg.src)
		}
	}
	if posts != wantPosts {
		t.Errorf("%d post pages, want %d", posts, wantPosts)
	}
}

func readSiteManifest(t *testing.T, file string) *sitemanifest.Manifest {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var m sitemanifest.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// noStateIn fails when the build's state (keys, source times) is in dir.
func noStateIn(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".yml")) {
			data, _ := os.ReadFile(p)
			if strings.Contains(string(data), `"sourceMod"`) || strings.Contains(string(data), `"key"`) {
				t.Errorf("%s: the build's state is in the published folder", p)
			}
		}
		return nil
	})
}

func runTool(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TZ=UTC")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func TestHugoSite(t *testing.T) {
	hugo := needTool(t, "hugo")
	src := corpus(t)
	site := t.TempDir()
	// Hugo posts as redox.org writes them (TOML), a page bundle of
	// cilium.io (YAML), and a Kubernetes post with a slug.
	copyFile(t, filepath.Join(src, "redox/content/news/eevdf.md"), filepath.Join(site, "content/news/eevdf.md"))
	copyFile(t, filepath.Join(src, "redox/content/news/io_uring-0.md"), filepath.Join(site, "content/news/io_uring-0.md"))
	copyFile(t, filepath.Join(src, "redox/content/news/01_rsoc2024_dynamic_linker.md"), filepath.Join(site, "content/news/01_rsoc2024_dynamic_linker.md"))
	copyFile(t, filepath.Join(src, "cilium/src/posts/2023-10-31-chereo-zero-trust/index.md"), filepath.Join(site, "content/posts/2023-10-31-chereo-zero-trust/index.md"))
	copyFile(t, filepath.Join(src, "k8s-cjk-excerpt/content/ja/blog/_posts/2025-03-24-ingress-nginx-CVE-2025-1974.md"), filepath.Join(site, "content/blog/2025-03-24-ingress-nginx-CVE-2025-1974.md"))
	writeFile(t, filepath.Join(site, "content/news/_index.md"), "---\ntitle: News\n---\n")
	writeFile(t, filepath.Join(site, "hugo.toml"), "baseURL = 'https://example.org/'\ntitle = 'Test'\ndisableKinds = ['RSS', 'sitemap', 'robotsTXT', '404']\n")
	head := `<!doctype html><html><head><title>{{ .Title }}</title>{{ partial "ogcard.html" . }}</head>`
	body := `<body data-post="{{ if .IsPage }}yes{{ end }}" data-src="{{ with .File }}{{ .Path }}{{ end }}" data-url="{{ .RelPermalink }}">`
	writeFile(t, filepath.Join(site, "layouts/_default/single.html"), head+body+"{{ .Content }}</body></html>\n")
	writeFile(t, filepath.Join(site, "layouts/_default/list.html"), head+body+"{{ range .Pages }}{{ .Title }}{{ end }}</body></html>\n")
	copyFile(t, filepath.Join("..", "..", "integrations", "hugo", "layouts", "partials", "ogcard.html"), filepath.Join(site, "layouts/partials/ogcard.html"))
	writeFile(t, filepath.Join(site, "ogcard.yaml"), "site: Test\nurls: hugo\n")

	code, out, errOut := runCLI(t, "", "build", filepath.Join(site, "content"), "-o", filepath.Join(site, "static", "og"),
		"--base-url", "/og/", "--manifest", filepath.Join(site, "data", "ogcard.json"))
	if code != exitOK {
		t.Fatalf("build = exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "using config "+filepath.Join(site, "ogcard.yaml")) {
		t.Errorf("build's stderr does not say which config it used:\n%s", errOut)
	}
	runTool(t, site, hugo, "--quiet")
	m := readSiteManifest(t, filepath.Join(site, "data", "ogcard.json"))
	if p := m.Sources["news/eevdf.md"]; p == nil || p.Image.Alt != "RSoC 2026: EEVDF Scheduler, by Akshit Gaur — Test" {
		t.Errorf("manifest entry of news/eevdf.md: %+v, want the alt text with its author and site", p)
	}
	pages := readPages(t, filepath.Join(site, "public"))
	checkPages(t, pages, filepath.Join(site, "public", "og"), "https://example.org/og/", m, 5)
	noStateIn(t, filepath.Join(site, "public"))
	noStateIn(t, filepath.Join(site, "static"))
}

func TestJekyllSite(t *testing.T) {
	jekyll := needTool(t, "jekyll")
	src := corpus(t)
	site := t.TempDir()
	// Jekyll posts as kubernetes.io writes them (YAML, slugs, dates with
	// offsets), a cilium.io post under a category folder, and a page.
	copyFile(t, filepath.Join(src, "k8s-cjk-excerpt/content/ja/blog/_posts/2025-03-24-ingress-nginx-CVE-2025-1974.md"), filepath.Join(site, "_posts/2025-03-24-ingress-nginx-CVE-2025-1974.md"))
	copyFile(t, filepath.Join(src, "k8s-cjk-excerpt/content/zh-cn/blog/_posts/2020-12-02-dockershim-faq.md"), filepath.Join(site, "_posts/2020-12-02-dockershim-faq.md"))
	copyFile(t, filepath.Join(src, "react-zh/src/content/blog/2023/03/16/introducing-react-dev.md"), filepath.Join(site, "_posts/2023-03-16-introducing-react-dev.md"))
	copyFile(t, filepath.Join(src, "cilium/src/posts/2023-10-31-chereo-zero-trust/index.md"), filepath.Join(site, "blog/_posts/2023-10-31-chereo-zero-trust.md"))
	writeFile(t, filepath.Join(site, "about.md"), "---\nlayout: default\ntitle: About\n---\nAbout this site.\n")
	writeFile(t, filepath.Join(site, "index.html"), "---\nlayout: default\ntitle: Home\n---\n{% for p in site.posts %}{{ p.title }}{% endfor %}\n")
	writeFile(t, filepath.Join(site, "_config.yml"), "title: Test\nurl: https://example.org\ntimezone: UTC\nexclude: [ogcard.yaml]\n"+
		"defaults:\n  - scope: {path: ''}\n    values: {render_with_liquid: false}\n  - scope: {path: '', type: posts}\n    values: {layout: default}\n")
	layout := `<!doctype html><html><head><title>{{ page.title }}</title>{% include ogcard.html %}</head>` +
		`<body data-post="{% if page.collection == 'posts' %}yes{% endif %}" data-src="{{ page.path }}" data-url="{{ page.url }}">{{ content }}</body></html>` + "\n"
	writeFile(t, filepath.Join(site, "_layouts/default.html"), layout)
	writeFile(t, filepath.Join(site, "_layouts/blog.html"), "---\nlayout: default\n---\n{{ content }}\n")
	copyFile(t, filepath.Join("..", "..", "integrations", "jekyll", "_includes", "ogcard.html"), filepath.Join(site, "_includes/ogcard.html"))
	writeFile(t, filepath.Join(site, "ogcard.yaml"), "site: Test\nurls: jekyll\n")

	code, out, errOut := runCLI(t, "", "build", site, "--include", "**/_posts/**", "-o", filepath.Join(site, "assets", "og"),
		"--base-url", "https://example.org/assets/og/", "--manifest", filepath.Join(site, "_data", "ogcard.json"))
	if code != exitOK {
		t.Fatalf("build = exit %d\n%s%s", code, out, errOut)
	}
	runTool(t, site, jekyll, "build", "--quiet")
	m := readSiteManifest(t, filepath.Join(site, "_data", "ogcard.json"))
	pages := readPages(t, filepath.Join(site, "_site"))
	checkPages(t, pages, filepath.Join(site, "_site", "assets", "og"), "https://example.org/assets/og/", m, 4)
	noStateIn(t, filepath.Join(site, "_site"))
}

// TestHugoURLsCorpus builds every redox.org news post and the Kubernetes
// excerpts with Hugo, and checks that the manifest keys each post by the
// URL Hugo gave it: the URL rules over real front matter (slugs, urls,
// dated and odd file names), not only the handful above.
func TestHugoURLsCorpus(t *testing.T) {
	hugo := needTool(t, "hugo")
	src := corpus(t)
	site := t.TempDir()
	n := 0
	for _, dir := range []string{"redox/content", "k8s-cjk-excerpt/content"} {
		filepath.WalkDir(filepath.Join(src, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join(src, dir), p)
			copyFile(t, p, filepath.Join(site, "content", rel))
			n++
			return nil
		})
	}
	writeFile(t, filepath.Join(site, "hugo.toml"), "baseURL = 'https://example.org/'\ntitle = 'Test'\ndisableKinds = ['RSS', 'sitemap', 'robotsTXT', '404', 'taxonomy', 'term']\n")
	writeFile(t, filepath.Join(site, "layouts/_default/single.html"), `<!doctype html><html><head></head><body data-post="yes" data-src="{{ .File.Path }}" data-url="{{ .RelPermalink }}"></body></html>`+"\n")
	writeFile(t, filepath.Join(site, "layouts/_default/list.html"), "<!doctype html><html><head></head><body></body></html>\n")
	code, out, errOut := runCLI(t, "", "build", filepath.Join(site, "content"), "-o", filepath.Join(site, "static", "og"),
		"--base-url", "/og/", "--manifest", filepath.Join(site, "data", "ogcard.json"), "--urls", "hugo")
	if code != exitOK {
		t.Fatalf("build = exit %d\n%s%s", code, out, errOut)
	}
	runTool(t, site, hugo, "--quiet")
	m := readSiteManifest(t, filepath.Join(site, "data", "ogcard.json"))
	checked := 0
	for _, pg := range readPages(t, filepath.Join(site, "public")) {
		if !pg.isPost {
			continue
		}
		e := m.Sources[pg.src]
		if e == nil {
			continue // a page ogcard skipped (no title, not a post)
		}
		checked++
		if e.URL != pg.url {
			t.Errorf("%s: Hugo serves it at %q, the manifest says %q", pg.src, pg.url, e.URL)
		}
	}
	if checked < n*9/10 || checked != len(m.Pages) {
		t.Errorf("checked %d post pages of %d files; the manifest has %d pages", checked, n, len(m.Pages))
	}
	t.Logf("%d posts: Hugo's URL and the manifest's agree on %d", n, checked)
}

// TestJekyllURLsCorpus builds a third of the cilium.io posts, moved into _posts as
// YYYY-MM-DD-name.md, with Jekyll, and checks that the manifest keys each
// post by the URL Jekyll gave it (categories with capitals and spaces,
// dates in front matter that differ from the file name's).
func TestJekyllURLsCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 200 posts with Jekyll")
	}
	jekyll := needTool(t, "jekyll")
	src := corpus(t)
	site := t.TempDir()
	n := 0
	posts, _ := filepath.Glob(filepath.Join(src, "cilium", "src", "posts", "*", "index.md"))
	for i, p := range posts {
		name := filepath.Base(filepath.Dir(p))
		if i%3 != 0 || !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-`).MatchString(name) {
			continue // a third of them keeps the test under 20 s on 2 cores
		}
		copyFile(t, p, filepath.Join(site, "_posts", name+".md"))
		n++
	}
	writeFile(t, filepath.Join(site, "_config.yml"), "title: Test\nurl: https://example.org\ntimezone: UTC\nexclude: [ogcard.yaml]\n"+
		"defaults:\n  - scope: {path: ''}\n    values: {render_with_liquid: false, layout: default}\n")
	writeFile(t, filepath.Join(site, "_layouts/default.html"), `<!doctype html><html><head></head><body data-post="{% if page.collection == 'posts' %}yes{% endif %}" data-src="{{ page.path }}" data-url="{{ page.url }}"></body></html>`+"\n")
	code, out, errOut := runCLI(t, "", "build", site, "--include", "_posts/**", "-o", filepath.Join(site, "assets", "og"),
		"--base-url", "/assets/og/", "--manifest", filepath.Join(site, "_data", "ogcard.json"), "--urls", "jekyll")
	if code != exitOK {
		t.Fatalf("build = exit %d\n%s%s", code, out, errOut)
	}
	runTool(t, site, jekyll, "build", "--quiet")
	m := readSiteManifest(t, filepath.Join(site, "_data", "ogcard.json"))
	checked := 0
	for _, pg := range readPages(t, filepath.Join(site, "_site")) {
		if !pg.isPost {
			continue
		}
		e := m.Sources[pg.src]
		if e == nil {
			continue
		}
		checked++
		if e.URL != pg.url {
			t.Errorf("%s: Jekyll serves it at %q, the manifest says %q", pg.src, pg.url, e.URL)
		}
	}
	if checked < n*9/10 || checked != len(m.Pages) {
		t.Errorf("checked %d post pages of %d files; the manifest has %d pages", checked, n, len(m.Pages))
	}
	t.Logf("%d posts: Jekyll's URL and the manifest's agree on %d", n, checked)
}
