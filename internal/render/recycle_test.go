package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"runtime"
	"runtime/debug"
	"slices"
	"testing"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/template"
)

// recycleCard is one card of the recycling test, laid out once.
type recycleCard struct {
	name string
	r    *Renderer
	t    *template.Template
	plan *layout.Plan
	want []byte // its pixels drawn on a new canvas
}

// TestRecycledCanvas: a card drawn on a canvas that held another card
// comes out byte for byte as on a new canvas, for every ordered pair of
// cards of different templates (sizes 1200×630 to 1080×1350), brands,
// backgrounds and prefixes (a cover picture, a mirrored right-to-left
// card), with text, emoji, initials on circles, speakers' photos, talk
// rows and pills: restoring only what the card before painted leaves
// nothing of it behind. The canvas starts larger than any card and is
// refitted to each, as the pool does.
func TestRecycledCanvas(t *testing.T) {
	ref, site := renderer(t), siteRenderer(t)
	read := func(path string) *post.Post { return testPost(t, path) }
	var cards []*recycleCard
	add := func(r *Renderer, p *post.Post, label string, tmpls ...string) {
		c, err := r.Card(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range tmpls {
			tm, err := r.template(name)
			if err != nil {
				t.Fatal(err)
			}
			views := layout.Views(c, tm)
			idx := []int{0}
			if len(views) > 1 {
				idx = append(idx, len(views)-1) // the first and last of several
			}
			for _, i := range idx {
				sh := r.lib.Shaper()
				plan, err := layout.Layout(sh, views[i], tm, r)
				sh.Release()
				if err != nil {
					t.Fatalf("%s %s: %v", label, name, err)
				}
				fresh := &canvas{img: image.NewRGBA(image.Rect(0, 0, plan.Width, plan.Height))}
				r.paint(fresh, tm, plan)
				cards = append(cards, &recycleCard{name: fmt.Sprintf("%s/%s/%d", label, name, i+1), r: r, t: tm, plan: plan, want: bytes.Clone(fresh.img.Pix)})
			}
		}
	}
	reference := read("posts/cilium-at-kubecon-eu-2026.md")
	add(ref, reference, "reference", "og", "square", "portrait", "landscape", "event", "lineup", "speaker")
	add(ref, read("posts/arabic-mixed.md"), "arabic", "og")
	add(ref, read("posts/emoji-sequences.md"), "emoji", "og")
	add(ref, read("posts/bare.md"), "bare", "og")
	add(ref, read("cover/index.md"), "cover", "og", "portrait")
	add(site, read("site/posts/summit/index.md"), "summit", "og", "session", "speaker")
	add(site, reference, "site-reference", "og")
	if len(cards) < 18 {
		t.Fatalf("%d cards, want every template's: the test covers too little", len(cards))
	}
	cv := &canvas{img: image.NewRGBA(image.Rect(0, 0, 1600, 1400))}
	draw := func(c *recycleCard) {
		if !cv.fit(c.plan.Width, c.plan.Height) {
			t.Fatalf("%s: canvas too small", c.name)
		}
		c.r.paint(cv, c.t, c.plan)
	}
	// Each card right after each card, itself included, in one walk of
	// len(cards)² draws rather than pairs drawn afresh.
	walk := everyPair(len(cards))
	draw(cards[walk[0]])
	for k := 1; k < len(walk); k++ {
		a, b := cards[walk[k-1]], cards[walk[k]]
		draw(b)
		if !bytes.Equal(cv.img.Pix, b.want) {
			n, first := 0, -1
			for i := range b.want {
				if cv.img.Pix[i] != b.want[i] {
					if first < 0 {
						first = i
					}
					n++
				}
			}
			w := b.plan.Width
			t.Fatalf("%s drawn after %s: %d bytes differ from a new canvas's, the first at pixel (%d, %d); the canvas kept pixels of the card before", b.name, a.name, n, first/4%w, first/4/w)
		}
	}
}

// everyPair returns a walk over 0..n-1 in which every ordered pair (i, j),
// i = j included, follows one another exactly once: an Eulerian circuit
// of the complete directed graph with loops (Hierholzer).
func everyPair(n int) []int {
	next := make([]int, n) // the next unused edge out of each vertex
	var walk, stack []int
	stack = append(stack, 0)
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		if next[v] < n {
			next[v]++
			stack = append(stack, next[v]-1)
			continue
		}
		walk = append(walk, v)
		stack = stack[:len(stack)-1]
	}
	slices.Reverse(walk)
	return walk
}

func TestEveryPair(t *testing.T) {
	for n := 1; n <= 5; n++ {
		walk := everyPair(n)
		seen := map[[2]int]int{}
		for k := 1; k < len(walk); k++ {
			seen[[2]int{walk[k-1], walk[k]}]++
		}
		if len(walk) != n*n+1 || len(seen) != n*n {
			t.Errorf("everyPair(%d) = %v: %d steps, %d distinct pairs; want %d and %d", n, walk, len(walk), len(seen), n*n+1, n*n)
		}
	}
}

// TestRecycledCanvasRestoresLittle: drawing the reference og card over
// itself restores its own layers' rectangles, not the whole canvas: the
// point of tracking them.
func TestRecycledCanvasRestoresLittle(t *testing.T) {
	r := renderer(t)
	c := loadCard(t, r, "cilium-at-kubecon-eu-2026.md")
	tm, err := r.template("og")
	if err != nil {
		t.Fatal(err)
	}
	cv, plan, err := r.drawCanvas(context.Background(), layout.Views(c, tm)[0], tm)
	if err != nil {
		t.Fatal(err)
	}
	if cv.bg == nil || cv.bg != r.background(tm, plan) {
		t.Fatal("the canvas does not record its background")
	}
	area := 0
	for _, d := range cv.dirty {
		area += d.Dx() * d.Dy()
	}
	if total := plan.Width * plan.Height; area == 0 || area*3 > total {
		t.Errorf("the card's layers left %d px² to restore of the canvas's %d, want some and under a third", area, total)
	}
}

// TestInspectRecycled: Inspect's pixels and its text-free pixels, handed
// back with Release and drawn over by the next card (another prefix,
// mirrored, with a cover picture), are byte for byte those of new
// canvases; and Release does hand them back, so the build's checked
// cards recycle their canvases too.
func TestInspectRecycled(t *testing.T) {
	if !raceEnabled {
		defer debug.SetGCPercent(debug.SetGCPercent(-1)) // a collection empties the pool
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))  // one P: one pool
	}
	r := renderer(t)
	ctx := context.Background()
	read := func(path string) *card.Card { return testCard(t, r, path) }
	tm, err := r.template("og")
	if err != nil {
		t.Fatal(err)
	}
	ref := read("posts/cilium-at-kubecon-eu-2026.md")
	seq := []struct {
		name string
		c    *card.Card
	}{{"reference", ref}, {"arabic", read("posts/arabic.md")}, {"reference", ref}, {"cover", read("cover/index.md")}, {"bare", read("posts/bare.md")}, {"reference", ref}}
	var last [2]*uint8
	for i, s := range seq {
		sh := r.lib.Shaper()
		plan, err := layout.Layout(sh, layout.Views(s.c, tm)[0], tm, r)
		sh.Release()
		if err != nil {
			t.Fatal(err)
		}
		var ops []layout.Op
		for _, op := range plan.Ops[plan.Static:] {
			if op.Kind != layout.OpText {
				ops = append(ops, op)
			}
		}
		want := &canvas{img: image.NewRGBA(image.Rect(0, 0, plan.Width, plan.Height))}
		wantNoText := &canvas{img: image.NewRGBA(want.img.Rect)}
		r.paint(want, tm, plan)
		r.paintOps(wantNoText, tm, plan, ops)

		ins, err := r.Inspect(ctx, s.c, "og")
		if err != nil {
			t.Fatal(err)
		}
		in := ins[0]
		if cv := in.canvases; cv[0] == nil || cv[1] == nil || cv[0].img != in.Pixels || cv[1].img != in.NoText || cv[0].bg == nil || cv[1].bg == nil {
			t.Fatalf("card %d: Inspected does not carry the canvases its images are on, with their background: Release would hand back pixels the pool cannot trust", i)
		}
		if !bytes.Equal(in.Pixels.Pix, want.img.Pix) {
			t.Errorf("card %d (%s) after %s: Inspect's pixels differ from a new canvas's", i, s.name, seq[max(i-1, 0)].name)
		}
		if !bytes.Equal(in.NoText.Pix, wantNoText.img.Pix) {
			t.Errorf("card %d (%s) after %s: Inspect's text-free pixels differ from a new canvas's", i, s.name, seq[max(i-1, 0)].name)
		}
		got := [2]*uint8{&in.Pixels.Pix[0], &in.NoText.Pix[0]}
		if i > 0 && !raceEnabled && (got != last && got != [2]*uint8{last[1], last[0]}) {
			t.Errorf("card %d: Inspect drew on new canvases, not the two Release handed back", i)
		}
		last = got
		r.Release(in)
	}
	if !raceEnabled {
		x := r.canvases.Get()
		if _, ok := x.(*canvas); !ok {
			t.Errorf("Release pooled a %T, want a *canvas that knows what it holds", x)
		}
		r.canvases.Put(x)
	}
}
