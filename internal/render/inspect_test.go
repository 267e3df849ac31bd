package render

import (
	"bytes"
	"context"
	"image"
	"runtime/debug"
	"testing"

	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/raster"
)

// drainCanvases empties r's canvas pool and returns what it held.
func drainCanvases(r *Renderer) []*image.RGBA {
	var out []*image.RGBA
	for {
		img, ok := r.canvases.Get().(*image.RGBA)
		if !ok {
			return out
		}
		out = append(out, img)
	}
}

// cardOps returns plan's layers past the template's static ones that are
// not text.
func cardOps(plan *layout.Plan) []layout.Op {
	var out []layout.Op
	for _, op := range plan.Ops[plan.Static:] {
		if op.Kind != layout.OpText {
			out = append(out, op)
		}
	}
	return out
}

// TestInspectSharedBackground checks that a card with nothing but text over
// its template's background gets that background as NoText, not a copy;
// that releasing it never puts the shared background into the canvas pool;
// and that later cards, drawn on pooled canvases, leave it as it was.
func TestInspectSharedBackground(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops Puts at random under the race detector")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // a collection empties the pool
	r := renderer(t)
	ctx := context.Background()
	ins, err := r.Inspect(ctx, loadCard(t, r, "bare.md"), "og")
	if err != nil {
		t.Fatal(err)
	}
	in := ins[0]
	if ops := cardOps(in.Plan); len(ops) != 0 {
		t.Fatalf("bare.md's og card has %d non-text layers of its own, want none for this test", len(ops))
	}
	tmpl, _ := r.Template("og")
	bg := r.background(tmpl, in.Plan)
	if &in.NoText.Pix[0] != &bg.Pix[0] {
		t.Fatal("NoText of a card of text alone is a copy, want the shared background")
	}
	want := bytes.Clone(bg.Pix)
	drainCanvases(r)
	drainNoTexts(r)
	r.Release(in)
	pooled := drainCanvases(r)
	if len(pooled) == 0 {
		t.Fatal("Release pooled nothing, want the card's pixels")
	}
	for _, img := range pooled {
		if &img.Pix[0] == &bg.Pix[0] {
			t.Fatal("Release put the shared background into the canvas pool")
		}
		r.canvases.Put(img)
	}
	if n := len(drainNoTexts(r)); n != 0 {
		t.Fatalf("Release pooled %d NoText canvases, want none: NoText was the shared background", n)
	}
	// Later cards draw on whatever the pool hands out.
	for _, name := range []string{"long-title.md", "cilium-at-kubecon-eu-2026.md", "bare.md"} {
		ins, err := r.Inspect(ctx, loadCard(t, r, name), "og")
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range ins {
			r.Release(in)
		}
		if _, err := r.Render(ctx, loadCard(t, r, name), "og"); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(bg.Pix, want) {
		t.Error("the og background changed after later cards were drawn and released")
	}
}

// TestInspectCardLayers checks that a card with non-text layers of its own
// (avatars) gets them in NoText, on a canvas of its own that Release pools,
// and that NoText is what painting those layers over the background gives.
func TestInspectCardLayers(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops Puts at random under the race detector")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	r := renderer(t)
	ins, err := r.Inspect(context.Background(), loadCard(t, r, "cilium-at-kubecon-eu-2026.md"), "og")
	if err != nil {
		t.Fatal(err)
	}
	in := ins[0]
	ops := cardOps(in.Plan)
	if len(ops) == 0 {
		t.Fatal("the reference post's og card has no non-text layers of its own, want its avatars")
	}
	tmpl, _ := r.Template("og")
	bg := r.background(tmpl, in.Plan)
	if &in.NoText.Pix[0] == &bg.Pix[0] {
		t.Fatal("NoText of a card with avatars is the shared background, want a canvas of its own")
	}
	want := image.NewRGBA(bg.Rect)
	copy(want.Pix, bg.Pix)
	raster.Paint(want, r.lib, ops)
	if !bytes.Equal(in.NoText.Pix, want.Pix) {
		t.Error("NoText differs from the background with the card's non-text layers painted over it")
	}
	if bytes.Equal(in.NoText.Pix, bg.Pix) {
		t.Error("NoText is the bare background, want the avatars drawn")
	}
	noText := &in.NoText.Pix[0]
	drainNoTexts(r)
	r.Release(in)
	found := false
	for _, nc := range drainNoTexts(r) {
		found = found || &nc.img.Pix[0] == noText
	}
	if !found {
		t.Error("Release did not pool the card's own NoText canvas")
	}
}

// drainNoTexts empties r's pool of NoText canvases and returns what it held.
func drainNoTexts(r *Renderer) []*noTextCanvas {
	var out []*noTextCanvas
	for {
		nc, ok := r.noTexts.Get().(*noTextCanvas)
		if !ok {
			return out
		}
		out = append(out, nc)
	}
}

// TestInspectNoTextReuse checks that a pooled NoText canvas, handed from
// card to card with only what the last card painted restored, gives each
// card what painting its non-text layers over a fresh copy of the
// background gives: cards of one template with pills and avatars in
// different places, then of templates of other sizes and backgrounds.
func TestInspectNoTextReuse(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops Puts at random under the race detector")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	r := renderer(t)
	drainNoTexts(r)
	posts := []string{"cilium-at-kubecon-eu-2026.md", "long-title.md", "emoji-accents.md", "arabic.md", "japanese.md", "bare.md", "greek.md"}
	var last *byte
	reused := 0
	for _, tmpl := range []string{"og", "og", "square", "og", "landscape", "portrait", "og"} {
		tp, _ := r.Template(tmpl)
		for _, name := range posts {
			ins, err := r.Inspect(context.Background(), loadCard(t, r, name), tmpl)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range ins {
				ops := cardOps(in.Plan)
				bg := r.background(tp, in.Plan)
				want := image.NewRGBA(bg.Rect)
				copy(want.Pix, bg.Pix)
				raster.Paint(want, r.lib, ops)
				if !bytes.Equal(in.NoText.Pix, want.Pix) {
					t.Errorf("%s, template %s: NoText differs from the background with the card's %d non-text layers painted over it", name, tmpl, len(ops))
				}
				if in.noText != nil && &in.NoText.Pix[0] == last {
					reused++
				}
				if in.noText != nil {
					last = &in.NoText.Pix[0]
				}
				r.Release(in)
			}
		}
	}
	if reused < 10 {
		t.Errorf("a pooled NoText canvas served the next card %d times, want most cards", reused)
	}
}
