package raster

import (
	"image"
	"image/color"
	"math"
	"testing"
	"time"

	"github.com/ogcard/ogcard/internal/layout"
)

// alphaAt is pixel (x, y)'s alpha as a coverage fraction.
func alphaAt(img *image.RGBA, x, y int) float64 {
	return float64(img.Pix[img.PixOffset(x, y)+3]) / 255
}

// TestShapeRectCoverage pins a sharp rectangle at fractional edges against
// its exact area coverage: each pixel's alpha is the fraction of it the
// rectangle covers, to within one level.
func TestShapeRectCoverage(t *testing.T) {
	dst := image.NewRGBA(image.Rect(0, 0, 40, 30))
	op := layout.Op{Kind: layout.OpRect, X: 10.5, Y: 10.25, W: 20, H: 10, Color: color.NRGBA{255, 0, 0, 255}}
	shape(dst, &op)
	overlap := func(a0, a1, b0, b1 float64) float64 { return math.Max(0, math.Min(a1, b1)-math.Max(a0, b0)) }
	for y := range 30 {
		for x := range 40 {
			want := overlap(float64(x), float64(x+1), op.X, op.X+op.W) * overlap(float64(y), float64(y+1), op.Y, op.Y+op.H)
			if got := alphaAt(dst, x, y); math.Abs(got-want) > 1.0/255 {
				t.Errorf("pixel (%d, %d) coverage = %.3f, want %.3f", x, y, got, want)
			}
		}
	}
	// Inside, the colour is exact; on the left edge half of it.
	if got := dst.RGBAAt(20, 15); got != (color.RGBA{255, 0, 0, 255}) {
		t.Errorf("interior pixel = %v, want the fill colour exactly", got)
	}
	if got := dst.RGBAAt(10, 15); got.R < 127 || got.R > 128 || got.A < 127 || got.A > 128 {
		t.Errorf("half-covered edge pixel = %v, want about half the colour", got)
	}
}

// TestShapeCircleCoverage checks that a circle at a fractional centre
// covers πr² in total and is anti-aliased: each pixel's coverage follows
// its centre's distance from the rim (a pixel half over the rim is about
// half covered), not a hard 0 or 1. The large circle's bounds exceed 512
// px, where the rasteriser switches from fixed- to floating-point sums.
func TestShapeCircleCoverage(t *testing.T) {
	for _, tc := range []struct{ r, cx, cy float64 }{{37, 50.3, 48.7}, {300.4, 310.6, 305.2}} {
		size := int(math.Ceil(2*tc.r)) + 30
		dst := image.NewRGBA(image.Rect(0, 0, size, size))
		shape(dst, &layout.Op{Kind: layout.OpCircle, X: tc.cx - tc.r, Y: tc.cy - tc.r, W: 2 * tc.r, H: 2 * tc.r, Color: color.NRGBA{0, 0, 0, 255}})
		sum, partial, bad := 0.0, 0, 0
		for y := range size {
			for x := range size {
				got := alphaAt(dst, x, y)
				sum += got
				// Near a rim this gently curved, coverage is about how far the
				// pixel's centre lies inside it, plus a half.
				d := math.Hypot(float64(x)+0.5-tc.cx, float64(y)+0.5-tc.cy)
				want := math.Max(0, math.Min(1, tc.r-d+0.5))
				if math.Abs(got-want) > 0.06 && bad < 10 {
					bad++
					t.Errorf("r=%g: pixel (%d, %d) at %.2f px from the centre: coverage = %.3f, want %.3f±0.06", tc.r, x, y, d, got, want)
				}
				if got > 0.1 && got < 0.9 {
					partial++
				}
			}
		}
		if area := math.Pi * tc.r * tc.r; math.Abs(sum-area) > area*0.001 {
			t.Errorf("r=%g: covered area = %.1f px², want πr² = %.1f px² ±0.1%%", tc.r, sum, area)
		}
		// An anti-aliased rim has a partly covered pixel along most of
		// its 2πr px.
		if rim := 2 * math.Pi * tc.r; float64(partial) < 0.6*rim {
			t.Errorf("r=%g: %d partly covered pixels, want at least %.0f along an anti-aliased rim", tc.r, partial, 0.6*rim)
		}
	}
}

// TestShapeBlend checks compositing: a translucent shape keeps an opaque
// backdrop opaque, gives blend's colour exactly wherever it covers a pixel
// whole (over a backdrop of many levels, so every byte value meets the
// arithmetic), and leaves what it does not cover untouched.
func TestShapeBlend(t *testing.T) {
	for _, c := range []color.NRGBA{{56, 189, 248, 26}, {255, 255, 255, 28}, {200, 10, 90, 200}, {0, 0, 0, 1}} {
		dst := image.NewRGBA(image.Rect(0, 0, 60, 60))
		for y := range 60 {
			for x := range 60 {
				dst.SetRGBA(x, y, color.RGBA{uint8(x * 17), uint8(y * 13), uint8(x*y + 3), 255})
			}
		}
		orig := image.NewRGBA(dst.Rect)
		copy(orig.Pix, dst.Pix)
		shape(dst, &layout.Op{Kind: layout.OpRect, X: 5.3, Y: 5.6, W: 50, H: 40, RadiusPx: 12.5, Color: c})
		p := premul(c)
		for y := range 60 {
			for x := range 60 {
				got := dst.RGBAAt(x, y)
				if got.A != 255 {
					t.Fatalf("colour %v: pixel (%d, %d) alpha = %d, want 255: the backdrop was opaque", c, x, y, got.A)
				}
				o := orig.RGBAAt(x, y)
				switch {
				case x >= 18 && x < 43 && y >= 6 && y < 45, x >= 6 && x < 55 && y >= 19 && y < 33: // wholly inside
					want := [4]uint8{o.R, o.G, o.B, o.A}
					blend(want[:], [4]uint8{p.R, p.G, p.B, p.A})
					if got != (color.RGBA{want[0], want[1], want[2], want[3]}) {
						t.Fatalf("colour %v: interior pixel (%d, %d) = %v over %v, want %v as blend gives", c, x, y, got, o, want)
					}
				case x < 5 || x >= 56 || y < 5 || y >= 46: // wholly outside
					if got != o {
						t.Fatalf("colour %v: pixel (%d, %d) outside the shape = %v, want the backdrop %v untouched", c, x, y, got, o)
					}
				}
			}
		}
	}
}

// TestShapeClipped checks a shape that runs off the canvas: what shows is
// the same as the part of it drawn on a canvas large enough to hold it,
// and a shape far outside, huge, or not a number costs nothing and draws
// nothing.
func TestShapeClipped(t *testing.T) {
	big := image.NewRGBA(image.Rect(0, 0, 200, 200))
	small := image.NewRGBA(image.Rect(0, 0, 60, 50))
	col := color.NRGBA{200, 100, 50, 255}
	for _, op := range []layout.Op{
		{Kind: layout.OpCircle, X: 70.4, Y: 80.7, W: 90, H: 70},
		{Kind: layout.OpRect, X: 130.2, Y: 120.1, W: 60, H: 60, RadiusPx: 25},
	} {
		op.Color = col
		shape(big, &op)
		op.X -= 100 // the small canvas is the big one's (100, 100)-(160, 150)
		op.Y -= 100
		shape(small, &op)
	}
	for y := range 50 {
		for x := range 60 {
			a, b := big.RGBAAt(100+x, 100+y), small.RGBAAt(x, y)
			if d := max(absDiff(a.R, b.R), absDiff(a.G, b.G), absDiff(a.B, b.B), absDiff(a.A, b.A)); d > 1 {
				t.Errorf("pixel (%d, %d) = %v clipped, %v whole", x, y, b, a)
			}
		}
	}

	dst := image.NewRGBA(image.Rect(0, 0, 100, 100))
	start := time.Now()
	for _, op := range []layout.Op{
		{Kind: layout.OpCircle, X: 0, Y: -1e12, W: 1e6, H: 1e6},    // far above
		{Kind: layout.OpCircle, X: -5e8, Y: -5e8, W: 1e9, H: 1e9},  // huge, covering the canvas
		{Kind: layout.OpRect, X: 10, Y: math.NaN(), W: 10, H: 10},  // not a number
		{Kind: layout.OpRect, X: 10, Y: 10, W: math.Inf(1), H: 10}, // infinite
	} {
		op.Color = col
		shape(dst, &op)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("far-off and huge shapes took %v, want well under a second", d)
	}
	if got := dst.RGBAAt(50, 50); got != (color.RGBA{200, 100, 50, 255}) {
		t.Errorf("centre under a huge circle = %v, want the fill colour", got)
	}
}

func absDiff(a, b uint8) int { return int(max(a, b) - min(a, b)) }

// TestImageCircle checks the avatar clip: an image drawn with Circle is
// cut to the circle inscribed in it with the same anti-aliased coverage as
// a circle shape, scaled by the op's alpha, and only the circle's pixels
// are touched.
func TestImageCircle(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := 0; i < len(src.Pix); i += 4 {
		copy(src.Pix[i:], []uint8{0, 128, 255, 255})
	}
	for _, alpha := range []uint8{255, 128} {
		dst := image.NewRGBA(image.Rect(0, 0, 100, 100))
		drawImage(dst, &layout.Op{Kind: layout.OpImage, X: 10, Y: 20, W: 64, H: 64, Image: src, Fit: "cover", Circle: true, Color: color.NRGBA{A: alpha}})
		want := image.NewRGBA(dst.Rect)
		shape(want, &layout.Op{Kind: layout.OpCircle, X: 10, Y: 20, W: 64, H: 64, Color: color.NRGBA{0, 128, 255, alpha}})
		sum := 0.0
		for y := range 100 {
			for x := range 100 {
				got, w := dst.RGBAAt(x, y), want.RGBAAt(x, y)
				if d := max(absDiff(got.R, w.R), absDiff(got.G, w.G), absDiff(got.B, w.B), absDiff(got.A, w.A)); d > 1 {
					t.Errorf("alpha %d: pixel (%d, %d) = %v, want %v as a circle shape draws it", alpha, x, y, got, w)
				}
				sum += alphaAt(dst, x, y)
			}
		}
		if area := math.Pi * 32 * 32 * float64(alpha) / 255; math.Abs(sum-area) > area*0.002 {
			t.Errorf("alpha %d: covered area = %.1f px², want %.1f", alpha, sum, area)
		}
	}
}
