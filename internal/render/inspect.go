package render

import (
	"context"
	"fmt"
	"image"

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

	sharedNoText bool // NoText is the Renderer's background: never pooled
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
	noText, shared := r.noText(t, plan)
	// pixels came from the canvas pool: Release returns them.
	img, err := r.encode(ctx, t, v, pixels, plan, key, Format{}) // lint measures the PNG a build writes
	if err != nil {
		return nil, err
	}
	return &Inspected{Image: img, Pixels: pixels, NoText: noText, Plan: plan, Logo: r.logo, sharedNoText: shared}, nil
}

// noText returns plan's card drawn without its text. When the card's own
// layers (past the template's static ones) are all text, that is the
// template's background: it is returned as is, shared and read-only
// (shared is true), which spares most cards a 3 MB copy. Otherwise the
// card's non-text layers are painted over a pooled copy of it.
func (r *Renderer) noText(t *template.Template, plan *layout.Plan) (img *image.RGBA, shared bool) {
	bg := r.background(t, plan)
	var ops []layout.Op
	for _, op := range plan.Ops[plan.Static:] {
		if op.Kind != layout.OpText {
			ops = append(ops, op)
		}
	}
	if len(ops) == 0 {
		return bg, true
	}
	img = r.canvas(plan.Width, plan.Height)
	copy(img.Pix, bg.Pix)
	raster.Paint(img, r.lib, ops)
	return img, false
}

// Release returns in's images to the Renderer's canvas pool; in must not
// be used after. It keeps a batch of checks from allocating and clearing
// two 3 MB canvases per card. A shared NoText (the template's background)
// stays out of the pool: a later card drawn over it would change every
// card's backdrop.
func (r *Renderer) Release(in *Inspected) {
	if in.Pixels != nil {
		r.canvases.Put(in.Pixels)
	}
	if in.NoText != nil && !in.sharedNoText {
		r.canvases.Put(in.NoText)
	}
	in.Pixels, in.NoText = nil, nil
}
