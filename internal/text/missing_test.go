package text

import (
	"math"
	"testing"
)

// TestMissingLeavesNoHole: characters no font has (Ethiopic here) are
// reported and left out without keeping .notdef's advance, so the text
// after them starts where it would without them.
func TestMissingLeavesNoHole(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	style := Style{Families: []string{"Inter"}, Weight: 700, MaxSizePx: 40}
	lastX := func(text string) float64 {
		b, err := sh.Layout(text, style, 2000, 100)
		if err != nil {
			t.Fatal(err)
		}
		if text != "AB" && len(b.Missing) != 3 {
			t.Fatalf("Layout(%q).Missing = %q, want the three Ethiopic letters", text, string(b.Missing))
		}
		runs := b.Lines[0].Runs
		gl := runs[len(runs)-1].Glyphs
		return gl[len(gl)-1].XPx
	}
	if with, without := lastX("A\u1230\u120b\u121dB"), lastX("AB"); math.Abs(with-without) > 0.5 {
		t.Errorf("B starts at x=%.1f after three missing letters, at x=%.1f without them: a hole of %.1f px", with, without, with-without)
	}
}
