// Package raster paints a layout.Plan onto an *image.RGBA. It is the only
// package that imports gg.
//
// Paint is safe for concurrent use on different destination images.
package raster

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/fogleman/gg"

	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/text"
)

// Paint draws ops[from:to] of p onto dst, whose bounds must be the plan's
// canvas. Glyph masks come from lib's cache.
func Paint(dst *image.RGBA, lib *text.Library, ops []layout.Op) {
	for i := range ops {
		op := &ops[i]
		switch op.Kind {
		case layout.OpGradient:
			gradient(dst, op)
		case layout.OpRect:
			if op.RadiusPx <= 0 {
				rect(dst, op)
			} else {
				shape(dst, op)
			}
		case layout.OpCircle:
			shape(dst, op)
		case layout.OpText:
			drawText(dst, lib, op)
		}
	}
}

// gradient fills the op's rectangle with a linear gradient along AngleDeg.
// It writes Pix directly: gg's per-pixel interface calls cost ~17x more
// (PERFORMANCE.md), and the colours along a row repeat only where the
// angle is 90 degrees.
func gradient(dst *image.RGBA, op *layout.Op) {
	r := image.Rect(int(math.Floor(op.X)), int(math.Floor(op.Y)), int(math.Ceil(op.X+op.W)), int(math.Ceil(op.Y+op.H))).Intersect(dst.Rect)
	if r.Empty() || len(op.Colors) < 2 {
		return
	}
	rad := op.AngleDeg * math.Pi / 180
	dx, dy := math.Cos(rad), math.Sin(rad)
	// Project the rectangle's corners on the direction to get t in 0..1.
	cx, cy := op.X+op.W/2, op.Y+op.H/2
	half := (math.Abs(op.W*dx) + math.Abs(op.H*dy)) / 2
	if half == 0 {
		half = 1
	}
	// A lookup table of 1024 steps, premultiplied, is plenty for 8 bits.
	const steps = 1024
	var lut [steps][4]uint8
	n := len(op.Colors) - 1
	for i := range steps {
		t := float64(i) / (steps - 1) * float64(n)
		k := min(int(t), n-1)
		f := t - float64(k)
		a, b := op.Colors[k], op.Colors[k+1]
		mix := func(x, y uint8) float64 { return float64(x)*(1-f) + float64(y)*f }
		alpha := mix(a.A, b.A)
		lut[i] = [4]uint8{
			uint8(math.Round(mix(a.R, b.R) * alpha / 255)),
			uint8(math.Round(mix(a.G, b.G) * alpha / 255)),
			uint8(math.Round(mix(a.B, b.B) * alpha / 255)),
			uint8(math.Round(alpha)),
		}
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst.Pix[dst.PixOffset(r.Min.X, y):]
		py := float64(y) + 0.5 - cy
		for x := r.Min.X; x < r.Max.X; x++ {
			t := ((float64(x)+0.5-cx)*dx + py*dy) / (2 * half)
			i := int((t + 0.5) * (steps - 1))
			i = max(0, min(steps-1, i))
			c := lut[i]
			p := row[(x-r.Min.X)*4 : (x-r.Min.X)*4+4 : (x-r.Min.X)*4+4]
			if c[3] == 255 {
				p[0], p[1], p[2], p[3] = c[0], c[1], c[2], 255
				continue
			}
			ia := 255 - uint32(c[3])
			p[0] = c[0] + uint8(uint32(p[0])*ia/255)
			p[1] = c[1] + uint8(uint32(p[1])*ia/255)
			p[2] = c[2] + uint8(uint32(p[2])*ia/255)
			p[3] = c[3] + uint8(uint32(p[3])*ia/255)
		}
	}
}

func rect(dst *image.RGBA, op *layout.Op) {
	r := image.Rect(int(math.Round(op.X)), int(math.Round(op.Y)), int(math.Round(op.X+op.W)), int(math.Round(op.Y+op.H)))
	draw.Draw(dst, r, image.NewUniform(op.Color), image.Point{}, draw.Over)
}

// shape draws rounded rectangles and ellipses with gg, which anti-aliases
// curves well; only the shape's bounds are touched.
func shape(dst *image.RGBA, op *layout.Op) {
	if op.Color.A == 0 || op.W <= 0 || op.H <= 0 {
		return
	}
	dc := gg.NewContextForRGBA(dst)
	dc.SetColor(op.Color)
	if op.Kind == layout.OpCircle {
		dc.DrawEllipse(op.X+op.W/2, op.Y+op.H/2, op.W/2, op.H/2)
	} else {
		dc.DrawRoundedRectangle(op.X, op.Y, op.W, op.H, math.Min(op.RadiusPx, math.Min(op.W, op.H)/2))
	}
	dc.Fill()
}

// drawText composites each glyph's cached mask in the op's colour.
func drawText(dst *image.RGBA, lib *text.Library, op *layout.Op) {
	if op.Block == nil || op.Color.A == 0 {
		return
	}
	src := image.NewUniform(premul(op.Color))
	for _, line := range op.Block.Lines {
		baseY := int(math.Round(op.Y + line.BaselinePx))
		for _, run := range line.Runs {
			for _, g := range run.Glyphs {
				m, ix := lib.Glyph(run.Font, g.ID, run.SizePx, op.X+line.XPx+g.XPx)
				if m.Mask == nil {
					continue
				}
				y := baseY + int(math.Round(g.YPx))
				r := m.Mask.Rect.Add(image.Pt(ix, y).Add(m.Offset))
				draw.DrawMask(dst, r, src, image.Point{}, m.Mask, image.Point{}, draw.Over)
			}
		}
	}
}

func premul(c color.NRGBA) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}
