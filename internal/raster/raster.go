// Package raster paints a layout.Plan onto an *image.RGBA. It is the only
// package that imports imaging.
//
// Paint is safe for concurrent use on different destination images.
package raster

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/disintegration/imaging"

	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/text"
)

// Paint draws ops onto dst, whose bounds must be the plan's canvas.
// Glyph masks come from lib's cache.
func Paint(dst *image.RGBA, lib *text.Library, ops []layout.Op) {
	paint(dst, lib, ops, nil)
}

// PaintDirty is Paint that also appends to dirty the rectangles of dst it
// may have written, and returns the longer slice: every pixel Paint
// changes lies in one of them (they may overlap, and cover pixels left
// as they were). Each comes from the primitive that wrote it (a glyph's
// mask, a shape's bounds, an image's rectangle), clipped to dst. A caller
// that keeps a canvas over a known background restores only these to
// clear it for the next card.
func PaintDirty(dst *image.RGBA, lib *text.Library, ops []layout.Op, dirty []image.Rectangle) []image.Rectangle {
	paint(dst, lib, ops, &dirty)
	return dirty
}

func paint(dst *image.RGBA, lib *text.Library, ops []layout.Op, dirty *[]image.Rectangle) {
	for i := range ops {
		op := &ops[i]
		var r image.Rectangle // what the op may have written
		switch op.Kind {
		case layout.OpGradient:
			r = gradient(dst, op)
		case layout.OpRect:
			if op.RadiusPx <= 0 {
				r = rect(dst, op)
			} else {
				r = shape(dst, op)
			}
		case layout.OpCircle:
			r = shape(dst, op)
		case layout.OpText:
			drawText(dst, lib, op, dirty)
		case layout.OpImage:
			r = drawImage(dst, op)
		}
		if dirty != nil && !r.Empty() {
			*dirty = append(*dirty, r)
		}
	}
}

// gradient fills the op's rectangle with a linear gradient along AngleDeg.
// It writes Pix directly: gg's per-pixel interface calls cost ~17x more
// (PERFORMANCE.md). Each row is the same base row shifted by a whole number
// of pixels (the exact shift is y·tan θ; rounding moves the gradient by at
// most half a pixel, which nobody can see). Rows that repeat each other
// are cheap to fill with copy and compress to a fraction in deflate's
// window: the default card's PNG shrinks from ~198 KB to ~70 KB.
func gradient(dst *image.RGBA, op *layout.Op) image.Rectangle {
	r := image.Rect(int(math.Floor(op.X)), int(math.Floor(op.Y)), int(math.Ceil(op.X+op.W)), int(math.Ceil(op.Y+op.H))).Intersect(dst.Rect)
	if r.Empty() || len(op.Colors) < 2 {
		return image.Rectangle{}
	}
	rad := op.AngleDeg * math.Pi / 180
	dx, dy := math.Cos(rad), math.Sin(rad)
	cx, cy := op.X+op.W/2, op.Y+op.H/2
	half := (math.Abs(op.W*dx) + math.Abs(op.H*dy)) / 2
	if half == 0 {
		half = 1
	}
	lut := gradientLUT(op.Colors)
	colorAt := func(t float64) [4]uint8 {
		i := int((t + 0.5) * (lutSteps - 1))
		return lut[max(0, min(lutSteps-1, i))]
	}
	w := r.Dx()
	// Mostly vertical gradients: each row is one colour.
	if math.Abs(dx) < 0.2 {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			c := colorAt((float64(y) + 0.5 - cy) * dy / (2 * half))
			row := dst.Pix[dst.PixOffset(r.Min.X, y) : dst.PixOffset(r.Min.X, y)+w*4]
			for x := 0; x < w; x++ {
				blend(row[x*4:x*4+4:x*4+4], c)
			}
		}
		return r
	}
	// Otherwise t(x, y) = (x + y·tan θ)·cos θ / (2·half): a base row, shifted.
	tan := dy / dx
	shiftAt := func(y int) int { return shift(y, r.Min.Y, tan) }
	s0, s1 := shiftAt(r.Min.Y), shiftAt(r.Max.Y-1)
	lo, hi := min(s0, s1), max(s0, s1)
	base := make([][4]uint8, w+hi-lo)
	y0 := float64(r.Min.Y) + 0.5 - cy
	for i := range base {
		x := float64(r.Min.X+i+lo) + 0.5 - cx
		base[i] = colorAt((x*dx + y0*dy) / (2 * half))
	}
	opaque := true
	for _, c := range op.Colors {
		opaque = opaque && c.A == 255
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		seg := base[shiftAt(y)-lo:][:w]
		row := dst.Pix[dst.PixOffset(r.Min.X, y) : dst.PixOffset(r.Min.X, y)+w*4]
		if opaque {
			for x, c := range seg {
				copy(row[x*4:x*4+4], c[:])
			}
			continue
		}
		for x, c := range seg {
			blend(row[x*4:x*4+4:x*4+4], c)
		}
	}
	return r
}

// shift is how many pixels row y of a diagonal gradient starting at row y0
// is moved against the base row.
func shift(y, y0 int, tan float64) int { return int(math.Round(float64(y-y0) * tan)) }

// RowShifts returns, for each row of a canvas height pixels tall, how many
// pixels the first gradient op of ops shifts its colours against row 0:
// pixel x of row y has the colour of pixel x+RowShifts[y] of row 0 where the
// gradient is uncovered. A dither pattern moved the same way keeps that repetition,
// which deflate turns into long matches. It returns nil when ops draw no
// gradient, and all zeros for a mostly vertical one (each row one colour).
func RowShifts(ops []layout.Op, height int) []int {
	for i := range ops {
		op := &ops[i]
		if op.Kind != layout.OpGradient || len(op.Colors) < 2 {
			continue
		}
		out := make([]int, height)
		rad := op.AngleDeg * math.Pi / 180
		dx, dy := math.Cos(rad), math.Sin(rad)
		if math.Abs(dx) < 0.2 {
			return out
		}
		y0 := int(math.Floor(op.Y))
		for y := range out {
			out[y] = shift(y, y0, dy/dx)
		}
		return out
	}
	return nil
}

// lutSteps colours per gradient are plenty for 8-bit channels.
const lutSteps = 1024

// gradientLUT returns premultiplied colours evenly along the stops.
func gradientLUT(stops []color.NRGBA) *[lutSteps][4]uint8 {
	var lut [lutSteps][4]uint8
	n := len(stops) - 1
	for i := range lutSteps {
		t := float64(i) / (lutSteps - 1) * float64(n)
		k := min(int(t), n-1)
		f := t - float64(k)
		a, b := stops[k], stops[k+1]
		mix := func(x, y uint8) float64 { return float64(x)*(1-f) + float64(y)*f }
		alpha := mix(a.A, b.A)
		lut[i] = [4]uint8{
			uint8(math.Round(mix(a.R, b.R) * alpha / 255)),
			uint8(math.Round(mix(a.G, b.G) * alpha / 255)),
			uint8(math.Round(mix(a.B, b.B) * alpha / 255)),
			uint8(math.Round(alpha)),
		}
	}
	return &lut
}

// blend composites premultiplied c over p.
func blend(p []uint8, c [4]uint8) {
	if c[3] == 255 {
		p[0], p[1], p[2], p[3] = c[0], c[1], c[2], 255
		return
	}
	ia := 255 - uint32(c[3])
	p[0] = c[0] + uint8(uint32(p[0])*ia/255)
	p[1] = c[1] + uint8(uint32(p[1])*ia/255)
	p[2] = c[2] + uint8(uint32(p[2])*ia/255)
	p[3] = c[3] + uint8(uint32(p[3])*ia/255)
}

func rect(dst *image.RGBA, op *layout.Op) image.Rectangle {
	r := image.Rect(int(math.Round(op.X)), int(math.Round(op.Y)), int(math.Round(op.X+op.W)), int(math.Round(op.Y+op.H)))
	draw.Draw(dst, r, image.NewUniform(op.Color), image.Point{}, draw.Over)
	return r.Intersect(dst.Rect)
}

// drawText composites each glyph's cached mask in the op's colour. With
// dirty set it appends, per line, the union of the rectangles its glyphs
// were drawn in.
func drawText(dst *image.RGBA, lib *text.Library, op *layout.Op, dirty *[]image.Rectangle) {
	if op.Block == nil || op.Color.A == 0 {
		return
	}
	src := premul(op.Color)
	for _, line := range op.Block.Lines {
		baseY := int(math.Round(op.Y + line.BaselinePx))
		var touched image.Rectangle
		for _, run := range line.Runs {
			for _, g := range run.Glyphs {
				m, ix := lib.Glyph(run.Font, g.ID, run.SizePx, op.X+line.XPx+g.XPx)
				y := baseY + int(math.Round(g.YPx))
				if m.Color != nil { // a colour emoji: its own colours, the op's alpha
					r := m.Color.Rect.Add(image.Pt(ix, y).Add(m.Offset))
					draw.DrawMask(dst, r, m.Color, image.Point{}, image.NewUniform(color.Alpha{op.Color.A}), image.Point{}, draw.Over)
					touched = touched.Union(r.Intersect(dst.Rect))
					continue
				}
				if m.Mask == nil {
					continue
				}
				r := m.Mask.Rect.Add(image.Pt(ix, y).Add(m.Offset))
				glyphOver(dst, r, src, m.Mask, image.Point{})
				touched = touched.Union(r.Intersect(dst.Rect))
			}
		}
		if dirty != nil && !touched.Empty() {
			*dirty = append(*dirty, touched)
		}
	}
}

func premul(c color.NRGBA) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

// drawImage fits op.Image into the op's rectangle (cover crops to fill,
// contain fits whole and centres), blurs and darkens it, clips avatars to
// a circle, and composites it with the op's alpha.
func drawImage(dst *image.RGBA, op *layout.Op) image.Rectangle {
	w, h := int(math.Round(op.W)), int(math.Round(op.H))
	if op.Image == nil || w <= 0 || h <= 0 || w > 8192 || h > 8192 {
		return image.Rectangle{}
	}
	var img *image.NRGBA
	if op.Fit == "contain" {
		img = imaging.Fit(op.Image, w, h, imaging.Lanczos)
	} else {
		img = imaging.Fill(op.Image, w, h, imaging.Center, imaging.Lanczos)
	}
	if op.Blur > 0 {
		img = imaging.Blur(img, op.Blur)
	}
	if op.Darken > 0 {
		k := 1 - op.Darken
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i] = uint8(float64(img.Pix[i]) * k)
			img.Pix[i+1] = uint8(float64(img.Pix[i+1]) * k)
			img.Pix[i+2] = uint8(float64(img.Pix[i+2]) * k)
		}
	}
	b := img.Bounds()
	x := int(math.Round(op.X)) + (w-b.Dx())/2
	y := int(math.Round(op.Y)) + (h-b.Dy())/2
	r := image.Rect(x, y, x+b.Dx(), y+b.Dy())
	if !op.Circle {
		var mask image.Image
		if op.Color.A < 255 {
			mask = image.NewUniform(color.Alpha{A: op.Color.A})
		}
		draw.DrawMask(dst, r, img, b.Min, mask, image.Point{}, draw.Over)
		return r.Intersect(dst.Rect)
	}
	// Clip to the circle inscribed in the image, anti-aliased as shapes
	// are, with the op's alpha folded into the mask.
	f := fillers.Get().(*filler)
	defer fillers.Put(f)
	d := math.Min(float64(b.Dx()), float64(b.Dy()))
	circle := layout.Op{Kind: layout.OpCircle, X: float64(r.Min.X) + (float64(b.Dx())-d)/2, Y: float64(r.Min.Y) + (float64(b.Dy())-d)/2, W: d, H: d}
	mr, ok := f.coverage(&circle, r.Intersect(dst.Rect))
	if !ok {
		return image.Rectangle{}
	}
	if a := uint32(op.Color.A); a < 255 {
		for i, m := range f.mask.Pix {
			f.mask.Pix[i] = uint8((uint32(m)*a + 127) / 255)
		}
	}
	draw.DrawMask(dst, mr, img, b.Min.Add(mr.Min.Sub(r.Min)), &f.mask, image.Point{}, draw.Over)
	return mr
}
