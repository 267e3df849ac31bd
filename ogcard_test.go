package ogcard

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

const referencePost = "testdata/posts/cilium-at-kubecon-eu-2026.md"

func newRenderer(t testing.TB, o *Options) *Renderer {
	t.Helper()
	r, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestReadPostWays reads the reference post as bytes, from a reader, from a
// file and from an fs.FS: the same card and the same PNG each way.
func TestReadPostWays(t *testing.T) {
	r := newRenderer(t, nil)
	data := readFile(t, referencePost)
	ctx := context.Background()
	ways := map[string]func() (*Card, error){
		"ParsePost":    func() (*Card, error) { return r.ParsePost(referencePost, data) },
		"ReadPost":     func() (*Card, error) { return r.ReadPost(referencePost, bytes.NewReader(data)) },
		"ReadPostFile": func() (*Card, error) { return r.ReadPostFile(referencePost) },
		"ReadPostFS": func() (*Card, error) {
			return r.ReadPostFS(fstest.MapFS{referencePost: {Data: data}}, referencePost)
		},
	}
	var first *Image
	for name, read := range ways {
		c, err := read()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.Title != "Cilium at KubeCon + CloudNativeCon and CiliumCon Europe 2026" || c.URLPath != "/blog/2026/01/23/cilium-at-kubecon-eu-2026" {
			t.Errorf("%s: title %q, URL path %q", name, c.Title, c.URLPath)
		}
		if len(c.Authors) != 1 || c.Authors[0].Name != "Katie Meinders" {
			t.Errorf("%s: authors %+v, want Katie Meinders from the byline", name, c.Authors)
		}
		img, err := r.Render(ctx, c, "og")
		if err != nil {
			t.Fatalf("%s: Render: %v", name, err)
		}
		if img.Width != 1200 || img.Height != 630 || img.Template != "og" || img.Suffix != "" {
			t.Errorf("%s: image %dx%d %q %q", name, img.Width, img.Height, img.Template, img.Suffix)
		}
		if first == nil {
			first = img
		} else if img.Key != first.Key || !bytes.Equal(img.PNG, first.PNG) {
			t.Errorf("%s: a different card (key %s, want %s)", name, img.Key, first.Key)
		}
	}
	dec, err := png.Decode(bytes.NewReader(first.PNG))
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	if b := dec.Bounds(); b.Dx() != 1200 || b.Dy() != 630 {
		t.Errorf("decoded PNG is %v", b)
	}
	pix, err := r.Draw(ctx, mustCard(t, r), "og")
	if err != nil {
		t.Fatal(err)
	}
	if pix.Bounds() != dec.Bounds() {
		t.Errorf("Draw gives %v, the PNG %v", pix.Bounds(), dec.Bounds())
	}
}

func mustCard(t testing.TB, r *Renderer) *Card {
	t.Helper()
	c, err := r.ReadPostFile(referencePost)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestMultiCard renders every card of the session and lineup templates:
// one per talk, line-up pages, with keys that Keys predicts.
func TestMultiCard(t *testing.T) {
	r := newRenderer(t, nil)
	c := mustCard(t, r)
	ctx := context.Background()
	for _, tc := range []struct {
		tmpl   string
		suffix *regexp.Regexp
	}{
		{"session", regexp.MustCompile(`^\d\d$`)},
		{"lineup", regexp.MustCompile(`^\dof\d$`)},
	} {
		info, ok := r.Template(tc.tmpl)
		if !ok || !info.MultiCard {
			t.Fatalf("template %s: %+v, %v; want a multi-card template", tc.tmpl, info, ok)
		}
		imgs, err := r.RenderAll(ctx, c, tc.tmpl)
		if err != nil {
			t.Fatal(err)
		}
		refs, err := r.Cards(c, tc.tmpl)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, ref := range refs {
			keys = append(keys, ref.Key)
		}
		if len(imgs) < 2 || len(keys) != len(imgs) {
			t.Fatalf("%s: %d cards, %d keys; want as many, at least 2", tc.tmpl, len(imgs), len(keys))
		}
		if tc.tmpl == "session" && len(imgs) != len(c.Sessions) {
			t.Errorf("session: %d cards for %d sessions", len(imgs), len(c.Sessions))
		}
		seen := map[string]bool{}
		for i, img := range imgs {
			if !tc.suffix.MatchString(img.Suffix) || seen[img.Suffix] {
				t.Errorf("%s card %d: suffix %q", tc.tmpl, i, img.Suffix)
			}
			seen[img.Suffix] = true
			if img.Key != keys[i] || img.Suffix != refs[i].Suffix {
				t.Errorf("%s card %d: key %s %q, Cards says %+v", tc.tmpl, i, img.Key, img.Suffix, refs[i])
			}
		}
		pix, err := r.DrawAll(ctx, c, tc.tmpl)
		if err != nil || len(pix) != len(imgs) {
			t.Errorf("%s: DrawAll gives %d images (%v), RenderAll %d", tc.tmpl, len(pix), err, len(imgs))
		}
		first, err := r.Render(ctx, c, tc.tmpl)
		if err != nil || first.Key != imgs[0].Key {
			t.Errorf("%s: Render gives %v (%v), want RenderAll's first card", tc.tmpl, first, err)
		}
	}
	noTalks, err := r.ParsePost("x.md", []byte("---\ntitle: No talks\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render(ctx, noTalks, "session"); !errors.Is(err, ErrNoCards) {
		t.Errorf("session card of a post without talks: %v, want ErrNoCards", err)
	}
}

// TestErrors checks the typed errors callers branch on.
func TestErrors(t *testing.T) {
	r := newRenderer(t, nil)
	ctx := context.Background()

	_, err := r.ParsePost("content/x.md", []byte("---\ntitle: T\ndate: 2024-13-45\n---\n"))
	var pe *PostError
	if !errors.As(err, &pe) || pe.File != "content/x.md" || pe.Line != 3 || pe.Key != "date" {
		t.Errorf("bad date: %v (%+v), want *PostError at content/x.md line 3 key date", err, pe)
	} else if !strings.Contains(err.Error(), "content/x.md: line 3") {
		t.Errorf("bad date: message %q lacks the file and line", err)
	}

	_, err = r.ParsePost("y.md", []byte("---\ntitle: [unclosed\n---\n"))
	if !errors.As(err, &pe) || pe.File != "y.md" || pe.Line == 0 {
		t.Errorf("YAML syntax error: %v (%+v), want *PostError with a line", err, pe)
	}

	_, err = r.ReadPostFile(filepath.Join(t.TempDir(), "missing.md"))
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want *PostError wrapping fs.ErrNotExist", err)
	}

	_, err = r.ReadPost("big.md", io.LimitReader(zeros{}, MaxPostBytes+10))
	if err == nil || !strings.Contains(err.Error(), "over") {
		t.Errorf("a post over MaxPostBytes: %v", err)
	}

	_, err = r.ParsePost("content/_index.md", []byte("---\ntitle: Section\n---\n"))
	var se *SkipError
	if !errors.As(err, &se) || se.Reason != "not a post" || se.File != "content/_index.md" {
		t.Errorf("section index: %v (%+v), want *SkipError not a post", err, se)
	}

	c := mustCard(t, r)
	if _, err := r.Render(ctx, c, "nope"); !errors.Is(err, ErrUnknownTemplate) || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown template: %v, want ErrUnknownTemplate naming it", err)
	}
	if _, err := r.Cards(c, "nope"); !errors.Is(err, ErrUnknownTemplate) {
		t.Errorf("Cards of an unknown template: %v", err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := r.Render(cancelled, c, "og"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled render: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

// TestBudget: over the budget, a card is shrunk with a warning, or with
// FailOverBudget refused with a *BudgetError.
func TestBudget(t *testing.T) {
	ctx := context.Background()
	// A small card with a gradient and text: shrinking it is quick, and
	// 200 bytes are out of reach.
	tiny := filepath.Join(t.TempDir(), "tiny.yaml")
	os.WriteFile(tiny, []byte(`name: tiny
width: 160
height: 90
layers:
  - kind: gradient
    colors: ["#123456", "#abcdef"]
    angle: 35
  - kind: text
    text: '{{.Title}}'
    box: {x: 8, y: 8, w: 144, h: 74}
    style: {font: heading, weight: 700, size: [10, 20], max_lines: 3, color: "#ffffff"}
`), 0o644)
	const budget = 200
	lax := newRenderer(t, &Options{MaxBytes: budget, Templates: []string{tiny}})
	img, err := lax.Render(ctx, mustCard(t, lax), "tiny")
	if err != nil {
		t.Fatal(err)
	}
	if len(img.PNG) <= budget || !strings.Contains(strings.Join(img.Warnings, "\n"), "budget") {
		t.Errorf("%d-byte budget: %d bytes, warnings %q; want a card over budget with a warning", budget, len(img.PNG), img.Warnings)
	}
	strict := newRenderer(t, &Options{MaxBytes: budget, FailOverBudget: true, Templates: []string{tiny}})
	_, err = strict.Render(ctx, mustCard(t, strict), "tiny")
	var be *BudgetError
	if !errors.As(err, &be) || !errors.Is(err, ErrOverBudget) || be.Budget != budget || be.Bytes != len(img.PNG) || be.Template != "tiny" {
		t.Errorf("strict budget: %v (%+v), want *BudgetError wrapping ErrOverBudget", err, be)
	}
	if _, err := strict.RenderAll(ctx, mustCard(t, strict), "tiny"); !errors.As(err, &be) {
		t.Errorf("strict budget, RenderAll: %v", err)
	}
	none := newRenderer(t, &Options{MaxBytes: -1, FailOverBudget: true, Templates: []string{tiny}})
	if img, err := none.Render(ctx, mustCard(t, none), "tiny"); err != nil {
		t.Errorf("no budget: %v", err)
	} else if len(img.Warnings) != 0 {
		t.Errorf("no budget: warnings %q", img.Warnings)
	}
}

// TestTemplateOptions: template files by path, a folder of templates, the
// default list, and a template of an unknown format version refused.
func TestTemplateOptions(t *testing.T) {
	dir := t.TempDir()
	og := readFile(t, "assets/templates/og.yaml")
	mine := regexp.MustCompile(`(?m)^name: og$`).ReplaceAll(og, []byte("name: mine"))
	if bytes.Equal(mine, og) {
		t.Fatal("og.yaml has no name: og line")
	}
	file := filepath.Join(dir, "mine.yaml")
	os.WriteFile(file, append([]byte("version: 1\n"), mine...), 0o644)
	r := newRenderer(t, &Options{Templates: []string{file, "square"}})
	if got := strings.Join(r.DefaultTemplates(), ","); got != "mine,square" {
		t.Errorf("DefaultTemplates = %s, want mine,square", got)
	}
	if info, ok := r.Template("mine"); !ok || info.Width != 1200 || info.MultiCard {
		t.Errorf("Template(mine) = %+v, %v", info, ok)
	}
	if got := strings.Join(newRenderer(t, nil).DefaultTemplates(), ","); got != "og" {
		t.Errorf("default DefaultTemplates = %s, want og", got)
	}

	future := filepath.Join(dir, "future.yaml")
	os.WriteFile(future, append([]byte("version: 2\n"), mine...), 0o644)
	_, err := New(&Options{Templates: []string{future}})
	if err == nil || !strings.Contains(err.Error(), "future.yaml:1") || !strings.Contains(err.Error(), "version 2") {
		t.Errorf("a version 2 template: %v, want an error naming the file, line and version", err)
	}

	extra := filepath.Join(dir, "extra")
	os.MkdirAll(extra, 0o755)
	os.WriteFile(filepath.Join(extra, "wide.yaml"), regexp.MustCompile(`(?m)^name: og$`).ReplaceAll(og, []byte("name: wide")), 0o644)
	r = newRenderer(t, &Options{TemplateDir: extra})
	if _, ok := r.Template("wide"); !ok {
		t.Errorf("TemplateDir: no template wide among %v", r.Templates())
	}
	if _, err := New(&Options{TemplateDir: dir + "/none"}); err == nil {
		t.Error("TemplateDir without templates accepted")
	}
}

// TestConfigFile: the site's config names the brand, the templates and
// field overrides, and marks the content root for URL paths.
func TestConfigFile(t *testing.T) {
	cfg := FindConfig("testdata/site/posts/summit")
	if cfg == "" || filepath.Base(cfg) != ConfigFileName {
		t.Fatalf("FindConfig = %q", cfg)
	}
	// The search stops at a repository's root.
	outer := t.TempDir()
	os.WriteFile(filepath.Join(outer, ConfigFileName), []byte("site: Outer\n"), 0o644)
	repo := filepath.Join(outer, "repo")
	os.MkdirAll(filepath.Join(repo, ".git"), 0o755)
	os.MkdirAll(filepath.Join(repo, "content", "posts"), 0o755)
	if got := FindConfig(filepath.Join(repo, "content", "posts")); got != "" {
		t.Errorf("FindConfig above the repository's root = %q, want none", got)
	}
	if got := FindConfig(filepath.Join(outer, "elsewhere")); got != filepath.Join(outer, ConfigFileName) {
		t.Errorf("FindConfig = %q, want the one above", got)
	}
	r := newRenderer(t, &Options{ConfigFile: cfg})
	if got := strings.Join(r.DefaultTemplates(), ","); got != "og,session" {
		t.Errorf("DefaultTemplates = %s, want the config's og,session", got)
	}
	c, err := r.ReadPostFile("testdata/site/posts/summit/index.md")
	if err != nil {
		t.Fatal(err)
	}
	if c.Site != "Summit Weekly" || !strings.HasPrefix(c.Summary, "Nine speakers") || c.URLPath != "/posts/summit" {
		t.Errorf("card: site %q, summary %q, URL path %q", c.Site, c.Summary, c.URLPath)
	}
	named := newRenderer(t, &Options{ConfigFile: cfg, SiteName: "Other"})
	if c, _ := named.ReadPostFile("testdata/site/posts/summit/index.md"); c == nil || c.Site != "Other" {
		t.Errorf("SiteName does not replace the config's: %+v", c)
	}
}

// TestConcurrentRenders: one Renderer, many goroutines, the same bytes.
func TestConcurrentRenders(t *testing.T) {
	r := newRenderer(t, nil)
	c := mustCard(t, r)
	want, err := r.Render(context.Background(), c, "og")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 4 {
		wg.Go(func() {
			for _, tmpl := range []string{"og", "square"} {
				img, err := r.Render(context.Background(), c, tmpl)
				if err != nil {
					errs <- err.Error()
				} else if tmpl == "og" && !bytes.Equal(img.PNG, want.PNG) {
					errs <- "a concurrent render differs"
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// copySite copies testdata/site into a temporary folder.
func copySite(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "site")
	if err := os.CopyFS(dst, os.DirFS("testdata/site")); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestBuild builds the test site twice: the second build draws nothing.
// The manifest lists every card and ReadManifest reads it back.
func TestBuild(t *testing.T) {
	site := copySite(t)
	out := filepath.Join(t.TempDir(), "out")
	r := newRenderer(t, &Options{ConfigFile: filepath.Join(site, ConfigFileName)})
	var calls int
	rep, err := r.Build(context.Background(), BuildOptions{Root: site, OutDir: out, Progress: func(BuildProgress) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Posts != 1 || rep.Rendered != 1 || rep.CardsRendered < 2 || rep.Failed != 0 || rep.Unchanged != 0 || calls != rep.CardsRendered {
		t.Errorf("first build: %+v, %d progress calls", rep, calls)
	}
	m, err := ReadManifest(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != ManifestVersion || len(m.Posts) != 1 || m.Posts[0].URLPath != "/posts/summit" {
		t.Fatalf("manifest: %+v", m)
	}
	outs := m.Posts[0].Outputs
	if len(outs) != rep.CardsRendered || outs[0].Template != "og" || outs[1].Template != "session" || outs[1].Card != "01" {
		t.Errorf("outputs: %+v", outs)
	}
	for _, o := range outs {
		if st, err := os.Stat(filepath.Join(out, filepath.FromSlash(o.File))); err != nil || st.Size() != o.Bytes {
			t.Errorf("card %s: %v", o.File, err)
		}
	}
	rep, err = r.Build(context.Background(), BuildOptions{Root: site, OutDir: out})
	if err != nil || rep.CardsRendered != 0 || rep.CardsUnchanged != len(outs) || rep.Unchanged != 1 {
		t.Errorf("second build: %+v, %v; want every card unchanged", rep, err)
	}

	if _, err := r.Build(context.Background(), BuildOptions{Root: site, OutDir: out, Templates: []string{"nope"}}); !errors.Is(err, ErrBuildConfig) {
		t.Errorf("build with an unknown template: %v, want ErrBuildConfig", err)
	}

	bad := filepath.Join(t.TempDir(), ManifestName)
	os.WriteFile(bad, []byte(`{"version": 99, "posts": []}`), 0o644)
	if _, err := ReadManifest(bad); !errors.Is(err, ErrManifest) || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("a version 99 manifest: %v, want ErrManifest naming the version", err)
	}
	if _, err := ReadManifest(filepath.Join(t.TempDir(), "none.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing manifest: %v", err)
	}

	site_ := filepath.Join(t.TempDir(), "data", "ogcard.json")
	os.MkdirAll(filepath.Dir(site_), 0o755)
	pages, err := WriteSiteManifest(rep.Manifest, "/og/", site_)
	if err != nil || pages != 1 {
		t.Fatalf("WriteSiteManifest: %d pages, %v", pages, err)
	}
	var sm struct {
		Pages map[string]struct{ Cards []SiteCard }
	}
	if err := json.Unmarshal(readFile(t, site_), &sm); err != nil {
		t.Fatal(err)
	}
	if cs := sm.Pages["/posts/summit"].Cards; len(cs) != len(outs) || cs[0].URL != "/og/posts/summit.png" || cs[0].Alt == "" {
		t.Errorf("site manifest cards: %+v", cs)
	}

	merged := filepath.Join(t.TempDir(), "merged")
	mm, err := MergeManifests(merged, []string{filepath.Join(out, ManifestName)})
	if err != nil || len(mm.Posts) != 1 {
		t.Fatalf("MergeManifests: %+v, %v", mm, err)
	}
	if _, err := ReadManifest(filepath.Join(merged, ManifestName)); err != nil {
		t.Errorf("merged manifest: %v", err)
	}
	if _, err := MergeManifests(merged, []string{filepath.Join(out, ManifestName), filepath.Join(out, ManifestName)}); !errors.Is(err, ErrManifest) {
		t.Errorf("merging a manifest with itself: %v, want ErrManifest", err)
	}
}

// TestHandlerUnderPrefix mounts the Handler under /cards/ of a mux and
// follows the preview page's links: every card answers, as a PNG equal to
// the Renderer's, speaker photos included.
func TestHandlerUnderPrefix(t *testing.T) {
	site := copySite(t)
	r := newRenderer(t, &Options{ConfigFile: filepath.Join(site, ConfigFileName)})
	key := []byte("0123456789abcdef0123")
	h, err := r.NewHandler(HandlerOptions{Content: site, Poll: -1, Keys: [][]byte{key}})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	mux := http.NewServeMux()
	mux.Handle("/cards/", http.StripPrefix("/cards", h))
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "the site") })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	get := func(u string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", u, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	page := srv.URL + "/cards/"
	resp, body := get(page)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Open Source Summit 2026") {
		t.Fatalf("preview page: %d %q", resp.StatusCode, body)
	}
	srcs := regexp.MustCompile(`<img src="([^"]+)"`).FindAllStringSubmatch(string(body), -1)
	if len(srcs) != 1 {
		t.Fatalf("preview page has %d images, want 1", len(srcs))
	}
	base, _ := url.Parse(page)
	ref, _ := url.Parse(strings.ReplaceAll(srcs[0][1], "&amp;", "&"))
	link := base.ResolveReference(ref)
	if !strings.HasPrefix(link.Path, "/cards/og/") {
		t.Errorf("preview links to %s, outside the prefix", link)
	}
	resp, body = get(link.String())
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("GET %s: %d %s", link, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	c, err := r.ReadPostFile(filepath.Join(site, "posts/summit/index.md"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := r.Render(context.Background(), c, "og")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, want.PNG) || resp.Header.Get("ETag") != `"`+want.Key+`"` {
		t.Errorf("served og card differs from Render's (ETag %s, key %s)", resp.Header.Get("ETag"), want.Key)
	}
	if resp, _ := get(link.String(), "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != 304 {
		t.Errorf("If-None-Match: %d, want 304", resp.StatusCode)
	}

	// The session card shows two speaker photos: served and rendered from
	// a file, they must be found both ways.
	resp, body = get(srv.URL + "/cards/og/session/posts/summit.png")
	wantSession, err := r.Render(context.Background(), c, "session")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !bytes.Equal(body, wantSession.PNG) {
		t.Errorf("served session card: %d, equal to Render's: %v", resp.StatusCode, bytes.Equal(body, wantSession.PNG))
	}
	noPhotos := *c
	noPhotos.Sessions = append([]Session(nil), c.Sessions...)
	for i := range noPhotos.Sessions {
		noPhotos.Sessions[i].Speakers = append([]Person(nil), c.Sessions[i].Speakers...)
		for j := range noPhotos.Sessions[i].Speakers {
			noPhotos.Sessions[i].Speakers[j].Avatar = ""
		}
	}
	initials, err := r.Render(context.Background(), &noPhotos, "session")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(initials.PNG, wantSession.PNG) {
		t.Error("the session card looks the same without photos: the photos were not found")
	}

	for _, p := range []string{"/cards/healthz", "/cards/metrics"} {
		if resp, _ := get(srv.URL + p); resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
	signed, err := Sign(key, "/render.png", url.Values{"title": {"Hello"}}, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := get(srv.URL + "/cards" + signed); resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte("\x89PNG")) {
		t.Errorf("signed ad-hoc card under the prefix: %d", resp.StatusCode)
	}
	if resp, _ := get(srv.URL + "/cards/render.png?title=Hello&sig=AAAA"); resp.StatusCode != 403 {
		t.Errorf("a bad signature: %d, want 403", resp.StatusCode)
	}
	if resp, body := get(srv.URL + "/elsewhere"); string(body) != "the site" {
		t.Errorf("the mux's other routes: %d %q", resp.StatusCode, body)
	}
}

// TestPageURLs: Options.URLs follows a generator's page URL rules.
func TestPageURLs(t *testing.T) {
	r := newRenderer(t, &Options{URLs: "hugo"})
	c, err := r.ParsePost("content/posts/hello-world.md", []byte("---\ntitle: Hello\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.PageURL != "/posts/hello-world/" {
		t.Errorf("hugo page URL %q, want /posts/hello-world/", c.PageURL)
	}
	if _, err := New(&Options{URLs: "wordpress"}); err == nil || !strings.Contains(err.Error(), "wordpress") {
		t.Errorf("URLs wordpress: %v, want an error naming it", err)
	}
}
