package render

import (
	"context"
	"fmt"
	"image"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/template"
)

// Inspected is one card drawn for checking (ogcard lint): the encoded
// card, its pixels, the same card drawn without its text, and its plan.
// Its images are the caller's to read, not to change: Release hands them
// back to the Renderer's canvas pool, which knows what they hold.
type Inspected struct {
	*Image
	Pixels *image.RGBA  // the card as encoded (before any palette cut)
	NoText *image.RGBA  // the card with no text drawn: what is behind each glyph
	Plan   *layout.Plan // where every text and image went
	Logo   image.Image  // the brand's logo, to find it among the plan's images; nil when none

	canvases [2]*canvas // Pixels' and NoText's, for Release
}

// Inspect draws and encodes every card template name makes of c, as
// RenderAll does, and keeps what a check needs besides the PNG. It costs a
// second paint of each card's non-text layers.
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
	pixels, plan, err := r.drawCanvas(ctx, v, t)
	if err != nil {
		return nil, err
	}
	ops := make([]layout.Op, 0, len(plan.Ops)-plan.Static)
	for _, op := range plan.Ops[plan.Static:] {
		if op.Kind != layout.OpText {
			ops = append(ops, op)
		}
	}
	noText := r.pooled(plan.Width, plan.Height)
	r.paintOps(noText, t, plan, ops)
	// Both came from the canvas pool: Release returns them.
	img, err := r.encode(ctx, t, v, pixels, plan, key, Format{}) // lint measures the PNG a build writes
	if err != nil {
		return nil, err
	}
	return &Inspected{Image: img, Pixels: pixels.img, NoText: noText.img, Plan: plan, Logo: r.logo, canvases: [2]*canvas{pixels, noText}}, nil
}

// Release returns in's images to the Renderer's canvas pool; in must not
// be used after. It keeps a batch of checks from allocating and clearing
// two 3 MB canvases per card.
func (r *Renderer) Release(in *Inspected) {
	for _, cv := range in.canvases {
		if cv != nil {
			r.canvases.Put(cv)
		}
	}
	in.Pixels, in.NoText, in.canvases = nil, nil, [2]*canvas{}
}
