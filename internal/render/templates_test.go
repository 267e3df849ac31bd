package render

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/config"
	"github.com/ogcard/ogcard/internal/imgtest"
	"github.com/ogcard/ogcard/internal/post"
)

// siteRenderer renders with testdata/site/ogcard.yaml: another brand's
// colours, logo and artwork, and a field override (summary: teaser).
func siteRenderer(t *testing.T) *Renderer {
	t.Helper()
	cfg, err := config.Load(filepath.Join("..", "..", "testdata", "site", "ogcard.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestGoldenTemplates pins every built-in template on the reference post
// (16 talks, the built-in brand) and on a post with nine speakers, photos
// and an event block (the test site's brand). Multi-card templates pin
// their first and last cards and check how many they make.
func TestGoldenTemplates(t *testing.T) {
	ctx := context.Background()
	site := siteRenderer(t)
	p, err := post.Read(filepath.Join("..", "..", "testdata", "site", "posts", "summit", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	summit, err := site.Card(p)
	if err != nil {
		t.Fatal(err)
	}
	if summit.Summary == "" || summit.Site != "Summit Weekly" {
		t.Fatalf("config not applied: summary %q, site %q", summit.Summary, summit.Site)
	}
	ref := renderer(t)
	refCard := loadCard(t, ref, "cilium-at-kubecon-eu-2026.md")
	cases := []struct {
		post string
		r    *Renderer
		want map[string]int // template -> number of cards
	}{
		{"reference", ref, map[string]int{"og": 1, "square": 1, "portrait": 1, "landscape": 1, "event": 1, "session": 16, "lineup": 3}},
		{"summit", site, map[string]int{"og": 1, "square": 1, "portrait": 1, "landscape": 1, "event": 1, "session": 3, "lineup": 1}},
	}
	for _, tc := range cases {
		c := refCard
		if tc.post == "summit" {
			c = summit
		}
		for _, name := range tc.r.Templates() {
			t.Run(tc.post+"/"+name, func(t *testing.T) {
				imgs, err := tc.r.DrawAll(ctx, c, name)
				if err != nil {
					t.Fatal(err)
				}
				if want, ok := tc.want[name]; !ok || len(imgs) != want {
					t.Fatalf("%s makes %d cards, want %d", name, len(imgs), want)
				}
				tmpl, _ := tc.r.Template(name)
				for i, img := range imgs {
					if b := img.Bounds(); b.Dx() != tmpl.Width || b.Dy() != tmpl.Height {
						t.Errorf("card %d is %v, want %dx%d", i, b, tmpl.Width, tmpl.Height)
					}
					if i != 0 && i != len(imgs)-1 {
						continue
					}
					golden := fmt.Sprintf("%s-%s", name, tc.post)
					if len(imgs) > 1 {
						golden += fmt.Sprintf("-%d", i+1)
					}
					imgtest.AssertGolden(t, golden, img)
				}
			})
		}
	}
}

// TestRenderAllNames checks the suffixes RenderAll gives.
func TestRenderAllNames(t *testing.T) {
	r := renderer(t)
	c := loadCard(t, r, "cilium-at-kubecon-eu-2026.md")
	imgs, err := r.RenderAll(context.Background(), c, "lineup")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	keys := map[string]bool{}
	for _, im := range imgs {
		got = append(got, im.Suffix)
		keys[im.Key] = true
	}
	if fmt.Sprint(got) != "[1of3 2of3 3of3]" || len(keys) != 3 {
		t.Errorf("suffixes %v, %d distinct keys; want [1of3 2of3 3of3] and 3", got, len(keys))
	}
	bare := loadCard(t, r, "bare.md")
	if _, err := r.RenderAll(context.Background(), bare, "session"); err != ErrNoCards {
		t.Errorf("session cards of a post without sessions: err = %v, want ErrNoCards", err)
	}
}
