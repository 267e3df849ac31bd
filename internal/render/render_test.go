package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/config"
	"github.com/ogcard/ogcard/internal/imgtest"
	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/palette"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/template"
)

var (
	rendererOnce sync.Once
	testRenderer *Renderer
	rendererErr  error
)

// renderer builds one Renderer from the embedded defaults, as the CLI does.
func renderer(t testing.TB) *Renderer {
	t.Helper()
	rendererOnce.Do(func() {
		testRenderer, rendererErr = New(Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand})
	})
	if rendererErr != nil {
		t.Fatal(rendererErr)
	}
	return testRenderer
}

// loadCard is the card r makes of testdata/posts/name.
func loadCard(t testing.TB, r *Renderer, name string) *card.Card {
	t.Helper()
	return testCard(t, r, "posts/"+name)
}

// testCard is the card r makes of the post at path under testdata.
func testCard(t testing.TB, r *Renderer, path string) *card.Card {
	t.Helper()
	c, err := r.Card(testPost(t, path))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testPost reads the post at path under the repository's testdata.
func testPost(t testing.TB, path string) *post.Post {
	t.Helper()
	p, err := post.Read(filepath.Join("..", "..", "testdata", filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGoldenOG pins the default card on the posts that exercise the text
// engine: the reference post, a 171-character title, Chinese, Japanese with
// 「」, Arabic (right to left, a mirrored card), emoji with accented names,
// a post with neither summary nor date, and Thai, Hindi (conjuncts) and
// Korean titles; and the rest of the multilingual set: Bengali, Tamil,
// Traditional Chinese, Hebrew and Arabic with nested Latin runs and
// numbers, Vietnamese (stacked diacritics), Greek, Cyrillic, and emoji
// sequences (skin tones, ZWJ families, keycaps, flags). None may warn: no
// character is missing a glyph.
func TestGoldenOG(t *testing.T) {
	r := renderer(t)
	for _, name := range []string{"reference", "long-title", "chinese", "japanese", "arabic", "emoji-accents", "bare", "thai", "hindi", "korean",
		"bengali", "tamil", "chinese-traditional", "hebrew", "arabic-mixed", "vietnamese", "greek", "cyrillic", "emoji-sequences"} {
		t.Run(name, func(t *testing.T) {
			file := name + ".md"
			if name == "reference" {
				file = "cilium-at-kubecon-eu-2026.md"
			}
			c := loadCard(t, r, file)
			img, plan, err := r.Draw(context.Background(), c, "og")
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Warnings) > 0 {
				t.Errorf("warnings: %v", plan.Warnings)
			}
			imgtest.AssertGolden(t, "og-"+name, img)
		})
	}
}

// TestEncodedPNGDecodes checks the encoder's output against the drawn image.
func TestEncodedPNGDecodes(t *testing.T) {
	r := renderer(t)
	c := loadCard(t, r, "cilium-at-kubecon-eu-2026.md")
	out, err := r.Render(context.Background(), c, "og")
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(bytes.NewReader(out.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != image.Rect(0, 0, 1200, 630) || out.Width != 1200 || out.Height != 630 {
		t.Fatalf("card is %v (%dx%d), want 1200x630", got.Bounds(), out.Width, out.Height)
	}
	drawn, _, err := r.Draw(context.Background(), c, "og")
	if err != nil {
		t.Fatal(err)
	}
	// Paletted cards may move a colour by a little (TestNoVisibleLoss).
	if s := deltaEStats(t, drawn, got); s.over2*1000 > s.pixels || s.max > 5.0 {
		t.Errorf("decoded PNG differs from the drawn card: %d pixels beyond ΔE 2.0, max ΔE %.2f", s.over2, s.max)
	}
	if len(out.PNG) > 300<<10 {
		t.Errorf("card is %d bytes; link previews drop images over ~300 KB", len(out.PNG))
	}
}

// TestDeterministic renders the same card twice, and concurrently, and
// compares the bytes.
func TestDeterministic(t *testing.T) {
	r := renderer(t)
	c := loadCard(t, r, "emoji-accents.md")
	first, err := r.Render(context.Background(), c, "og")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	outs := make([][]byte, 4)
	for i := range outs {
		wg.Go(func() {
			img, err := r.Render(context.Background(), c, "og")
			if err == nil {
				outs[i] = img.PNG
			}
		})
	}
	wg.Wait()
	for i, o := range outs {
		if !bytes.Equal(o, first.PNG) {
			t.Errorf("render %d differs from the first", i)
		}
	}
}

func TestKey(t *testing.T) {
	r := renderer(t)
	c := loadCard(t, r, "cilium-at-kubecon-eu-2026.md")
	k1, err := r.Key(c, "og")
	if err != nil {
		t.Fatal(err)
	}
	same := *c
	same.Source = "elsewhere.md"
	if k, _ := r.Key(&same, "og"); k != k1 {
		t.Error("moving a post changed its key; only fields that change pixels may")
	}
	edited := *c
	edited.Title += "!"
	if k, _ := r.Key(&edited, "og"); k == k1 {
		t.Error("editing the title kept the key")
	}
	if _, err := r.Key(c, "nope"); err == nil || !strings.Contains(err.Error(), "unknown template") {
		t.Errorf("Key with an unknown template: err = %v", err)
	}
}

// TestMissingGlyphWarns: characters no font has are reported, not drawn as
// boxes, in one warning per card that names each character once with its
// script, however often and in however many fields it occurs.
func TestMissingGlyphWarns(t *testing.T) {
	r := renderer(t)
	c := &card.Card{
		Title:   "Linear B: \U00010000 \U00010000 and Cuneiform \U00012000",
		Summary: "More \U00012000 here",
		Tags:    []string{"\U00010000"},
	}
	_, plan, err := r.Draw(context.Background(), c, "og")
	if err != nil {
		t.Fatal(err)
	}
	want := "no font has 2 characters: '\U00010000' U+10000 (Linear B), '\U00012000' U+12000 (Cuneiform); they are left out; add a font with the Linear B and Cuneiform scripts"
	if len(plan.Warnings) != 1 || plan.Warnings[0] != want {
		t.Errorf("warnings = %q\nwant one: %q", plan.Warnings, want)
	}
}

func TestCancelled(t *testing.T) {
	r := renderer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Render(ctx, &card.Card{Title: "x"}, "og"); err == nil {
		t.Error("Render with a cancelled context succeeded")
	}
}

// BenchmarkRenderOG measures a warm render and PNG encode of the reference
// card: what bench/compare.sh sets against Satori + resvg.
func BenchmarkRenderOG(b *testing.B) {
	r := renderer(b)
	c := loadCard(b, r, "cilium-at-kubecon-eu-2026.md")
	ctx := context.Background()
	if _, err := r.Render(ctx, c, "og"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var size int
	cpu := processCPU()
	for b.Loop() {
		img, err := r.Render(ctx, c, "og")
		if err != nil {
			b.Fatal(err)
		}
		size = len(img.PNG)
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(size), "png-bytes")
}

// processCPU is the CPU time (user and system) this process has used. On
// a shared machine a benchmark's wall time per op swings with the other
// processes; its CPU time per op (cpu-ns/op, garbage collection included)
// swings far less.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIndexOG is the palette mapping of the reference card alone:
// what encodeIndexed does before deflate.
func BenchmarkIndexOG(b *testing.B) {
	r := renderer(b)
	c := loadCard(b, r, "cilium-at-kubecon-eu-2026.md")
	img, plan, err := r.Draw(context.Background(), c, "og")
	if err != nil {
		b.Fatal(err)
	}
	t, err := r.template("og")
	if err != nil {
		b.Fatal(err)
	}
	li := r.indexer(t, plan)
	pm := image.NewPaletted(img.Rect, nil)
	li.ix.Index(pm, img)
	cpu := processCPU()
	for b.Loop() {
		li.ix.Index(pm, img)
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkIndexOverOG is BenchmarkIndexOG as the renderer indexes a
// pooled canvas: only the rectangles the card painted over its
// background are worked out.
func BenchmarkIndexOverOG(b *testing.B) {
	r := renderer(b)
	c := loadCard(b, r, "cilium-at-kubecon-eu-2026.md")
	t, err := r.template("og")
	if err != nil {
		b.Fatal(err)
	}
	cv, plan, err := r.drawCanvas(context.Background(), layout.Views(c, t)[0], t)
	if err != nil {
		b.Fatal(err)
	}
	li := r.indexer(t, plan)
	if li.base == nil || cv.bg != li.bg {
		b.Fatal("the reference card's background has no indices to copy")
	}
	pm := image.NewPaletted(cv.img.Rect, nil)
	cpu := processCPU()
	for b.Loop() {
		li.ix.IndexOver(pm, cv.img, li.base, cv.dirty)
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkDrawOG is the drawing alone, without encoding, on a pooled
// canvas handed back after each card as encodeView does: "recycled"
// restores only what the card before painted, "copied" forgets that and
// copies the whole background, as every card did before canvases tracked
// their dirty rectangles.
func BenchmarkDrawOG(b *testing.B) {
	r := renderer(b)
	c := loadCard(b, r, "cilium-at-kubecon-eu-2026.md")
	tm, err := r.template("og")
	if err != nil {
		b.Fatal(err)
	}
	v := layout.Views(c, tm)[0]
	ctx := context.Background()
	// Warm: the glyph cache, the background, the pools.
	if _, err := r.Render(ctx, c, "og"); err != nil {
		b.Fatal(err)
	}
	for _, mode := range []string{"recycled", "copied"} {
		b.Run(mode, func(b *testing.B) {
			cpu := processCPU()
			for b.Loop() {
				cv, _, err := r.drawCanvas(ctx, v, tm)
				if err != nil {
					b.Fatal(err)
				}
				if mode == "copied" {
					cv.bg = nil
				}
				r.canvases.Put(cv)
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }

// TestFontRoles checks how ogcard.yaml's fonts map onto the brand's roles:
// families named for one role stay in it (heading only keeps the default
// body font), and font files named for no role serve both.
func TestFontRoles(t *testing.T) {
	font, err := os.ReadFile(filepath.Join("..", "..", "fonts", "NotoSansHebrew-Regular.ttf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, fonts   string
		heading, body string // the first family of each role
	}{
		{"heading only", "fonts: {heading: [Noto Sans Hebrew], files: [h.ttf]}\n", "Noto Sans Hebrew", "Inter"},
		{"body only", "fonts: {body: [Noto Sans Hebrew], files: [h.ttf]}\n", "Inter", "Noto Sans Hebrew"},
		{"files only", "fonts: {files: [h.ttf]}\n", "Noto Sans Hebrew", "Noto Sans Hebrew"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "h.ttf"), font, 0o644)
			os.WriteFile(filepath.Join(dir, "ogcard.yaml"), []byte(tc.fonts), 0o644)
			cfg, err := config.Load(filepath.Join(dir, "ogcard.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			r, err := New(Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand, Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			if h, b := r.brand.Fonts.Heading[0], r.brand.Fonts.Body[0]; h != tc.heading || b != tc.body {
				t.Errorf("heading %q, body %q; want %q, %q", h, b, tc.heading, tc.body)
			}
		})
	}
}

// TestMonochromeEmoji: emoji are drawn in colour by default and, when the
// brand's ogcard.yaml says emoji: monochrome, as outlines in the text's
// colour: the red apples and hearts lose their red, nothing else changes.
func TestMonochromeEmoji(t *testing.T) {
	red := func(r *Renderer) int {
		t.Helper()
		img, plan, err := r.Draw(context.Background(), &card.Card{Title: "Fruit 🍎 ❤️ 🍓 day"}, "og")
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Warnings) > 0 {
			t.Errorf("warnings: %q", plan.Warnings)
		}
		n := 0
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := img.RGBAAt(x, y)
				if c.R > 150 && c.G < 110 && c.B < 110 {
					n++
				}
			}
		}
		return n
	}
	withConfig := func(yaml string) *Renderer {
		t.Helper()
		dir := t.TempDir()
		path := filepath.Join(dir, "ogcard.yaml")
		if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := New(Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand, Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	colour, mono := red(withConfig("site: Fruit\n")), red(withConfig("site: Fruit\nemoji: monochrome\n"))
	if colour < 2000 || mono != 0 {
		t.Errorf("red pixels: %d in colour, %d in monochrome; want thousands, then none", colour, mono)
	}
	k1, _ := withConfig("site: Fruit\n").Key(&card.Card{Title: "🍎"}, "og")
	k2, _ := withConfig("site: Fruit\nemoji: monochrome\n").Key(&card.Card{Title: "🍎"}, "og")
	if k1 == k2 {
		t.Error("monochrome emoji kept the cache key of colour ones")
	}
}

// TestEncodeConcurrency: the option reaches the encoder, and a card
// encoded on the calling goroutine alone is the same file.
func TestEncodeConcurrency(t *testing.T) {
	one, err := New(Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand, EncodeConcurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if one.encoder.Concurrency != 1 {
		t.Fatalf("encoder concurrency %d, want 1", one.encoder.Concurrency)
	}
	r := renderer(t)
	c := loadCard(t, r, "cilium-at-kubecon-eu-2026.md")
	want, err := r.Render(context.Background(), c, "og")
	if err != nil {
		t.Fatal(err)
	}
	got, err := one.Render(context.Background(), c, "og")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.PNG, want.PNG) {
		t.Error("the card encoded on one goroutine differs from the default's")
	}
}

// BenchmarkNewIndexerOG is the building of the reference card's palette:
// once per template, background and ink set (a corpus build makes 11).
func BenchmarkNewIndexerOG(b *testing.B) {
	r := renderer(b)
	t, plan := referencePlan(b, r)
	r.indexer(t, plan) // the background
	for b.Loop() {
		forgetPalettes(r)
		r.indexer(t, plan)
	}
}

// referencePlan is the plan of the reference post's og card, and its
// template.
func referencePlan(tb testing.TB, r *Renderer) (*template.Template, *layout.Plan) {
	tb.Helper()
	c := loadCard(tb, r, "cilium-at-kubecon-eu-2026.md")
	_, plan, err := r.Draw(context.Background(), c, "og")
	if err != nil {
		tb.Fatal(err)
	}
	t, err := r.template("og")
	if err != nil {
		tb.Fatal(err)
	}
	return t, plan
}

// forgetPalettes empties r's palettes: the next card builds its own.
func forgetPalettes(r *Renderer) {
	r.mu.Lock()
	clear(r.indexers)
	r.mu.Unlock()
}

// TestIndexerBuiltOnce: cards that need a palette not yet built wait for
// the one build rather than each building it.
func TestIndexerBuiltOnce(t *testing.T) {
	r := renderer(t)
	tm, plan := referencePlan(t, r)
	forgetPalettes(r)
	var builds atomic.Int64
	release := make(chan struct{})
	defer func(f func(*image.RGBA, []color.NRGBA, []int) *palette.Indexer) { newIndexer = f }(newIndexer)
	build := newIndexer
	newIndexer = func(bg *image.RGBA, inks []color.NRGBA, shifts []int) *palette.Indexer {
		builds.Add(1)
		<-release // the others ask while this one builds
		return build(bg, inks, shifts)
	}
	got := make([]*palette.Indexer, 6)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = r.indexer(tm, plan).ix })
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("6 cards asking at once built their palette %d times, want 1", n)
	}
	for i, ix := range got {
		if ix == nil || ix != got[0] {
			t.Errorf("card %d got palette %p, card 0 %p", i, ix, got[0])
		}
	}
}

// TestRecycle: an image not recycled keeps its bytes whatever is drawn
// after it; a recycled one gives its buffer to a later card, whose bytes
// are those of a fresh renderer's.
func TestRecycle(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // a collection may empty the pool
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))  // a Put is kept for its own P's next Get
	r := renderer(t)
	ctx := context.Background()
	a, b := loadCard(t, r, "cilium-at-kubecon-eu-2026.md"), loadCard(t, r, "arabic.md")
	img1, err := r.Render(ctx, a, "og")
	if err != nil {
		t.Fatal(err)
	}
	kept := bytes.Clone(img1.PNG)
	if _, err := r.Render(ctx, b, "og"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(img1.PNG, kept) {
		t.Fatal("a card not recycled changed when another was drawn")
	}
	first := &img1.PNG[:1][0]
	r.Recycle(img1)
	if img1.PNG != nil {
		t.Error("a recycled image still has its PNG")
	}
	r.Recycle(img1) // twice: nothing more to give back
	img2, err := r.Render(ctx, b, "og")
	if err != nil {
		t.Fatal(err)
	}
	if !raceEnabled && &img2.PNG[:1][0] != first { // the race detector drops pooled items at random
		t.Error("the card drawn after a Recycle did not reuse the recycled buffer")
	}
	fresh, err := renderer(t).Render(ctx, loadCard(t, renderer(t), "arabic.md"), "og")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(img2.PNG, fresh.PNG) {
		t.Errorf("a card in a recycled buffer (%d bytes) differs from a fresh render (%d bytes)", len(img2.PNG), len(fresh.PNG))
	}
}

// TestIndexOverCanvas: a card indexed over its background (only what its
// layers painted worked out) encodes to the bytes of the same pixels
// indexed whole, for every test post and template.
func TestIndexOverCanvas(t *testing.T) {
	r := renderer(t)
	ctx := context.Background()
	entries, err := os.ReadDir(filepath.Join("..", "..", "testdata", "posts"))
	if err != nil {
		t.Fatal(err)
	}
	over := 0
	for _, e := range entries {
		c := loadCard(t, r, e.Name())
		for _, name := range r.Templates() {
			tm, err := r.template(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range layout.Views(c, tm) {
				cv, plan, err := r.drawCanvas(ctx, v, tm)
				if err != nil {
					t.Fatal(err)
				}
				if li := r.indexer(tm, plan); li.base != nil && cv.bg == li.bg {
					over++
				}
				got, err := r.encode(ctx, tm, v, cv, plan, "", Format{})
				if err != nil {
					t.Fatal(err)
				}
				whole := &canvas{img: image.NewRGBA(cv.img.Rect)} // no background known: indexed whole
				copy(whole.img.Pix, cv.img.Pix)
				want, err := r.encode(ctx, tm, v, whole, plan, "", Format{})
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.PNG, want.PNG) {
					t.Errorf("%s, %s %s: %d bytes indexed over the background, %d indexed whole", e.Name(), name, suffixOf(tm, v), len(got.PNG), len(want.PNG))
				}
				r.canvases.Put(cv)
			}
		}
	}
	if over < 50 {
		t.Errorf("only %d cards were indexed over their background", over)
	}
}

// TestIndexerPanicReported: a palette whose building panics (a bug) makes
// every card that needs it report that panic, not a nil pointer.
func TestIndexerPanicReported(t *testing.T) {
	r := renderer(t)
	tm, plan := referencePlan(t, r)
	forgetPalettes(r)
	defer forgetPalettes(r) // not the broken one for later tests
	defer func(f func(*image.RGBA, []color.NRGBA, []int) *palette.Indexer) { newIndexer = f }(newIndexer)
	newIndexer = func(*image.RGBA, []color.NRGBA, []int) *palette.Indexer { panic("boom") }
	for i := range 2 {
		func() {
			defer func() {
				if v := fmt.Sprint(recover()); !strings.Contains(v, "boom") {
					t.Errorf("card %d: panic %q, want the palette's (boom)", i, v)
				}
			}()
			r.indexer(tm, plan)
		}()
	}
}
