// Package palette reduces true-colour cards to 256 colours.
//
// Indexer is the everyday path: a palette built once per template from
// what its cards are made of (background layers, inks and their
// anti-aliased blends), ordered dithering along the gradient, and a
// CIEDE2000 check (DeltaE2000) that keeps the loss invisible or reports
// that the card must stay truecolour. Quantize is the last resort for
// cards over a byte budget: a median-cut palette over the image's own
// colours with Floyd–Steinberg dithering, which may lose colour visibly.
package palette

import (
	"image"
	"image/color"
	"image/draw"
	"slices"
)

// Quantize returns img reduced to at most n colours (2..256). It does not
// modify img.
func Quantize(img image.Image, n int) *image.Paletted {
	n = max(2, min(n, 256))
	b := img.Bounds()
	pal := medianCut(histogram(img), n)
	out := image.NewPaletted(b, pal)
	draw.FloydSteinberg.Draw(out, b, img, b.Min)
	return out
}

// bin is one colour of the histogram, at 5 bits per channel, with the sum
// of the full colours that fell in it.
type bin struct {
	count   int
	r, g, b int // sums of 8-bit channels
}

// histogram counts colours in 32×32×32 bins; sampling every pixel of a
// 1200x630 card costs ~3 ms.
func histogram(img image.Image) []bin {
	bins := make([]bin, 1<<15)
	b := img.Bounds()
	rgba, ok := img.(*image.RGBA)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var r, g, bl uint8
			if ok {
				i := rgba.PixOffset(x, y)
				r, g, bl = rgba.Pix[i], rgba.Pix[i+1], rgba.Pix[i+2]
			} else {
				c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
				r, g, bl = c.R, c.G, c.B
			}
			k := int(r>>3)<<10 | int(g>>3)<<5 | int(bl>>3)
			bins[k].count++
			bins[k].r += int(r)
			bins[k].g += int(g)
			bins[k].b += int(bl)
		}
	}
	used := bins[:0:0]
	for _, bn := range bins {
		if bn.count > 0 {
			used = append(used, bn)
		}
	}
	return used
}

// medianCut splits the colour bins into n boxes, always splitting the box
// with the most pixels along its widest channel at the pixel median, and
// returns each box's average colour.
func medianCut(bins []bin, n int) color.Palette {
	if len(bins) == 0 {
		return color.Palette{color.Black, color.White}
	}
	boxes := [][]bin{bins}
	for len(boxes) < n {
		best, bestCount := -1, 0
		for i, bx := range boxes {
			if len(bx) < 2 {
				continue
			}
			c := 0
			for _, b := range bx {
				c += b.count
			}
			if c > bestCount {
				best, bestCount = i, c
			}
		}
		if best < 0 {
			break
		}
		bx := boxes[best]
		ch := widest(bx)
		slices.SortFunc(bx, func(a, b bin) int { return channel(a, ch) - channel(b, ch) })
		half, acc, cut := bestCount/2, 0, 1
		for i, b := range bx {
			acc += b.count
			if acc >= half {
				cut = max(1, min(i+1, len(bx)-1))
				break
			}
		}
		boxes[best] = bx[:cut]
		boxes = append(boxes, bx[cut:])
	}
	pal := make(color.Palette, 0, len(boxes))
	for _, bx := range boxes {
		var c, r, g, b int
		for _, bn := range bx {
			c += bn.count
			r += bn.r
			g += bn.g
			b += bn.b
		}
		pal = append(pal, color.RGBA{uint8(r / c), uint8(g / c), uint8(b / c), 255})
	}
	return pal
}

// channel is a bin's mean value of channel ch (0 red, 1 green, 2 blue).
func channel(b bin, ch int) int {
	switch ch {
	case 0:
		return b.r / b.count
	case 1:
		return b.g / b.count
	}
	return b.b / b.count
}

func widest(bx []bin) int {
	lo, hi := [3]int{255, 255, 255}, [3]int{}
	for _, b := range bx {
		for ch := range 3 {
			v := channel(b, ch)
			lo[ch], hi[ch] = min(lo[ch], v), max(hi[ch], v)
		}
	}
	best := 0
	for ch := 1; ch < 3; ch++ {
		if hi[ch]-lo[ch] > hi[best]-lo[best] {
			best = ch
		}
	}
	return best
}
