package palette

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"image"
	"image/color"
	"math"
	mbits "math/bits"
	"slices"
	"sync"
)

// Limits of visible loss for Indexer.Index, in CIEDE2000 units: a pixel
// may differ from the true colour by up to SoftDeltaE (about two just
// noticeable differences) and at most MaxOverSoft parts per million of
// the pixels beyond it; none may differ by more than HardDeltaE.
const (
	SoftDeltaE  = 2.0
	HardDeltaE  = 5.0
	MaxOverSoft = 1000 // parts per million: 0.1%
)

// Indexer maps the opaque pixels of cards drawn from one plan to a palette
// of at most 256 colours, with ordered dithering between neighbouring
// entries so that gradients do not band.
//
// The palette comes from what the cards are made of, not from their
// pixels: the colours of the background layers (drawn once), the inks
// drawn over them (text, panels, shapes) and the anti-aliasing blends of
// each ink over each surface. So every card of a template shares one
// palette, and colour-to-index decisions are made once per colour and
// cached.
//
// An Indexer is safe for concurrent use.
type Indexer struct {
	Palette color.Palette // the entries, for a PNG PLTE chunk; do not modify

	lab    []Lab
	chroma []float64 // of each entry
	nSurf  int       // entries [0, nSurf) are the inks and surfaces: only they are dithered
	shifts []int     // per row of the image, the dither pattern's offset
	byL    lightness // the entries in order of L, for nearest

	mu  sync.RWMutex
	m   map[uint32]uint32  // RGBA word (little-endian) -> mapping
	far map[uint32]farInfo // the same, for colours some pixels of which are beyond SoftDeltaE

}

// mapping layout: bits 0-7 index A, 8-15 index B, 16-22 share of B in
// 1/64ths (0..64), 24-27 loss flags (lossBits), 31 set so that a mapping
// is never 0.
const (
	mapValid = 1 << 31
	// maxCached bounds the shared map (about 6 MB at 2^18 colours, per
	// template): colours past it are computed per
	// card (the same result, just slower).
	maxCached = 1 << 18
)

// surfaceStep is the CIE76 spacing of the palette entries for the large
// flat and gradient areas: pixels dithered between neighbours this close
// stay within SoftDeltaE of their true colour.
const surfaceStep = 1.6

// partnerMax is the largest CIE76 distance between two entries that a
// pixel may be dithered between.
const partnerMax = 2 * surfaceStep

// NewIndexer builds the palette for cards whose card-independent layers
// are bg (opaque) and whose other layers are drawn in the colours inks
// (straight alpha, as the plan gives them). It costs tens of milliseconds:
// build one per template and share it.
//
// shifts, when not nil, gives per row of bg how far its colours are moved
// against the row above, as a diagonal gradient's are (raster.RowShifts):
// the dither pattern follows, so that rows stay shifted copies of each
// other and compress as well as flat colour.
func NewIndexer(bg *image.RGBA, inks []color.NRGBA, shifts []int) *Indexer {
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
		// A run of one colour is counted at once: backgrounds are
		// gradients and flat fills, and a map update per pixel was half
		// of NewIndexer's time.
		for i := 0; i+4 <= len(row); {
			j := i + 4
			for j+4 <= len(row) && row[j] == row[i] && row[j+1] == row[i+1] && row[j+2] == row[i+2] {
				j += 4
			}
			hist[uint32(row[i])<<16|uint32(row[i+1])<<8|uint32(row[i+2])] += (j - i) / 4
			i = j
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
	// alive lists, in order, the candidates that may still be picked: one
	// within lastStop of an entry never is, so its distance is no longer
	// kept up (most are soon covered).
	const lastStop = 0.5
	alive := make([]int32, len(cands))
	for i := range alive {
		alive[i] = int32(i)
	}
	pick := func(rgb [3]uint8) {
		l := LabOf(rgb[0], rgb[1], rgb[2])
		ix.Palette = append(ix.Palette, color.RGBA{rgb[0], rgb[1], rgb[2], 255})
		ix.lab = append(ix.lab, l)
		ix.chroma = append(ix.chroma, chroma(l))
		lc := ix.chroma[len(ix.chroma)-1]
		n := 0
		for _, i := range alive {
			d := min(best[i], ws[i].dist2(cands[i].lab, l, lc))
			best[i] = d
			if d > lastStop*lastStop {
				alive[n] = i
				n++
			}
		}
		alive = alive[:n]
	}
	for _, c := range must {
		if len(ix.Palette) < 256 && !slices.Contains(ix.Palette, color.Color(color.RGBA{c[0], c[1], c[2], 255})) {
			pick(c)
		}
	}
	farthest := func(minWeight int, stop float64) {
		for len(ix.Palette) < 256-ExtraEntries {
			far, farD := -1, stop*stop
			for _, i := range alive {
				if cands[i].weight >= minWeight && best[i] > farD {
					far, farD = int(i), best[i]
				}
			}
			if far < 0 {
				return
			}
			pick(cands[far].rgb)
		}
	}
	farthest(16, surfaceStep/2) // not below lastStop: see alive
	ix.nSurf = len(ix.Palette)
	farthest(0, lastStop)
	if len(ix.Palette) == 0 {
		ix.Palette = color.Palette{color.RGBA{0, 0, 0, 255}}
		ix.lab = []Lab{{}}
		ix.chroma = []float64{0}
	}
	ix.byL = lightnessOf(ix.lab)
	return ix
}

// lightness is a palette's entries in order of L (equal L in index order):
// idx their indices, l their L.
type lightness struct {
	idx []int32
	l   []float64
}

func lightnessOf(lab []Lab) lightness {
	idx := make([]int32, len(lab))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int { return cmp.Compare(lab[a].L, lab[b].L) })
	l := make([]float64, len(idx))
	for k, i := range idx {
		l[k] = lab[i].L
	}
	return lightness{idx, l}
}

// nearest is nearestDist's entry over the whole palette (the same one:
// the nearest by the weighted distance, the first of equals), found from
// the entries nearest in L outwards. Beyond an entry whose L term alone
// exceeds the best distance so far, every entry on that side does too:
// a colour looks at a few entries of the 192, where nearestDist looked at
// all (5,900 instructions a colour, 7% of a build of every eighth post).
func (ix *Indexer) nearest(c Lab) int {
	w := weightsOf(c)
	best, bestD := -1, math.Inf(1)
	try := func(i int) {
		e := &ix.lab[i]
		// As nearestDist, term by term; an equal sum loses only to a
		// lower index.
		dl := c.L - e.L
		d := dl * dl * w.invSL2
		if d > bestD || d == bestD && i > best {
			return
		}
		dc := w.c - ix.chroma[i]
		d += dc * dc * w.invSC2
		if d > bestD || d == bestD && i > best {
			return
		}
		da, db := c.A-e.A, c.B-e.B
		dh2 := da*da + db*db - dc*dc
		if dh2 < 0 {
			dh2 = 0
		}
		if d += dh2 * w.invSH2; d < bestD || d == bestD && i < best {
			best, bestD = i, d
		}
	}
	ls := ix.byL.l
	hi, _ := slices.BinarySearch(ls, c.L) // the first entry with L >= c.L
	lo := hi - 1
	for lo >= 0 || hi < len(ls) {
		if hi < len(ls) {
			if dl := ls[hi] - c.L; dl*dl*w.invSL2 > bestD {
				hi = len(ls)
			} else {
				try(int(ix.byL.idx[hi]))
				hi++
			}
		}
		if lo >= 0 {
			if dl := c.L - ls[lo]; dl*dl*w.invSL2 > bestD {
				lo = -1
			} else {
				try(int(ix.byL.idx[lo]))
				lo--
			}
		}
	}
	return best
}

// thinSurfaces keeps one surface colour per 2-unit Lab cell.
func thinSurfaces(s [][3]uint8) [][3]uint8 {
	seen := map[[3]int32]bool{}
	var out [][3]uint8
	for _, c := range s {
		l := LabOf(c[0], c[1], c[2])
		k := [3]int32{int32(math.Floor(l.L / 2)), int32(math.Floor(l.A / 2)), int32(math.Floor(l.B / 2))}
		if !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	return out
}

// over composites ink at coverage k over the opaque colour s, rounding as
// image/draw does to within a level.
func over(s [3]uint8, ink color.NRGBA, k float64) [3]uint8 {
	a := float64(ink.A) / 255 * k
	mix := func(bg, fg uint8) uint8 { return uint8(math.Round(float64(fg)*a + float64(bg)*(1-a))) }
	return [3]uint8{mix(s[0], ink.R), mix(s[1], ink.G), mix(s[2], ink.B)}
}

// mapColour decides how the colour of an RGBA word is drawn: its nearest
// entry A, and, when a neighbouring entry B lies on the far side of it, the
// share of pixels that take B. It records for each of A and B whether it is
// beyond SoftDeltaE or HardDeltaE of the true colour.
func (ix *Indexer) mapColour(word uint32) (uint32, farInfo) {
	c := LabOf(uint8(word), uint8(word>>8), uint8(word>>16))
	a := ix.nearest(c)
	pa := ix.lab[a]
	aE := DeltaE2000(c, pa)
	bIdx, share, bestD := a, 0.0, dist2(c, pa)
	for i, e := range ix.lab[:ix.nSurf] {
		if i == a || a >= ix.nSurf {
			continue
		}
		ab := Lab{e.L - pa.L, e.A - pa.A, e.B - pa.B}
		n2 := ab.L*ab.L + ab.A*ab.A + ab.B*ab.B
		if n2 == 0 || n2 > partnerMax*partnerMax {
			continue
		}
		t := ((c.L-pa.L)*ab.L + (c.A-pa.A)*ab.A + (c.B-pa.B)*ab.B) / n2
		if t <= 0 || t >= 1 {
			continue
		}
		p := Lab{pa.L + t*ab.L, pa.A + t*ab.A, pa.B + t*ab.B}
		if d := dist2(c, p); d < bestD {
			bIdx, share, bestD = i, t, d
		}
	}
	n := uint32(math.Round(share * 64))
	bE := aE
	if n > 0 {
		bE = DeltaE2000(c, ix.lab[bIdx])
		// Dithering is for smooth areas, where both entries are close;
		// it must not trade a good colour for a visibly wrong one.
		if bE > max(SoftDeltaE, aE) {
			n, bE = 0, aE
		}
	}
	if n == 0 {
		bIdx = a
	}
	return uint32(mapValid) | uint32(a) | uint32(bIdx)<<8 | n<<16 | lossBits(aE, bE), farInfo{c, uint8(a), float32(aE), float32(bE)}
}

// farInfo keeps what fixFar needs of a colour beyond SoftDeltaE.
type farInfo struct {
	lab    Lab
	a      uint8   // the mapping's entry A
	aE, bE float32 // loss to the mapping's entries A and B
}

// lossBits are a mapping's flags: bit 24 (25) entry A (B) beyond
// SoftDeltaE, bit 26 (27) beyond HardDeltaE.
func lossBits(aE, bE float64) uint32 {
	var v uint32
	if aE > SoftDeltaE {
		v |= 1 << 24
	}
	if bE > SoftDeltaE {
		v |= 1 << 25
	}
	if aE > HardDeltaE {
		v |= 1 << 26
	}
	if bE > HardDeltaE {
		v |= 1 << 27
	}
	return v
}

// nearestDist returns the entry of lab nearest c by the weighted distance
// (the first of equals), with that distance (squared), or +Inf when lab is
// empty. It computes weights.dist2 term by term and leaves an entry as
// soon as the sum so far reaches the best distance: the terms are not
// negative, so the sum only grows, and the result is the same as
// measuring every entry in full.
func nearestDist(c Lab, lab []Lab, chroma []float64) (int, float64) {
	w := weightsOf(c)
	best, bestD := 0, math.Inf(1)
	chroma = chroma[:len(lab)]
	for i := range lab {
		e := &lab[i] // not a copy: most entries are left after e.L
		dl := c.L - e.L
		d := dl * dl * w.invSL2
		if d >= bestD {
			continue
		}
		dc := w.c - chroma[i]
		d += dc * dc * w.invSC2
		if d >= bestD {
			continue
		}
		da, db := c.A-e.A, c.B-e.B
		dh2 := da*da + db*db - dc*dc
		if dh2 < 0 { // as max(0, dh2): no NaN, and a difference of equals is +0
			dh2 = 0
		}
		if d += dh2 * w.invSH2; d < bestD {
			best, bestD = i, d
		}
	}
	return best, bestD
}

// lookup returns the cached mapping of word, computing it on a miss.
func (ix *Indexer) lookup(word uint32) uint32 {

	ix.mu.RLock()
	v, ok := ix.m[word]
	ix.mu.RUnlock()
	if ok {
		return v
	}
	v, fi := ix.mapColour(word)
	ix.mu.Lock()
	if len(ix.m) < maxCached {
		ix.m[word] = v
		if v&(3<<24) != 0 {
			ix.far[word] = fi
		}
	}
	ix.mu.Unlock()
	return v
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// dither are the thresholds of the ordered dither, in 64ths: a pixel
// takes entry B when its share of B exceeds dither[y%ditherRows][u%16],
// where u is its position along the gradient. Along u the thresholds
// follow in bit-reversed order, so short runs of one colour still get
// about their share; the rows split the range between them.
var dither = func() (d [ditherRows][16]uint8) {
	for y := range d {
		for u := range d[y] {
			rev := u&1<<3 | u&2<<1 | u&4>>1 | u&8>>3
			// Row k of n takes every n-th threshold, interleaved.
			d[y][u] = uint8((rev*ditherRows + bitrev2[y%4]%ditherRows) * 64 / (16 * ditherRows))
		}
	}
	return d
}()

var bitrev2 = [4]int{0, 2, 1, 3}

// ditherRows is how many rows the dither pattern has: row y repeats row
// y-ditherRows (moved with the gradient), which deflate matches. One row
// makes the smallest files: on the reference og card 48.5 KB against
// 60.0 KB with four, and the mean colour of 16-pixel windows of its
// gradient stays within ΔE 0.35 of the drawn card either way
// (TestGradientHasNoBands).
const ditherRows = 1

// block is how many pixels Index compares with the row above at once
// before it goes pixel by pixel. When it was chosen (callgrind,
// BenchmarkIndexOG, before the unsafe loads), Index took 17.6M
// instructions a card with 32, 16.2M with 64 and 16.2M with 128.
const block = 64

// farIn reports whether any of bits s0 to s0+n-1 (n at most 64) is set;
// bits has a word to spare after the last it reads.
func farIn(bits []uint64, s0, n int) bool {
	i, sh := s0>>6, uint(s0&63)
	win := bits[i]>>sh | bits[i+1]<<(64-sh)
	return win&(1<<uint(n)-1) != 0
}

// cacheBits sizes the per-call cache of mappings: 1<<cacheBits colours.
const cacheBits = 15

// localCache is a two-way set-associative cache in front of the shared
// map, for one Index call at a time. (Direct-mapped, the 7,700 colours of
// the reference og card missed 5,500 times a card: colours that share a
// slot meet again and again along a glyph's edges. Two ways miss 10 times
// less.) Finished calls leave their caches in one list shared by all
// Indexers, each cache marked with its owner: a mapping depends only on
// the Indexer and the colour, so the next card of the same palette finds
// its colours there, and a cache another Indexer takes is emptied first.
// (A sync.Pool would drop them at every garbage collection; a list per
// Indexer kept a quarter of a megabyte for each of a server's twenty-odd
// palettes.)
type localCache struct {
	owner *Indexer
	// A set's two colours and their mappings share its 16 bytes, so a
	// lookup reads one cache line (with keys and values in arrays of
	// their own it read two, of a quarter-megabyte table).
	sets [1 << (cacheBits - 1)]cacheSet
	// Index's and fixFar's slices, reused: a server's collector runs as
	// often as renders make garbage, and these were a third of a card's.
	fix fixScratch
}

// fixScratch holds the slices of one Index call, kept for the next.
type fixScratch struct {
	far, sorted           []farPixel
	words                 []uint32
	counts, starts, order []int32
	keys                  []uint64
	infos                 []farInfo
	cached, hard          []bool
	nearestExtra          []int16
	loss                  []float32
	spans                 [][2]int
}

// grow returns s resized to n, reusing its array when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}

// setOf is the set of localCache that may hold word. The multiply spreads
// the colour bits over the top of the word, the xor-shift and second
// multiply mix them into the bits kept (a single multiply left colours
// that differ only in blue in too few sets).
func setOf(word uint32) uint32 {
	h := word * 0x9E3779B1
	h ^= h >> 15
	h *= 0x85EBCA6B
	return h >> (32 - (cacheBits - 1))
}

// cacheSet is one set of localCache: two colours (RGBA words; 0 is
// empty, as pixels are opaque) and their mappings, the one met last first.
type cacheSet struct {
	keys [2]uint32
	vals [2]uint32
}

// get returns the cached mapping of word, or 0 when there is none (a
// mapping is never 0). The way is chosen without a branch: colours hit
// either, and a branch on which mispredicted about every other lookup.
func (lc *localCache) get(word uint32) uint32 {
	set := &lc.sets[setOf(word)]
	// Way 1 when way 0 holds another colour: 1 - (d == 0).
	d := uint64(set.keys[0] ^ word)
	w := (d-1)>>63 ^ 1
	if set.keys[w] != word { // src is opaque: word is never 0, an empty key
		return 0
	}
	return set.vals[w]
}

// put caches v for word in the set's first way, moving what was there to
// the second: the way looked at first holds the colour met last.
func (lc *localCache) put(word, v uint32) {
	set := &lc.sets[setOf(word)]
	if set.keys[0] != word {
		set.keys[1], set.vals[1] = set.keys[0], set.vals[0]
	}
	set.keys[0], set.vals[0] = word, v
}

// maxFreeCaches bounds the caches kept between Index calls (256 KiB
// each): more concurrent calls than this allocate fresh ones.
const maxFreeCaches = 8

// maxKeptFar bounds the far pixels whose slices a free cache keeps
// (8 bytes each), so that eight caches hold at most a few megabytes.
const maxKeptFar = 1 << 16

// freeCaches are the caches of finished Index calls, of every Indexer,
// the least recently returned first; made counts the caches that exist,
// free or in use.
var freeCaches struct {
	sync.Mutex
	list []*localCache
	made int
}

// getCache returns a cache for an Index call of ix: one ix used before if
// there is one, else a new one while fewer than maxFreeCaches exist, else
// the least recently used of another Indexer, emptied. (Taking another's
// cache while new ones could still be made cost a build of the corpus's
// og cards, eight palettes over two workers' two or three caches, a
// quarter of a megabyte cleared and thousands of colours looked up again
// in the shared map on most cards.)
func (ix *Indexer) getCache() *localCache {
	freeCaches.Lock()
	defer freeCaches.Unlock()
	list := freeCaches.list
	for j := len(list) - 1; j >= 0; j-- {
		if lc := list[j]; lc.owner == ix {
			freeCaches.list = append(list[:j], list[j+1:]...)
			return lc
		}
	}
	if len(list) == 0 || freeCaches.made < maxFreeCaches {
		freeCaches.made++
		return &localCache{owner: ix}
	}
	lc := list[0]
	freeCaches.list = append(list[:0], list[1:]...)
	// Keys are never 0 (pixels are opaque), so a cleared key is empty.
	clear(lc.sets[:])
	lc.owner = ix
	return lc
}

func (ix *Indexer) putCache(lc *localCache) {
	if cap(lc.fix.far) > maxKeptFar {
		// A photo's far pixels, up to a tenth of the card: not kept.
		lc.fix = fixScratch{}
	}
	freeCaches.Lock()
	defer freeCaches.Unlock()
	if len(freeCaches.list) < maxFreeCaches {
		freeCaches.list = append(freeCaches.list, lc)
		return
	}
	freeCaches.made--
}

// Result says how an Index call went.
type Result struct {
	// OverSoft is how many pixels differ from their true colour by more
	// than SoftDeltaE.
	OverSoft int
	// OverHard is how many pixels differ by more than HardDeltaE.
	OverHard int
	// Extra is how many palette entries were added for this image's own
	// colours.
	Extra int
}

// Visible reports whether the loss breaks the limits: more than
// MaxOverSoft per million pixels beyond SoftDeltaE, or any beyond
// HardDeltaE.
func (r Result) Visible(pixels int) bool {
	return r.OverHard > 0 || int64(r.OverSoft)*1_000_000 > int64(pixels)*MaxOverSoft
}

// giveUp is the share of pixels beyond SoftDeltaE, per million, past which
// Index stops: a photo, not a few stray blends. It is well above
// MaxOverSoft because extra entries may still bring a flat-colour picture
// (a speaker's illustrated avatar, 7% of a speaker card) within the
// limits; fixFar stops as soon as they cannot.
const giveUp = 100_000

// Index sets dst.Palette and writes the palette index of every pixel of
// src into dst, which must have src's size; src must be opaque. The
// palette is ix.Palette and, when some of src's colours are too far from
// it, entries for them (ExtraEntries). Index stops early, with dst
// incomplete, when the loss cannot be kept invisible.
func (ix *Indexer) Index(dst *image.Paletted, src *image.RGBA) Result {
	return ix.index(dst, src, nil, nil, nil)
}

// Base is a background's indices, for IndexOver: made by Background.
type Base struct {
	ix    *Indexer // whose indices they are
	rect  image.Rectangle
	pix   []uint8           // row after row, rect's width apart
	far   []image.Rectangle // runs of pixels beyond SoftDeltaE, row by row
	farAt []int32           // far[farAt[y]:farAt[y+1]] are row y's (from rect.Min.Y)
}

// Background returns bg's indices for IndexOver: those Index gives every
// pixel of bg that is within SoftDeltaE of its entries (the others, which
// fixFar may give entries of their own, are listed to be worked out card
// by card), or nil when bg is so far from the palette that Index gives up
// on it.
func (ix *Indexer) Background(bg *image.RGBA) *Base {
	dst := image.NewPaletted(bg.Rect, nil)
	var far []int32
	if res := ix.index(dst, bg, nil, nil, &far); res.OverHard < 0 {
		return nil
	}
	w, h := bg.Rect.Dx(), bg.Rect.Dy()
	b := &Base{ix: ix, rect: bg.Rect, pix: dst.Pix, farAt: make([]int32, h+1)}
	for _, off := range far { // in order: row by row, left to right
		x, y := int(off)%w, int(off)/w
		if k := len(b.far) - 1; k >= 0 && b.far[k].Max == image.Pt(bg.Rect.Min.X+x, bg.Rect.Min.Y+y+1) {
			b.far[k].Max.X++
			continue
		}
		b.far = append(b.far, image.Rect(bg.Rect.Min.X+x, bg.Rect.Min.Y+y, bg.Rect.Min.X+x+1, bg.Rect.Min.Y+y+1))
		b.farAt[y+1] = int32(len(b.far))
	}
	for y := 1; y <= h; y++ { // rows without runs start where the last ended
		b.farAt[y] = max(b.farAt[y], b.farAt[y-1])
	}
	return b
}

// IndexOver is Index for a src that equals the background of base (made
// by Background of this Indexer) everywhere outside the rectangles dirty.
// There the indices are copied from base, not worked out: the same colour
// at the same place gets the same index, and the background's pixels
// beyond SoftDeltaE are worked out card by card as if dirty. A card's
// layers cover a third of it or less, and reading the rest was a fifth of
// Index's time.
func (ix *Indexer) IndexOver(dst *image.Paletted, src *image.RGBA, base *Base, dirty []image.Rectangle) Result {
	if base == nil || base.ix != ix || base.rect != src.Rect {
		return ix.Index(dst, src)
	}
	return ix.index(dst, src, base, dirty, nil)
}

// index is Index, or IndexOver with base set; with keepFar set it stops
// before fixFar and appends to it the offsets in dst.Pix of the pixels
// beyond SoftDeltaE.
func (ix *Indexer) index(dst *image.Paletted, src *image.RGBA, base *Base, dirty []image.Rectangle, keepFar *[]int32) Result {
	var res Result
	lc := ix.getCache()
	defer ix.putCache(lc)
	dst.Palette = ix.Palette
	b := src.Rect
	w, h := b.Dx(), b.Dy()
	limit := int64(w) * int64(h) * giveUp / 1_000_000
	far := lc.fix.far[:0] // pixels beyond SoftDeltaE
	defer func() { lc.fix.far = far[:0] }()
	hard := uint32(0) // 1 when some far pixel is beyond HardDeltaE
	// Pixels of a row that repeat the row ditherRows above, moved by the
	// gradient's shift, repeat its indices too: the same colours meet the
	// same dither thresholds. Copying them skips most of a card's pixels.
	// Rows are compared a block at a time; in a block that differs,
	// scanUp compares pixel by pixel. Pixels beyond SoftDeltaE are never
	// copied, as each must be listed in far.
	nw := (w+63)/64 + 1                  // one spare word: farIn reads two
	var farBits [ditherRows + 1][]uint64 // per row of the ring: a bit per far pixel
	var farAny [ditherRows + 1]bool      // per row of the ring: some bit set
	for i := range farBits {
		farBits[i] = make([]uint64, nw)
	}
	phaseOf := func(y int) int {
		if y < len(ix.shifts) {
			return ix.shifts[y]
		}
		return 0
	}
	spans := lc.fix.spans[:0] // per row, the dirty spans when base is set
	defer func() { lc.fix.spans = spans[:0] }()
	var st blockState // carried from row to row
	for y := 0; y < h; y++ {
		r := rowRun{
			row:   src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):][:4*w],
			off:   dst.PixOffset(dst.Rect.Min.X, dst.Rect.Min.Y+y),
			phase: phaseOf(y),
			th:    &dither[y%ditherRows],
			lc:    lc,
			st:    st,
			far:   far,
			hard:  hard,
		}
		r.out = dst.Pix[r.off:][:w]
		ring := y % (ditherRows + 1)
		r.bits = farBits[ring]
		if farAny[ring] {
			clear(r.bits)
		}
		d := 0
		if y >= ditherRows {
			r.up = src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y-ditherRows):][:4*w]
			r.upOut = dst.Pix[dst.PixOffset(dst.Rect.Min.X, dst.Rect.Min.Y+y-ditherRows):][:w]
			if up := (y - ditherRows) % (ditherRows + 1); farAny[up] {
				r.upBits = farBits[up]
			}
			d = r.phase - phaseOf(y-ditherRows)
		}
		r.d = d
		if base == nil {
			ix.indexSpan(&r, 0, w)
		} else {
			spans = rowSpans(spans[:0], b.Min.Y+y, b.Min.X, w, dirty, base.far[base.farAt[y]:base.farAt[y+1]])
			bp := base.pix[y*w : (y+1)*w]
			at := 0
			for _, sp := range spans {
				copy(r.out[at:sp[0]], bp[at:sp[0]])
				ix.indexSpan(&r, sp[0], sp[1])
				at = sp[1]
			}
			copy(r.out[at:], bp[at:])
		}
		far, hard, st = r.far, r.hard, r.st
		farAny[ring] = r.anyFar
		if int64(len(far)) > limit {
			res.OverSoft = len(far)
			res.OverHard = -1
			return res
		}
	}
	if keepFar != nil {
		for _, p := range far {
			*keepFar = append(*keepFar, p.off())
		}
		return Result{OverSoft: len(far)}
	}
	if hard == 0 && !(Result{OverSoft: len(far)}).Visible(w*h) {
		// Within the limits already: extra entries would only cost time.
		res.OverSoft = len(far)
		return res
	}
	return ix.fixFar(dst, far, &lc.fix)
}

// indexSpan indexes pixels [a, b) of row r: a block of them that repeats
// its pair in the row above (none far) copies the pair's indices, the
// rest go through indexRun.
func (ix *Indexer) indexSpan(r *rowRun, a, b int) {
	w, d := len(r.out), r.d
	pend := a // pixels [pend, x0) are left to scan
	for x0 := a; x0 < b; x0 += block {
		x1 := min(x0+block, b)
		if s0, s1 := x0+d, x1+d; r.up != nil && s0 >= 0 && s1 <= w &&
			(r.upBits == nil || !farIn(r.upBits, s0, s1-s0)) &&
			bytes.Equal(r.row[4*x0:4*x1], r.up[4*s0:4*s1]) {
			if pend < x0 {
				ix.indexRun(r, pend, x0)
			}
			copy(r.out[x0:x1], r.upOut[s0:s1])
			pend = x1
		}
	}
	if pend < b {
		ix.indexRun(r, pend, b)
	}
}

// rowSpans appends to spans the sorted, merged x ranges (from minX, within
// [0, w)) that the rectangles of the lists cover in row y.
func rowSpans(spans [][2]int, y, minX, w int, dirty, far []image.Rectangle) [][2]int {
	n := len(spans)
	for _, list := range [2][]image.Rectangle{dirty, far} {
		for _, d := range list {
			if y < d.Min.Y || y >= d.Max.Y {
				continue
			}
			a, b := max(d.Min.X-minX, 0), min(d.Max.X-minX, w)
			if a < b {
				spans = append(spans, [2]int{a, b})
			}
		}
	}
	row := spans[n:]
	slices.SortFunc(row, func(p, q [2]int) int { return cmp.Compare(p[0], q[0]) })
	out := row[:0]
	for _, sp := range row {
		if k := len(out) - 1; k >= 0 && sp[0] <= out[k][1] {
			out[k][1] = max(out[k][1], sp[1])
			continue
		}
		out = append(out, sp)
	}
	return spans[:n+len(out)]
}

// blockState carries what indexBlock knows from one block to the next:
// the last colour and its mapping.
type blockState struct{ prev, v uint32 }

// rowRun is one row of an Index call: its pixels and indices, and those
// of the row ditherRows above (up, upOut; nil in the first rows), whose
// pixel x+d pairs with pixel x of this one.
type rowRun struct {
	row, up    []byte // 4 bytes a pixel
	out, upOut []uint8
	bits       []uint64 // a bit per pixel of this row beyond SoftDeltaE
	upBits     []uint64 // the same for the row above; nil when it has none
	anyFar     bool     // some bit of bits is set
	off        int      // of out in dst.Pix
	phase, d   int
	th         *[16]uint8
	lc         *localCache
	st         blockState
	far        []farPixel
	hard       uint32
}

// indexRun indexes pixels [x0, x1) of r: with indexBlockUp those whose
// pairs lie in the row above, with indexBlock the rest (near the ends of
// a row moved by the gradient's shift, and in the first rows). It marks
// the far pixels in r.bits.
func (ix *Indexer) indexRun(r *rowRun, x0, x1 int) {
	n := len(r.far)
	if r.up == nil {
		ix.indexPart(r, x0, x1, false)
	} else {
		// The pairs of pixels [lo, hi) are in the row above.
		lo, hi := max(x0, min(x1, -r.d)), min(x1, max(x0, len(r.out)-r.d))
		if hi < lo {
			hi = lo
		}
		ix.indexPart(r, x0, lo, false)
		ix.indexPart(r, lo, hi, true)
		ix.indexPart(r, hi, x1, false)
	}
	if len(r.far) > n {
		r.anyFar = true
		for _, p := range r.far[n:] {
			i := int(p.off()) - r.off
			r.bits[i>>6] |= 1 << (i & 63)
		}
	}
}

// indexPart indexes pixels [x0, x1) of r, with their pairs in the row
// above when paired.
func (ix *Indexer) indexPart(r *rowRun, x0, x1 int, paired bool) {
	if x0 >= x1 {
		return
	}
	out, row, off := r.out[x0:x1], r.row[4*x0:4*x1], int32(r.off+x0)
	if paired {
		s0, s1 := x0+r.d, x1+r.d
		r.far, r.hard = ix.indexBlockUp(out, row, r.up[4*s0:4*s1], r.upOut[s0:s1], r.upBits, s0, r.th, x0+r.phase, r.lc, &r.st, r.far, off, r.hard)
	} else {
		r.far, r.hard = ix.indexBlock(out, row, r.th, x0+r.phase, r.lc, &r.st, r.far, off, r.hard)
	}
}

// indexBlock writes the palette index of each pixel of row (4 bytes a
// pixel) to out, dithered with thresholds th starting at phase. It appends
// to far the offsets (from off, out's offset in the image) of the pixels
// whose entry is beyond SoftDeltaE, and sets hard when one is beyond
// HardDeltaE. The pixels go through scan, which stops only on what is
// rare: a colour not in the cache, a pixel beyond SoftDeltaE.
func (ix *Indexer) indexBlock(out []uint8, row []byte, th *[16]uint8, phase int, lc *localCache, st *blockState, far []farPixel, off int32, hard uint32) ([]farPixel, uint32) {
	prev, v := st.prev, st.v
	for x := 0; x < len(out); {
		n, isFar, p, m := lc.scan(out[x:], row[4*x:4*len(out)], th, phase+x, prev, v)
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

// indexBlockUp is indexBlock for pixels paired with those of the row
// above, up and upOut (far pixels marked in upBits from bit s0, when it is
// not nil): scanUp copies the indices of pairs of one colour, except where
// the pixel above is far.
func (ix *Indexer) indexBlockUp(out []uint8, row, up []byte, upOut []uint8, upBits []uint64, s0 int, th *[16]uint8, phase int, lc *localCache, st *blockState, far []farPixel, off int32, hard uint32) ([]farPixel, uint32) {
	prev, v := st.prev, st.v
	nextFar := len(out) // the next pixel whose pair is far
	if upBits != nil {
		nextFar = nextBit(upBits, s0, s0+len(out)) - s0
	}
	for x := 0; x < len(out); {
		var n int
		var isFar bool
		end := nextFar
		if x < nextFar {
			n, isFar, prev, v = lc.scanUp(out[x:end], row[4*x:4*end], up[4*x:4*end], upOut[x:end], th, phase+x, prev, v)
		} else {
			// x == nextFar: this one pixel without its pair.
			end = x + 1
			n, isFar, prev, v = lc.scan(out[x:end], row[4*x:4*end], th, phase+x, prev, v)
		}
		x += n
		if isFar {
			sel := (uint32(th[(x+phase)&15]) - uint32(uint8(v>>16))) >> 31 << 3
			far = append(far, farPixel(prev)<<32|farPixel(uint32(off)+uint32(x)))
			hard |= v >> (sel >> 3) >> 26 & 1
			x++
		} else if x < end { // a colour the cache lacks
			word := binary.LittleEndian.Uint32(row[4*x:])
			prev, v = word, ix.lookup(word)
			lc.put(word, v)
			continue
		}
		if x > nextFar {
			nextFar = nextBit(upBits, s0+x, s0+len(out)) - s0
		}
	}
	st.prev, st.v = prev, v
	return far, hard
}

// nextBit returns the first bit of bits from i to end that is set, or end.
func nextBit(bits []uint64, i, end int) int {
	for i < end {
		if w := bits[i>>6] >> (i & 63); w != 0 {
			return min(i+mbits.TrailingZeros64(w), end)
		}
		i = (i | 63) + 1
	}
	return end
}

// scanUp is scan for pixels paired with those of the row above, up and
// upOut, none of which is beyond SoftDeltaE: a pixel of the same colour as
// its pair takes its pair's index.
func (lc *localCache) scanUp(out []uint8, row, up []byte, upOut []uint8, th *[16]uint8, phase int, prev, v uint32) (int, bool, uint32, uint32) {
	n := len(out)
	row, up, upOut = row[:4*n], up[:4*n], upOut[:n]
	for x := 0; x < n; {
		// Two pixels at a time while they repeat their pairs.
		for x+2 <= n && load64(row, 4*x) == load64(up, 4*x) {
			store16(out, x, load16(upOut, x))
			x += 2
		}
		if x >= n {
			break
		}
		word := load32(row, 4*x)
		if word == load32(up, 4*x) {
			out[x] = upOut[x]
			x++
			continue
		}
		if word != prev {
			m := lc.get(word)
			if m == 0 {
				return x, false, prev, v
			}
			prev, v = word, m
		}
		// 8 when the pixel's share of B exceeds the threshold (both are
		// at most 64): no branch, as dithered pixels go either way.
		sel := (uint32(th[(x+phase)&15]) - uint32(uint8(v>>16))) >> 28 & 8
		out[x] = uint8(v >> sel)
		if v&(3<<24) != 0 && v>>(sel>>3)&(1<<24) != 0 {
			return x, true, prev, v
		}
		x++
	}
	return len(out), false, prev, v
}

// scan writes indices to out for the pixels of row while their colours
// are prev or in the cache. It returns how many it wrote, and whether it
// stopped after the last of them because that one is beyond SoftDeltaE
// (else before a colour the cache lacks, or at the end), with the last
// colour and its mapping.
func (lc *localCache) scan(out []uint8, row []byte, th *[16]uint8, phase int, prev, v uint32) (int, bool, uint32, uint32) {
	x := 0
	for x < len(out) {
		if word := binary.LittleEndian.Uint32(row[4*x : 4*x+4]); word != prev {
			m := lc.get(word)
			if m == 0 {
				return x, false, prev, v
			}
			prev, v = word, m
		}
		// A run of one colour.
		for {
			// 8 when the pixel's share of B exceeds the threshold (both
			// are at most 64): no branch, as dithered pixels go either
			// way.
			sel := (uint32(th[(x+phase)&15]) - uint32(uint8(v>>16))) >> 28 & 8
			out[x] = uint8(v >> sel)
			if v&(3<<24) != 0 && v>>(sel>>3)&(1<<24) != 0 {
				return x, true, prev, v
			}
			x++
			if x >= len(out) || binary.LittleEndian.Uint32(row[4*x:4*x+4]) != prev {
				break
			}
		}
	}
	return len(out), false, prev, v
}

// nearEnough is the weighted distance within which fixFar takes an extra
// entry's loss to be the weighted distance rather than CIEDE2000's.
const nearEnough = SoftDeltaE / 4

// ExtraEntries is how many palette entries Index may append per image
// after the template's; past them it reuses the template's entries the
// image does not use.
const ExtraEntries = 64

// farPixel is a pixel beyond SoftDeltaE: its colour (an RGBA word) in the
// top half, its offset in dst.Pix in the bottom, so that sorting them as
// integers (three times faster than as structs) groups them by colour.
type farPixel uint64

func (p farPixel) word() uint32 { return uint32(p >> 32) }
func (p farPixel) off() int32   { return int32(uint32(p)) }

// fixFar gives the colours of the pixels at far (beyond SoftDeltaE)
// entries of their own, the most frequent first, and counts the loss that
// remains.
func (ix *Indexer) fixFar(dst *image.Paletted, far []farPixel, sc *fixScratch) Result {
	// The far colours (sorted, so that pixels of one colour are
	// together) and how many pixels have each.
	sc.sorted = grow(sc.sorted, len(far))
	far = sortByColour(far, sc.sorted)
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
	// Sorted as integers, hard first, then by count (descending), then
	// by colour: the order a stable sort by the first two would give, at
	// a fifth of the cost.
	sc.order, sc.keys = grow(sc.order, len(words)), grow(sc.keys, len(words))
	order, keys := sc.order, sc.keys
	for i := range keys {
		keys[i] = uint64(boolInt(!hard[i]))<<63 | uint64(math.MaxInt32-counts[i])<<32 | uint64(i)
	}
	slices.Sort(keys)
	for i, k := range keys {
		order[i] = int32(uint32(k))
	}
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
			j, d2 := nearestDist(l, extra, extraC)
			if full || d2 <= SoftDeltaE*SoftDeltaE {
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
					if unused := unusedEntries(dst, len(ix.Palette)); len(unused) > 0 {
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

// sortByColour sorts far by colour (the top half of each entry) with tmp,
// of far's length, as scratch, and returns the sorted entries: far or
// tmp. It is a radix sort, a byte of the colour at a time, that skips a
// byte all entries share (alpha, in an opaque image): a quarter of the
// cost of slices.Sort. Pixels of one colour may come in any order.
func sortByColour(far, tmp []farPixel) []farPixel {
	src, dst := far, tmp[:len(far)]
	for shift := uint(32); shift < 64 && len(src) > 1; shift += 8 {
		var at [256]int
		for _, p := range src {
			at[uint8(p>>shift)]++
		}
		if at[uint8(src[0]>>shift)] == len(src) {
			continue
		}
		sum := 0
		for i, n := range at {
			at[i], sum = sum, sum+n
		}
		for _, p := range src {
			b := uint8(p >> shift)
			dst[at[b]] = p
			at[b]++
		}
		src, dst = dst, src
	}
	return src
}

// unusedEntries returns the entries below n of dst's palette that no pixel
// of dst has.
func unusedEntries(dst *image.Paletted, n int) []uint8 {
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

// inkKey packs an ink into one word, for sorting.
func inkKey(c color.NRGBA) uint32 {
	return uint32(c.R)<<24 | uint32(c.G)<<16 | uint32(c.B)<<8 | uint32(c.A)
}

// weights approximate CIEDE2000 near a colour: its lightness, chroma and
// hue tolerances (SL, SC, SH without the hue-dependent T and the blue
// rotation). A distance scaled by them is within a few tenths of
// DeltaE2000 for small differences, at a tenth of the cost: palette
// selection measures millions of them.
type weights struct {
	c              float64 // chroma
	invSL2, invSC2 float64
	invSH2         float64
}

func weightsOf(l Lab) weights {
	c := chroma(l)
	l50 := (l.L - 50) * (l.L - 50)
	sl := 1 + 0.015*l50/math.Sqrt(20+l50)
	sc := 1 + 0.045*c
	sh := 1 + 0.015*c
	return weights{c: c, invSL2: 1 / (sl * sl), invSC2: 1 / (sc * sc), invSH2: 1 / (sh * sh)}
}

func chroma(l Lab) float64 { return math.Sqrt(l.A*l.A + l.B*l.B) }

// dist2 is the squared weighted distance from p (whose weights w are) to
// q, whose chroma is qc.
func (w weights) dist2(p, q Lab, qc float64) float64 {
	dl, da, db := p.L-q.L, p.A-q.A, p.B-q.B
	dc := w.c - qc
	dh2 := max(0, da*da+db*db-dc*dc)
	return dl*dl*w.invSL2 + dc*dc*w.invSC2 + dh2*w.invSH2
}
