package pngenc

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// testCard draws a 1200x630 card like the ones ogcard renders: a vertical
// plus diagonal gradient, a flat panel, anti-aliased text scaled up from
// basicfont, and anti-aliased circles (speaker avatars). It is what the
// filter choice and the benchmarks are measured on.
func testCard() *image.RGBA {
	const w, h = 1200, 630
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		row := m.Pix[y*m.Stride:]
		for x := 0; x < w; x++ {
			v := float64(y) / h         // vertical
			d := float64(x+y) / (w + h) // diagonal
			p := row[4*x : 4*x+4 : 4*x+4]
			p[0] = uint8(20 + 60*v + 90*d)
			p[1] = uint8(30 + 40*d)
			p[2] = uint8(90 + 120*v - 50*d)
			p[3] = 0xff
		}
	}

	// Flat panel behind the title.
	draw.Draw(m, image.Rect(60, 60, 1140, 420), image.NewUniform(color.RGBA{250, 248, 240, 255}), image.Point{}, draw.Src)

	drawText(m, "Rendering social cards", 90, 90, 5, color.RGBA{20, 20, 40, 255})
	drawText(m, "fast, in plain Go", 90, 180, 5, color.RGBA{20, 20, 40, 255})
	drawText(m, "2026-01-23 - 7 min read - #go #png #perf", 90, 300, 2, color.RGBA{90, 90, 110, 255})
	drawText(m, "Ada Lovelace, Grace Hopper, Ken Thompson", 300, 500, 3, color.RGBA{255, 255, 255, 255})

	// Speaker avatars.
	for i, c := range []color.RGBA{{230, 120, 40, 255}, {60, 170, 110, 255}, {200, 60, 120, 255}} {
		circle(m, float32(120+i*70), 530, 45, c)
	}
	return m
}

// drawText draws s at (x, y) scaled by k: basicfont is a bitmap face, so the
// text is drawn small and scaled with Catmull-Rom, which anti-aliases its
// edges the way an outline rasteriser would.
func drawText(dst *image.RGBA, s string, x, y, k int, c color.RGBA) {
	face := basicfont.Face7x13
	wpx := font.MeasureString(face, s).Ceil()
	small := image.NewAlpha(image.Rect(0, 0, wpx, 13))
	d := font.Drawer{Dst: small, Src: image.Opaque, Face: face, Dot: fixed.P(0, face.Ascent)}
	d.DrawString(s)
	big := image.NewAlpha(image.Rect(0, 0, wpx*k, 13*k))
	xdraw.CatmullRom.Scale(big, big.Rect, small, small.Rect, draw.Src, nil)
	r := big.Rect.Add(image.Pt(x, y))
	draw.DrawMask(dst, r, image.NewUniform(c), image.Point{}, big, image.Point{}, draw.Over)
}

// circle fills an anti-aliased disc.
func circle(dst *image.RGBA, cx, cy, r float32, c color.RGBA) {
	b := dst.Bounds()
	z := vector.NewRasterizer(b.Dx(), b.Dy())
	const n = 64
	for i := 0; i <= n; i++ {
		t := 2 * math.Pi * float64(i) / n
		x, y := cx+r*float32(math.Cos(t)), cy+r*float32(math.Sin(t))
		if i == 0 {
			z.MoveTo(x, y)
		} else {
			z.LineTo(x, y)
		}
	}
	z.ClosePath()
	z.Draw(dst, b, image.NewUniform(c), image.Point{})
}
