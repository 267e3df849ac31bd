package palette

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// gradientCard is a 600x315 diagonal gradient with a white bar whose edges
// are anti-aliased at every coverage, as text edges are.
func gradientCard() (bg, card *image.RGBA) {
	bg = image.NewRGBA(image.Rect(0, 0, 600, 315))
	for y := range 315 {
		for x := range 600 {
			u := float64(x+y) / float64(600+315)
			i := bg.PixOffset(x, y)
			bg.Pix[i], bg.Pix[i+1], bg.Pix[i+2], bg.Pix[i+3] = uint8(11+u*20), uint8(29+u*50), uint8(58+u*85), 255
		}
	}
	card = image.NewRGBA(bg.Rect)
	copy(card.Pix, bg.Pix)
	for y := 100; y < 200; y++ {
		for x := 50; x < 560; x++ {
			a := min(1, float64(x-50)/255) // 0..1 across the first 255 columns
			i := card.PixOffset(x, y)
			for c := range 3 {
				card.Pix[i+c] = uint8(float64(card.Pix[i+c])*(1-a) + 255*a + 0.5)
			}
		}
	}
	return bg, card
}

func TestIndexKeepsCardsInvisible(t *testing.T) {
	bg, card := gradientCard()
	ix := NewIndexer(bg, []color.NRGBA{{255, 255, 255, 255}}, nil)
	if n := len(ix.Palette); n < 2 || n > 256-ExtraEntries {
		t.Fatalf("palette has %d entries, want 2..%d", n, 256-ExtraEntries)
	}
	dst := image.NewPaletted(card.Rect, nil)
	res := ix.Index(dst, card)
	if res.Visible(len(dst.Pix)) {
		t.Fatalf("Index(gradient card) = %+v: loss visible", res)
	}
	// Check the claim independently of the flags Index keeps.
	over2, worst := 0, 0.0
	for y := range card.Rect.Dy() {
		for x := range card.Rect.Dx() {
			i := card.PixOffset(x, y)
			r, g, b, _ := dst.Palette[dst.Pix[dst.PixOffset(x, y)]].RGBA()
			d := DeltaE2000(LabOf(card.Pix[i], card.Pix[i+1], card.Pix[i+2]), LabOf(uint8(r>>8), uint8(g>>8), uint8(b>>8)))
			worst = max(worst, d)
			if d > SoftDeltaE {
				over2++
			}
		}
	}
	if over2 != res.OverSoft || worst > HardDeltaE || over2*1_000_000 > len(dst.Pix)*MaxOverSoft {
		t.Errorf("%d pixels beyond ΔE %.1f (Index counted %d), worst %.2f", over2, SoftDeltaE, res.OverSoft, worst)
	}
}

func TestIndexRefusesPhotos(t *testing.T) {
	bg, _ := gradientCard()
	ix := NewIndexer(bg, []color.NRGBA{{255, 255, 255, 255}}, nil)
	noise := image.NewRGBA(bg.Rect)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.IntN(256))
		if i%4 == 3 {
			noise.Pix[i] = 255
		}
	}
	if res := ix.Index(image.NewPaletted(noise.Rect, nil), noise); !res.Visible(len(noise.Pix) / 4) {
		t.Errorf("Index(noise) = %+v: want the loss reported visible, so the card stays truecolour", res)
	}
}

func TestResultVisible(t *testing.T) {
	const pixels = 1_000_000
	for _, c := range []struct {
		r    Result
		want bool
	}{
		{Result{}, false},
		{Result{OverSoft: 1000}, false}, // exactly 0.1%
		{Result{OverSoft: 1001}, true},
		{Result{OverHard: 1, OverSoft: 1}, true},
	} {
		if got := c.r.Visible(pixels); got != c.want {
			t.Errorf("%+v.Visible(%d) = %v, want %v", c.r, pixels, got, c.want)
		}
	}
}

// rampCard is a 1000x1000 grey ramp, left to right, and a palette for it
// built with the given inks. The card's colours are the ramp's until
// blots are painted on it.
func rampCard(inks []color.NRGBA) (*Indexer, *image.RGBA) {
	bg := image.NewRGBA(image.Rect(0, 0, 1000, 1000))
	for y := range 1000 {
		for x := range 1000 {
			v := uint8(20 + x*215/1000)
			i := bg.PixOffset(x, y)
			bg.Pix[i], bg.Pix[i+1], bg.Pix[i+2], bg.Pix[i+3] = v, v, v, 255
		}
	}
	card := image.NewRGBA(bg.Rect)
	copy(card.Pix, bg.Pix)
	return NewIndexer(bg, inks, nil), card
}

// offRamp returns up to n colours beyond SoftDeltaE and within HardDeltaE
// of every entry of ix's palette, more than SoftDeltaE+1 apart from each
// other: each needs an entry of its own to be drawn within SoftDeltaE.
func offRamp(ix *Indexer, n int) [][3]uint8 {
	var out [][3]uint8
	var labs []Lab
	steps := []int{-6, -3, 0, 3, 6}
	for g := 30; g < 225 && len(out) < n; g += 3 {
		for k := range len(steps) * len(steps) * len(steps) {
			d := [3]int{steps[k%5], steps[k/5%5], steps[k/25]}
			c := [3]uint8{uint8(g + d[0]), uint8(g + d[1]), uint8(g + d[2])}
			l := LabOf(c[0], c[1], c[2])
			near := math.Inf(1)
			for _, e := range ix.lab {
				near = min(near, DeltaE2000(l, e))
			}
			if near <= SoftDeltaE+0.5 || near >= HardDeltaE-0.5 {
				continue
			}
			apart := true
			for _, o := range labs {
				apart = apart && DeltaE2000(l, o) > SoftDeltaE+1
			}
			if apart && len(out) < n {
				out, labs = append(out, c), append(labs, l)
			}
		}
	}
	return out
}

// blot paints px pixels of colour c at the start of row y of img.
func blot(img *image.RGBA, y, px int, c [3]uint8) {
	for x := range px {
		i := img.PixOffset(x, y)
		img.Pix[i], img.Pix[i+1], img.Pix[i+2] = c[0], c[1], c[2]
	}
}

// A colour beyond HardDeltaE gets an extra entry even when it is the
// rarest of the image's far colours and they outnumber the extra entries:
// no pixel may stay that far, a few may stay beyond SoftDeltaE.
func TestIndexCoversHardColoursFirst(t *testing.T) {
	ix, card := rampCard(nil)
	soft := offRamp(ix, 100)
	if len(soft) < ExtraEntries+20 {
		t.Fatalf("found %d colours off the ramp, want at least %d", len(soft), ExtraEntries+20)
	}
	for i, c := range soft {
		blot(card, 10+i, 8, c) // 8 pixels each: at most 1000 may stay far
	}
	blot(card, 5, 4, [3]uint8{0, 255, 0}) // far from every grey
	dst := image.NewPaletted(card.Rect, nil)
	res := ix.Index(dst, card)
	if res.Visible(len(dst.Pix)) {
		t.Errorf("Index(%d soft blots of 8 px, one hard blot of 4 px) = %+v: loss visible", len(soft), res)
	}
	if got := dst.Palette[dst.Pix[dst.PixOffset(0, 5)]]; got != (color.RGBA{0, 255, 0, 255}) {
		t.Errorf("the hard blot is drawn as %v, want an entry of its own", got)
	}
}

// When the extra entries run out, entries of the template's palette that
// the image does not use are given to its colours.
func TestIndexReusesUnusedEntries(t *testing.T) {
	// The red ink's blends over the ramp fill much of the palette, and
	// this card has no red.
	ix, card := rampCard([]color.NRGBA{{255, 0, 0, 255}})
	soft := offRamp(ix, 130)
	if len(soft) < ExtraEntries+60 {
		t.Fatalf("found %d colours off the ramp, want at least %d", len(soft), ExtraEntries+60)
	}
	for i, c := range soft {
		blot(card, 10+i, 30, c) // 30 pixels each: 34 left far would be visible
	}
	dst := image.NewPaletted(card.Rect, nil)
	res := ix.Index(dst, card)
	if res.Visible(len(dst.Pix)) || res.Extra <= ExtraEntries {
		t.Errorf("Index(%d blots of 30 px) = %+v: want more than %d extra entries and no visible loss", len(soft), res, ExtraEntries)
	}
	if len(dst.Palette) > 256 {
		t.Errorf("palette has %d entries", len(dst.Palette))
	}
}

// TestCacheKeepsTwoWays: colours that share a set of the per-call cache
// both stay in it, as anti-aliased edges need, where two colours of one
// set alternate pixel after pixel; and a third evicts the one met least
// recently.
func TestCacheKeepsTwoWays(t *testing.T) {
	// Three opaque colours of one set.
	var same []uint32
	first := setOf(0xff000000)
	for c := uint32(1); len(same) < 2 && c < 1<<24; c++ {
		if w := 0xff000000 | c; setOf(w) == first {
			same = append(same, w)
		}
	}
	if len(same) < 2 {
		t.Fatal("found no colours sharing a set")
	}
	a, b, c := uint32(0xff000000), same[0], same[1]
	lc := new(localCache)
	lc.put(a, mapValid|1)
	lc.put(b, mapValid|2)
	scanOne := func(word uint32) (uint8, bool) {
		row := []byte{byte(word), byte(word >> 8), byte(word >> 16), byte(word >> 24)}
		out := make([]uint8, 1)
		var th [16]uint8
		n, _, _, _ := lc.scan(out, row, &th, 0, 0, 0)
		return out[0], n == 1
	}
	for _, tc := range []struct {
		word uint32
		idx  uint8
	}{{a, 1}, {b, 2}, {a, 1}} {
		if idx, ok := scanOne(tc.word); !ok || idx != tc.idx {
			t.Errorf("colour %08x: cached %v, index %d; want cached, %d", tc.word, ok, idx, tc.idx)
		}
	}
	lc.put(c, mapValid|3) // b was put last, so a goes
	if _, ok := scanOne(a); ok {
		t.Error("a third colour of the set kept the one put first")
	}
	for _, tc := range []struct {
		word uint32
		idx  uint8
	}{{b, 2}, {c, 3}} {
		if idx, ok := scanOne(tc.word); !ok || idx != tc.idx {
			t.Errorf("after the third: colour %08x cached %v, index %d; want cached, %d", tc.word, ok, idx, tc.idx)
		}
	}
}

// TestCachePassedBetweenIndexers: the caches of finished calls are shared
// by all Indexers, and a mapping belongs to one palette: a cache another
// Indexer used must not lend it its mappings.
func TestCachePassedBetweenIndexers(t *testing.T) {
	bg, card := gradientCard()
	white := NewIndexer(bg, []color.NRGBA{{255, 255, 255, 255}}, nil)
	red := NewIndexer(bg, []color.NRGBA{{230, 40, 40, 255}, {255, 255, 255, 255}}, nil)
	fresh := image.NewPaletted(card.Rect, nil)
	wantRes := red.Index(fresh, card) // red's own cache, now free
	freeCaches.Lock()
	freeCaches.list = nil // only white's will be there
	made := freeCaches.made
	freeCaches.Unlock()
	white.Index(image.NewPaletted(card.Rect, nil), card)
	freeCaches.Lock()
	freeCaches.made = maxFreeCaches // no new one: red must take white's
	freeCaches.Unlock()
	defer func() {
		freeCaches.Lock()
		freeCaches.made = made
		freeCaches.Unlock()
	}()
	got := image.NewPaletted(card.Rect, nil)
	gotRes := red.Index(got, card) // takes the cache white used
	if gotRes != wantRes || !bytes.Equal(got.Pix, fresh.Pix) {
		t.Errorf("after another palette's call: %+v, want %+v, and the indices differ: %v", gotRes, wantRes, !bytes.Equal(got.Pix, fresh.Pix))
	}
}

// TestCachesKeptPerIndexer: while fewer than maxFreeCaches caches exist,
// Indexers used in turn each keep their own cache (with its colours)
// rather than emptying another's.
func TestCachesKeptPerIndexer(t *testing.T) {
	bg, card := gradientCard()
	inks := [][]color.NRGBA{{{255, 255, 255, 255}}, {{230, 40, 40, 255}}, {{40, 40, 230, 255}}}
	var ixs []*Indexer
	for _, k := range inks {
		ixs = append(ixs, NewIndexer(bg, k, nil))
	}
	freeCaches.Lock()
	saved, made := freeCaches.list, freeCaches.made
	freeCaches.list, freeCaches.made = nil, 0
	freeCaches.Unlock()
	defer func() {
		freeCaches.Lock()
		freeCaches.list, freeCaches.made = saved, made
		freeCaches.Unlock()
	}()
	dst := image.NewPaletted(card.Rect, nil)
	for range 3 {
		for _, ix := range ixs {
			ix.Index(dst, card)
		}
	}
	freeCaches.Lock()
	defer freeCaches.Unlock()
	owners := map[*Indexer]bool{}
	for _, lc := range freeCaches.list {
		owners[lc.owner] = true
	}
	if len(freeCaches.list) != len(ixs) || len(owners) != len(ixs) || freeCaches.made != len(ixs) {
		t.Errorf("after three rounds over %d palettes: %d free caches of %d owners, %d made; want one each", len(ixs), len(freeCaches.list), len(owners), freeCaches.made)
	}
}

// TestIndexOverMatchesIndex: a card that is its background outside some
// rectangles gets from IndexOver exactly what Index gives it: indices,
// palette and result. Backgrounds flat, diagonal (rows shifted) and with
// a spot of colours far from the palette; rectangles exact, loose,
// overlapping, touching, outside the card, empty, or none.
func TestIndexOverMatchesIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	bg, _ := gradientCard()
	diag := make([]int, bg.Rect.Dy())
	for y := range diag {
		diag[y] = y
	}
	spot := image.NewRGBA(bg.Rect)
	copy(spot.Pix, bg.Pix)
	// Background pixels beyond SoftDeltaE, in runs and alone: more
	// colours than a palette has room for.
	for i := range 600 {
		x, y := 100+i%40+i/40*3, 20+i%7
		copy(spot.Pix[spot.PixOffset(x, y):], []uint8{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255})
	}
	// Off the origin, as a sub-image of a larger picture would be.
	moved := image.NewRGBA(spot.Rect.Add(image.Pt(-20, 13)))
	copy(moved.Pix, spot.Pix)
	// One pixel in twenty too far: thousands of runs to skip row by row.
	noisy := image.NewRGBA(bg.Rect)
	copy(noisy.Pix, bg.Pix)
	for i := 0; i < len(noisy.Pix); i += 4 {
		if rng.IntN(20) == 0 {
			copy(noisy.Pix[i:], []uint8{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255})
		}
	}
	white := []color.NRGBA{{255, 255, 255, 255}, {230, 40, 40, 200}}
	for _, b := range []struct {
		name   string
		bg     *image.RGBA
		shifts []int
	}{{"flat", bg, nil}, {"diagonal", diagonal(bg, false), diag}, {"spot", spot, nil}, {"moved", moved, nil}, {"noisy", noisy, nil}} {
		ix := NewIndexer(b.bg, white, b.shifts)
		base := ix.Background(b.bg)
		if base == nil {
			t.Fatalf("%s: no base", b.name)
		}
		if (b.name == "spot" || b.name == "moved") && len(base.far) == 0 || b.name == "noisy" && len(base.far) < 1000 {
			t.Fatalf("%s: %d runs of far background pixels found", b.name, len(base.far))
		}
		// Another palette's base is not this one's: IndexOver must not
		// copy it.
		other := NewIndexer(b.bg, []color.NRGBA{{0, 200, 90, 255}}, b.shifts).Background(b.bg)
		for k := range 12 {
			card := image.NewRGBA(b.bg.Rect)
			copy(card.Pix, b.bg.Pix)
			var painted []image.Rectangle
			for range 1 + rng.IntN(6) {
				x, y := b.bg.Rect.Min.X+rng.IntN(560), b.bg.Rect.Min.Y+rng.IntN(290)
				r := image.Rect(x, y, x+5+rng.IntN(200), y+3+rng.IntN(60)).Intersect(card.Rect)
				ink := color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
				for py := r.Min.Y; py < r.Max.Y; py++ {
					for px := r.Min.X; px < r.Max.X; px++ {
						if rng.IntN(3) > 0 { // some pixels of a rectangle keep the background
							u := float64(rng.IntN(256)) / 255
							o := card.PixOffset(px, py)
							for c, v := range []uint8{ink.R, ink.G, ink.B} {
								card.Pix[o+c] = uint8(float64(v)*u + float64(card.Pix[o+c])*(1-u))
							}
						}
					}
				}
				painted = append(painted, r)
			}
			dirty := painted
			switch k % 4 {
			case 1: // loose and overlapping, some outside
				for _, r := range painted {
					dirty = append(dirty, r.Inset(-3), image.Rect(-10, r.Min.Y, 3, r.Max.Y), image.Rect(590, 0, 700, 400))
				}
			case 2: // touching pieces of each
				dirty = nil
				for _, r := range painted {
					mid := (r.Min.X + r.Max.X) / 2
					dirty = append(dirty, image.Rect(r.Min.X, r.Min.Y, mid, r.Max.Y), image.Rect(mid, r.Min.Y, r.Max.X, r.Max.Y), image.Rectangle{})
				}
			case 3:
				if k == 3 {
					dirty = []image.Rectangle{card.Rect} // everything
				}
			}
			if k == 11 {
				copy(card.Pix, b.bg.Pix) // nothing painted
				dirty = nil
			}
			want := image.NewPaletted(card.Rect, nil)
			wantRes := ix.Index(want, card)
			got := image.NewPaletted(card.Rect, nil)
			gotRes := ix.IndexOver(got, card, base, dirty)
			if gotRes != wantRes {
				t.Errorf("%s/%d: IndexOver = %+v, Index %+v", b.name, k, gotRes, wantRes)
			}
			if i := firstDiff(got.Pix, want.Pix); i >= 0 {
				t.Errorf("%s/%d: index of pixel %d is %d, Index's %d", b.name, k, i, got.Pix[i], want.Pix[i])
			}
			if !slices.Equal(got.Palette, want.Palette) {
				t.Errorf("%s/%d: palette of %d entries, Index's %d", b.name, k, len(got.Palette), len(want.Palette))
			}
			if k == 5 {
				foreign := image.NewPaletted(card.Rect, nil)
				ix.IndexOver(foreign, card, other, dirty)
				if i := firstDiff(foreign.Pix, want.Pix); i >= 0 {
					t.Errorf("%s/%d: over another palette's base, index of pixel %d is %d, Index's %d", b.name, k, i, foreign.Pix[i], want.Pix[i])
				}
			}
		}
	}
}
