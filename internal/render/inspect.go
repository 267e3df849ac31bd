package render

import (
	"context"
	"fmt"
	"image"
	"math"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/raster"
	"github.com/ogcard/ogcard/internal/template"
)

// Inspected is one card drawn for checking (ogcard lint): the encoded
// card, its pixels, the same card drawn without its text, and its plan.
// Pixels belongs to the caller, who may hand it back with Release. NoText
// is read-only: when the card draws nothing but text over its template's
// background, it is that background, shared by every card of the template
// and by concurrent renders.
type Inspected struct {
	*Image
	Pixels *image.RGBA  // the card as encoded (before any palette cut)
	NoText *image.RGBA  // the card with no text drawn: what is behind each glyph; read-only
	Plan   *layout.Plan // where every text and image went
	Logo   image.Image  // the brand's logo, to find it among the plan's images; nil when none

	noText *noTextCanvas // NoText's canvas when the card has one of its own; nil when NoText is the shared background
}

// Inspect draws and encodes every card template name makes of c, as
// RenderAll does, and keeps what a check needs besides the PNG. A card
// with non-text layers of its own (an avatar, a cover) costs a second paint
// of them; most cards have none and cost nothing more.
func (r *Renderer) Inspect(ctx context.Context, c *card.Card, name string) ([]*Inspected, error) {
	t, key, views, err := r.cardsOf(c, name)
	if err != nil {
		return nil, err
	}
	var out []*Inspected
	for _, v := range views {
		in, err := r.inspect(ctx, t, v, cardKey(key, suffixOf(t, v)))
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// InspectCard is Inspect for the one card ref names, as Cards listed it.
func (r *Renderer) InspectCard(ctx context.Context, c *card.Card, name string, ref CardRef) (*Inspected, error) {
	t, err := r.template(name)
	if err != nil {
		return nil, err
	}
	for _, v := range layout.Views(c, t) {
		if suffixOf(t, v) == ref.Suffix {
			return r.inspect(ctx, t, v, ref.Key)
		}
	}
	return nil, fmt.Errorf("template %s makes no card %q of this post", name, ref.Suffix)
}

func (r *Renderer) inspect(ctx context.Context, t *template.Template, v layout.View, key string) (*Inspected, error) {
	pixels, plan, err := r.draw(ctx, v, t)
	if err != nil {
		return nil, err
	}
	noText, nc := r.noText(t, plan)
	// pixels came from the canvas pool: Release returns them.
	img, err := r.encode(ctx, t, v, pixels, plan, key, Format{}) // lint measures the PNG a build writes
	if err != nil {
		return nil, err
	}
	return &Inspected{Image: img, Pixels: pixels, NoText: noText, Plan: plan, Logo: r.logo, noText: nc}, nil
}

// noText returns plan's card drawn without its text. When the card's own
// layers (past the template's static ones) are all text, that is the
// template's background: it is returned as is, shared and read-only (nc is
// nil), which spares most cards a 3 MB copy. Otherwise the card's non-text
// layers (tag pills, avatars) are painted over a canvas equal to the
// background, nc, which Release pools for the next card.
func (r *Renderer) noText(t *template.Template, plan *layout.Plan) (img *image.RGBA, nc *noTextCanvas) {
	bg := r.background(t, plan)
	var ops []layout.Op
	for _, op := range plan.Ops[plan.Static:] {
		if op.Kind != layout.OpText {
			ops = append(ops, op)
		}
	}
	if len(ops) == 0 {
		return bg, nil
	}
	nc, _ = r.noTexts.Get().(*noTextCanvas)
	if nc != nil && nc.bg == bg {
		// A canvas of this background: only what the last card painted
		// differs from it.
		nc.restore()
	} else {
		var buf *image.RGBA
		if nc != nil {
			buf, _ = refit(nc.img, plan.Width, plan.Height)
		}
		if buf == nil {
			buf = image.NewRGBA(image.Rect(0, 0, plan.Width, plan.Height))
		}
		copy(buf.Pix, bg.Pix)
		nc = &noTextCanvas{img: buf, bg: bg}
	}
	nc.dirty = painted(ops, bg.Rect)
	raster.Paint(nc.img, r.lib, ops)
	return nc.img, nc
}

// noTextCanvas is a card's NoText: img equals the background bg except
// within dirty, where the card's own layers were painted.
type noTextCanvas struct {
	img, bg *image.RGBA
	dirty   image.Rectangle
}

// restore copies the background back over the dirty rectangle.
func (nc *noTextCanvas) restore() {
	d := nc.dirty.Intersect(nc.img.Rect)
	if d.Empty() {
		return
	}
	for y := d.Min.Y; y < d.Max.Y; y++ {
		i, j := nc.img.PixOffset(d.Min.X, y), nc.img.PixOffset(d.Max.X, y)
		copy(nc.img.Pix[i:j], nc.bg.Pix[i:j])
	}
	nc.dirty = image.Rectangle{}
}

// painted bounds the pixels ops may change on a canvas of bounds b: each
// op's rectangle, rounded out and widened by 2 px for anti-aliasing and
// rounding (raster draws shapes, images and gradients inside it). An op
// with coordinates that are not finite numbers may touch anything.
func painted(ops []layout.Op, b image.Rectangle) image.Rectangle {
	var u image.Rectangle
	for i := range ops {
		op := &ops[i]
		x0, y0, x1, y1 := op.X, op.Y, op.X+op.W, op.Y+op.H
		if !finite(x0) || !finite(y0) || !finite(x1) || !finite(y1) {
			return b
		}
		// Clamped before converting: a float beyond int's range converts
		// to an unspecified value.
		clamp := func(v float64, lo, hi int) int { return int(max(float64(lo), min(float64(hi), v))) }
		r := image.Rect(clamp(math.Floor(x0)-2, b.Min.X, b.Max.X), clamp(math.Floor(y0)-2, b.Min.Y, b.Max.Y),
			clamp(math.Ceil(x1)+2, b.Min.X, b.Max.X), clamp(math.Ceil(y1)+2, b.Min.Y, b.Max.Y))
		u = u.Union(r)
	}
	return u.Intersect(b)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Release returns in's images to the Renderer's canvas pool; in must not
// be used after. It keeps a batch of checks from allocating and clearing
// two 3 MB canvases per card. A shared NoText (the template's background)
// stays out of the pools: a later card drawn over it would change every
// card's backdrop.
func (r *Renderer) Release(in *Inspected) {
	if in.Pixels != nil {
		r.canvases.Put(in.Pixels)
	}
	if in.noText != nil {
		r.noTexts.Put(in.noText)
	}
	in.Pixels, in.NoText, in.noText = nil, nil, nil
}
