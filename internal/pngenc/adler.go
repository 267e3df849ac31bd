package pngenc

import "encoding/binary"

// adler32Sum returns the Adler-32 checksum of p (RFC 1950), as
// hash/adler32.Checksum, but about three times as fast: it adds eight
// bytes at a time into 16-bit lanes of a uint64 and works out the
// weighted sum of a 128-byte block from lane totals at the block's end.
func adler32Sum(p []byte) uint32 {
	const (
		mod   = 65521
		lanes = 0x00ff00ff00ff00ff
		words = 16      // 8-byte words per block: lane totals stay below 2^16
		chunk = 1 << 16 // bytes between reductions modulo 65521
	)
	s1, s2 := uint64(1), uint64(0)
	for len(p) > 0 {
		q := p[:min(len(p), chunk)]
		p = p[len(q):]
		for len(q) >= 8*words {
			// even and odd hold the sums of the bytes 0, 2, 4, 6 and
			// 1, 3, 5, 7 of the words so far; pre the sum over words
			// of even+odd before each word was added.
			// even holds the sums of the bytes 0, 2, 4, 6 of the words
			// so far, sum those of the byte pairs 0+1, 2+3, ...; pre is
			// the sum over words of sum before each word was added.
			var even, sum, pre uint64
			b := q[:8*words]
			q = q[8*words:]
			for len(b) >= 32 {
				x0 := binary.LittleEndian.Uint64(b[0:8])
				x1 := binary.LittleEndian.Uint64(b[8:16])
				x2 := binary.LittleEndian.Uint64(b[16:24])
				x3 := binary.LittleEndian.Uint64(b[24:32])
				b = b[32:]
				e0, e1, e2, e3 := x0&lanes, x1&lanes, x2&lanes, x3&lanes
				p0, p1, p2 := e0+x0>>8&lanes, e1+x1>>8&lanes, e2+x2>>8&lanes
				p3 := e3 + x3>>8&lanes
				pre += 4*sum + 3*p0 + 2*p1 + p2
				sum += p0 + p1 + p2 + p3
				even += e0 + e1 + e2 + e3
			}
			odd := sum - even
			// Byte j of a word is followed by 8-j bytes of it and by
			// 8 bytes per later word.
			w := 8*lane(even, 0) + 6*lane(even, 1) + 4*lane(even, 2) + 2*lane(even, 3) +
				7*lane(odd, 0) + 5*lane(odd, 1) + 3*lane(odd, 2) + lane(odd, 3)
			pw := lane(pre, 0) + lane(pre, 1) + lane(pre, 2) + lane(pre, 3)
			s2 += 8*words*s1 + 8*pw + w
			s1 += lane(sum, 0) + lane(sum, 1) + lane(sum, 2) + lane(sum, 3)
		}
		for _, b := range q {
			s1 += uint64(b)
			s2 += s1
		}
		s1 %= mod
		s2 %= mod
	}
	return uint32(s2<<16 | s1)
}

// lane returns 16-bit lane i of x.
func lane(x uint64, i uint) uint64 { return x >> (16 * i) & 0xffff }
