// Package text turns strings into positioned glyphs: font fallback per
// cluster, shaping (go-text/typesetting, a HarfBuzz port, checked against
// hb-shape), bidi levels and ordering by the full UAX #9 (package uba), line
// breaking by UAX #14 narrowed to phrases (BudouX for Japanese, Chinese and
// Thai; whole words for Korean), fitting to a box, ellipsis, and colour
// emoji drawn from Twemoji's SVGs. It is the only package that imports
// go-text.
//
// A Library is immutable once built and safe for concurrent use. A Shaper is
// not: take one per goroutine (Library.Shaper pools them).
package text

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/font/opentype/tables"
	"github.com/go-text/typesetting/harfbuzz"
	"github.com/go-text/typesetting/shaping"

	"github.com/ogcard/ogcard/internal/safefile"
)

// Font is one font file. Its methods are safe for concurrent use.
//
// Only the table directory and naming tables are read when the font is
// added; the font is parsed in full once, the first time a glyph is looked
// up. A site that never sets CJK text never pays for Droid Sans Fallback's
// 12 MB of parsed tables, and a batch build with nothing to draw parses no
// font at all.
type Font struct {
	ID     int    // index in its Library, stable for the Library's life
	Name   string // file name, for messages
	Family string // "Inter", "Noto Sans Arabic"
	Weight int    // 100..900
	Italic bool

	data blob
	once sync.Once
	ft   *font.Font // nil if the full parse failed

	cmapOnce sync.Once
	cmap     font.Cmap // nil if it did not parse
	upem     float64
	// ascent and descent are the typographic extents in em (descent > 0).
	ascent, descent float64
}

// load parses the font in full, once.
func (f *Font) load() *font.Font {
	f.once.Do(func() {
		face, err := font.ParseTTF(f.data.reader())
		if err != nil || face.Upem() == 0 {
			return // the font then has no glyphs; Add checked its tables
		}
		f.ft = face.Font
		f.upem = float64(face.Upem())
		ext, _ := face.FontHExtents()
		f.ascent, f.descent = float64(ext.Ascender)/f.upem, -float64(ext.Descender)/f.upem
	})
	return f.ft
}

// hasGlyph reports whether the font maps r to a glyph. The font's cmap
// alone answers no: a CJK character asks every script font of the fallback
// chain before the CJK ones, and parsing each in full only to learn it has
// no such glyph cost 5 MB of heap that nothing drew with.
func (f *Font) hasGlyph(r rune) bool {
	f.cmapOnce.Do(func() {
		// As font.NewFont reads it, so the answer is the full parse's.
		ld, err := ot.NewLoader(f.data.reader())
		if err != nil {
			return
		}
		raw, _ := ld.RawTable(ot.MustNewTag("OS/2"))
		os2, _, _ := tables.ParseOs2(raw)
		raw, err = ld.RawTable(ot.MustNewTag("cmap"))
		if err != nil {
			return
		}
		tb, _, err := tables.ParseCmap(raw)
		if err != nil {
			return
		}
		if cm, _, err := font.ProcessCmap(tb, os2.FontPage()); err == nil {
			f.cmap = cm
		}
	})
	if f.cmap != nil {
		if _, ok := f.cmap.Lookup(r); !ok {
			return false
		}
	}
	ft := f.load()
	if ft == nil {
		return false
	}
	_, ok := ft.NominalGlyph(r)
	return ok
}

// Extents returns the font's ascent and descent in em.
func (f *Font) Extents() (ascent, descent float64) {
	if f.load() == nil {
		return 0.9, 0.25
	}
	return f.ascent, f.descent
}

// DefaultFallback is the family order tried after a style's own families:
// Latin, Greek and Cyrillic, then the scripts Inter lacks, CJK (a bold
// subset of Noto Sans CJK for the common characters, Droid Sans Fallback for
// the rest and for regular weights), and emoji.
var DefaultFallback = []string{
	"Inter", "Noto Sans Arabic", "Noto Sans Hebrew",
	"Noto Sans Thai", "Noto Sans Devanagari", "Noto Sans Bengali", "Noto Sans Tamil",
	"Noto Sans CJK SC", "Droid Sans Fallback", "Noto Emoji",
}

// maxWeightGap is how far a fallback font's weight may be from the asked
// weight before it yields to the next family that has the character: bold
// Noto Sans CJK must not set regular text, and regular Droid Sans Fallback
// should not set bold text when a bold CJK font has the character.
const maxWeightGap = 200

// Library holds parsed fonts. Build it with Add, then share it.
type Library struct {
	fonts    []*Font
	fallback []string

	shapers sync.Pool
	masks   maskCache

	emoji   *emojiSet // nil: emoji are drawn from Noto Emoji, in the text colour
	emojiMu sync.Mutex
}

// NewLibrary returns an empty Library whose fallback chain is fallback (nil
// means DefaultFallback).
func NewLibrary(fallback []string) *Library {
	if fallback == nil {
		fallback = DefaultFallback
	}
	l := &Library{fallback: slices.Clone(fallback)}
	l.masks.init(16 << 20) // 16 MiB of glyph masks
	return l
}

// Add adds an OpenType font (TTF or CFF OTF). It checks the table
// directory and reads the family and weight now, and parses the rest on
// first use. The Library keeps data.
func (l *Library) Add(name string, data []byte) (*Font, error) {
	return l.add(name, blob{b: data})
}

// AddString is Add for a font whose bytes are a string, read in place: a
// file embedded in the binary (fonts.FS) then stays out of the heap.
func (l *Library) AddString(name, data string) (*Font, error) {
	return l.add(name, blob{s: data})
}

// blob is a file's bytes: read into the heap, or a string kept where it is
// (in the binary's read-only data, which the collector does not count).
type blob struct {
	b []byte
	s string
}

func (d blob) reader() font.Resource {
	if d.b != nil {
		return bytes.NewReader(d.b)
	}
	return strings.NewReader(d.s)
}

func (l *Library) add(name string, data blob) (*Font, error) {
	ld, err := ot.NewLoader(data.reader())
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", name, err)
	}
	desc, _ := font.Describe(ld, nil)
	if desc.Family == "" {
		return nil, fmt.Errorf("font %s: no family name in its name table", name)
	}
	f := &Font{
		ID:     len(l.fonts),
		Name:   name,
		Family: desc.Family,
		Weight: int(desc.Aspect.Weight),
		Italic: desc.Aspect.Style != font.StyleNormal,
		data:   data,
	}
	if f.Weight == 0 {
		f.Weight = 400
	}
	l.fonts = append(l.fonts, f)
	return f, nil
}

// maxFontBytes caps each font file LoadFS reads.
const maxFontBytes = 32 << 20

// LoadFS adds every .ttf and .otf file at the top of fsys, in name order,
// and a Twemoji SVG archive (IsEmojiSVGs) if there is one. A file that is not
// a regular one, or is over 32 MiB, is an error naming it.
func (l *Library) LoadFS(fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*")
	if err != nil {
		return err
	}
	for _, name := range names {
		emoji := IsEmojiSVGs(name)
		switch strings.ToLower(path.Ext(name)) {
		case ".ttf", ".otf":
		default:
			if !emoji {
				continue
			}
		}
		data, err := safefile.ReadFS(fsys, name, maxFontBytes)
		if err != nil {
			return fmt.Errorf("font %s: %w", name, err)
		}
		if emoji {
			err = l.AddEmojiSVGs(name, data)
		} else {
			_, err = l.Add(name, data)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Fonts returns the fonts in the order they were added.
func (l *Library) Fonts() []*Font { return l.fonts }

// HasFamily reports whether a font of family is loaded.
func (l *Library) HasFamily(family string) bool {
	for _, f := range l.fonts {
		if strings.EqualFold(f.Family, family) {
			return true
		}
	}
	return false
}

// Families returns the loaded font families, each once, in load order.
func (l *Library) Families() []string {
	var out []string
	for _, f := range l.fonts {
		if !slices.Contains(out, f.Family) {
			out = append(out, f.Family)
		}
	}
	return out
}

// pick returns the font of family closest to weight, or nil.
func (l *Library) pick(family string, weight int) *Font {
	var best *Font
	for _, f := range l.fonts {
		if !strings.EqualFold(f.Family, family) || f.Italic {
			continue
		}
		// On a tie the font added later wins: a site's own font files come
		// after the embedded ones, and must replace them.
		if best == nil || abs(f.Weight-weight) < abs(best.Weight-weight) ||
			(abs(f.Weight-weight) == abs(best.Weight-weight) && f.Weight >= best.Weight) {
			best = f
		}
	}
	return best
}

// chain is the fallback list for families at weight: each family's closest
// weight, then the library's fallback families, without repeats. A
// fallback family whose closest weight is more than maxWeightGap away goes
// to the end, still ahead of nothing: it is used only for characters no
// closer weight has. A style's own families keep their place whatever
// their weight.
func (l *Library) chain(families []string, weight int) []*Font {
	var out, far []*Font
	for i, fam := range slices.Concat(families, l.fallback) {
		f := l.pick(fam, weight)
		if f == nil || slices.Contains(out, f) || slices.Contains(far, f) {
			continue
		}
		if i >= len(families) && abs(f.Weight-weight) > maxWeightGap {
			far = append(far, f)
			continue
		}
		out = append(out, f)
	}
	return append(out, far...)
}

// Shaper returns a Shaper from the pool; give it back with Release.
func (l *Library) Shaper() *Shaper {
	if s, ok := l.shapers.Get().(*Shaper); ok {
		return s
	}
	hb := &shaping.HarfbuzzShaper{}
	// The cache's default size is 0: every Shape call would rebuild the
	// HarfBuzz font, a quarter of a card's drawing time.
	hb.SetFontCacheSize(32)
	return &Shaper{lib: l, faces: make(map[*Font]*font.Face), hb: hb, ellipses: make(map[ellipsisKey]ellipsis)}
}

// Release returns s to its Library's pool. s must not be used afterwards.
func (s *Shaper) Release() { s.lib.shapers.Put(s) }

// face returns this Shaper's Face for f (a Face is not safe for concurrent
// use, so each Shaper keeps its own).
func (s *Shaper) face(f *Font) *font.Face {
	fc, ok := s.faces[f]
	if !ok {
		fc = font.NewFace(f.load())
		s.faces[f] = fc
		s.byFace = append(s.byFace, faceFont{fc, f})
	}
	return fc
}

func (s *Shaper) fontOf(fc *font.Face) *Font {
	for _, e := range s.byFace {
		if e.face == fc {
			return e.font
		}
	}
	return nil
}

type faceFont struct {
	face *font.Face
	font *Font
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// isInvisible reports runes that need no glyph of their own: spaces,
// controls, joiners and variation selectors.
func isInvisible(r rune) bool {
	switch {
	case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == 0xA0:
		return true
	case r < 0x20 || (r >= 0x7F && r < 0xA0):
		return true
	case r >= 0x2000 && r <= 0x200F, r >= 0x2028 && r <= 0x202F, r == 0x205F, r == 0x3000:
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF, r >= 0xE0000 && r <= 0xE007F:
		return true
	}
	return harfbuzz.IsDefaultIgnorable(r)
}

// IsEmojiSVGs reports whether a file name is that of a Twemoji SVG archive
// for AddEmojiSVGs ("twemoji-16.0.1-svg.tar.gz").
func IsEmojiSVGs(name string) bool {
	return strings.HasPrefix(name, "twemoji-") && strings.HasSuffix(name, "-svg.tar.gz")
}
