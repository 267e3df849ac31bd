package raster

import (
	"encoding/binary"
	"image"
	"image/draw"
	"math"
	"sync"

	"golang.org/x/image/vector"

	"github.com/ogcard/ogcard/internal/layout"
)

// arcTolPx is how far, in pixels, a chord may stray from the curve it
// stands for. At 1/64 px the polygon's edge coverage is within a level or
// two of the true curve's.
const arcTolPx = 1.0 / 64

// maxArcSegments bounds the chords of one quarter of an absurdly large
// curve (a template's 10⁶ px circle), so a shape costs bounded work.
const maxArcSegments = 1024

// filler is the scratch space of one fill: the coverage rasteriser, its
// mask and the shape's polygon. Fills take one from fillers, so a card's
// shapes allocate nothing once the pool is warm.
type filler struct {
	z        vector.Rasterizer
	mask     image.Alpha
	pts, tmp []pt
}

type pt struct{ x, y float64 }

var fillers = sync.Pool{New: func() any { return new(filler) }}

// shape fills a rounded rectangle (radius clamped to half the shorter
// side; 0 is a sharp rectangle at fractional edges) or the ellipse
// inscribed in the op's rectangle, anti-aliased by exact area coverage.
// Only the shape's bounds clipped to dst are rasterised and touched, which
// is what makes it cheap: gg's rasteriser, used before, spanned the whole
// canvas for every shape.
func shape(dst *image.RGBA, op *layout.Op) image.Rectangle {
	if op.Color.A == 0 {
		return image.Rectangle{}
	}
	f := fillers.Get().(*filler)
	defer fillers.Put(f)
	r, ok := f.coverage(op, dst.Rect)
	if !ok {
		return image.Rectangle{}
	}
	w, h := r.Dx(), r.Dy()
	c := premul(op.Color)
	src := [4]uint8{c.R, c.G, c.B, c.A}
	var full spanFiller
	full.init(src)
	for y := range h {
		row := dst.Pix[dst.PixOffset(r.Min.X, r.Min.Y+y):][: w*4 : w*4]
		mask := f.mask.Pix[y*w : (y+1)*w : (y+1)*w]
		for x := 0; x < len(mask); {
			switch m := mask[x]; m {
			case 0:
				x++
			case 255:
				end := x + 1
				for end < len(mask) && mask[end] == 255 {
					end++
				}
				full.fill(row[x*4 : end*4])
				x = end
			default:
				blendCoverage(row[x*4:x*4+4:x*4+4], src, m)
				x++
			}
		}
	}
	return r
}

// spanFiller composites one premultiplied colour over runs of fully
// covered pixels: a copy when it is opaque, else blend's arithmetic two
// pixels at a time in 16-bit lanes of a uint64.
type spanFiller struct {
	src    [4]uint8
	opaque bool
	ia     uint64 // 255 − alpha: the backdrop's share
	src2   uint64 // src twice, little-endian, as two pixels load
}

func (s *spanFiller) init(src [4]uint8) {
	s.src, s.opaque = src, src[3] == 255
	s.ia = 255 - uint64(src[3])
	s.src2 = uint64(binary.LittleEndian.Uint32(src[:])) * (1 + 1<<32)
}

// fill composites the colour over row, whole pixels of 4 bytes, exactly
// as blend does pixel by pixel: c + ⌊p·(255−a)/255⌋ for each channel. In
// a lane, p·(255−a) ≤ 255², so ⌊v/255⌋ = (v + 1 + v>>8) >> 8 (exact over
// that range) stays within 16 bits, and c + ⌊…⌋ ≤ 255 as c ≤ a: no lane
// carries into the next.
func (s *spanFiller) fill(row []uint8) {
	if s.opaque {
		copy(row, s.src[:])
		for n := 4; n < len(row); n *= 2 {
			copy(row[n:], row[:n])
		}
		return
	}
	const lanes, ones = 0x00ff00ff00ff00ff, 0x0001000100010001
	i := 0
	for ; i+8 <= len(row); i += 8 {
		x := binary.LittleEndian.Uint64(row[i:])
		even := (x & lanes) * s.ia
		odd := (x >> 8 & lanes) * s.ia
		even = (even + even>>8&lanes + ones) >> 8 & lanes
		odd = (odd + odd>>8&lanes + ones) >> 8 & lanes
		binary.LittleEndian.PutUint64(row[i:], s.src2+(even|odd<<8))
	}
	if i+4 <= len(row) {
		blend(row[i:i+4:i+4], s.src)
	}
}

// coverage rasterises op's shape (kind, box and radius as shape reads
// them) over the part r of its bounds inside clip into f.mask, which is
// r's size with (0, 0) at r.Min. It reports false when that part is empty
// or the shape is not a finite, positive size.
func (f *filler) coverage(op *layout.Op, clip image.Rectangle) (r image.Rectangle, ok bool) {
	if !(op.W > 0) || !(op.H > 0) || !finite(op.X, op.Y, op.W, op.H, op.RadiusPx) {
		return r, false
	}
	// Clip in float64 first: converting a far-off coordinate to int is
	// not defined.
	x0 := math.Max(math.Floor(op.X), float64(clip.Min.X))
	y0 := math.Max(math.Floor(op.Y), float64(clip.Min.Y))
	x1 := math.Min(math.Ceil(op.X+op.W), float64(clip.Max.X))
	y1 := math.Min(math.Ceil(op.Y+op.H), float64(clip.Max.Y))
	if x0 >= x1 || y0 >= y1 {
		return r, false
	}
	r = image.Rect(int(x0), int(y0), int(x1), int(y1))
	w, h := r.Dx(), r.Dy()

	// The polygon in the clip's coordinates: (0, 0) is r.Min.
	ox, oy := op.X-x0, op.Y-y0
	if op.Kind == layout.OpCircle {
		f.pts = ellipse(f.pts[:0], ox+op.W/2, oy+op.H/2, op.W/2, op.H/2)
	} else {
		f.pts = roundedRect(f.pts[:0], ox, oy, op.W, op.H, math.Min(math.Max(op.RadiusPx, 0), math.Min(op.W, op.H)/2))
	}
	// The rasteriser walks every row between a segment's ends, visible or
	// not; clipping the polygon to just outside the mask keeps that work
	// to the mask's rows and leaves the coverage inside unchanged.
	f.pts, f.tmp = clipPolygon(f.pts, f.tmp, -1, -1, float64(w+1), float64(h+1))
	if len(f.pts) < 3 {
		return r, false
	}

	f.z.Reset(w, h)
	f.z.DrawOp = draw.Src
	f.z.MoveTo(float32(f.pts[0].x), float32(f.pts[0].y))
	for _, p := range f.pts[1:] {
		f.z.LineTo(float32(p.x), float32(p.y))
	}
	f.z.ClosePath()
	if n := w * h; cap(f.mask.Pix) < n {
		f.mask.Pix = make([]uint8, n)
	} else {
		f.mask.Pix = f.mask.Pix[:n]
	}
	f.mask.Stride, f.mask.Rect = w, image.Rect(0, 0, w, h)
	// Src into an Alpha the rasteriser's size is its SIMD path, which
	// writes every mask pixel: no clearing needed.
	f.z.Draw(&f.mask, f.mask.Rect, image.Opaque, image.Point{})
	return r, true
}

// blendCoverage composites premultiplied c, covering m/255 of the pixel,
// over p, rounding to nearest.
func blendCoverage(p []uint8, c [4]uint8, m uint8) {
	const one = 255 * 255
	cm := uint32(m)
	ia := one - uint32(c[3])*cm
	p[0] = uint8((uint32(c[0])*cm*255 + uint32(p[0])*ia + one/2) / one)
	p[1] = uint8((uint32(c[1])*cm*255 + uint32(p[1])*ia + one/2) / one)
	p[2] = uint8((uint32(c[2])*cm*255 + uint32(p[2])*ia + one/2) / one)
	p[3] = uint8((uint32(c[3])*cm*255 + uint32(p[3])*ia + one/2) / one)
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// arcSegments is how many chords keep an arc of radius r px sweeping
// sweep radians within arcTolPx of the curve, and the factor to push the
// chords' inner vertices out by so that they straddle the curve (half
// the error outside, half inside) instead of all lying inside it, which
// would shave a bias off every edge pixel.
func arcSegments(r, sweep float64) (n int, k float64) {
	if r <= arcTolPx {
		return 1, 1
	}
	step := 2 * math.Acos(1-arcTolPx/r)
	n = max(1, min(maxArcSegments, int(math.Ceil(sweep/step))))
	return n, 2 / (1 + math.Cos(sweep/float64(n)/2))
}

// ellipse appends the polygon of the ellipse centred on (cx, cy) with radii
// rx, ry.
func ellipse(pts []pt, cx, cy, rx, ry float64) []pt {
	n, k := arcSegments(math.Max(rx, ry), math.Pi/2)
	n *= 4
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		pts = append(pts, pt{cx + rx*k*math.Cos(a), cy + ry*k*math.Sin(a)})
	}
	return pts
}

// roundedRect appends the polygon of the rectangle (x, y, w, h) with
// corners of radius r, clockwise from the top edge.
func roundedRect(pts []pt, x, y, w, h, r float64) []pt {
	n, k := arcSegments(r, math.Pi/2)
	corner := func(cx, cy, from float64) {
		for i := range n + 1 {
			a := from + math.Pi/2*float64(i)/float64(n)
			s := r
			if i > 0 && i < n { // the ends meet the straight edges exactly
				s *= k
			}
			pts = append(pts, pt{cx + s*math.Cos(a), cy + s*math.Sin(a)})
		}
	}
	corner(x+w-r, y+r, -math.Pi/2)
	corner(x+w-r, y+h-r, 0)
	corner(x+r, y+h-r, math.Pi/2)
	corner(x+r, y+r, math.Pi)
	return pts
}

// clipPolygon clips the polygon in pts to the rectangle [x0, x1]×[y0, y1]
// (Sutherland–Hodgman, one side at a time), using tmp as scratch, and
// returns the clipped polygon and the other buffer for reuse. The result
// covers exactly the part of the polygon inside the rectangle.
func clipPolygon(pts, tmp []pt, x0, y0, x1, y1 float64) ([]pt, []pt) {
	sides := [4]struct {
		in    func(p pt) bool
		cross func(a, b pt) pt
	}{
		{func(p pt) bool { return p.x >= x0 }, func(a, b pt) pt { return pt{x0, a.y + (b.y-a.y)*(x0-a.x)/(b.x-a.x)} }},
		{func(p pt) bool { return p.x <= x1 }, func(a, b pt) pt { return pt{x1, a.y + (b.y-a.y)*(x1-a.x)/(b.x-a.x)} }},
		{func(p pt) bool { return p.y >= y0 }, func(a, b pt) pt { return pt{a.x + (b.x-a.x)*(y0-a.y)/(b.y-a.y), y0} }},
		{func(p pt) bool { return p.y <= y1 }, func(a, b pt) pt { return pt{a.x + (b.x-a.x)*(y1-a.y)/(b.y-a.y), y1} }},
	}
	for _, s := range sides {
		out := tmp[:0]
		for i, b := range pts {
			a := pts[(i+len(pts)-1)%len(pts)]
			ain, bin := s.in(a), s.in(b)
			if ain != bin {
				out = append(out, s.cross(a, b))
			}
			if bin {
				out = append(out, b)
			}
		}
		pts, tmp = out, pts
	}
	return pts, tmp
}
