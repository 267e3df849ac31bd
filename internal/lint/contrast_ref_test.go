package lint

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/render"
)

// refTemplates add to the built-in ones what they lack: translucent text
// (composited per backdrop pixel) over a gradient, with opaque and
// translucent shapes drawn over part of it afterwards.
var refTemplates = map[string]string{
	"alpha": `name: alpha
width: 1200
height: 630
layers:
  - kind: gradient
    colors: ["#102030", "#e0d0c0"]
    angle: 20
  - kind: text
    text: '{{.Title}}'
    box: {x: 80, y: 120, w: 1040, h: 330}
    style: {font: heading, weight: 700, size: [28, 64], max_lines: 3, color: "#ffffff99"}
  - kind: text
    text: '{{.Summary}}{{.Title}}'
    box: {x: 80, y: 470, w: 1040, h: 100}
    style: {font: body, weight: 400, size: 20, max_lines: 2, overflow: ellipsis, color: "#30303080"}
  - kind: circle
    box: {x: 300, y: 150, w: 220, h: 220}
    color: "#ff0000c0"
  - kind: rect
    box: {x: 700, y: 460, w: 200, h: 70}
    color: "#00ff00"
  - kind: rect
    box: {x: 100, y: 470, w: 300, h: 70}
    color: "#0000ff70"
`,
}

// TestContrastMatchesReference checks contrast against the code it
// replaced (contrastRef, kept below as it was): every built-in template and
// the translucent one above, over each test post and a few made here,
// against the drawn backdrop and a noisy one (many distinct and translucent
// pixels), at thresholds that pass every glyph, some, and none. The
// findings, with their ratio, glyph counts and colours, must be the same.
func TestContrastMatchesReference(t *testing.T) {
	extra := map[string][]byte{}
	for n, s := range refTemplates {
		extra[n+".yaml"] = []byte(s)
	}
	r, err := render.New(render.Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand, ExtraTemplates: extra})
	if err != nil {
		t.Fatal(err)
	}
	srcs := map[string][]byte{
		"ref-avatars.md": []byte("---\ntitle: Initials under an overlapping avatar\nsummary: Three speakers, one stage\nauthors: [Rita Wong, Jo Hill, Dee Wu]\ndate: 2026-01-23\n---\n"),
		"ref-event.md":   []byte("---\ntitle: KubeCon day one\nevent: KubeCon EU\nlocation: London\ndates: \"2026-03-23 to 2026-03-26\"\nsessions:\n  - title: Opening keynote on networking\n    speakers: [Ana Lee]\n    time: \"09:00\"\n  - title: eBPF deep dive\n    speakers: [Bo Chan, Cy Diaz]\n    time: \"11:00\"\n---\n"),
	}
	// Posts that give the templates' text layers variety: avatars, a
	// long title, emoji, right-to-left and CJK text.
	for _, f := range []string{"cilium-at-kubecon-eu-2026.md", "long-title.md", "emoji-sequences.md", "arabic-mixed.md", "japanese.md"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "posts", f))
		if err != nil {
			t.Fatal(err)
		}
		srcs[f] = data
	}
	names := slices.Sorted(maps.Keys(srcs))
	if testing.Short() {
		names = names[:3]
	}
	thresholds := []float64{1.2, 4.5, 7, 21}
	noise := map[image.Point]*image.RGBA{}
	var compared, found, passed int
	var sc scratch
	rng := rand.New(rand.NewPCG(3, 4))
	for _, name := range names {
		p, err := post.Parse(name, srcs[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c, err := r.Card(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, tmpl := range r.Templates() {
			ins, err := r.Inspect(context.Background(), c, tmpl)
			if errors.Is(err, render.ErrNoCards) {
				continue
			}
			if err != nil {
				t.Fatalf("%s, template %s: %v", name, tmpl, err)
			}
			for _, in := range ins {
				size := in.NoText.Rect.Size()
				if noise[size] == nil {
					noise[size] = noisy(size, uint64(len(noise)))
				}
				// The third variant adds many small shapes over the text, to
				// hide samples at every edge of the glyphs' boxes.
				covered := *in.Plan
				covered.Ops = append(slices.Clone(in.Plan.Ops), shapesOver(in.Plan, rng)...)
				for bi, v := range []struct {
					back *image.RGBA
					plan *layout.Plan
				}{{in.NoText, in.Plan}, {noise[size], in.Plan}, {noise[size], &covered}} {
					for _, th := range thresholds {
						l, err := New(map[string]Setting{RuleContrast: {Level: Error, Value: th}})
						if err != nil {
							t.Fatal(err)
						}
						cd := &Card{Post: name, Name: tmpl, Pixels: in.Pixels, NoText: v.back, Plan: v.plan}
						for i := range in.Plan.Ops {
							if op := &in.Plan.Ops[i]; op.Kind != layout.OpText || op.Block == nil {
								continue
							}
							got, gotOK := l.contrast(cd, i, &sc)
							want, wantOK := l.contrastRef(cd, i)
							compared++
							if gotOK != wantOK || got != want {
								t.Errorf("%s, card %s-%s, backdrop %d, threshold %g, op %d: contrast = %v %q %q, want %v %q %q",
									name, tmpl, in.Suffix, bi, th, i, gotOK, got.Message, got.Fix, wantOK, want.Message, want.Fix)
							}
							if wantOK {
								found++
							} else {
								passed++
							}
						}
					}
				}
				r.Release(in)
			}
		}
	}
	t.Logf("%d text layers compared: %d findings, %d passes", compared, found, passed)
	if found < compared/4 || passed < compared/10 {
		t.Errorf("%d findings and %d passes of %d: want a good share of each", found, passed, compared)
	}
}

// noisy is a backdrop of premultiplied pixels, mostly random (translucent
// too) and partly runs of a few colours, so that samples see both new
// pixels and repeats, and ratios tie.
func noisy(size image.Point, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 7))
	img := image.NewRGBA(image.Rectangle{Max: size})
	few := [][4]uint8{{0, 0, 0, 255}, {255, 255, 255, 255}, {119, 119, 119, 255}, {60, 20, 10, 128}, {0, 0, 0, 0}}
	for i := 0; i < len(img.Pix); i += 4 {
		var px [4]uint8
		if (i/4/97)%3 == 0 {
			px = few[(i/4/13)%len(few)]
		} else {
			a := uint8(rng.IntN(256))
			if rng.IntN(2) == 0 {
				a = 255
			}
			px = [4]uint8{uint8(rng.IntN(int(a) + 1)), uint8(rng.IntN(int(a) + 1)), uint8(rng.IntN(int(a) + 1)), a}
		}
		copy(img.Pix[i:i+4], px[:])
	}
	return img
}

// shapesOver returns opaque and translucent rectangles and circles of a few
// to 60 px, their edges on whole and half pixels, scattered over plan's text blocks, as shapes drawn after them.
func shapesOver(plan *layout.Plan, rng *rand.Rand) []layout.Op {
	var out []layout.Op
	for _, op := range plan.Ops {
		if op.Kind != layout.OpText || op.Block == nil {
			continue
		}
		for range 12 {
			kind := layout.OpRect
			if rng.IntN(2) == 0 {
				kind = layout.OpCircle
			}
			// Edges on half pixels fall on the samples' centres.
			half := func(v float64) float64 { return math.Round(v*2) / 2 }
			out = append(out, layout.Op{
				Kind:  kind,
				X:     half(op.X - 30 + rng.Float64()*(op.W+60)),
				Y:     half(op.Y - 30 + rng.Float64()*(op.H+60)),
				W:     half(2 + rng.Float64()*60),
				H:     half(2 + rng.Float64()*60),
				Color: color.NRGBA{A: uint8(100 + rng.IntN(156))},
			})
		}
		// And shapes whose edges fall on each line's first and last rows
		// and columns of samples, or half a pixel off them.
		for li := range op.Block.Lines {
			x0, y0, x1, y1 := lineBox(&op, &op.Block.Lines[li], op.Block.SizePx)
			top, bottom := math.Floor(y0), math.Ceil(y1)-1 // first and last rows
			left, right := math.Floor(x0), math.Ceil(x1)-1
			for _, off := range []float64{0, 0.5} {
				w, h := 4+float64(rng.IntN(40)), 4+float64(rng.IntN(20))
				x, y := left+float64(rng.IntN(int(max(1, x1-x0)))), top+float64(rng.IntN(int(max(1, y1-y0))))
				out = append(out,
					layout.Op{Kind: layout.OpRect, X: x, Y: bottom + off, W: w, H: h, Color: color.NRGBA{A: 255}},
					layout.Op{Kind: layout.OpRect, X: x, Y: top + off - h, W: w, H: h, Color: color.NRGBA{A: 255}},
					layout.Op{Kind: layout.OpRect, X: right + off, Y: y, W: w, H: h, Color: color.NRGBA{A: 255}},
					layout.Op{Kind: layout.OpRect, X: left + off - w, Y: y, W: w, H: h, Color: color.NRGBA{A: 255}})
			}
		}
	}
	return out
}

// contrastRef is contrast as it was before it was made cheaper, the
// oracle TestContrastMatchesReference holds the new code to.
func (l *Linter) contrastRef(c *Card, idx int) (Finding, bool) {
	op := &c.Plan.Ops[idx]
	b := op.Block
	// Shapes drawn after the text hide what they cover (an avatar over the
	// initials of the one beside it): those pixels are not the text's.
	var covers []*layout.Op
	for i := idx + 1; i < len(c.Plan.Ops); i++ {
		if o := &c.Plan.Ops[i]; o.Kind != layout.OpText && o.Kind != layout.OpGradient && o.Color.A >= 128 {
			covers = append(covers, o)
		}
	}
	if op.Color.A == 0 || len(b.Lines) == 0 {
		return Finding{}, false
	}
	need := l.rules[RuleContrast].Value
	weight := 400
	if r := firstRun(op); r != nil && r.Font != nil {
		weight = r.Font.Weight
	}
	large := isLarge(b.SizePx, weight)
	if large {
		need = math.Min(need, 3)
	}
	bg := c.NoText
	bounds := bg.Rect
	step := max(1, int(b.SizePx/12))
	var worst glyphContrast
	worst.ratio = math.Inf(1)
	failing, total := 0, 0
	var ratios []sampled
	var keys []float64 // percentile's scratch
	for li := range b.Lines {
		ln := &b.Lines[li]
		_, y0, _, y1 := lineBox(op, ln, b.SizePx)
		// The glyph's box runs from its pen position to the next glyph's.
		var xs []float64
		for _, r := range ln.Runs {
			if r.Font != nil && r.Font.Family == "Noto Emoji" {
				continue // colour emoji bring their own colours
			}
			for _, g := range r.Glyphs {
				xs = append(xs, op.X+ln.XPx+g.XPx)
			}
		}
		if len(xs) == 0 {
			continue
		}
		slices.Sort(xs)
		xs = append(xs, op.X+ln.XPx+ln.WidthPx)
		for gi := 0; gi+1 < len(xs); gi++ {
			x0, x1 := int(math.Floor(xs[gi])), int(math.Ceil(xs[gi+1]))
			if x1-x0 < 2 {
				continue
			}
			ratios = ratios[:0]
			// Neighbouring samples mostly see the same backdrop pixel:
			// the last one's colours and ratio serve again.
			var last [4]uint8
			var lastS sampled
			haveLast := false
			for y := max(int(y0), bounds.Min.Y); y < min(int(math.Ceil(y1)), bounds.Max.Y); y += step {
				for x := max(x0, bounds.Min.X); x < min(x1, bounds.Max.X); x += step {
					if covered(covers, float64(x)+0.5, float64(y)+0.5) {
						continue
					}
					i := bg.PixOffset(x, y)
					p := [4]uint8(bg.Pix[i : i+4])
					if !haveLast || p != last {
						back := unpremulOverWhite(p[0], p[1], p[2], p[3])
						fore := over(op.Color, back)
						last, lastS, haveLast = p, sampled{Ratio(fore, back), back, fore}, true
					}
					ratios = append(ratios, lastS)
				}
			}
			if len(ratios) == 0 {
				continue
			}
			total++
			// The glyph's contrast and the backdrop pixel the advice names
			// are the same sample: the one at the 20th percentile.
			var s sampled
			s, keys = percentile(ratios, len(ratios)/5, keys)
			if s.ratio < need {
				failing++
			}
			if s.ratio < worst.ratio {
				worst = glyphContrast{ratio: s.ratio, bg: s.bg, fg: s.fg}
			}
		}
	}
	if failing == 0 {
		return Finding{}, false
	}
	kind := "normal"
	if large {
		kind = "large"
	}
	fix := fmt.Sprintf("change the text colour %s or what is behind it (about %s) until they reach %.1f:1: %s", hex(op.Color), hex(worst.bg), need, advice(worst.fg, worst.bg))
	return Finding{
		Message: fmt.Sprintf("text %s has contrast %.2f:1 against the pixels behind it (%d of %d glyphs under WCAG AA's %.1f:1 for %s text)", quote(b.Text), worst.ratio, failing, total, need, kind),
		Fix:     fix,
	}, true
}
