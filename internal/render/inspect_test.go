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

// TestInspectNoTextAcrossTemplates checks that NoText, drawn on canvases
// handed from card to card, is what painting the card's non-text layers
// over a fresh copy of its background gives: cards of several posts (tag
// pills and avatars in different places, a mirrored background), with
// templates of other sizes and backgrounds in between.
func TestInspectNoTextAcrossTemplates(t *testing.T) {
	if !raceEnabled {
		defer debug.SetGCPercent(debug.SetGCPercent(-1)) // a collection empties the pool
	}
	r := renderer(t)
	posts := []string{"cilium-at-kubecon-eu-2026.md", "long-title.md", "emoji-accents.md", "arabic.md", "japanese.md", "bare.md", "greek.md"}
	seen := map[*uint8]bool{}
	reused := 0
	for _, tmpl := range []string{"og", "og", "square", "og", "landscape", "portrait", "og"} {
		tp, _ := r.Template(tmpl)
		for _, name := range posts {
			ins, err := r.Inspect(context.Background(), loadCard(t, r, name), tmpl)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range ins {
				var ops []layout.Op
				for _, op := range in.Plan.Ops[in.Plan.Static:] {
					if op.Kind != layout.OpText {
						ops = append(ops, op)
					}
				}
				bg := r.background(tp, in.Plan)
				want := image.NewRGBA(bg.Rect)
				copy(want.Pix, bg.Pix)
				raster.Paint(want, r.lib, ops)
				if !bytes.Equal(in.NoText.Pix, want.Pix) {
					t.Errorf("%s, template %s: NoText differs from the background with the card's %d non-text layers painted over it", name, tmpl, len(ops))
				}
				if p := &in.NoText.Pix[0]; seen[p] {
					reused++
				} else {
					seen[p] = true
				}
				r.Release(in)
			}
		}
	}
	if !raceEnabled && reused < 10 {
		t.Errorf("NoText was drawn on a canvas an earlier card had %d times, want most cards: the test would not see a canvas restored wrongly", reused)
	}
}
