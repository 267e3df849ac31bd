package text

import (
	"os"
	"slices"
	"testing"
)

// TestShaperChain: a Shaper's remembered fallback chains are the
// Library's, for styles that differ only in weight, in the order of their
// families, or in how their names split; and a font added later is in the
// chains asked for after it.
func TestShaperChain(t *testing.T) {
	l := lib(t)
	sh := l.Shaper()
	defer sh.Release()
	styles := []struct {
		families []string
		weight   int
	}{
		{[]string{"Inter"}, 400},
		{[]string{"Inter"}, 700},
		{[]string{"Noto Sans Hebrew", "Inter"}, 700},
		{[]string{"Inter", "Noto Sans Hebrew"}, 700},
		{[]string{"Noto Sans Thai"}, 400},
		{[]string{"Noto Sans", "Thai"}, 400},
		{nil, 400},
		{[]string{"Noto Sans Hebrew\x00Inter"}, 700}, // no such family: the fallbacks alone
	}
	for round := range 2 { // the second round is answered from memory
		for _, s := range styles {
			if got, want := sh.chain(s.families, s.weight), l.chain(s.families, s.weight); !slices.Equal(got, want) {
				t.Errorf("round %d: chain(%q, %d) = %s, want %s", round, s.families, s.weight, names(got), names(want))
			}
		}
	}

	one := NewLibrary(nil)
	sh1 := one.Shaper()
	defer sh1.Release()
	for _, name := range []string{"Inter-Regular.otf", "Inter-Bold.otf"} {
		data, err := os.ReadFile("../../fonts/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sh1.chain([]string{"Inter"}, 700) // remembered before the font is added
		if _, err := one.Add(name, data); err != nil {
			t.Fatal(err)
		}
	}
	if got := sh1.chain([]string{"Inter"}, 700); len(got) == 0 || got[0].Weight != 700 {
		t.Errorf("after adding Inter Bold, chain(Inter, 700) = %s, want Inter Bold first", names(got))
	}
}

func names(fs []*Font) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}
