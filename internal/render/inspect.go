package render

import (
	"context"
	"image"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/raster"
)

// Inspected is one card drawn for checking (ogcard lint): the encoded
// card, its pixels, the same card drawn without its text, and its plan.
// Its images belong to the caller.
type Inspected struct {
	*Image
	Pixels *image.RGBA  // the card as encoded (before any palette cut)
	NoText *image.RGBA  // the card with no text drawn: what is behind each glyph
	Plan   *layout.Plan // where every text and image went
	Logo   image.Image  // the brand's logo, to find it among the plan's images; nil when none
}

// Inspect draws and encodes every card template name makes of c, as
// RenderAll does, and keeps what a check needs besides the PNG. It costs a
// second paint of each card's non-text layers.
func (r *Renderer) Inspect(ctx context.Context, c *card.Card, name string) ([]*Inspected, error) {
	t, err := r.template(name)
	if err != nil {
		return nil, err
	}
	key, err := r.Key(c, name)
	if err != nil {
		return nil, err
	}
	views := layout.Views(c, t)
	if len(views) == 0 {
		return nil, ErrNoCards
	}
	var out []*Inspected
	for _, v := range views {
		pixels, plan, err := r.draw(ctx, v, t)
		if err != nil {
			return nil, err
		}
		noText := image.NewRGBA(pixels.Rect)
		copy(noText.Pix, r.background(t, plan).Pix)
		ops := make([]layout.Op, 0, len(plan.Ops)-plan.Static)
		for _, op := range plan.Ops[plan.Static:] {
			if op.Kind != layout.OpText {
				ops = append(ops, op)
			}
		}
		raster.Paint(noText, r.lib, ops)
		// pixels came from the canvas pool; the caller keeps them, so
		// they are not returned to it.
		img, err := r.encode(ctx, t, v, pixels, plan, cardKey(key, suffixOf(t, v)))
		if err != nil {
			return nil, err
		}
		out = append(out, &Inspected{Image: img, Pixels: pixels, NoText: noText, Plan: plan, Logo: r.logo})
	}
	return out, nil
}
