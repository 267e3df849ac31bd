package palette

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestQuantizeKeepsColoursClose(t *testing.T) {
	// A two-axis gradient: thousands of colours.
	img := image.NewRGBA(image.Rect(0, 0, 300, 160))
	for y := 0; y < 160; y++ {
		for x := 0; x < 300; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / 299), uint8(y * 255 / 159), 128, 255})
		}
	}
	for _, n := range []int{16, 256} {
		q := Quantize(img, n)
		if len(q.Palette) > n || len(q.Palette) < 2 {
			t.Fatalf("palette of %d colours, want 2..%d", len(q.Palette), n)
		}
		// Dithering keeps the average colour of a block close to the
		// original's even with 16 colours.
		var dr, dg float64
		for y := 40; y < 56; y++ {
			for x := 100; x < 116; x++ {
				o := img.RGBAAt(x, y)
				c := color.RGBAModel.Convert(q.At(x, y)).(color.RGBA)
				dr += float64(int(c.R) - int(o.R))
				dg += float64(int(c.G) - int(o.G))
			}
		}
		if math.Abs(dr/256) > 8 || math.Abs(dg/256) > 8 {
			t.Errorf("%d colours: block mean off by %.1f, %.1f", n, dr/256, dg/256)
		}
	}
}

func TestQuantizeFlatImage(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 10, 10))
	q := Quantize(img, 256)
	if len(q.Palette) != 1 && len(q.Palette) != 2 {
		t.Errorf("flat image: palette of %d colours", len(q.Palette))
	}
	if c := color.RGBAModel.Convert(q.At(5, 5)).(color.RGBA); c != (color.RGBA{0, 0, 0, 0}) && c != (color.RGBA{0, 0, 0, 255}) {
		t.Errorf("flat image pixel = %v", c)
	}
}
