package text

import (
	"image/color"
	"strings"
	"testing"
)

// TestColourEmoji: with Twemoji loaded, emoji sequences are one picture
// each, in colour: 🇸🇪 is a blue and yellow flag (not the letters "SE"),
// 👩‍💻 one person, and text around them stays outline glyphs.
func TestColourEmoji(t *testing.T) {
	l := lib(t)
	if l.emoji == nil {
		t.Fatal("fonts/ has no Twemoji archive")
	}
	sh := l.Shaper()
	defer sh.Release()
	tests := []struct {
		text   string
		emoji  int          // colour glyphs expected
		colour []color.RGBA // colours that must appear, ±24 per channel
	}{
		{"Hej 🇸🇪", 1, []color.RGBA{{0x00, 0x6a, 0xa7, 0xff}, {0xfe, 0xcc, 0x00, 0xff}}},
		{"👩‍💻 dev", 1, nil},
		{"⚡ 👍🏽 ❤️", 3, []color.RGBA{{0xdd, 0x2e, 0x44, 0xff}}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			b, err := sh.Layout(tt.text, Style{Weight: 700, MaxSizePx: 64}, 2000, 200)
			if err != nil {
				t.Fatal(err)
			}
			n, outlines := 0, 0
			found := make([]bool, len(tt.colour))
			for _, r := range b.Lines[0].Runs {
				for _, g := range r.Glyphs {
					m, _ := l.Glyph(r.Font, g.ID, r.SizePx, g.XPx)
					if m.Color == nil {
						if m.Mask != nil {
							outlines++
						}
						continue
					}
					n++
					if m.Color.Rect.Dx() != 64 || m.Color.Rect.Dy() != 64 {
						t.Errorf("emoji is %v, want 64×64", m.Color.Rect)
					}
					for i := 0; i < len(m.Color.Pix); i += 4 {
						px := m.Color.Pix[i : i+4]
						for k, c := range tt.colour {
							if px[3] == 0xff && near(px[0], c.R) && near(px[1], c.G) && near(px[2], c.B) {
								found[k] = true
							}
						}
					}
				}
			}
			if n != tt.emoji {
				t.Errorf("Layout(%q): %d colour emoji, want %d", tt.text, n, tt.emoji)
			}
			if outlines == 0 && strings.ContainsAny(tt.text, "abcdefghijklmnopqrstuvwxyzH") {
				t.Errorf("Layout(%q): no outline glyphs for the letters", tt.text)
			}
			for k, ok := range found {
				if !ok {
					t.Errorf("Layout(%q): colour %v not drawn", tt.text, tt.colour[k])
				}
			}
		})
	}
}

func near(a, b uint8) bool { return int(a)-int(b) <= 24 && int(b)-int(a) <= 24 }

func TestTwemojiName(t *testing.T) {
	tests := map[string]string{
		"🇸🇪":    "1f1f8-1f1ea",
		"❤️":    "2764",                       // FE0F dropped
		"👩‍💻":   "1f469-200d-1f4bb",           // ZWJ sequence
		"👁️‍🗨️": "1f441-fe0f-200d-1f5e8-fe0f", // FE0F kept with a ZWJ
	}
	for in, want := range tests {
		if got := twemojiName([]rune(in)); got != want {
			t.Errorf("twemojiName(%q) = %q, want %q", in, got, want)
		}
	}
}
