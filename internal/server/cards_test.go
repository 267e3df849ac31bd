package server

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/build"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/render"
)

// cardSite copies the reference post (16 talks, 20 speakers) and the test
// site's nine-speaker post with its photos into a content folder.
func cardSite(t *testing.T) string {
	t.Helper()
	content := filepath.Join(t.TempDir(), "content")
	copyFile := func(src, dst string) {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("../../testdata/posts/cilium-at-kubecon-eu-2026.md", filepath.Join(content, "ref", "index.md"))
	for _, f := range []string{"index.md", "ada.png", "grace.png"} {
		copyFile(filepath.Join("../../testdata/site/posts/summit", f), filepath.Join(content, "events", "summit", f))
	}
	return content
}

// TestServeEveryBuiltCard: every file `build` writes for a site, single
// and multi-card templates alike, is served at /og/ + its path under the
// output folder with identical bytes, and each card of a multi-card
// template also at /og/{template}/{url path}-{card}.png.
func TestServeEveryBuiltCard(t *testing.T) {
	content := cardSite(t)
	out := filepath.Join(t.TempDir(), "out")
	tmpls := []string{"og", "square", "session", "lineup", "speaker", "event"}
	// As `ogcard build` and `ogcard serve` set their renderers up.
	br, err := render.New(render.Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand, Card: &card.Options{Root: content}, EncodeConcurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := build.Build(context.Background(), br, build.Options{Root: content, OutDir: out, Templates: tmpls, Jobs: 2})
	if err != nil || rep.Failed > 0 {
		t.Fatalf("build: %v, %+v", err, rep.Failures)
	}
	sr, err := render.New(render.Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand, Card: &card.Options{Root: "."}, ContentRoot: content, EncodeConcurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Content: content, Renderer: sr, Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	h := s.Handler()

	counts := map[string]int{}
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".png") {
			return err
		}
		want, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		url := "/og/" + filepath.ToSlash(rel)
		urls := []string{url}
		// ".../ref-session-02.png" is also "/og/session/.../ref-02.png".
		for _, tm := range tmpls {
			if i := strings.LastIndex(url, "-"+tm+"-"); i > 0 {
				counts[tm]++
				urls = append(urls, "/og/"+tm+url[len("/og"):i]+"-"+url[i+len("-"+tm+"-"):])
			}
		}
		for _, u := range urls {
			rec := get(t, h, "GET", u, nil)
			if rec.Code != 200 {
				t.Errorf("GET %s = %d %q, want 200 (build wrote %s)", u, rec.Code, rec.Body.String(), rel)
				continue
			}
			if !bytes.Equal(rec.Body.Bytes(), want) {
				t.Errorf("GET %s: %d bytes differ from the %d build wrote to %s", u, rec.Body.Len(), len(want), rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// 16 + 3 session cards, 3 + 1 line-up pages, 20 + 9 speakers.
	if counts["session"] != 19 || counts["lineup"] != 4 || counts["speaker"] != 29 {
		t.Errorf("build wrote %v multi-card files, want 19 session, 4 lineup, 29 speaker", counts)
	}
	for _, bad := range []string{
		"/og/session/blog/2026/01/23/cilium-at-kubecon-eu-2026-17.png",     // 16 talks
		"/og/lineup/blog/2026/01/23/cilium-at-kubecon-eu-2026-2of4.png",    // 3 pages
		"/og/blog/2026/01/23/cilium-at-kubecon-eu-2026-speaker-00.png",     // 1-based
		"/og/blog/2026/01/23/cilium-at-kubecon-eu-2026-nope-01.png",        // no template
		"/og/speaker/blog/2026/01/23/cilium-at-kubecon-eu-2026-01of-x.png", // no card name
	} {
		if rec := get(t, h, "GET", bad, nil); rec.Code != 404 {
			t.Errorf("GET %s = %d, want 404", bad, rec.Code)
		}
	}
}
