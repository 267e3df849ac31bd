package text

import (
	"archive/tar"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"image/color"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
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

// TestEmojiSetCompact checks that the Twemoji set, once read, gives back
// every SVG of the archive byte for byte, while holding them deflated:
// under 3 MB where the SVGs themselves are 9 MB, in blocks that each
// inflate to at most emojiBlockBytes plus one SVG.
func TestEmojiSetCompact(t *testing.T) {
	names, _ := fs.Glob(os.DirFS("../../fonts"), "twemoji-*.tar.gz")
	if len(names) != 1 {
		t.Fatalf("fonts/ has %d Twemoji archives, want 1", len(names))
	}
	data, err := os.ReadFile(filepath.Join("../../fonts", names[0]))
	if err != nil {
		t.Fatal(err)
	}
	e := &emojiSet{name: names[0], data: blob{b: data}}
	if err := e.load(); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	count, raw, largest := 0, 0, 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(h.Name, ".svg") {
			continue
		}
		want, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		key := strings.TrimSuffix(path.Base(h.Name), ".svg")
		got, err := e.svg(key)
		if err != nil {
			t.Fatalf("svg(%q): %v", key, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("svg(%q) = %d bytes, differs from the archive's %d", key, len(got), len(want))
		}
		count, raw, largest = count+1, raw+len(want), max(largest, len(want))
	}
	if count != len(e.svgs) || count < 3000 {
		t.Errorf("archive has %d SVGs, set indexes %d", count, len(e.svgs))
	}
	held := 0
	for i, b := range e.blocks {
		held += len(b)
		zr := flate.NewReader(bytes.NewReader(b))
		n, err := io.Copy(io.Discard, zr)
		if err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		if n > emojiBlockBytes+int64(largest) {
			t.Errorf("block %d inflates to %d bytes, want at most %d", i, n, emojiBlockBytes+largest)
		}
	}
	if held > 3<<20 {
		t.Errorf("set holds %d bytes for %d bytes of SVG, want under 3 MiB", held, raw)
	}
	if _, err := e.svg("not-an-emoji"); err == nil {
		t.Error(`svg("not-an-emoji") = nil error, want one`)
	}
}

// TestMaskCacheBound checks that rasterised glyphs, colour emoji among
// them, are kept within the mask cache's byte limit (plus the one glyph
// that overflowed it), however many sizes a site's cards ask for.
func TestMaskCacheBound(t *testing.T) {
	l := NewLibrary(nil)
	if err := l.LoadFS(os.DirFS("../../fonts")); err != nil {
		t.Fatal(err)
	}
	const limit = 256 << 10
	l.masks.init(limit)
	sh := l.Shaper()
	defer sh.Release()
	largest, emoji := 0, 0
	for size := 20.0; size <= 120; size += 5 {
		b, err := sh.Layout("Hej 🇸🇪 ⚡ 👍🏽 ❤️ quick brown fox", Style{Weight: 700, MaxSizePx: size, MinSizePx: size}, 4000, 400)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range b.Lines {
			for _, r := range line.Runs {
				for _, g := range r.Glyphs {
					m, _ := l.Glyph(r.Font, g.ID, r.SizePx, g.XPx)
					n := 64
					if m.Mask != nil {
						n += len(m.Mask.Pix)
					}
					if m.Color != nil {
						n += len(m.Color.Pix)
						emoji++
					}
					largest = max(largest, n)
					held := 0
					for _, m := range l.masks.m {
						held += 64
						if m.Mask != nil {
							held += len(m.Mask.Pix)
						}
						if m.Color != nil {
							held += len(m.Color.Pix)
						}
					}
					if held > limit+largest || held != l.masks.bytes {
						t.Fatalf("at %.0f px the cache holds %d bytes (counted %d), want at most %d + %d", size, held, l.masks.bytes, limit, largest)
					}
				}
			}
		}
	}
	if emoji == 0 {
		t.Error("no colour emoji drawn: the test does not cover them")
	}
}
