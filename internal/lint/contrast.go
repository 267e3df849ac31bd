package lint

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"

	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/palette"
	"github.com/ogcard/ogcard/internal/text"
)

// luminance is WCAG 2's relative luminance of an sRGB colour.
func luminance(r, g, b uint8) float64 {
	return 0.2126*palette.Linear(r) + 0.7152*palette.Linear(g) + 0.0722*palette.Linear(b)
}

// Ratio is WCAG 2's contrast ratio of two colours, 1 to 21.
func Ratio(a, b color.NRGBA) float64 {
	return ratioOf(luminance(a.R, a.G, a.B), luminance(b.R, b.G, b.B))
}

// ratioOf is Ratio of two colours of luminance la and lb.
func ratioOf(la, lb float64) float64 {
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// isLarge is WCAG's large text: 18 pt (24 px) and up, or 14 pt (18.66 px)
// bold. Sizes are the card's own pixels.
func isLarge(sizePx float64, weight int) bool {
	return sizePx >= 24 || (sizePx >= 18.66 && weight >= 700)
}

// sampled is one backdrop pixel behind a glyph, the text composited over
// it, and their contrast.
type sampled struct {
	ratio  float64
	bg, fg color.NRGBA
}

type glyphContrast struct {
	ratio  float64
	bg, fg color.NRGBA
}

// scratch is contrast's buffers, reused across the text ops of one Check
// so that a card's check allocates them once, not per op and line.
type scratch struct {
	covers, near []*layout.Op
	xs           []float64
	samples      []sampled
	keys         []float64 // percentile's
}

// contrast measures a text op against the card drawn without text: for
// each glyph, the box it advances over between the font's cap height and
// baseline is sampled, the text's colour composited over each sampled
// pixel, and the glyph's contrast is the 20th percentile of the ratios
// (most of the glyph must stand out, not just its best part). A finding
// names the worst glyph when any is under the threshold. sc holds buffers
// to reuse.
func (l *Linter) contrast(c *Card, idx int, sc *scratch) (Finding, bool) {
	op := &c.Plan.Ops[idx]
	b := op.Block
	// Shapes drawn after the text hide what they cover (an avatar over the
	// initials of the one beside it): those pixels are not the text's.
	covers := sc.covers[:0]
	for i := idx + 1; i < len(c.Plan.Ops); i++ {
		if o := &c.Plan.Ops[i]; o.Kind != layout.OpText && o.Kind != layout.OpGradient && o.Color.A >= 128 {
			covers = append(covers, o)
		}
	}
	sc.covers = covers
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
	// Opaque text is its own colour over any backdrop: its luminance is
	// worked out once, not per backdrop pixel.
	opaque := op.Color.A == 255
	lumText := luminance(op.Color.R, op.Color.G, op.Color.B)
	bg := c.NoText
	bounds := bg.Rect
	step := max(1, int(b.SizePx/12))
	var worst glyphContrast
	worst.ratio = math.Inf(1)
	failing, total := 0, 0
	for li := range b.Lines {
		ln := &b.Lines[li]
		_, y0, _, y1 := lineBox(op, ln, b.SizePx)
		ys, ye := max(int(y0), bounds.Min.Y), min(int(math.Ceil(y1)), bounds.Max.Y)
		// The glyph's box runs from its pen position to the next glyph's.
		xs := sc.xs[:0]
		for _, r := range ln.Runs {
			if r.Font != nil && r.Font.Family == "Noto Emoji" {
				continue // colour emoji bring their own colours
			}
			for _, g := range r.Glyphs {
				xs = append(xs, op.X+ln.XPx+g.XPx)
			}
		}
		sc.xs = xs
		if len(xs) == 0 {
			continue
		}
		slices.Sort(xs)
		xs = append(xs, op.X+ln.XPx+ln.WidthPx)
		sc.xs = xs
		for gi := 0; gi+1 < len(xs); gi++ {
			x0, x1 := int(math.Floor(xs[gi])), int(math.Ceil(xs[gi+1]))
			if x1-x0 < 2 {
				continue
			}
			xs0, xe := max(x0, bounds.Min.X), min(x1, bounds.Max.X)
			// Only the covers that reach the glyph's box can hide a sample
			// of it; most glyphs have none.
			near := sc.near[:0]
			for _, o := range covers {
				// The samples' centres lie in [xs0, xe) by [ys, ye); this
				// leaves out only covers clear of them, as covered would.
				if o.X >= float64(xe)+1 || o.X+o.W <= float64(xs0) || o.Y >= float64(ye)+1 || o.Y+o.H <= float64(ys) {
					continue
				}
				near = append(near, o)
			}
			sc.near = near
			samples := sc.samples[:0]
			// below counts samples under the threshold: the glyph fails
			// exactly when the 20th percentile is one of them.
			below := 0
			// Neighbouring samples mostly see the same backdrop pixel:
			// the last one's colours and ratio serve again.
			var last [4]uint8
			var lastS sampled
			haveLast := false
			for y := ys; y < ye; y += step {
				for x := xs0; x < xe; x += step {
					if len(near) > 0 && covered(near, float64(x)+0.5, float64(y)+0.5) {
						continue
					}
					i := bg.PixOffset(x, y)
					p := [4]uint8(bg.Pix[i : i+4])
					if !haveLast || p != last {
						back := unpremulOverWhite(p[0], p[1], p[2], p[3])
						if opaque {
							lastS = sampled{ratioOf(lumText, luminance(back.R, back.G, back.B)), back, op.Color}
						} else {
							fore := over(op.Color, back)
							lastS = sampled{Ratio(fore, back), back, fore}
						}
						last, haveLast = p, true
					}
					samples = append(samples, lastS)
					if lastS.ratio < need {
						below++
					}
				}
			}
			sc.samples = samples
			if len(samples) == 0 {
				continue
			}
			total++
			k := len(samples) / 5
			if below <= k {
				// The 20th percentile is at or over the threshold: the
				// glyph passes, and cannot be the worst of a finding,
				// whose worst glyph is under it.
				continue
			}
			failing++
			// The glyph's contrast and the backdrop pixel the advice names
			// are the same sample: the one at the 20th percentile.
			var s sampled
			s, sc.keys = percentile(samples, k, sc.keys)
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

// percentile returns the sample at index k of samples sorted stably by
// ratio, the one slices.SortStableFunc would put there, without sorting
// them: it selects the k-th smallest ratio in keys (scratch, returned for
// reuse), then counts along samples in their order among those of that
// ratio. Samples are left in their order.
func percentile(samples []sampled, k int, keys []float64) (sampled, []float64) {
	keys = keys[:0]
	for _, s := range samples {
		keys = append(keys, s.ratio)
	}
	v := nth(keys, k)
	less := 0
	for _, s := range samples {
		if s.ratio < v {
			less++
		}
	}
	j := k - less // v's rank among the samples equal to it
	for _, s := range samples {
		if s.ratio == v {
			if j == 0 {
				return s, keys
			}
			j--
		}
	}
	// Unreachable while ratios are numbers (v is one of them); a NaN
	// would land here, and the sort gives the old answer.
	slices.SortStableFunc(samples, func(a, b sampled) int { return cmp.Compare(a.ratio, b.ratio) })
	return samples[k], keys
}

// nth reorders a so that a[k] is its k-th smallest value and returns it:
// quickselect with a three-way partition, as a backdrop of one colour makes
// many ratios equal. After 64 rounds (a pathological pivot sequence) it
// sorts what is left, so the work stays O(n log n) at worst.
func nth(a []float64, k int) float64 {
	lo, hi := 0, len(a)
	for round := 0; hi-lo > 16; round++ {
		if round == 64 {
			slices.Sort(a[lo:hi])
			return a[k]
		}
		x, y, z := a[lo], a[lo+(hi-lo)/2], a[hi-1]
		p := max(min(x, y), min(max(x, y), z)) // median of three
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch {
			case a[i] < p:
				a[lt], a[i] = a[i], a[lt]
				lt++
				i++
			case a[i] > p:
				gt--
				a[i], a[gt] = a[gt], a[i]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return p
		}
	}
	slices.Sort(a[lo:hi])
	return a[k]
}

// advice says which way to move the colours: the text towards whichever of
// black and white contrasts more with the backdrop (darker text on a light
// backdrop, lighter on a dark one), and the backdrop away from the text.
func advice(fg, bg color.NRGBA) string {
	lb := luminance(bg.R, bg.G, bg.B)
	text := "lighter text"
	if Ratio(bg, color.NRGBA{A: 255}) > Ratio(bg, color.NRGBA{255, 255, 255, 255}) {
		text = "darker text"
	}
	back := "a darker backdrop behind it"
	if luminance(fg.R, fg.G, fg.B) < lb {
		back = "a lighter backdrop behind it"
	}
	return text + ", or " + back
}

// firstRun returns the block's first run, whose font gives the weight.
func firstRun(op *layout.Op) *text.Run {
	for _, ln := range op.Block.Lines {
		for i := range ln.Runs {
			return &ln.Runs[i]
		}
	}
	return nil
}

// covered reports whether a shape in covers is drawn over point (x, y).
func covered(covers []*layout.Op, x, y float64) bool {
	for _, o := range covers {
		if x < o.X || y < o.Y || x >= o.X+o.W || y >= o.Y+o.H {
			continue
		}
		if o.Kind == layout.OpCircle || (o.Kind == layout.OpImage && o.Circle) {
			dx, dy := (x-o.X)/o.W-0.5, (y-o.Y)/o.H-0.5
			if dx*dx+dy*dy > 0.25 {
				continue
			}
		}
		return true
	}
	return false
}

// unpremulOverWhite reads a premultiplied pixel as the colour it shows on
// a white page (a transparent card shows the page behind it).
func unpremulOverWhite(r, g, b, a uint8) color.NRGBA {
	w := 255 - int(a)
	return color.NRGBA{uint8(int(r) + w), uint8(int(g) + w), uint8(int(b) + w), 255}
}

// over composites c over an opaque background.
func over(c, bg color.NRGBA) color.NRGBA {
	a := float64(c.A) / 255
	mix := func(f, b uint8) uint8 { return uint8(math.Round(float64(f)*a + float64(b)*(1-a))) }
	return color.NRGBA{mix(c.R, bg.R), mix(c.G, bg.G), mix(c.B, bg.B), 255}
}

func hex(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }
