package text

import (
	"os"
	"testing"
)

// TestScriptFonts: each script is set in its own font, at the weight asked
// for where one exists: bold CJK and Hangul come from Noto Sans CJK, regular
// ones from Droid Sans Fallback, and no character is missing.
func TestScriptFonts(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	tests := []struct {
		text       string
		weight     int
		wantFamily string
		wantWeight int
	}{
		{"ภาษาไทย", 700, "Noto Sans Thai", 700},
		{"ภาษาไทย", 400, "Noto Sans Thai", 400},
		{"हिन्दी", 700, "Noto Sans Devanagari", 700},
		{"বাংলা", 700, "Noto Sans Bengali", 700},
		{"தமிழ்", 400, "Noto Sans Tamil", 400},
		{"漢字かな", 700, "Noto Sans CJK SC", 700},
		{"한국어", 700, "Noto Sans CJK SC", 700},
		{"한국어", 600, "Noto Sans CJK SC", 700},
		{"漢字かな", 400, "Droid Sans Fallback", 400},
		{"한국어", 400, "Droid Sans Fallback", 400},
		{"丟", 700, "Droid Sans Fallback", 400}, // outside the subset: Droid behind it
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			b, err := sh.Layout(tt.text, Style{Families: []string{"Inter"}, Weight: tt.weight, MaxSizePx: 40}, 1000, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Missing) > 0 {
				t.Errorf("Layout(%q) misses %q", tt.text, string(b.Missing))
			}
			n := 0
			for _, r := range b.Lines[0].Runs {
				n += len(r.Glyphs)
				if r.Font.Family != tt.wantFamily || r.Font.Weight != tt.wantWeight {
					t.Errorf("Layout(%q, weight %d) uses %s %d, want %s %d", tt.text, tt.weight, r.Font.Family, r.Font.Weight, tt.wantFamily, tt.wantWeight)
				}
			}
			if n == 0 {
				t.Errorf("Layout(%q) drew no glyphs", tt.text)
			}
		})
	}
}

// TestFallbackFontsParsedLazily: Latin text parses no fallback font.
func TestFallbackFontsParsedLazily(t *testing.T) {
	l := NewLibrary(nil)
	if err := l.LoadFS(os.DirFS("../../fonts")); err != nil {
		t.Fatal(err)
	}
	sh := l.Shaper()
	defer sh.Release()
	if _, err := sh.Layout("Plain Latin title", Style{Weight: 700, MaxSizePx: 40}, 1000, 100); err != nil {
		t.Fatal(err)
	}
	for _, f := range l.Fonts() {
		if parsed := f.ft != nil; parsed != (f.Name == "Inter-Bold.otf") {
			t.Errorf("%s parsed = %v after a Latin title", f.Name, parsed)
		}
	}
}

// TestFallbackParsesOnlyWhatDraws checks that setting a CJK character
// parses the CJK font that draws it, and not the script fonts the fallback
// chain asks first: their cmaps answer no.
func TestFallbackParsesOnlyWhatDraws(t *testing.T) {
	l := NewLibrary(nil)
	if err := l.LoadFS(os.DirFS("../../fonts")); err != nil {
		t.Fatal(err)
	}
	sh := l.Shaper()
	defer sh.Release()
	b, err := sh.Layout("Hello 的服务", Style{Weight: 400, MaxSizePx: 40}, 2000, 200)
	if err != nil {
		t.Fatal(err)
	}
	drawn := map[string]bool{}
	for _, line := range b.Lines {
		for _, r := range line.Runs {
			drawn[r.Font.Name] = true
		}
	}
	if !drawn["DroidSansFallback.ttf"] {
		t.Fatalf("Layout drew with %v, want Droid Sans Fallback for 的服务", drawn)
	}
	for _, f := range l.Fonts() {
		if parsed := f.ft != nil; parsed != drawn[f.Name] {
			t.Errorf("%s: parsed in full %v, drawn with %v; want a font parsed only when it draws", f.Name, parsed, drawn[f.Name])
		}
	}
}
