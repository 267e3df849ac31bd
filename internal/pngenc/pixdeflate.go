package pngenc

import (
	"encoding/binary"
	"io"
	"math"
	"math/bits"
	"sync"
)

// This file is a deflate compressor for paletted images written with
// FilterNone, one byte per pixel. Such rows are mostly copies of nearby
// data at a few distances: the row above, shifted by a pixel or two where
// a diagonal gradient (and the dither pattern that moves with it) runs
// through the image; the pixel to the left in flat areas; whatever
// distance the previous match used, since a shift holds along a row and
// from row to row. A generic LZ77 hashes every byte to rediscover these;
// this one tries them first, each at the cost of one comparison when it
// fails, and falls back to a small hash table for other repeats (glyphs
// recurring along a row). Matching is greedy; blocks use dynamic Huffman
// codes.

const (
	pixGoodLen     = 16 // a match at the last distance this long is taken without a search
	pixHashBits    = 14
	pixBlockTokens = 1 << 15 // tokens per deflate block
)

// pixEncoder compresses bands of a paletted image. It is not safe for
// concurrent use; pixEncoders are pooled.
type pixEncoder struct {
	blockWriter
	tokens  []token
	cands   []int // fixed distances tried at every position
	s0      int   // the band's first position
	useHash bool
	table   [1 << pixHashBits]int32 // position+1 in the band, by hash of 4 bytes
}

var pixEncoders sync.Pool // *pixEncoder

// pixRowShifts are the shifts of the row above tried at every position,
// besides the last two distances used.
var pixRowShifts = [...]int{0, -1, 1}

func hash4(u uint32) uint32 {
	return (u * 0x9e3779b1) >> (32 - pixHashBits)
}

// load32 and load64 read little-endian words at data[i:]; slicing to the
// word's end first leaves the compiler one bounds check.
func load32(data []byte, i int) uint32 { return binary.LittleEndian.Uint32(data[i : i+4]) }
func load64(data []byte, i int) uint64 { return binary.LittleEndian.Uint64(data[i : i+8]) }

// matchLen returns how many of the n bytes at data[a:] equal those at
// data[b:].
func matchLen(data []byte, a, b, n int) int {
	k := 0
	for ; k+8 <= n; k += 8 {
		if x := load64(data, a+k) ^ load64(data, b+k); x != 0 {
			return k + bits.TrailingZeros64(x)>>3
		}
	}
	for ; k < n && data[a+k] == data[b+k]; k++ {
	}
	return k
}

// search looks for a match at data[i:], of at most maxLen bytes, longer
// than best, at the distances other than the last used: the one before
// it, the fixed candidates and the hash table's. lim is the farthest
// distance allowed.
func (e *pixEncoder) search(data []byte, i, maxLen, lim, best, bestD, rep1 int) (int, int) {
	// A candidate can beat best only if it matches the 4 bytes ending
	// at best (or the first 4); off and want are those.
	off := max(best-3, 0)
	want := load32(data, i+off)
	if rep1 <= lim && load32(data, i-rep1+off) == want {
		if n := matchLen(data, i, i-rep1, maxLen); n > best {
			best, bestD = n, rep1
			if best == maxLen {
				return best, bestD
			}
			off = best - 3
			want = load32(data, i+off)
		}
	}
	for _, d := range e.cands {
		if d > lim || load32(data, i-d+off) != want {
			continue
		}
		if n := matchLen(data, i, i-d, maxLen); n > best {
			best, bestD = n, d
			if best == maxLen {
				return best, bestD
			}
			off = best - 3
			want = load32(data, i+off)
		}
	}
	if e.useHash {
		h := hash4(load32(data, i))
		c := e.s0 + int(e.table[h]) - 1
		e.table[h] = int32(i - e.s0 + 1)
		if c >= e.s0 && i-c <= maxMatchDist && load32(data, c+off) == want {
			if n := matchLen(data, i, c, maxLen); n > best {
				best, bestD = n, i-c
			}
		}
	}
	return best, bestD
}

// compress writes data[s0:s1] as raw deflate to e.bw.out: blocks ending
// in a final block when final is set, else in a sync flush so that another
// stream can follow. data[:s0] is output the inflater already holds, so
// matches may reach back into it. stride is the distance to the byte
// above, in data's rows.
func (e *pixEncoder) compress(data []byte, s0, s1, stride int, final bool) {
	e.table = [1 << pixHashBits]int32{}
	e.tokens = e.tokens[:0]
	e.litFreq = [numLitLen]int32{}
	e.distFreq = [numDist]int32{}
	e.bw.acc, e.bw.n = 0, 0
	e.s0 = s0
	e.useHash = s1-s0 < math.MaxInt32 // positions fit the table

	// The row above and its neighbours, the pixel to the left. A row
	// above farther than deflate reaches is never tried.
	e.cands = e.cands[:0]
	for _, k := range pixRowShifts {
		if d := stride + k; d >= 1 && d <= maxMatchDist {
			e.cands = append(e.cands, d)
		}
	}
	e.cands = append(e.cands, 1)

	rep0, rep1 := stride, 1 // the last two distances used
	i := s0
	for s1-i >= 4 {
		maxLen := min(maxMatchLen, s1-i)
		lim := min(i, maxMatchDist)
		best, bestD := 0, 0
		if rep0 <= lim && load32(data, i-rep0) == load32(data, i) {
			best, bestD = 4+matchLen(data, i+4, i-rep0+4, maxLen-4), rep0
		} else if maxLen >= 5 && rep0 < lim && load32(data, i+1-rep0) == load32(data, i+1) {
			// The last distance resumes after one byte: a literal, then
			// the match, found without a search.
			e.tokens = append(e.tokens, token(data[i]))
			e.litFreq[data[i]]++
			i++
			maxLen = min(maxMatchLen, s1-i)
			lim = min(i, maxMatchDist)
			best, bestD = 4+matchLen(data, i+4, i-rep0+4, maxLen-4), rep0
		}
		if best < pixGoodLen && best < maxLen {
			best, bestD = e.search(data, i, maxLen, lim, best, bestD, rep1)
		}
		if best >= 4 {
			if bestD != rep0 {
				if bestD == rep1 {
					rep0, rep1 = rep1, rep0
				} else {
					rep0, rep1 = bestD, rep0
				}
			}
			e.tokens = append(e.tokens, matchToken(best, bestD))
			e.litFreq[257+int(lengthSym[best-minMatchLen])]++
			ds, _ := distSym(uint32(bestD - 1))
			e.distFreq[ds]++
			i += best
		} else {
			e.tokens = append(e.tokens, token(data[i]))
			e.litFreq[data[i]]++
			i++
		}
		if len(e.tokens) >= pixBlockTokens {
			e.writeBlock(e.tokens, false)
			e.tokens = e.tokens[:0]
		}
	}
	for ; i < s1; i++ {
		e.tokens = append(e.tokens, token(data[i]))
		e.litFreq[data[i]]++
	}
	e.writeBlock(e.tokens, final)
	if final {
		e.bw.align()
	} else {
		e.bw.syncFlush()
	}
}

// pixStream is the filtered byte stream of a paletted image: each row a
// zero filter-type byte, then the row's indices.
type pixStream struct{ data []byte }

var pixStreams sync.Pool // *pixStream

// encodePaletted writes a paletted FilterNone image with pixEncoder, in n
// bands compressed by up to workers goroutines.
func encodePaletted(w io.Writer, src *source, level, idatMax, n, workers int) error {
	ps, _ := pixStreams.Get().(*pixStream)
	if ps == nil {
		ps = &pixStream{}
	}
	defer pixStreams.Put(ps)
	rowLen := 1 + src.w
	size := rowLen * src.h
	if cap(ps.data) < size {
		ps.data = make([]byte, size)
	}
	data := ps.data[:size]
	for y := range src.h {
		row := data[y*rowLen : (y+1)*rowLen]
		row[0] = 0
		src.row(row[1:], y)
	}
	return writeBands(w, src, level, idatMax, n, workers, func(b *band, last bool) error {
		e, _ := pixEncoders.Get().(*pixEncoder)
		if e == nil {
			e = &pixEncoder{}
		}
		defer pixEncoders.Put(e)
		s0, s1 := b.y0*rowLen, b.y1*rowLen
		e.bw.out = e.bw.out[:0]
		e.compress(data, s0, s1, rowLen, last)
		b.out.Write(e.bw.out)
		b.adler = adler32Sum(data[s0:s1])
		b.n = int64(s1 - s0)
		return nil
	})
}
