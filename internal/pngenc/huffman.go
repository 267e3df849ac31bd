package pngenc

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// This file writes deflate (RFC 1951) blocks with dynamic Huffman codes
// from tokens found by pixdeflate.go.

// Deflate limits.
const (
	maxMatchLen   = 258
	minMatchLen   = 3
	maxMatchDist  = 32768
	numLitLen     = 286 // literal/length symbols 0..285
	numDist       = 30  // distance symbols 0..29
	numCodeLen    = 19  // code-length symbols 0..18
	maxCodeBits   = 15  // literal/length and distance codes
	maxCLCodeBits = 7   // code-length codes
	endOfBlock    = 256
)

// A token is a literal byte (below 1<<31) or a match: 1<<31, then the
// distance's symbol in bits 24..28, the length minus 3 in bits 16..23 and
// the distance minus 1 in bits 0..14.
type token uint32

const matchFlag = 1 << 31

// matchToken returns the token of a match and its distance symbol.
func matchToken(length, dist int) (token, uint32) {
	ds, _ := distSym(uint32(dist - 1))
	return token(matchFlag | ds<<24 | uint32(length-minMatchLen)<<16 | uint32(dist-1)), ds
}

// lengthSym[l-3] is the literal/length symbol of match length l, and
// lengthBase[s-257] the smallest length of symbol s.
var lengthSym, lengthExtra [256]uint8

var lengthBase = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}

var lengthExtraBits = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}

func init() {
	s := 0
	for l := minMatchLen; l <= maxMatchLen; l++ {
		for s < 28 && int(lengthBase[s+1]) <= l {
			s++
		}
		lengthSym[l-minMatchLen] = uint8(s)
		lengthExtra[l-minMatchLen] = lengthExtraBits[s]
	}
}

// distExtraBits[s] is the number of extra bits of distance symbol s.
var distExtraBits = [32]uint32{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}

// distSym returns the distance symbol of d = distance-1 and its number of
// extra bits.
func distSym(d uint32) (sym, extra uint32) {
	if d < 4 {
		return d, 0
	}
	nb := uint32(bits.Len32(d)) - 1 // 2..14
	return 2*nb + (d>>(nb-1))&1, nb - 1
}

// bitWriter packs bits least significant first, as deflate wants.
type bitWriter struct {
	acc uint64
	n   uint
	out []byte
}

// write appends the nb low bits of v; nb is at most 32.
func (w *bitWriter) write(v uint64, nb uint) {
	w.acc |= v << w.n
	w.n += nb
	if w.n >= 32 {
		w.out = binary.LittleEndian.AppendUint32(w.out, uint32(w.acc))
		w.acc >>= 32
		w.n -= 32
	}
}

// align pads with zero bits to a byte boundary and flushes the bytes.
func (w *bitWriter) align() {
	for w.n > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.n -= min(w.n, 8)
	}
	w.acc = 0
}

// syncFlush ends the stream so far on a byte boundary with an empty
// stored block, so that another raw deflate stream can follow it.
func (w *bitWriter) syncFlush() {
	w.write(0, 3) // BFINAL 0, BTYPE 00 (stored)
	w.align()
	w.out = append(w.out, 0, 0, 0xff, 0xff)
}

// symFreq is a symbol and its count, for sorting.
type symFreq struct {
	freq int32
	sym  uint16
}

// huffman builds length-limited canonical Huffman codes.
type huffman struct {
	syms []symFreq
	keys []int32
}

// lengths sets lens[i] to the code length of symbol i, given its count
// freq[i]: 0 for unused symbols, at most limit bits for the rest. The code
// is always complete: with fewer than two used symbols, symbols 0 or 1 are
// given length 1 too, because some inflaters reject a one-symbol code.
func (h *huffman) lengths(freq []int32, lens []uint8, limit int) {
	h.syms = h.syms[:0]
	for i, f := range freq {
		lens[i] = 0
		if f > 0 {
			h.syms = append(h.syms, symFreq{f, uint16(i)})
		}
	}
	switch len(h.syms) {
	case 0:
		lens[0], lens[1] = 1, 1
		return
	case 1:
		lens[h.syms[0].sym] = 1
		if h.syms[0].sym == 0 {
			lens[1] = 1
		} else {
			lens[0] = 1
		}
		return
	}
	// Ascending by count, ties by symbol: the same counts give the same code.
	slices.SortFunc(h.syms, func(a, b symFreq) int {
		if a.freq != b.freq {
			return int(a.freq - b.freq)
		}
		return int(a.sym) - int(b.sym)
	})
	n := len(h.syms)
	h.keys = h.keys[:0]
	for _, s := range h.syms {
		h.keys = append(h.keys, s.freq)
	}
	minimumRedundancy(h.keys)

	// Count codes per length, clamp to the limit, then restore Kraft's
	// equality by moving leaves down (as miniz's enforce_max_code_size).
	var count [maxCodeBits + 1]int
	for _, l := range h.keys {
		count[min(int(l), limit)]++
	}
	total := 0
	for i := 1; i <= limit; i++ {
		total += count[i] << (limit - i)
	}
	for total > 1<<limit {
		count[limit]--
		for i := limit - 1; i > 0; i-- {
			if count[i] != 0 {
				count[i]--
				count[i+1] += 2
				break
			}
		}
		total--
	}
	// The most frequent symbols take the shortest codes.
	j := n
	for l := 1; l <= limit; l++ {
		for k := count[l]; k > 0; k-- {
			j--
			lens[h.syms[j].sym] = uint8(l)
		}
	}
}

// minimumRedundancy replaces the counts a, sorted ascending, by the code
// lengths of an optimal prefix code, in place (Moffat and Katajainen, "In-
// place calculation of minimum-redundancy codes", 1995). len(a) >= 2.
func minimumRedundancy(a []int32) {
	n := len(a)
	a[0] += a[1]
	root, leaf := 0, 2
	for next := 1; next < n-1; next++ {
		if leaf >= n || a[root] < a[leaf] {
			a[next] = a[root]
			a[root] = int32(next)
			root++
		} else {
			a[next] = a[leaf]
			leaf++
		}
		if leaf >= n || (root < next && a[root] < a[leaf]) {
			a[next] += a[root]
			a[root] = int32(next)
			root++
		} else {
			a[next] += a[leaf]
			leaf++
		}
	}
	a[n-2] = 0
	for next := n - 3; next >= 0; next-- {
		a[next] = a[a[next]] + 1
	}
	avail, used, depth := 1, 0, int32(0)
	root, next := n-2, n-1
	for avail > 0 {
		for root >= 0 && a[root] == depth {
			used++
			root--
		}
		for avail > used {
			a[next] = depth
			next--
			avail--
		}
		avail = 2 * used
		depth++
		used = 0
	}
}

// canonicalCodes sets codes[i] to symbol i's canonical code (RFC 1951
// 3.2.2), bit-reversed for writing least significant bit first.
func canonicalCodes(lens []uint8, codes []uint16) {
	var count, next [maxCodeBits + 2]uint16
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	code := uint16(0)
	for b := 1; b <= maxCodeBits; b++ {
		code = (code + count[b-1]) << 1
		next[b] = code
	}
	for i, l := range lens {
		if l != 0 {
			codes[i] = bits.Reverse16(next[l]) >> (16 - l)
			next[l]++
		}
	}
}

// codeLengthOrder is the order in which code-length code lengths are sent.
var codeLengthOrder = [numCodeLen]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// blockWriter writes dynamic Huffman blocks.
type blockWriter struct {
	bw       bitWriter
	litFreq  [numLitLen]int32
	distFreq [numDist]int32
	litLens  [numLitLen]uint8
	distLens [numDist]uint8
	litCodes [numLitLen]uint16
	distCode [numDist]uint16
	clFreq   [numCodeLen]int32
	clLens   [numCodeLen]uint8
	clCodes  [numCodeLen]uint16
	all      [numLitLen + numDist]uint8
	rle      []uint16 // code-length symbol, extra value<<5
	h        huffman
}

// writeBlock writes tokens as one dynamic Huffman block and resets the
// frequencies, which the caller counted in litFreq and distFreq.
func (b *blockWriter) writeBlock(tokens []token, final bool) {
	b.litFreq[endOfBlock] = 1
	b.h.lengths(b.litFreq[:], b.litLens[:], maxCodeBits)
	b.h.lengths(b.distFreq[:], b.distLens[:], maxCodeBits)
	canonicalCodes(b.litLens[:], b.litCodes[:])
	canonicalCodes(b.distLens[:], b.distCode[:])
	nlit := numLitLen
	for nlit > 257 && b.litLens[nlit-1] == 0 {
		nlit--
	}
	ndist := numDist
	for ndist > 1 && b.distLens[ndist-1] == 0 {
		ndist--
	}

	// The code lengths of both codes as one sequence, run-length coded.
	all := b.all[:0]
	all = append(all, b.litLens[:nlit]...)
	all = append(all, b.distLens[:ndist]...)
	b.rle = b.rle[:0]
	b.clFreq = [numCodeLen]int32{}
	for i := 0; i < len(all); {
		v := all[i]
		run := 1
		for i+run < len(all) && all[i+run] == v {
			run++
		}
		i += run
		if v == 0 {
			for run >= 11 {
				k := min(run, 138)
				b.rle = append(b.rle, 18|uint16(k-11)<<5)
				run -= k
			}
			if run >= 3 {
				b.rle = append(b.rle, 17|uint16(run-3)<<5)
				run = 0
			}
		} else {
			b.rle = append(b.rle, uint16(v))
			run--
			for run >= 3 {
				k := min(run, 6)
				b.rle = append(b.rle, 16|uint16(k-3)<<5)
				run -= k
			}
		}
		for ; run > 0; run-- {
			b.rle = append(b.rle, uint16(v))
		}
	}
	for _, r := range b.rle {
		b.clFreq[r&31]++
	}
	b.h.lengths(b.clFreq[:], b.clLens[:], maxCLCodeBits)
	canonicalCodes(b.clLens[:], b.clCodes[:])
	nclen := numCodeLen
	for nclen > 4 && b.clLens[codeLengthOrder[nclen-1]] == 0 {
		nclen--
	}

	w := &b.bw
	fin := uint64(0)
	if final {
		fin = 1
	}
	w.write(fin|2<<1, 3) // BTYPE 10: dynamic Huffman
	w.write(uint64(nlit-257)|uint64(ndist-1)<<5|uint64(nclen-4)<<10, 14)
	for _, s := range codeLengthOrder[:nclen] {
		w.write(uint64(b.clLens[s]), 3)
	}
	for _, r := range b.rle {
		s := r & 31
		w.write(uint64(b.clCodes[s]), uint(b.clLens[s]))
		switch s {
		case 16:
			w.write(uint64(r>>5), 2)
		case 17:
			w.write(uint64(r>>5), 3)
		case 18:
			w.write(uint64(r>>5), 7)
		}
	}

	b.writeTokens(tokens)
	w.write(uint64(b.litCodes[endOfBlock]), uint(b.litLens[endOfBlock]))

	b.litFreq = [numLitLen]int32{}
	b.distFreq = [numDist]int32{}
}

// writeTokens writes tokens with the block's codes. It keeps the bits in
// locals and stores 8 bytes after every token, advancing by the whole
// bytes written: a token is at most 48 bits (15+5 for the length, 15+13
// for the distance), so fewer than 8+48 bits are ever pending.
func (b *blockWriter) writeTokens(tokens []token) {
	// Match lengths' codes with their extra bits, for this block.
	var lenV [256]uint32
	var lenN [256]uint8
	for l := range 256 {
		s := int(lengthSym[l])
		nb := b.litLens[257+s]
		lenV[l] = uint32(b.litCodes[257+s]) | uint32(l+minMatchLen-int(lengthBase[s]))<<nb
		lenN[l] = nb + lengthExtra[l]
	}

	w := &b.bw
	for w.n >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
	pos := len(w.out)
	buf := slices.Grow(w.out, 6*len(tokens)+8)
	buf = buf[:cap(buf)]
	acc, n := w.acc, w.n
	for _, t := range tokens {
		var v uint64
		var nb uint
		if t&matchFlag == 0 {
			v, nb = uint64(b.litCodes[t&0xff]), uint(b.litLens[t&0xff])
		} else {
			l := uint8(t >> 16)
			v, nb = uint64(lenV[l]), uint(lenN[l])
			d := uint32(t) & 0x7fff
			ds := uint32(t>>24) & 31
			eb := distExtraBits[ds]
			v |= (uint64(b.distCode[ds]) | uint64(d&(1<<eb-1))<<b.distLens[ds]) << nb
			nb += uint(b.distLens[ds]) + uint(eb)
		}
		acc |= v << n
		n += nb
		binary.LittleEndian.PutUint64(buf[pos:pos+8], acc)
		k := n >> 3
		pos += int(k)
		acc >>= k << 3
		n &= 7
	}
	w.out, w.acc, w.n = buf[:pos], acc, n
}
