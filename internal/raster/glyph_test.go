package raster

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"testing"
)

// TestGlyphOverMatchesDraw: glyphOver writes exactly the pixels that
// draw.DrawMask writes with a uniform source, an alpha mask and draw.Over,
// for opaque and translucent colours, masks with empty, full and partial
// coverage (runs longer and shorter than the eight it reads at once), and
// rectangles that stick out of the canvas or the mask.
func TestGlyphOverMatchesDraw(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		dst := image.NewRGBA(image.Rect(0, 0, 40, 30))
		for j := range dst.Pix {
			dst.Pix[j] = uint8(rng.IntN(256))
		}
		if i%2 == 0 { // opaque canvases, as cards are
			for j := 3; j < len(dst.Pix); j += 4 {
				dst.Pix[j] = 255
			}
		}
		mw, mh := 1+rng.IntN(30), 1+rng.IntN(20)
		mask := image.NewAlpha(image.Rect(0, 0, mw, mh))
		for j := range mask.Pix {
			switch rng.IntN(4) {
			case 0, 1:
				// uncovered
			case 2:
				mask.Pix[j] = 255
			default:
				mask.Pix[j] = uint8(rng.IntN(256))
			}
		}
		if i%5 == 0 { // a long empty run, then a covered pixel
			clear(mask.Pix)
			mask.Pix[len(mask.Pix)-1] = 200
		}
		if i%7 == 0 { // a glyph's stem: runs of full coverage, eight and more
			for y := range mh {
				start := rng.IntN(mw)
				for x := start; x < min(mw, start+8+rng.IntN(12)); x++ {
					mask.Pix[y*mw+x] = 255
				}
			}
		}
		a := uint8(255)
		if i%3 == 0 {
			a = uint8(rng.IntN(256))
		}
		nc := color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), a}
		c := premul(nc)
		at := image.Pt(rng.IntN(60)-15, rng.IntN(50)-15)
		r := mask.Rect.Add(at)
		want := image.NewRGBA(dst.Rect)
		copy(want.Pix, dst.Pix)
		draw.DrawMask(want, r, image.NewUniform(c), image.Point{}, mask, image.Point{}, draw.Over)
		glyphOver(dst, r, c, mask, image.Point{})
		if !bytes.Equal(dst.Pix, want.Pix) {
			for j := range dst.Pix {
				if dst.Pix[j] != want.Pix[j] {
					t.Fatalf("case %d (colour %v, mask %dx%d at %v): first difference at byte %d: %d, draw.DrawMask %d", i, nc, mw, mh, at, j, dst.Pix[j], want.Pix[j])
				}
			}
		}
	}
}
