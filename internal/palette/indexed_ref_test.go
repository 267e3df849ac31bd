package palette

// The Index of commit ee2e43b, kept as the reference that the faster one
// must match byte for byte (TestIndexMatchesReference): indices, palette
// and Result. Only the names differ, and it keeps its slices in a
// refScratch of its own.

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

type refScratch struct {
	far                   []farPixel
	words                 []uint32
	counts, starts, order []int32
	infos                 []farInfo
	cached, hard          []bool
	nearestExtra          []int16
	loss                  []float32
}

func (ix *Indexer) indexRef(dst *image.Paletted, src *image.RGBA) Result {
	var res Result
	lc := ix.getCache()
	defer ix.putCache(lc)
	dst.Palette = ix.Palette
	b := src.Rect
	w, h := b.Dx(), b.Dy()
	limit := int64(w) * int64(h) * giveUp / 1_000_000
	var sc refScratch
	far := sc.far[:0] // pixels beyond SoftDeltaE

	hard := uint32(0) // 1 when some far pixel is beyond HardDeltaE
	// Blocks of a row that repeat the row ditherRows above, moved by the
	// gradient's shift, repeat its indices too: the same colours meet the
	// same dither thresholds. Copying them skips most of a card's pixels.
	nb := (w + block - 1) / block
	var farBlocks [ditherRows + 1][]bool // per row of the ring: blocks with far pixels
	for i := range farBlocks {
		farBlocks[i] = make([]bool, nb)
	}
	phaseOf := func(y int) int {
		if y < len(ix.shifts) {
			return ix.shifts[y]
		}
		return 0
	}
	var st blockStateRef
	for y := 0; y < h; y++ {
		row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):][:4*w]
		off := dst.PixOffset(dst.Rect.Min.X, dst.Rect.Min.Y+y)
		out := dst.Pix[off:][:w]
		phase := phaseOf(y)
		th := &dither[y%ditherRows]
		curFar := farBlocks[y%(ditherRows+1)]
		var upRow, upOut []byte
		var upFar []bool
		d := 0
		if y >= ditherRows {
			upRow = src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y-ditherRows):][:4*w]
			upOut = dst.Pix[dst.PixOffset(dst.Rect.Min.X, dst.Rect.Min.Y+y-ditherRows):][:w]
			upFar = farBlocks[(y-ditherRows)%(ditherRows+1)]
			d = phase - phaseOf(y-ditherRows)
		}
		for bi := range nb {
			x0, x1 := bi*block, min(bi*block+block, w)
			curFar[bi] = false
			if s0, s1 := x0+d, x1+d; upRow != nil && s0 >= 0 && s1 <= w &&
				!upFar[s0/block] && !upFar[(s1-1)/block] &&
				bytes.Equal(row[4*x0:4*x1], upRow[4*s0:4*s1]) {
				copy(out[x0:x1], upOut[s0:s1])
				continue
			}
			n := len(far)
			far, hard = ix.indexBlockRef(out[x0:x1], row[4*x0:4*x1], th, x0+phase, lc, &st, far, int32(off+x0), hard)
			curFar[bi] = len(far) > n
		}
		if int64(len(far)) > limit {
			res.OverSoft = len(far)
			res.OverHard = -1
			return res
		}
	}
	if hard == 0 && !(Result{OverSoft: len(far)}).Visible(w*h) {
		// Within the limits already: extra entries would only cost time.
		res.OverSoft = len(far)
		return res
	}
	return ix.fixFarRef(dst, far, &sc)
}

// blockStateRef carries what indexBlock knows from one block to the next:
// the last colour and its mapping.
type blockStateRef struct{ prev, v uint32 }

// indexBlock writes the palette index of each pixel of row (4 bytes a
// pixel) to out, dithered with thresholds th starting at phase. It appends
// to far the offsets (from off, out's offset in the image) of the pixels
// whose entry is beyond SoftDeltaE, and sets hard when one is beyond
// HardDeltaE. The pixels go through scan, which stops only on what is
// rare: a colour not in the cache, a pixel beyond SoftDeltaE.
func (ix *Indexer) indexBlockRef(out []uint8, row []byte, th *[16]uint8, phase int, lc *localCache, st *blockStateRef, far []farPixel, off int32, hard uint32) ([]farPixel, uint32) {
	prev, v := st.prev, st.v
	for x := 0; x < len(out); {
		n, isFar, p, m := lc.scanRef(out[x:], row[4*x:4*len(out)], th, phase+x, prev, v)
		prev, v, x = p, m, x+n
		if isFar {
			sel := (uint32(th[(x+phase)&15]) - uint32(uint8(v>>16))) >> 31 << 3
			far = append(far, farPixel(prev)<<32|farPixel(uint32(off)+uint32(x)))
			hard |= v >> (sel >> 3) >> 26 & 1
			x++
			continue
		}
		if x < len(out) { // a colour the cache lacks
			word := binary.LittleEndian.Uint32(row[4*x:])
			prev, v = word, ix.lookup(word)
			lc.put(word, v)
		}
	}
	st.prev, st.v = prev, v
	return far, hard
}

// scan writes indices to out for the pixels of row while their colours
// are prev or in the cache. It returns how many it wrote, and whether it
// stopped after the last of them because that one is beyond SoftDeltaE
// (else before a colour the cache lacks, or at the end), with the last
// colour and its mapping.
func (lc *localCache) scanRef(out []uint8, row []byte, th *[16]uint8, phase int, prev, v uint32) (int, bool, uint32, uint32) {
	for x := 0; x < len(out) && len(row) >= 4; x++ {
		word := binary.LittleEndian.Uint32(row)
		row = row[4:]
		if word != prev {
			set := &lc.sets[setOf(word)]
			switch word { // never 0: src is opaque
			case set.keys[0]:
				v = set.vals[0]
			case set.keys[1]:
				v = set.vals[1]
			default:
				return x, false, prev, v
			}
			prev = word
		}
		// 8 when the pixel's share of B exceeds the threshold.
		sel := (uint32(th[(x+phase)&15]) - uint32(uint8(v>>16))) >> 31 << 3
		out[x] = uint8(v >> sel)
		if v>>(sel>>3)&(1<<24) != 0 {
			return x, true, prev, v
		}
	}
	return len(out), false, prev, v
}

// fixFar gives the colours of the pixels at far (beyond SoftDeltaE)
// entries of their own, the most frequent first, and counts the loss that
// remains.
func (ix *Indexer) fixFarRef(dst *image.Paletted, far []farPixel, sc *refScratch) Result {
	// The far colours (sorted, so that pixels of one colour are
	// together) and how many pixels have each.
	slices.Sort(far)
	words := sc.words[:0]
	counts, starts := sc.counts[:0], sc.starts[:0] // per colour: pixels, and the first in far
	defer func() { sc.words, sc.counts, sc.starts = words[:0], counts[:0], starts[:0] }()
	for i, p := range far {
		if i == 0 || p.word() != far[i-1].word() {
			words = append(words, p.word())
			counts = append(counts, 0)
			starts = append(starts, int32(i))
		}
		counts[len(counts)-1]++
	}
	// Most frequent first; equal counts in colour order, so the result
	// does not depend on anything but the image.
	sc.infos, sc.cached, sc.hard = grow(sc.infos, len(words)), grow(sc.cached, len(words)), grow(sc.hard, len(words))
	infos, cached, hard := sc.infos, sc.cached, sc.hard
	ix.mu.RLock()
	for i, k := range words {
		infos[i], cached[i] = ix.far[k]
	}
	ix.mu.RUnlock()
	for i := range words {
		if !cached[i] {
			_, infos[i] = ix.mapColour(words[i])
		}
		hard[i] = infos[i].aE > HardDeltaE || infos[i].bE > HardDeltaE
	}
	// Colours beyond HardDeltaE first: not one pixel may stay that far,
	// while a few may stay beyond SoftDeltaE. Then the most frequent.
	sc.order = grow(sc.order, len(words))
	order := sc.order
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(p, q int32) int {
		if hard[p] != hard[q] {
			return cmp.Compare(boolInt(hard[q]), boolInt(hard[p]))
		}
		return cmp.Compare(counts[q], counts[p])
	})
	// Once the extra entries are all taken, every colour left that none
	// of them covers counts against the limits: past them, stop.
	limit := int64(dst.Rect.Dx()) * int64(dst.Rect.Dy()) * MaxOverSoft / 1_000_000
	uncovered := int64(0)

	// Greedy cover: the most frequent colour not yet within SoftDeltaE
	// (by the weighted distance) of an extra entry becomes one; each
	// colour keeps the extra nearest when it was looked at (one added
	// later may be nearer still; finding it costs more than it saves).
	// Extras go after the template's entries, then, when those run out,
	// into the slots of template entries no pixel of this image uses.
	slots := make([]uint8, 0, 256)
	for i := len(ix.Palette); i < 256 && len(slots) < ExtraEntries; i++ {
		slots = append(slots, uint8(i))
	}
	reused := false
	var extra []Lab
	var extraC []float64
	var pal color.Palette
	sc.nearestExtra, sc.loss = grow(sc.nearestExtra, len(words)), grow(sc.loss, len(words))
	nearestExtra, loss := sc.nearestExtra, sc.loss
cover:
	extra, extraC, uncovered = extra[:0], extraC[:0], 0
	pal = append(slices.Clone(ix.Palette), make(color.Palette, 0, len(slots))...)
	for _, o := range order {
		l := infos[o].lab
		nearestExtra[o], loss[o] = -1, float32(math.Inf(1))
		if len(extra) > 0 {
			full := len(extra) == len(slots)
			j := nearestRef(l, extra, extraC)
			if d2 := weightsOf(l).dist2(l, extra[j], extraC[j]); full || d2 <= SoftDeltaE*SoftDeltaE {
				// Within a quarter of SoftDeltaE by the weighted
				// distance, CIEDE2000 is well within SoftDeltaE too:
				// its cost (a fifth of fixFar's) is saved, and the
				// weighted figure stands for the loss.
				le := float32(math.Sqrt(d2))
				if d2 > nearEnough*nearEnough {
					le = float32(DeltaE2000(l, extra[j]))
				}
				breaks := full && le > SoftDeltaE && (le > HardDeltaE && hard[o] || uncovered+int64(counts[o]) > limit)
				if breaks && !reused {
					// Only now, when the limits are at stake, look
					// for template entries this image does not use,
					// and cover again with them.
					if unused := unusedEntriesRef(dst, len(ix.Palette)); len(unused) > 0 {
						slots, reused = append(slots, unused...), true
						goto cover
					}
				}
				if !full || le <= SoftDeltaE || len(extra) == len(slots) {
					nearestExtra[o], loss[o] = int16(j), le
					if full && le > SoftDeltaE {
						uncovered += int64(counts[o])
						if breaks {
							return Result{OverSoft: int(uncovered), OverHard: boolInt(le > HardDeltaE && hard[o]), Extra: len(extra)}
						}
					}
					continue
				}
			}
		}
		if len(extra) < len(slots) {
			nearestExtra[o], loss[o] = int16(len(extra)), 0
			k := words[o]
			c := color.RGBA{uint8(k), uint8(k >> 8), uint8(k >> 16), 255}
			if s := int(slots[len(extra)]); s < len(pal) {
				pal[s] = c
			} else {
				pal = append(pal, c)
			}
			extra = append(extra, l)
			extraC = append(extraC, chroma(l))
		}
	}
	dst.Palette = pal
	res := Result{Extra: len(extra)}
	for k, start := range starts {
		fi := &infos[k]
		for _, p := range far[start : start+counts[k]] {
			// The pixel has entry A or B of its mapping.
			l := fi.aE
			if dst.Pix[p.off()] != fi.a {
				l = fi.bE
			}
			if loss[k] < l {
				dst.Pix[p.off()], l = slots[nearestExtra[k]], loss[k]
			}
			if l > SoftDeltaE {
				res.OverSoft++
			}
			if l > HardDeltaE {
				res.OverHard++
			}
		}
	}
	return res
}

// unusedEntries returns the entries below n of dst's palette that no pixel
// of dst has.
func unusedEntriesRef(dst *image.Paletted, n int) []uint8 {
	var used [256]bool
	b := dst.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for _, i := range dst.Pix[dst.PixOffset(b.Min.X, y):][:b.Dx()] {
			used[i] = true
		}
	}
	var out []uint8
	for i := range n {
		if !used[i] {
			out = append(out, uint8(i))
		}
	}
	return out
}

// TestIndexMatchesReference: Index writes the same indices and palette and
// returns the same Result as indexRef, the code it replaced, on images
// that take every path: gradients whose rows repeat the row above shifted
// (the copy path), anti-aliased blends, scattered and clustered colours
// far from the palette (fixFar, its reuse of unused entries, its early
// stop), noise (Index's own early stop), odd widths and sub-images.
func TestIndexMatchesReference(t *testing.T) {
	bg, card := gradientCard()
	diag := make([]int, bg.Rect.Dy())
	for y := range diag {
		diag[y] = y // row y is row y-1 moved one pixel left
	}
	rng := rand.New(rand.NewPCG(7, 11))
	wild := make([]int, bg.Rect.Dy())
	for y := range wild {
		wild[y] = rng.IntN(90) - 45
	}
	white := []color.NRGBA{{255, 255, 255, 255}, {230, 40, 40, 200}}
	type tc struct {
		name string
		ix   *Indexer
		img  *image.RGBA
	}
	var cases []tc
	for _, s := range []struct {
		name   string
		shifts []int
	}{{"flat", nil}, {"diagonal", diag}, {"wild", wild}} {
		ix := NewIndexer(bg, white, s.shifts)
		for _, p := range []string{"plain", "dots", "wheel", "bigwheel", "patches", "noise", "sub"} {
			img := perturbed(card, p, rng)
			if s.name == "diagonal" {
				img = diagonal(img, p != "plain")
			}
			cases = append(cases, tc{s.name + "/" + p, ix, img})
		}
	}
	walk := make([]int, bg.Rect.Dy())
	for y := 1; y < len(walk); y++ {
		walk[y] = walk[y-1] + rng.IntN(81) - 40
	}
	for _, p := range []string{"plain", "dots", "wheel"} {
		cases = append(cases, tc{"walk/" + p, NewIndexer(bg, white, walk), shifted(bg, walk, p, rng)})
	}
	ramp, rc := rampCard([]color.NRGBA{{255, 0, 0, 255}})
	soft := offRamp(ramp, 130)
	for i, c := range soft {
		blot(rc, 10+i, 30, c)
	}
	cases = append(cases, tc{"ramp/reuse", ramp, rc})
	ramp2, rc2 := rampCard(nil)
	for i, c := range offRamp(ramp2, 100) {
		blot(rc2, 10+i, 8, c)
	}
	blot(rc2, 5, 4, [3]uint8{0, 255, 0})
	cases = append(cases, tc{"ramp/hard", ramp2, rc2})
	rc3 := image.NewRGBA(rc.Rect)
	copy(rc3.Pix, rc.Pix)
	for i := range 400 {
		c := [3]uint8{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))}
		blot(rc3, 300+i, 100, c) // too many to hide: fixFar stops
	}
	cases = append(cases, tc{"ramp/stop", ramp, rc3})

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for rep := range 2 { // a cold cache, then a warm one
				want := image.NewPaletted(c.img.Rect, nil)
				wantRes := c.ix.indexRef(want, c.img)
				got := image.NewPaletted(c.img.Rect, nil)
				gotRes := c.ix.Index(got, c.img)
				t.Logf("call %d: %+v", rep, wantRes)
				if gotRes != wantRes {
					t.Errorf("call %d: Index = %+v, reference %+v", rep, gotRes, wantRes)
				}
				if i := firstDiff(got.Pix, want.Pix); i >= 0 {
					t.Errorf("call %d: index of pixel %d is %d, reference %d", rep, i, got.Pix[i], want.Pix[i])
				}
				if !slices.Equal(got.Palette, want.Palette) {
					t.Errorf("call %d: palette of %d entries differs from the reference's %d", rep, len(got.Palette), len(want.Palette))
				}
			}
		})
	}
}

// nearestRef is nearest of commit ee2e43b.
func nearestRef(c Lab, lab []Lab, chroma []float64) int {
	cw := weightsOf(c)
	best, bestD := 0, math.Inf(1)
	for i, e := range lab {
		if d := cw.dist2(c, e, chroma[i]); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// TestNearestMatchesReference: nearestDist, which stops measuring an
// entry once it cannot be nearer, picks the entry nearestRef picks, with
// the distance weights.dist2 gives; on random palettes and on ones with
// repeated entries (ties) and near-neutral colours (chroma near 0).
func TestNearestMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	rgb := func() Lab { return LabOf(uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))) }
	grey := func() Lab { v, d := uint8(rng.IntN(256)), uint8(rng.IntN(3)); return LabOf(v, v+d, v) }
	for round := range 400 {
		n := 1 + rng.IntN(256)
		lab, chroma := make([]Lab, n), make([]float64, n)
		for i := range lab {
			switch {
			case i > 0 && rng.IntN(8) == 0:
				lab[i] = lab[rng.IntN(i)] // a tie
			case round%2 == 0:
				lab[i] = grey()
			default:
				lab[i] = rgb()
			}
			chroma[i] = math.Sqrt(lab[i].A*lab[i].A + lab[i].B*lab[i].B)
		}
		ix := &Indexer{lab: lab, chroma: chroma, byL: lightnessOf(lab)}
		for k := range 50 {
			if k%10 == 9 {
				c := lab[rng.IntN(n)] // on an entry, tied entries included
				if want, got := nearestRef(c, lab, chroma), ix.nearest(c); got != want {
					t.Fatalf("Indexer.nearest(entry %v) over %d entries = %d, reference %d", c, n, got, want)
				}
				continue
			}
			c := rgb()
			if round%2 == 0 {
				c = grey()
			}
			want := nearestRef(c, lab, chroma)
			got, d := nearestDist(c, lab, chroma)
			if got != want || d != weightsOf(c).dist2(c, lab[got], chroma[got]) {
				t.Fatalf("nearestDist(%v) over %d entries = %d (%v), reference %d (%v)", c, n, got, d, want, weightsOf(c).dist2(c, lab[want], chroma[want]))
			}
			if got := ix.nearest(c); got != want {
				t.Fatalf("Indexer.nearest(%v) over %d entries = %d, reference %d", c, n, got, want)
			}
		}
	}
}

func firstDiff(a, b []uint8) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// diagonal returns img with each row y moved y pixels left (wrapping), so
// that the gradient card's rows repeat the row above as the shifts say;
// with odd, a 3-pixel-wide column of small changes every 37 pixels.
func diagonal(img *image.RGBA, odd bool) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	w, m := img.Rect.Dx(), img.Rect.Min
	for y := range img.Rect.Dy() {
		for x := range w {
			i := out.PixOffset(m.X+x, m.Y+y)
			copy(out.Pix[i:][:4], img.Pix[img.PixOffset(m.X+(x+y)%w, m.Y+y):][:4])
			if odd && x%37 < 3 && y%5 != 0 {
				out.Pix[i] ^= uint8(x+y) & 7
			}
		}
	}
	return out
}

// shifted returns an image whose row y is the first row of bg moved
// shifts[y] pixels left (wrapping), so that each row repeats the row above
// moved by the difference of their shifts, as Index expects; with kind
// "dots" the row carries a far colour at one pixel in 50, and with
// "wheel" the rows also pass perturbed's hue wheel, which does not move.
func shifted(bg *image.RGBA, shifts []int, kind string, rng *rand.Rand) *image.RGBA {
	w, h := bg.Rect.Dx(), bg.Rect.Dy()
	base := slices.Clone(bg.Pix[:4*w])
	if kind == "dots" {
		for u := 0; u < w; u++ {
			if rng.IntN(50) == 0 {
				base[4*u], base[4*u+1], base[4*u+2] = uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))
			}
		}
	}
	out := image.NewRGBA(bg.Rect)
	for y := range h {
		for x := range w {
			u := ((x+shifts[y])%w + w) % w
			copy(out.Pix[out.PixOffset(x, y):][:4], base[4*u:4*u+4])
		}
	}
	if kind == "wheel" {
		wheel := perturbed(bg, "wheel", rng)
		for i := range out.Pix {
			if wheel.Pix[i] != bg.Pix[i] {
				out.Pix[i] = wheel.Pix[i]
			}
		}
	}
	return out
}

// perturbed returns a copy of card with colours the palette lacks: "dots"
// scattered pixels, "wheel" and "bigwheel" a hue wheel of 30 and 120
// pixels, "patches" blocks of 40 flat colours, "noise" random pixels
// everywhere; "sub" is a sub-image of odd width.
func perturbed(card *image.RGBA, kind string, rng *rand.Rand) *image.RGBA {
	o := image.NewRGBA(card.Rect)
	copy(o.Pix, card.Pix)
	w, h := o.Rect.Dx(), o.Rect.Dy()
	set := func(x, y int, r, g, b uint8) {
		if x >= 0 && y >= 0 && x < w && y < h {
			i := o.PixOffset(x, y)
			o.Pix[i], o.Pix[i+1], o.Pix[i+2] = r, g, b
		}
	}
	switch kind {
	case "dots":
		for range 300 {
			set(rng.IntN(w), rng.IntN(h), uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)))
		}
	case "wheel", "bigwheel":
		s := 15
		if kind == "bigwheel" {
			s = 60
		}
		for y := -s; y < s; y++ {
			for x := -s; x < s; x++ {
				if x*x+y*y < s*s {
					a, r := math.Atan2(float64(y), float64(x)), math.Hypot(float64(x), float64(y))/float64(s)
					set(200+x, 150+y, uint8(127+127*r*math.Cos(a)), uint8(127+127*r*math.Cos(a+2.1)), uint8(127+127*r*math.Cos(a+4.2)))
				}
			}
		}
	case "patches":
		for y := range 100 {
			for x := range 150 {
				k := x/25 + y/25*3
				set(100+x, 80+y, uint8(k*97), uint8(k*53+20), uint8(k*31+90))
			}
		}
	case "noise":
		for i := range o.Pix {
			if i%4 != 3 {
				o.Pix[i] = uint8(rng.IntN(256))
			}
		}
	case "sub":
		return o.SubImage(image.Rect(3, 2, w-8, h-1)).(*image.RGBA)
	}
	return o
}

// TestSortByColour: the entries come out as a permutation of those that
// went in, in colour order, whether alpha is shared or not and whatever
// the bytes of the colours have in common.
func TestSortByColour(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	for _, tc := range []struct {
		name string
		mask uint32 // colour bits that vary
	}{{"opaque", 0x00ffffff}, {"alpha varies", 0xffffffff}, {"red only", 0x000000ff}, {"one colour", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			for _, n := range []int{0, 1, 2, 37, 3000} {
				far := make([]farPixel, n)
				for i := range far {
					c := 0xff000000 | uint32(rng.IntN(40))*0x010305&tc.mask | rng.Uint32()&tc.mask&0x00010101
					if tc.mask == 0xffffffff {
						c = rng.Uint32()
					}
					far[i] = farPixel(c)<<32 | farPixel(i)
				}
				want := slices.Clone(far)
				slices.Sort(want)
				sorted := sortByColour(slices.Clone(far), make([]farPixel, n))
				if !slices.IsSortedFunc(sorted, func(p, q farPixel) int { return cmp.Compare(p.word(), q.word()) }) {
					t.Fatalf("%d entries: not in colour order", n)
				}
				slices.Sort(sorted)
				if !slices.Equal(sorted, want) {
					t.Fatalf("%d entries: not a permutation of the input", n)
				}
			}
		})
	}
}
