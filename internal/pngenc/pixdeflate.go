package pngenc

import (
	"io"
	"math"
	"math/bits"
	"sync"
)

// This file is a deflate compressor for paletted images written with
// FilterNone, one byte per pixel. Such rows are mostly copies of nearby
// data at a few distances: the row above, shifted by up to four pixels
// where a diagonal gradient (and the dither pattern that moves with it)
// runs through the image; the pixel to the left in flat areas; whatever
// distance a recent match used, since a shift holds along a row and from
// row to row. A generic LZ77 hashes every byte to rediscover these; this
// one tries the last two distances used, then those of the eight shifts
// of the row above whose first byte matches (found with one word
// compare), then the pixel to the left, and falls back to a small hash
// table for other repeats (glyphs recurring along a row). Candidates are
// compared 8 bytes at once and only the best is extended. Matching is
// greedy; every 32K tokens make a block with dynamic Huffman codes
// (huffman.go). A band may match into the bands before it, which the
// inflater has already decoded.

const (
	pixGoodLen     = 16 // a match this long at the last distance is taken without trying others
	pixHashBits    = 14
	pixBlockTokens = 1 << 15 // tokens per deflate block
)

// pixEncoder compresses bands of a paletted image. It is not safe for
// concurrent use; pixEncoders are pooled.
type pixEncoder struct {
	blockWriter
	tokens []token
	table  [1 << pixHashBits]int32 // position+1 in the band, by hash of 4 bytes
}

var pixEncoders sync.Pool // *pixEncoder

// pixRowShifts are the shifts of the row above tried where the eight
// are not screened together: in the first rows of an image and in images
// narrower than 4 or wider than 32764 pixels.
var pixRowShifts = [...]int{0, -1, 1, -2, 2, -3, 3}

func hash4(u uint32) uint32 {
	return (u * 0x9e3779b1) >> (32 - pixHashBits)
}

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

// try returns the better of the match (best, bestD) and the one at
// distance d, counting up to 8 bytes: cur is the 8 bytes at data[i:],
// lim the farthest distance allowed.
func try(data []byte, i int, cur uint64, d, lim, best, bestD int) (int, int) {
	// Without branches: whether a candidate wins is a coin toss for the
	// branch predictor. A distance over lim reads data[0:8] (len(data) >=
	// 8 here) and counts 0.
	far := (lim - d) >> 63 // all ones when d > lim
	n := bits.TrailingZeros64(cur^load64(data, (i-d)&^far)) >> 3 &^ far
	win := (best - n) >> 63 // all ones when n > best
	return best + (n-best)&win, bestD ^ (bestD^d)&win
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
	useHash := s1-s0 < math.MaxInt32 // positions fit the table

	// The row above and its neighbours, the pixel to the left; never a
	// row above farther than deflate reaches (never is a distance larger
	// than any lim).
	const never = 1 << 30
	var fixed [len(pixRowShifts)]int
	for j, k := range pixRowShifts {
		fixed[j] = never
		if d := stride + k; d >= 1 && d <= maxMatchDist {
			fixed[j] = d
		}
	}
	f0, f1, f2, f3, f4, f5, f6 := fixed[0], fixed[1], fixed[2], fixed[3], fixed[4], fixed[5], fixed[6]
	// Past the first row, the 8 distances stride+3 down to stride-4 are
	// screened together when all are allowed.
	rowWin := stride >= 5 && stride+3 <= maxMatchDist

	rep0, rep1 := stride, 1 // the last two distances used
	i := s0
	// Every position tried has 8 bytes of the band ahead: candidates are
	// compared 8 bytes at once before any is extended.
	for s1-i >= 8 {
		maxLen := min(maxMatchLen, s1-i)
		lim := min(i, maxMatchDist)
		cur := load64(data, i)
		best, bestD := try(data, i, cur, rep0, lim, 0, 0)
		if best == 8 {
			best += matchLen(data, i+8, i-rep0+8, maxLen-8)
		}
		if best < pixGoodLen && best < maxLen {
			// The other candidates, the first to reach 8 bytes extended.
			b, d := try(data, i, cur, rep1, lim, 0, 0)
			if b < 8 && rowWin && i >= stride+3 {
				// Which of the 8 bytes above, from 3 left to 4 right,
				// equal this one, all at once (a zero byte of v is a
				// match; m has the top bit of each such byte, exactly);
				// only those are tried.
				v := load64(data, i-stride-3) ^ uint64(uint8(cur))*0x0101010101010101
				m := ^((v&0x7f7f7f7f7f7f7f7f + 0x7f7f7f7f7f7f7f7f) | v | 0x7f7f7f7f7f7f7f7f)
				for m != 0 && b < 8 {
					b, d = try(data, i, cur, stride+3-bits.TrailingZeros64(m)>>3, lim, b, d)
					m &= m - 1
				}
			} else if b < 8 {
				b, d = try(data, i, cur, f0, lim, b, d)
				b, d = try(data, i, cur, f1, lim, b, d)
				b, d = try(data, i, cur, f2, lim, b, d)
				b, d = try(data, i, cur, f3, lim, b, d)
				b, d = try(data, i, cur, f4, lim, b, d)
				b, d = try(data, i, cur, f5, lim, b, d)
				b, d = try(data, i, cur, f6, lim, b, d)
			}
			if b < 8 {
				b, d = try(data, i, cur, 1, lim, b, d)
			}
			if useHash && b < 8 {
				h := hash4(uint32(cur))
				c := s0 + int(e.table[h]) - 1 // s0-1 when empty: never allowed
				e.table[h] = int32(i - s0 + 1)
				b, d = try(data, i, cur, i-c, min(lim, i-s0), b, d)
			}
			if b == 8 && d != bestD {
				b += matchLen(data, i+8, i-d+8, maxLen-8)
			}
			if b > best {
				best, bestD = b, d
			}
		}
		if best < 4 && s1-i >= 9 && rep0 < lim {
			// The last distance may resume after one byte: a literal,
			// then the match.
			if n := bits.TrailingZeros64(load64(data, i+1)^load64(data, i+1-rep0)) >> 3; n >= 4 {
				e.tokens = append(e.tokens, token(data[i]))
				e.litFreq[data[i]]++
				i++
				best, bestD = n, rep0
				if n == 8 {
					best += matchLen(data, i+8, i-rep0+8, min(maxMatchLen, s1-i)-8)
				}
			}
		}
		if best >= 4 {
			if bestD != rep0 {
				if bestD == rep1 {
					rep0, rep1 = rep1, rep0
				} else {
					rep0, rep1 = bestD, rep0
				}
			}
			t, ds := matchToken(best, bestD)
			e.tokens = append(e.tokens, t)
			e.litFreq[257+int(lengthSym[best-minMatchLen])]++
			e.distFreq[ds&31]++
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
	data := src.rows // a Paletted's rows are compressed where they are
	if data == nil {
		if cap(ps.data) < size {
			ps.data = make([]byte, size)
		}
		data = ps.data[:size]
		for y := range src.h {
			row := data[y*rowLen : (y+1)*rowLen]
			row[0] = 0
			src.row(row[1:], y)
		}
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
