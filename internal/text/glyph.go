package text

import (
	"image"
	"math"
	"sync"

	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"golang.org/x/image/vector"
)

// GlyphMask is a rasterised glyph: an alpha mask and where its top-left corner
// goes relative to the pen position rounded down to whole pixels.
type GlyphMask struct {
	Mask   *image.Alpha // nil for glyphs with no ink (spaces) and colour glyphs
	Color  *image.RGBA  // a colour emoji, drawn as it is; nil for outline glyphs
	Offset image.Point
}

type maskKey struct {
	font   int
	gid    uint32
	size   int32 // 1/64 px
	subpix uint8 // quarter-pixel x phase
}

// maskCache keeps rasterised glyphs: text on cards repeats the same few
// glyphs, and rasterising an outline costs far more than copying a mask.
type maskCache struct {
	mu    sync.Mutex
	m     map[maskKey]GlyphMask
	limit int // bytes of mask pixels
	bytes int
	faces map[*Font]*font.Face // outline readers, used under mu
	ras   vector.Rasterizer
}

func (c *maskCache) init(limitBytes int) {
	c.m = make(map[maskKey]GlyphMask)
	c.limit = limitBytes
	c.faces = make(map[*Font]*font.Face)
}

// subpixels is how many horizontal phases a glyph is rasterised at.
const subpixels = 4

// Glyph returns the mask of glyph gid of f at sizePx with its pen at x
// (fractional pixels; y is a whole pixel). The returned mask is shared and
// must not be modified. Safe for concurrent use: one lock guards the cache
// and the outline readers (a go-text Face is not safe for concurrent use),
// so misses rasterise one at a time; a card's glyphs hit the cache after
// the first cards of a build.
func (l *Library) Glyph(f *Font, gid uint32, sizePx, x float64) (GlyphMask, int) {
	ix := math.Floor(x)
	phase := uint8(math.Floor((x - ix) * subpixels))
	if gid&emojiBit != 0 {
		phase = 0 // colour emoji are drawn at whole pixels
	}
	key := maskKey{font: f.ID, gid: gid, size: int32(math.Round(sizePx * 64)), subpix: phase}
	c := &l.masks
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.m[key]; ok {
		return m, int(ix)
	}
	var m GlyphMask
	if gid&emojiBit != 0 && l.emoji != nil {
		m = l.rasteriseEmoji(gid, float64(key.size)/64)
	} else {
		m = c.rasterise(f, gid, float64(key.size)/64, float64(phase)/subpixels)
	}
	n := 64
	if m.Mask != nil {
		n += len(m.Mask.Pix)
	}
	if m.Color != nil {
		n += len(m.Color.Pix)
	}
	if c.bytes+n > c.limit {
		// Crude but bounded: a site's cards rarely use more glyphs than
		// fit, and a full cache is rebuilt from the next cards' glyphs.
		clear(c.m)
		c.bytes = 0
	}
	c.m[key] = m
	c.bytes += n
	return m, int(ix)
}

func (c *maskCache) rasterise(f *Font, gid uint32, sizePx, dx float64) GlyphMask {
	ft := f.load()
	if ft == nil {
		return GlyphMask{}
	}
	face, ok := c.faces[f]
	if !ok {
		face = font.NewFace(ft)
		c.faces[f] = face
	}
	outline, ok := face.GlyphData(font.GID(gid)).(font.GlyphOutline)
	if !ok || len(outline.Segments) == 0 {
		return GlyphMask{}
	}
	scale := sizePx / f.upem
	// Bounds of the outline in pixels (y down).
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, s := range outline.Segments {
		for _, p := range (&s).ArgsSlice() {
			px, py := float64(p.X)*scale+dx, -float64(p.Y)*scale
			minX, maxX = math.Min(minX, px), math.Max(maxX, px)
			minY, maxY = math.Min(minY, py), math.Max(maxY, py)
		}
	}
	x0, y0 := int(math.Floor(minX))-1, int(math.Floor(minY))-1
	x1, y1 := int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1
	w, h := x1-x0, y1-y0
	if w <= 0 || h <= 0 || w > 4096 || h > 4096 {
		return GlyphMask{}
	}
	r := &c.ras
	r.Reset(w, h)
	r.DrawOp = 0 // draw.Over
	pt := func(p font.SegmentPoint) (float32, float32) {
		return float32(float64(p.X)*scale + dx - float64(x0)), float32(-float64(p.Y)*scale - float64(y0))
	}
	for _, s := range outline.Segments {
		switch s.Op {
		case ot.SegmentOpMoveTo:
			r.ClosePath()
			r.MoveTo(pt(s.Args[0]))
		case ot.SegmentOpLineTo:
			r.LineTo(pt(s.Args[0]))
		case ot.SegmentOpQuadTo:
			ax, ay := pt(s.Args[0])
			bx, by := pt(s.Args[1])
			r.QuadTo(ax, ay, bx, by)
		case ot.SegmentOpCubeTo:
			ax, ay := pt(s.Args[0])
			bx, by := pt(s.Args[1])
			cx, cy := pt(s.Args[2])
			r.CubeTo(ax, ay, bx, by, cx, cy)
		}
	}
	r.ClosePath()
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	r.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	return GlyphMask{Mask: mask, Offset: image.Pt(x0, y0)}
}
