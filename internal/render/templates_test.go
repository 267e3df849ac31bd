package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/card"
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
		{"reference", ref, map[string]int{"og": 1, "square": 1, "portrait": 1, "landscape": 1, "event": 1, "session": 16, "lineup": 3, "speaker": 20}},
		{"summit", site, map[string]int{"og": 1, "square": 1, "portrait": 1, "landscape": 1, "event": 1, "session": 3, "lineup": 1, "speaker": 9}},
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

// TestByteBudget: a card over the budget comes back under it in fewer
// colours, with a warning saying so; artwork that cannot get under (pure
// noise) still renders, with a warning that says what to do.
func TestByteBudget(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	photo := image.NewRGBA(image.Rect(0, 0, 600, 315)) // smooth light with grain
	noise := image.NewRGBA(image.Rect(0, 0, 600, 315))
	for y := 0; y < 315; y++ {
		for x := 0; x < 600; x++ {
			g := func(base int) uint8 { return uint8(max(0, min(255, base+rng.IntN(9)-4))) }
			photo.SetRGBA(x, y, color.RGBA{g(60 + x/4), g(40 + y/3), g(120 + (x+y)/8), 255})
			noise.SetRGBA(x, y, color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255})
		}
	}
	const budget = 300_000
	for _, tc := range []struct {
		name      string
		art       image.Image
		wantUnder bool
		wantNote  string
	}{
		{"photo", photo, true, "colours ("},
		{"noise", noise, false, "raise the budget"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &config.Config{Path: "ogcard.yaml", Background: tc.art}
			unlimited, err := New(Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand, Config: cfg, MaxBytes: -1})
			if err != nil {
				t.Fatal(err)
			}
			c := loadCard(t, unlimited, "cilium-at-kubecon-eu-2026.md")
			big, err := unlimited.Render(context.Background(), c, "event")
			if err != nil {
				t.Fatal(err)
			}
			if len(big.PNG) <= budget {
				t.Fatalf("the card is only %d bytes without a budget: the test needs a bigger one", len(big.PNG))
			}
			r, err := New(Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand, Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			img, err := r.Render(context.Background(), c, "event")
			if err != nil {
				t.Fatal(err)
			}
			if under := len(img.PNG) <= budget; under != tc.wantUnder {
				t.Errorf("card is %d bytes (budget %d); under = %v, want %v", len(img.PNG), budget, under, tc.wantUnder)
			}
			if len(img.Warnings) == 0 || !strings.Contains(img.Warnings[len(img.Warnings)-1], tc.wantNote) {
				t.Errorf("warnings %q lack %q", img.Warnings, tc.wantNote)
			}
			if got, err := png.Decode(bytes.NewReader(img.PNG)); err != nil || got.Bounds().Dx() != 1200 {
				t.Fatalf("decode: %v", err)
			}
			t.Logf("%d bytes unlimited, %d with the budget: %s", len(big.PNG), len(img.PNG), img.Warnings[len(img.Warnings)-1])
			if dir := os.Getenv("OGCARD_KEEP"); dir != "" {
				os.WriteFile(filepath.Join(dir, "budget-"+tc.name+".png"), img.PNG, 0o644)
			}
		})
	}
}

// TestAvatarsResolveInsideTheContentRoot: serve reads posts by their path
// inside the content root; photos must come from there, never from the
// working directory.
func TestAvatarsResolveInsideTheContentRoot(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", "testdata", "site"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // an unrelated working directory
	r, err := New(Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand, ContentRoot: root})
	if err != nil {
		t.Fatal(err)
	}
	c := &card.Card{Source: "posts/summit/index.md"}
	if r.Avatar(c, card.Person{Name: "Ada", Avatar: "ada.png"}) == nil {
		t.Error("photo next to the post, inside the content root, not found")
	}
	for _, bad := range []string{"../../ogcard.yaml", "../logo.png", "/etc/passwd", "https://example.com/a.png"} {
		if r.Avatar(c, card.Person{Name: "X", Avatar: bad}) != nil {
			t.Errorf("avatar %q outside the post's folder was read", bad)
		}
	}
}

// TestGoldenCover pins the post templates on a post whose front matter
// names a cover picture (heroImage: hero.jpg, beside it): with the built-in
// brand, which has no logo, and with the test site's brand, whose logo
// shows top right.
func TestGoldenCover(t *testing.T) {
	ctx := context.Background()
	p, err := post.Read(filepath.Join("..", "..", "testdata", "cover", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		r    *Renderer
	}{{"cover", renderer(t)}, {"cover-site", siteRenderer(t)}} {
		c, err := tc.r.Card(p)
		if err != nil {
			t.Fatal(err)
		}
		if c.Cover != "hero.jpg" || len(c.Warnings) != 0 {
			t.Fatalf("cover %q, warnings %q; want hero.jpg and none", c.Cover, c.Warnings)
		}
		for _, name := range []string{"og", "landscape", "square", "portrait"} {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				img, _, err := tc.r.Draw(ctx, c, name)
				if err != nil {
					t.Fatal(err)
				}
				imgtest.AssertGolden(t, name+"-"+tc.name, img)
			})
		}
	}
}

// TestCoverRefused checks that a cover named by URL, outside the post's
// folder or missing is refused with a warning naming it, and the card is
// drawn as if it had none; and that replacing the picture changes the key.
func TestCoverRefused(t *testing.T) {
	r := renderer(t)
	dir := t.TempDir()
	hero, err := os.ReadFile(filepath.Join("..", "..", "testdata", "cover", "hero.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "hero.jpg"), hero, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ cover, want string }{
		{"https://example.com/hero.jpg", "is a URL"},
		{"../hero.jpg", "outside the post's folder"},
		{"missing.jpg", "no such file"},
	} {
		src := filepath.Join(dir, "p.md")
		os.WriteFile(src, []byte("---\ntitle: T\ncover: "+tc.cover+"\n---\n"), 0o644)
		p, err := post.Read(src)
		if err != nil {
			t.Fatal(err)
		}
		c, err := r.Card(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], tc.want) || !strings.Contains(c.Warnings[0], tc.cover) {
			t.Errorf("cover %q: warnings %q, want one naming it and %q", tc.cover, c.Warnings, tc.want)
		}
		if r.Cover(c) != nil {
			t.Errorf("cover %q: Cover returned a picture", tc.cover)
		}
	}
	c := &card.Card{Source: filepath.Join(dir, "p.md"), Title: "T", Cover: "hero.jpg"}
	k1, err := r.Key(c, "og")
	if err != nil {
		t.Fatal(err)
	}
	if r.Cover(c) == nil {
		t.Fatal("Cover(hero.jpg) = nil, want the picture")
	}
	os.WriteFile(filepath.Join(dir, "hero.jpg"), append(hero, 0), 0o644)
	os.Chtimes(filepath.Join(dir, "hero.jpg"), time.Now().Add(time.Hour), time.Now().Add(time.Hour))
	if k2, _ := r.Key(c, "og"); k2 == k1 {
		t.Error("replacing the cover picture kept the card's key")
	}
}

// TestBackgroundPerPrefix: a template's cards may start with different
// card-independent layers (a post with a cover draws it between the
// gradient and the corner shapes; one without draws the shapes once with
// the gradient; a right-to-left card mirrors them), so each prefix has a
// background of its own. Whatever a Renderer drew before, a card comes out
// byte for byte as a fresh Renderer draws it.
func TestBackgroundPerPrefix(t *testing.T) {
	ctx := context.Background()
	fresh := func() *Renderer {
		r, err := New(Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	cover, err := post.Read(filepath.Join("..", "..", "testdata", "cover", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	posts := []*post.Post{cover}
	for _, name := range []string{"cilium-at-kubecon-eu-2026.md", "hebrew.md"} {
		p, err := post.Read(filepath.Join("..", "..", "testdata", "posts", name))
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p)
	}
	render := func(r *Renderer, p *post.Post, tmpl string) []byte {
		c, err := r.Card(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := r.Render(ctx, c, tmpl)
		if err != nil {
			t.Fatal(err)
		}
		return img.PNG
	}
	templates := []string{"og", "square"}
	want := map[string][]byte{} // template and post -> the card a fresh Renderer draws
	for _, p := range posts {
		r := fresh() // templates do not share backgrounds
		for _, tmpl := range templates {
			want[tmpl+p.Path] = render(r, p, tmpl)
		}
	}
	for _, tmpl := range templates {
		shared := fresh()
		for i, first := range posts {
			// Each post after each other one: the shared Renderer has
			// drawn every prefix by the end.
			for _, p := range append([]*post.Post{first}, posts[(i+1)%len(posts)]) {
				got := render(shared, p, tmpl)
				if want := want[tmpl+p.Path]; !bytes.Equal(got, want) {
					t.Errorf("%s of %s after %s: %d bytes, a fresh renderer's %d; the background of another prefix was used", tmpl, p.Path, first.Path, len(got), len(want))
				}
			}
		}
	}
}
