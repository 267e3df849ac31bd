package ogcard_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ogcard/ogcard"
)

// A Renderer is built once, with the embedded fonts, templates and brand
// unless Options say otherwise, and shared by every goroutine.
func ExampleNew() {
	r, err := ogcard.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.DefaultTemplates())
	fmt.Println(r.Templates())
	og, _ := r.Template("og")
	fmt.Println(og.Width, og.Height, og.MultiCard)
	// Output:
	// [og]
	// [event landscape lineup og portrait session speaker square]
	// 1200 630 false
}

// ParsePost reads a post's front matter and body into the fields a
// template draws: a title in any script, the date as the post wrote it,
// authors from a byline, a URL path from the file's path.
func ExampleRenderer_ParsePost() {
	r, err := ogcard.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	post := []byte(`+++
title = "Héllo, wörld"
date = 2024-05-22T09:30:00+02:00
tags = ["go", "images"]
+++

**_Author: Ada Lovelace, Analytical Engines_**

Text.
`)
	c, err := r.ParsePost("content/blog/2024-05-22-hello.md", post)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Title)
	fmt.Println(c.Date.Format(time.RFC3339))
	fmt.Println(c.URLPath, c.Tags)
	fmt.Println(c.Authors[0].Name, "of", c.Authors[0].Company)

	// A bad value names the file, line and key.
	_, err = r.ParsePost("content/x.md", []byte("---\ntitle: X\ndate: 2024-13-45\n---\n"))
	fmt.Println(err)
	// Output:
	// Héllo, wörld
	// 2024-05-22T09:30:00+02:00
	// /blog/2024/05/22/hello [go images]
	// Ada Lovelace of Analytical Engines
	// post content/x.md: line 3: key "date": "2024-13-45": month out of range
}

// Render draws a post's card and encodes it as PNG.
func ExampleRenderer_Render() {
	r, err := ogcard.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	c, err := r.ReadPostFile("testdata/posts/cilium-at-kubecon-eu-2026.md")
	if err != nil {
		log.Fatal(err)
	}
	img, err := r.Render(context.Background(), c, "og")
	if err != nil {
		log.Fatal(err)
	}
	decoded, err := png.Decode(bytes.NewReader(img.PNG))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.Template, decoded.Bounds().Dx(), "x", decoded.Bounds().Dy())
	fmt.Println(len(img.PNG) < ogcard.DefaultMaxBytes, len(img.Key))
	// To write it, atomically: ogcard.WriteFile("card.png", img.PNG, 0o644)
	// Output:
	// og 1200 x 630
	// true 32
}

// RenderAll draws every card of a multi-card template: here one per talk
// of an event post.
func ExampleRenderer_RenderAll() {
	r, err := ogcard.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	c, err := r.ReadPostFile("testdata/posts/cilium-at-kubecon-eu-2026.md")
	if err != nil {
		log.Fatal(err)
	}
	imgs, err := r.RenderAll(context.Background(), c, "lineup")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(c.Sessions), "talks")
	for _, img := range imgs {
		fmt.Printf("%s-lineup-%s.png %dx%d\n", c.Slug, img.Suffix, img.Width, img.Height)
	}
	// Output:
	// 16 talks
	// cilium-at-kubecon-eu-2026-lineup-1of3.png 1080x1350
	// cilium-at-kubecon-eu-2026-lineup-2of3.png 1080x1350
	// cilium-at-kubecon-eu-2026-lineup-3of3.png 1080x1350
}

// Build renders every card of a content folder; a second build finds
// nothing to draw. The manifest lists each post's cards for the site's
// <meta> tags.
func ExampleRenderer_Build() {
	content := "testdata/site"
	out, err := os.MkdirTemp("", "ogcard-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(out)
	r, err := ogcard.New(&ogcard.Options{ConfigFile: ogcard.FindConfig(content)})
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		rep, err := r.Build(context.Background(), ogcard.BuildOptions{Root: content, OutDir: out})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d posts: %d cards drawn, %d unchanged; %d failed\n", rep.Posts, rep.CardsRendered, rep.CardsUnchanged, rep.Failed)
	}
	m, err := ogcard.ReadManifest(filepath.Join(out, ogcard.ManifestName))
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range m.Posts {
		fmt.Println(p.URLPath, p.Title)
		fmt.Println(p.Outputs[0].File, p.Outputs[0].Width, p.Outputs[0].Height)
	}
	// Output:
	// 1 posts: 4 cards drawn, 0 unchanged; 0 failed
	// 1 posts: 0 cards drawn, 4 unchanged; 0 failed
	// /posts/summit Open Source Summit 2026: the talks, the people, the hallway track
	// posts/summit.png 1200 630
}

// NewHandler serves a content folder's cards; mounted under a prefix of an
// existing server, its routes and preview page stay under it.
func ExampleRenderer_NewHandler() {
	r, err := ogcard.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	h, err := r.NewHandler(ogcard.HandlerOptions{Content: "testdata/posts", Poll: -1})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	mux := http.NewServeMux()
	mux.Handle("/cards/", http.StripPrefix("/cards", h))
	srv := httptest.NewServer(mux) // in production: h.HTTPServer(addr), or your own server
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/cards/og/blog/2026/01/23/cilium-at-kubecon-eu-2026.png")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	// Output:
	// 200 image/png
}

// Sign makes a URL for an ad-hoc card that a Handler holding the key
// answers; without the key nobody can make the Handler draw arbitrary
// text.
func ExampleSign() {
	keys, err := ogcard.ParseKeys("a-secret-of-at-least-16-bytes\n")
	if err != nil {
		log.Fatal(err)
	}
	u, err := ogcard.Sign(keys[0], "/render.png", url.Values{"title": {"Hello, world"}}, time.Time{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u)

	// The text travels in the URL, so a whole post does not fit.
	_, err = ogcard.Sign(keys[0], "/render.png", url.Values{"title": {strings.Repeat("long ", 1000)}}, time.Time{})
	fmt.Println(errors.Is(err, ogcard.ErrQueryTooLong))
	// Output:
	// /render.png?sig=w7BTwXuxzzdBEwF0HIXQv7gBNGtrnTSzoo36_r4l1RQ&title=Hello%2C+world
	// true
}

// Cards names a post's cards without drawing them; with CardFile, CardURL
// and MetaTags they become the <meta> tags of the post's page, as `ogcard
// meta` prints them.
func ExampleRenderer_Cards() {
	r, err := ogcard.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	c, err := r.ParsePost("content/blog/2024-05-22-hello.md", []byte("---\ntitle: Hello, world\n---\n"))
	if err != nil {
		log.Fatal(err)
	}
	base, err := ogcard.CheckBaseURL("https://example.org/og")
	if err != nil {
		log.Fatal(err)
	}
	refs, err := r.Cards(c, "og")
	if err != nil {
		log.Fatal(err)
	}
	info, _ := r.Template("og")
	var cards []ogcard.SiteCard
	for _, ref := range refs {
		cards = append(cards, ogcard.SiteCard{
			URL:   ogcard.CardURL(base, ogcard.CardFile(c.URLPath, "og", ref.Suffix)),
			Width: info.Width, Height: info.Height, Type: "image/png", Alt: ref.Alt, Template: "og",
		})
	}
	if err := ogcard.WriteMetaHTML(os.Stdout, ogcard.MetaTags(cards)); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <meta property="og:image" content="https://example.org/og/blog/2024/05/22/hello.png">
	// <meta property="og:image:secure_url" content="https://example.org/og/blog/2024/05/22/hello.png">
	// <meta property="og:image:type" content="image/png">
	// <meta property="og:image:width" content="1200">
	// <meta property="og:image:height" content="630">
	// <meta property="og:image:alt" content="Hello, world">
	// <meta name="twitter:card" content="summary_large_image">
	// <meta name="twitter:image" content="https://example.org/og/blog/2024/05/22/hello.png">
	// <meta name="twitter:image:alt" content="Hello, world">
}

// A post read from a pipe has no file name to name its card after.
func ExampleTitleSlug() {
	fmt.Println(ogcard.TitleSlug("Cilium 1.16 – Netkit, déjà vu!") + ".png")
	// Output: cilium-1-16-netkit-deja-vu.png
}
