package render

import (
	"image"
	"runtime/debug"
	"testing"
)

// TestRefit checks that a pooled canvas serves any card that fits its
// buffer, with that card's geometry, and no card that does not.
func TestRefit(t *testing.T) {
	big := image.NewRGBA(image.Rect(0, 0, 1080, 1350))
	tests := []struct {
		w, h int
		ok   bool
	}{
		{1200, 630, true},
		{1080, 1350, true},
		{1080, 1080, true},
		{1350, 1080, true}, // same area, other shape
		{1200, 1500, false},
		{0, 630, false},
	}
	for _, tt := range tests {
		img, ok := refit(big, tt.w, tt.h)
		if ok != tt.ok {
			t.Errorf("refit(1080×1350 canvas, %d, %d) ok = %v, want %v", tt.w, tt.h, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if img.Rect != image.Rect(0, 0, tt.w, tt.h) || img.Stride != 4*tt.w || len(img.Pix) != 4*tt.w*tt.h {
			t.Errorf("refit(%d, %d) = rect %v stride %d len %d, want the card's", tt.w, tt.h, img.Rect, img.Stride, len(img.Pix))
		}
		if &img.Pix[0] != &big.Pix[0] {
			t.Errorf("refit(%d, %d) allocated, want the pooled buffer", tt.w, tt.h)
		}
	}
}

// TestCanvasMixedSizes checks that cards of alternating sizes reuse one
// pooled canvas instead of allocating 3-6 MB each.
func TestCanvasMixedSizes(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops Puts at random under the race detector")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // a collection empties the pool
	r := &Renderer{shared: &shared{}}
	sizes := []image.Point{{1200, 630}, {1080, 1350}, {1080, 1080}, {1600, 900}}
	r.canvases.Put(r.pooled(1080, 1350))
	allocs := testing.AllocsPerRun(20, func() {
		for _, s := range sizes {
			cv := r.pooled(s.X, s.Y)
			if cv.img.Rect.Dx() != s.X || cv.img.Rect.Dy() != s.Y {
				t.Fatalf("pooled(%d, %d) is %v", s.X, s.Y, cv.img.Rect)
			}
			r.canvases.Put(cv)
		}
	})
	// 1600×900 is larger than 1080×1350: it replaces the pooled canvas
	// once, and then serves every size.
	if allocs > 0.2 {
		t.Errorf("%.1f allocations per round of %d sizes, want none once the largest is pooled", allocs, len(sizes))
	}
}
