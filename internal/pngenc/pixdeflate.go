package pngenc

import (
	"encoding/binary"
	"hash/adler32"
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

// pixRowShifts are the shifts of the row above tried at every position,
// besides the last two distances used.
var pixRowShifts = [...]int{0, -1, 1}

func hash4(u uint32) uint32 {
	return (u * 0x9e3779b1) >> (32 - pixHashBits)
}

// matchLen returns the length of the common prefix of cur and ref;
// len(ref) >= len(cur).
func matchLen(cur, ref []byte) int {
	n := 0
	for len(cur)-n >= 8 {
		if x := binary.LittleEndian.Uint64(cur[n:]) ^ binary.LittleEndian.Uint64(ref[n:]); x != 0 {
			return n + bits.TrailingZeros64(x)>>3
		}
		n += 8
	}
	for n < len(cur) && cur[n] == ref[n] {
		n++
	}
	return n
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
	useHash := s1-s0 < math.MaxInt32

	// The row above and its neighbours, the pixel to the left. A row
	// above farther than deflate reaches is never tried.
	var fixed [8]int
	nf := 0
	if stride <= maxMatchDist {
		for _, k := range pixRowShifts {
			if d := stride + k; d >= 1 && d <= maxMatchDist {
				fixed[nf] = d
				nf++
			}
		}
	}
	fixed[nf] = 1
	nf++
	cands := fixed[:nf]

	rep0, rep1 := stride, 1 // the last two distances used
	i := s0
	for ; s1-i >= 4; i++ {
		maxLen := min(maxMatchLen, s1-i)
		cur := data[i : i+maxLen]
		lim := min(i, maxMatchDist)
		best, bestD := 0, 0
		// A candidate can beat best only if it matches the 4 bytes
		// ending at best (or the first 4); off and want are those.
		off, want := 0, binary.LittleEndian.Uint32(cur)
		if rep0 <= lim && binary.LittleEndian.Uint32(data[i-rep0:]) == want {
			best, bestD = 4+matchLen(cur[4:], data[i-rep0+4:]), rep0
			off = best - 3
			if best < maxLen {
				want = binary.LittleEndian.Uint32(cur[off:])
			}
		}
		if best < maxLen {
			if rep1 <= lim && binary.LittleEndian.Uint32(data[i-rep1+off:]) == want {
				if n := matchLen(cur, data[i-rep1:]); n > best {
					best, bestD = n, rep1
					off = best - 3
					if best < maxLen {
						want = binary.LittleEndian.Uint32(cur[off:])
					}
				}
			}
			for _, d := range cands {
				if best == maxLen {
					break
				}
				if d > lim || binary.LittleEndian.Uint32(data[i-d+off:]) != want {
					continue
				}
				if n := matchLen(cur, data[i-d:]); n > best {
					best, bestD = n, d
					off = best - 3
					if best < maxLen {
						want = binary.LittleEndian.Uint32(cur[off:])
					}
				}
			}
			if best < maxLen && useHash {
				h := hash4(binary.LittleEndian.Uint32(cur))
				c := s0 + int(e.table[h]) - 1
				e.table[h] = int32(i - s0 + 1)
				if c >= s0 && i-c <= maxMatchDist && binary.LittleEndian.Uint32(data[c+off:]) == want {
					if n := matchLen(cur, data[c:]); n > best {
						best, bestD = n, i-c
					}
				}
			}
		}
		var t token
		if best >= 4 {
			t = matchToken(best, bestD)
			switch bestD {
			case rep0:
			case rep1:
				rep0, rep1 = rep1, rep0
			default:
				rep0, rep1 = bestD, rep0
			}
			i += best - 1
		} else {
			t = token(cur[0])
		}
		e.tokens = append(e.tokens, t)
		e.count(t)
		if len(e.tokens) >= pixBlockTokens {
			e.writeBlock(e.tokens, false)
			e.tokens = e.tokens[:0]
		}
	}
	for ; i < s1; i++ {
		t := token(data[i])
		e.tokens = append(e.tokens, t)
		e.count(t)
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
		b.adler = adler32.Checksum(data[s0:s1])
		b.n = int64(s1 - s0)
		return nil
	})
}
var debugTok *[]token
