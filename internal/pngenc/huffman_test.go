package pngenc

import "testing"

// TestHuffmanLengths: codes are complete (Kraft sum exactly 1, which
// compress/flate and zlib require of every code but a lone symbol) and
// within their bit limit, also for Fibonacci counts whose optimal code is
// as deep as there are symbols, and for the edge cases of none, one and
// two used symbols.
func TestHuffmanLengths(t *testing.T) {
	fib := func(n int) []int32 {
		f := make([]int32, n)
		a, b := int32(1), int32(1)
		for i := range f {
			f[i] = a
			a, b = b, a+b
		}
		return f
	}
	flat := make([]int32, numLitLen)
	for i := range flat {
		flat[i] = 1
	}
	tests := []struct {
		name  string
		freq  []int32
		limit int
	}{
		{"none", make([]int32, numDist), maxCodeBits},
		{"one-symbol-0", []int32{5, 0, 0, 0}, maxCodeBits},
		{"one-symbol-3", []int32{0, 0, 0, 9}, maxCodeBits},
		{"two-symbols", []int32{0, 1, 0, 1000}, maxCodeBits},
		{"fibonacci-30-to-15-bits", fib(30), maxCodeBits},
		{"fibonacci-19-to-7-bits", fib(numCodeLen), maxCLCodeBits},
		{"fibonacci-286-to-15-bits", append(fib(25), flat[25:]...), maxCodeBits},
		{"flat-286", flat, maxCodeBits},
	}
	var h huffman
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lens := make([]uint8, len(tt.freq))
			h.lengths(tt.freq, lens, tt.limit)
			kraft, used := 0, 0
			for i, l := range lens {
				if int(l) > tt.limit {
					t.Fatalf("symbol %d has %d bits, limit %d", i, l, tt.limit)
				}
				if tt.freq[i] > 0 && l == 0 {
					t.Fatalf("used symbol %d has no code", i)
				}
				if l > 0 {
					kraft += 1 << (maxCodeBits - int(l))
					used++
				}
			}
			if kraft != 1<<maxCodeBits {
				t.Errorf("Kraft sum %d/%d over %d codes, want exactly 1: lengths %v", kraft, 1<<maxCodeBits, used, lens)
			}
		})
	}
	// More frequent symbols never get longer codes.
	f := fib(30)
	lens := make([]uint8, len(f))
	h.lengths(f, lens, maxCodeBits)
	for i := 1; i < len(f); i++ {
		if f[i] > f[i-1] && lens[i] > lens[i-1] {
			t.Errorf("symbol %d (count %d) has %d bits, symbol %d (count %d) %d", i, f[i], lens[i], i-1, f[i-1], lens[i-1])
		}
	}
}
