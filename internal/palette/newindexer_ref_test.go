package palette

// The NewIndexer of commit 2e8c8ae, kept as the reference that the faster
// one must match exactly (TestNewIndexerMatchesReference): the palette,
// its Lab values and which entries are dithered.

import (
	"cmp"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func newIndexerRef(bg *image.RGBA, inks []color.NRGBA, shifts []int) *Indexer {
	type cand struct {
		rgb    [3]uint8
		lab    Lab
		weight int
	}
	cells := map[[3]int32]int{} // Lab cell -> index in cands
	var cands []cand
	add := func(r, g, b uint8, weight int) {
		l := LabOf(r, g, b)
		const cell = 0.5
		k := [3]int32{int32(math.Floor(l.L / cell)), int32(math.Floor(l.A / cell)), int32(math.Floor(l.B / cell))}
		if i, ok := cells[k]; ok {
			cands[i].weight += weight
			return
		}
		cells[k] = len(cands)
		cands = append(cands, cand{[3]uint8{r, g, b}, l, weight})
	}

	// The background's colours, with how often each occurs.
	hist := map[uint32]int{}
	b := bg.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := bg.Pix[bg.PixOffset(b.Min.X, y):][:4*b.Dx()]
		for i := 0; i+4 <= len(row); i += 4 {
			hist[uint32(row[i])<<16|uint32(row[i+1])<<8|uint32(row[i+2])]++
		}
	}
	keys := make([]uint32, 0, len(hist))
	for k := range hist {
		keys = append(keys, k)
	}
	slices.Sort(keys) // map order must not reach the palette
	var surfaces [][3]uint8
	for _, k := range keys {
		c := [3]uint8{uint8(k >> 16), uint8(k >> 8), uint8(k)}
		add(c[0], c[1], c[2], hist[k])
		if hist[k] >= 16 {
			surfaces = append(surfaces, c)
		}
	}

	// Inks: opaque ones are exact entries and new surfaces; translucent
	// ones make a tinted copy of every surface they may cover.
	inks = slices.Clone(inks)
	slices.SortFunc(inks, func(p, q color.NRGBA) int { return cmp.Compare(inkKey(p), inkKey(q)) })
	inks = slices.Compact(inks)
	n := len(surfaces)
	var must [][3]uint8
	for _, ink := range inks {
		switch ink.A {
		case 0:
		case 255:
			c := [3]uint8{ink.R, ink.G, ink.B}
			must = append(must, c)
			surfaces = append(surfaces, c)
		default:
			for _, s := range surfaces[:n] {
				surfaces = append(surfaces, over(s, ink, 1))
			}
		}
	}
	for _, s := range surfaces[n:] {
		add(s[0], s[1], s[2], 1<<10)
	}
	// Anti-aliased edges: each ink over each surface at 15 coverages.
	// Surfaces are thinned first: neighbours closer than a cell blend
	// into colours within a cell of each other.
	thin := thinSurfaces(surfaces)
	for _, ink := range inks {
		if ink.A == 0 {
			continue
		}
		for _, s := range thin {
			for k := 1; k < 16; k++ {
				c := over(s, ink, float64(k)/16)
				add(c[0], c[1], c[2], 1)
			}
		}
	}

	// Farthest-point selection: exact inks first, then the surfaces (the
	// bulk of the pixels) until they are covered to surfaceStep/2, then
	// every candidate until the palette is full.
	ix := &Indexer{m: map[uint32]uint32{}, far: map[uint32]farInfo{}, shifts: slices.Clone(shifts)}
	best := make([]float64, len(cands))
	for i := range best {
		best[i] = math.Inf(1)
	}
	ws := make([]weights, len(cands))
	for i := range cands {
		ws[i] = weightsOf(cands[i].lab)
	}
	pick := func(rgb [3]uint8) {
		l := LabOf(rgb[0], rgb[1], rgb[2])
		ix.Palette = append(ix.Palette, color.RGBA{rgb[0], rgb[1], rgb[2], 255})
		ix.lab = append(ix.lab, l)
		ix.chroma = append(ix.chroma, chroma(l))
		for i := range cands {
			best[i] = min(best[i], ws[i].dist2(cands[i].lab, l, ix.chroma[len(ix.chroma)-1]))
		}
	}
	for _, c := range must {
		if len(ix.Palette) < 256 && !slices.Contains(ix.Palette, color.Color(color.RGBA{c[0], c[1], c[2], 255})) {
			pick(c)
		}
	}
	farthest := func(minWeight int, stop float64) {
		for len(ix.Palette) < 256-ExtraEntries {
			far, farD := -1, stop*stop
			for i, c := range cands {
				if c.weight >= minWeight && best[i] > farD {
					far, farD = i, best[i]
				}
			}
			if far < 0 {
				return
			}
			pick(cands[far].rgb)
		}
	}
	farthest(16, surfaceStep/2)
	ix.nSurf = len(ix.Palette)
	farthest(0, 0.5)
	if len(ix.Palette) == 0 {
		ix.Palette = color.Palette{color.RGBA{0, 0, 0, 255}}
		ix.lab = []Lab{{}}
		ix.chroma = []float64{0}
	}
	return ix
}

func TestNewIndexerMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	bg, _ := gradientCard()
	_, ramp := rampCard(nil) // a grey ramp, its card still the bare background
	flat := image.NewRGBA(image.Rect(0, 0, 300, 200))
	for i := 0; i < len(flat.Pix); i += 4 {
		copy(flat.Pix[i:], []uint8{20, 30, 60, 255})
	}
	noisy := perturbed(bg, "noise", rng)
	wheel := perturbed(bg, "bigwheel", rng)
	var many []color.NRGBA
	for range 12 {
		a := uint8(255)
		if rng.IntN(3) == 0 {
			a = uint8(20 + rng.IntN(200))
		}
		many = append(many, color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), a})
	}
	diag := make([]int, bg.Rect.Dy())
	for y := range diag {
		diag[y] = y
	}
	for _, b := range []struct {
		name string
		img  *image.RGBA
	}{{"gradient", bg}, {"ramp", ramp}, {"flat", flat}, {"noise", noisy}, {"wheel", wheel}, {"diagonal", diagonal(bg, false)}} {
		for _, in := range []struct {
			name string
			inks []color.NRGBA
		}{{"none", nil}, {"white", []color.NRGBA{{255, 255, 255, 255}}}, {"text and tint", []color.NRGBA{{255, 255, 255, 255}, {230, 40, 40, 200}, {56, 189, 248, 255}, {255, 255, 255, 28}}}, {"many", many}} {
			want := newIndexerRef(b.img, in.inks, diag)
			got := NewIndexer(b.img, in.inks, diag)
			if !slices.Equal(got.Palette, want.Palette) || !slices.Equal(got.lab, want.lab) || !slices.Equal(got.chroma, want.chroma) ||
				got.nSurf != want.nSurf || !slices.Equal(got.shifts, want.shifts) {
				t.Errorf("%s, %s inks: palette of %d entries (%d dithered), reference %d (%d)", b.name, in.name, len(got.Palette), got.nSurf, len(want.Palette), want.nSurf)
			} else {
				t.Logf("%s, %s inks: %d entries, %d dithered", b.name, in.name, len(got.Palette), got.nSurf)
			}
		}
	}
}
