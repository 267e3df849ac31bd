package palette

import (
	"image"
	"image/color"
	"math/rand/v2"
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
