package lint

import (
	"cmp"
	"image/color"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPercentile checks that percentile picks the very sample a stable sort
// by ratio puts at index k, ties included: samples of equal ratio but
// different colours (which the finding names) must come out in their
// original order, as slices.SortStableFunc keeps them.
func TestPercentile(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var keys []float64
	for trial := range 2000 {
		n := 1 + rng.IntN(300)
		levels := 1 + rng.IntN(6) // few distinct ratios: many ties
		if trial%4 == 0 {
			levels = 1000
		}
		samples := make([]sampled, n)
		for i := range samples {
			samples[i] = sampled{
				ratio: 1 + float64(rng.IntN(levels))/4,
				bg:    color.NRGBA{uint8(i), uint8(i >> 8), 0, 255}, // tells tied samples apart
			}
		}
		want := slices.Clone(samples)
		slices.SortStableFunc(want, func(a, b sampled) int { return cmp.Compare(a.ratio, b.ratio) })
		before := slices.Clone(samples)
		for _, k := range []int{0, n / 5, n / 2, n - 1} {
			var got sampled
			got, keys = percentile(samples, k, keys)
			if got != want[k] {
				t.Fatalf("trial %d: percentile(%d samples, k=%d) = %+v, want %+v", trial, n, k, got, want[k])
			}
		}
		if !slices.Equal(samples, before) {
			t.Fatalf("trial %d: percentile reordered the samples", trial)
		}
	}
}
