package pngenc

import "encoding/binary"

// PNG filter type bytes.
const (
	ftNone = iota
	ftSub
	ftUp
	ftAverage
	ftPaeth
)

// filterRow filters st.cur against st.prev (both: type byte, then the raw
// row) and returns the row to compress, type byte first. The returned slice
// is st.cur or one of st.cand, valid until the next call.
func (st *state) filterRow(f Filter, bpp int) []byte {
	var ft int
	switch f {
	case FilterSub:
		ft = ftSub
	case FilterUp:
		ft = ftUp
	case FilterAdaptive:
		return st.adaptive(bpp)
	default:
		st.cur[0] = ftNone
		return st.cur
	}
	out := st.cand[ft]
	out[0] = byte(ft)
	applyFilter(ft, out[1:], st.cur[1:], st.prev[1:], bpp, 0, len(out)-1)
	return out
}

// segment is how many bytes adaptive filters before it checks whether the
// candidate has already lost.
const segment = 256

// adaptive applies every filter and keeps the one whose output has the
// smallest sum of absolute values, bytes read as signed: libpng's heuristic,
// a cheap guess at what deflate will compress best. A candidate is abandoned
// as soon as its partial sum reaches the best one's.
func (st *state) adaptive(bpp int) []byte {
	cur, prev := st.cur[1:], st.prev[1:]
	st.cur[0] = ftNone
	best, bestSum := st.cur, sumAbs(cur)
	for _, ft := range [...]int{ftUp, ftSub, ftPaeth, ftAverage} {
		c := st.cand[ft]
		c[0] = byte(ft)
		out, s := c[1:], 0
		for lo := 0; lo < len(out) && s < bestSum; lo += segment {
			hi := min(lo+segment, len(out))
			applyFilter(ft, out, cur, prev, bpp, lo, hi)
			s += sumAbs(out[lo:hi])
		}
		if s < bestSum {
			best, bestSum = c, s
		}
	}
	return best
}

// sumAbs returns the sum of |int8(v)| over b.
//
// It works on eight bytes at a time (SWAR): this sum is most of the adaptive
// filter's cost.
func sumAbs(b []byte) int {
	const (
		ones  = 0x0101010101010101
		lanes = 0x00ff00ff00ff00ff
	)
	s := 0
	for len(b) >= 8 {
		// Each 16-bit lane of acc gains at most 2*128 per word: fold
		// before 256 words can overflow it.
		var acc uint64
		n := min(len(b)/8, 128)
		for i := 0; i < n; i++ {
			x := binary.LittleEndian.Uint64(b[8*i:])
			neg := (x >> 7) & ones
			a := (x ^ neg*0xff) + neg // per byte: -x where negative; no carries
			acc += a&lanes + (a>>8)&lanes
		}
		s += int(acc&0xffff + (acc>>16)&0xffff + (acc>>32)&0xffff + acc>>48)
		b = b[8*n:]
	}
	for _, v := range b {
		d := int(int8(v))
		s += (d ^ d>>63) - d>>63
	}
	return s
}

// applyFilter writes out[lo:hi] for PNG filter type ft (not ftNone) of the
// raw row cur, whose predecessor is prev (zeros for the first row). cur,
// prev and out have the same length.
func applyFilter(ft int, out, cur, prev []byte, bpp, lo, hi int) {
	// Bytes of the first pixel have no left neighbour: it counts as 0.
	for ; lo < hi && lo < bpp; lo++ {
		switch ft {
		case ftSub:
			out[lo] = cur[lo]
		case ftUp, ftPaeth: // Paeth of (0, up, 0) is up
			out[lo] = cur[lo] - prev[lo]
		case ftAverage:
			out[lo] = cur[lo] - prev[lo]/2
		}
	}
	if lo >= hi {
		return
	}
	o, c, p := out[lo:hi], cur[lo:hi], prev[lo:hi]
	l, ul := cur[lo-bpp:hi-bpp], prev[lo-bpp:hi-bpp] // left, upper left
	switch ft {
	case ftSub:
		for i := range o {
			o[i] = c[i] - l[i]
		}
	case ftUp:
		for i := range o {
			o[i] = c[i] - p[i]
		}
	case ftAverage:
		for i := range o {
			o[i] = c[i] - uint8((int(l[i])+int(p[i]))/2)
		}
	case ftPaeth:
		for i := range o {
			a, b, cc := int(l[i]), int(p[i]), int(ul[i])
			pa, pb, pc := b-cc, a-cc, a+b-2*cc
			pa = (pa ^ pa>>63) - pa>>63
			pb = (pb ^ pb>>63) - pb>>63
			pc = (pc ^ pc>>63) - pc>>63
			pred := cc
			if pa <= pb && pa <= pc {
				pred = a
			} else if pb <= pc {
				pred = b
			}
			o[i] = c[i] - uint8(pred)
		}
	}
}
