package raster

import (
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/text"
)

var (
	libOnce sync.Once
	testLib *text.Library
	libErr  error
)

// fontLib loads the repository's fonts (Twemoji included) once.
func fontLib(t *testing.T) *text.Library {
	t.Helper()
	libOnce.Do(func() {
		testLib = text.NewLibrary(nil)
		libErr = testLib.LoadFS(os.DirFS("../../fonts"))
	})
	if libErr != nil {
		t.Fatalf("loading ../../fonts: %v", libErr)
	}
	return testLib
}

// TestPaintDirtyCoversChanges: every pixel PaintDirty changes lies in a
// rectangle it reports, for each kind of primitive alone (a missing
// rectangle for one kind shows as that case), on a canvas of random
// pixels so that almost any write changes its pixel, with ops partly off
// the canvas. The rectangles lie inside the canvas, and a line of text's
// are about its glyphs' boxes, not the text's whole box.
func TestPaintDirtyCoversChanges(t *testing.T) {
	lib := fontLib(t)
	sh := lib.Shaper()
	defer sh.Release()
	block := func(s string, sizePx float64) *text.Block {
		b, err := sh.Layout(s, text.Style{Families: []string{"Inter"}, MaxSizePx: sizePx}, 300, 200)
		if err != nil {
			t.Fatalf("Layout(%q): %v", s, err)
		}
		return &b
	}
	photo := image.NewNRGBA(image.Rect(0, 0, 50, 40))
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range photo.Pix {
		photo.Pix[i] = uint8(rng.IntN(256))
	}
	red, seeThrough := color.NRGBA{200, 30, 30, 255}, color.NRGBA{20, 90, 200, 128}
	tests := []struct {
		name string
		op   layout.Op
	}{
		{"diagonal gradient", layout.Op{Kind: layout.OpGradient, X: 20.5, Y: 10, W: 100, H: 60, AngleDeg: 30, Colors: []color.NRGBA{red, seeThrough}}},
		{"vertical gradient off the edge", layout.Op{Kind: layout.OpGradient, X: -10, Y: 90, W: 80, H: 100, AngleDeg: 90, Colors: []color.NRGBA{seeThrough, red}}},
		{"sharp rect", layout.Op{Kind: layout.OpRect, X: 30.4, Y: 40.6, W: 50, H: 20, Color: red}},
		{"sharp rect off the edge", layout.Op{Kind: layout.OpRect, X: 180, Y: -5, W: 100, H: 30, Color: seeThrough}},
		{"rounded rect", layout.Op{Kind: layout.OpRect, X: 10.3, Y: 50.7, W: 70, H: 30, RadiusPx: 12, Color: seeThrough}},
		{"circle off the edge", layout.Op{Kind: layout.OpCircle, X: 170.5, Y: 90.5, W: 60, H: 60, Color: red}},
		{"text", layout.Op{Kind: layout.OpText, X: 12, Y: 8, W: 200, H: 100, Color: red, Block: block("Hello, wg 2026", 24)}},
		{"two lines of text off the edge", layout.Op{Kind: layout.OpText, X: 120, Y: 100, W: 300, H: 200, Color: seeThrough, Block: block("Kubernetes networking with eBPF and friends", 30)}},
		{"colour emoji", layout.Op{Kind: layout.OpText, X: 40, Y: 30, W: 200, H: 100, Color: color.NRGBA{0, 0, 0, 200}, Block: block("party 🎉🚀", 28)}},
		{"image", layout.Op{Kind: layout.OpImage, X: 60, Y: 20, W: 40, H: 40, Image: photo, Color: color.NRGBA{A: 255}}},
		{"contained image, see-through", layout.Op{Kind: layout.OpImage, X: 150, Y: 20, W: 60, H: 30, Image: photo, Fit: "contain", Color: color.NRGBA{A: 150}}},
		{"circular image off the edge", layout.Op{Kind: layout.OpImage, X: -12, Y: 110, W: 44, H: 44, Image: photo, Circle: true, Color: color.NRGBA{A: 255}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := image.NewRGBA(image.Rect(0, 0, 240, 160))
			for i := range dst.Pix {
				dst.Pix[i] = uint8(rng.IntN(256))
			}
			for i := 3; i < len(dst.Pix); i += 4 {
				dst.Pix[i] = 255 // premultiplied: colour channels ≤ alpha
			}
			before := append([]uint8(nil), dst.Pix...)
			dirty := PaintDirty(dst, lib, []layout.Op{tc.op}, nil)
			area := 0
			for _, r := range dirty {
				if !r.In(dst.Rect) {
					t.Errorf("dirty rectangle %v is outside the canvas %v", r, dst.Rect)
				}
				area += r.Dx() * r.Dy()
			}
			changed, missed := 0, 0
			var first image.Point
			for y := dst.Rect.Min.Y; y < dst.Rect.Max.Y; y++ {
				for x := dst.Rect.Min.X; x < dst.Rect.Max.X; x++ {
					o := dst.PixOffset(x, y)
					if string(dst.Pix[o:o+4]) == string(before[o:o+4]) {
						continue
					}
					changed++
					if !inAny(image.Pt(x, y), dirty) {
						if missed == 0 {
							first = image.Pt(x, y)
						}
						missed++
					}
				}
			}
			if changed == 0 {
				t.Fatalf("the op changed no pixel: the case tests nothing")
			}
			if missed > 0 {
				t.Errorf("%d of %d changed pixels lie in no dirty rectangle (first at %v); rectangles %v", missed, changed, first, dirty)
			}
			if b := tc.op.Block; tc.name == "text" {
				if most := (b.WidthPx + 8) * b.SizePx * 1.5; float64(area) > most {
					t.Errorf("a line of %g px text %g px wide reports %d px² dirty, want at most %g: its glyphs' boxes", b.SizePx, b.WidthPx, area, most)
				}
			}
		})
	}
}

func inAny(p image.Point, rs []image.Rectangle) bool {
	for _, r := range rs {
		if p.In(r) {
			return true
		}
	}
	return false
}

// TestPaintDirtyPaintsAsPaint: PaintDirty draws exactly what Paint draws.
func TestPaintDirtyPaintsAsPaint(t *testing.T) {
	lib := fontLib(t)
	sh := lib.Shaper()
	defer sh.Release()
	b, err := sh.Layout("Same pixels 🎉", text.Style{Families: []string{"Inter"}, MaxSizePx: 30}, 220, 100)
	if err != nil {
		t.Fatal(err)
	}
	ops := []layout.Op{
		{Kind: layout.OpGradient, X: 0, Y: 0, W: 240, H: 160, AngleDeg: 20, Colors: []color.NRGBA{{10, 20, 30, 255}, {200, 100, 50, 255}}},
		{Kind: layout.OpRect, X: 10, Y: 10, W: 100, H: 40, RadiusPx: 8, Color: color.NRGBA{255, 255, 255, 90}},
		{Kind: layout.OpCircle, X: 150, Y: 80, W: 50, H: 50, Color: color.NRGBA{0, 200, 0, 255}},
		{Kind: layout.OpText, X: 10, Y: 60, W: 220, H: 100, Color: color.NRGBA{255, 255, 255, 255}, Block: &b},
	}
	a := image.NewRGBA(image.Rect(0, 0, 240, 160))
	c := image.NewRGBA(a.Rect)
	Paint(a, lib, ops)
	PaintDirty(c, lib, ops, nil)
	if string(a.Pix) != string(c.Pix) {
		t.Error("PaintDirty drew other pixels than Paint")
	}
}
