package text

import (
	"strings"
	"testing"
)

// TestNestedBidi: a number inside a right-to-left phrase inside a
// left-to-right line (level 2 in level 1 in level 0) is drawn as UAX #9
// says: "and مرحبا 2026 ok" reads, left to right, "and 2026 ابحرم ok".
// go-text's own two-level ordering drew 2026 right of the Arabic word.
func TestNestedBidi(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	tests := []struct {
		text  string
		order []string // substrings of text, left to right as drawn
	}{
		{"and مرحبا 2026 ok", []string{"and", "2026", "مرحبا", "ok"}},
		{"مرحبا Go 1.22 بالعالم", []string{"بالعالم", "Go", "1.22", "مرحبا"}},
		{"release (شالوم) notes", []string{"release", "(", "شالوم", ")", "notes"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			b, err := sh.Layout(tt.text, Style{Weight: 700, MaxSizePx: 40}, 2000, 100)
			if err != nil {
				t.Fatal(err)
			}
			// x of each substring: the leftmost glyph of its runes.
			xOf := func(sub string) float64 {
				i := strings.Index(tt.text, sub)
				lo := len([]rune(tt.text[:i]))
				hi := lo + len([]rune(sub))
				x := 1e9
				for _, r := range b.Lines[0].Runs {
					for _, g := range r.Glyphs {
						if g.Cluster >= lo && g.Cluster < hi {
							x = min(x, g.XPx)
						}
					}
				}
				if x == 1e9 {
					t.Fatalf("no glyph for %q", sub)
				}
				return x
			}
			for i := 1; i < len(tt.order); i++ {
				if a, c := xOf(tt.order[i-1]), xOf(tt.order[i]); a >= c {
					t.Errorf("%q (x %.1f) is not left of %q (x %.1f)", tt.order[i-1], a, tt.order[i], c)
				}
			}
		})
	}
}
