package raster

import (
	"encoding/binary"
	"image"
	"image/color"
)

// glyphOver composites the uniform colour c (premultiplied) through mask
// onto dst over r, as draw.DrawMask(dst, r, image.NewUniform(c), image.Point{},
// mask, mp, draw.Over) does, with the same arithmetic and so the same
// pixels. It is faster where glyph masks are cheap: eight uncovered mask
// pixels are skipped at once, and fully covered ones of an opaque colour
// are stored, not blended. Text is a third of a card's drawing time.
func glyphOver(dst *image.RGBA, r image.Rectangle, c color.RGBA, mask *image.Alpha, mp image.Point) {
	// Clip as DrawMask would: to dst, and to the mask's bounds.
	orig := r.Min
	r = r.Intersect(dst.Rect).Intersect(mask.Rect.Add(orig.Sub(mp)))
	if r.Empty() {
		return
	}
	mp = mp.Add(r.Min.Sub(orig))
	const m = 1<<16 - 1
	sr, sg, sb, sa := c.RGBA()
	opaque := sa == m
	w := r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		d := dst.Pix[dst.PixOffset(r.Min.X, y):][:4*w]
		mk := mask.Pix[mask.PixOffset(mp.X, mp.Y+y-r.Min.Y):][:w]
		for x := 0; x < w; x++ {
			if x+8 <= w && binary.LittleEndian.Uint64(mk[x:]) == 0 {
				x += 7
				continue
			}
			ma := uint32(mk[x])
			if ma == 0 {
				continue
			}
			p := d[4*x : 4*x+4 : 4*x+4]
			if ma == 0xff && opaque {
				p[0], p[1], p[2], p[3] = c.R, c.G, c.B, c.A
				continue
			}
			ma |= ma << 8
			a := (m - (sa * ma / m)) * 0x101
			p[0] = uint8((uint32(p[0])*a + sr*ma) / m >> 8)
			p[1] = uint8((uint32(p[1])*a + sg*ma) / m >> 8)
			p[2] = uint8((uint32(p[2])*a + sb*ma) / m >> 8)
			p[3] = uint8((uint32(p[3])*a + sa*ma) / m >> 8)
		}
	}
}
