package pngenc

import (
	"image"
	"image/color"
)

// Paletted is an image.Paletted whose rows lie in memory as a PNG stores
// them with FilterNone: each row after a zero byte. Encode compresses a
// Paletted's rows where they are, where an image.Paletted's are first
// copied out row by row (for a 1200x630 card, 756 KB per encode).
//
// Write its pixels through the embedded Paletted (Pix, SetColorIndex);
// the bytes between rows are not pixels and must stay zero. A Paletted
// whose Pix or Stride was replaced is encoded as a plain image.Paletted.
type Paletted struct {
	image.Paletted
	rows []byte // a zero byte, row 0, a zero byte, row 1, ...; Pix is rows[1:]
}

// NewPaletted returns a Paletted of r's size with palette p, every index 0.
func NewPaletted(r image.Rectangle, p color.Palette) *Paletted {
	m := &Paletted{}
	m.Reshape(r)
	m.Palette = p
	return m
}

// Reshape makes m an image of r's size over the same memory when it is
// large enough, else over new memory, and returns m. The indices are
// left as they were: a caller that reuses m writes every pixel.
func (m *Paletted) Reshape(r image.Rectangle) *Paletted {
	w, h := max(r.Dx(), 0), max(r.Dy(), 0)
	n := (w + 1) * h
	if cap(m.rows) < n {
		m.rows = make([]byte, n)
	}
	m.rows = m.rows[:n]
	for y := range h {
		m.rows[y*(w+1)] = 0
	}
	m.Paletted.Rect, m.Paletted.Stride, m.Paletted.Pix = r, w+1, nil
	if w > 0 && h > 0 {
		m.Paletted.Pix = m.rows[1:]
	}
	return m
}

// filtered returns m's rows as FilterNone stores them, or nil when m's
// Pix or Stride no longer lies over them or a byte between rows is not
// zero.
func (m *Paletted) filtered() []byte {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	if w <= 0 || h <= 0 || m.Stride != w+1 || len(m.rows) != (w+1)*h ||
		len(m.Pix) != len(m.rows)-1 || &m.Pix[0] != &m.rows[1] {
		return nil
	}
	for y := range h {
		if m.rows[y*(w+1)] != 0 {
			return nil
		}
	}
	return m.rows
}
