package text

import (
	"archive/tar"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"image"
	"io"
	"math"
	"path"
	"strings"
	"sync"

	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"
)

// emojiBit marks a Glyph ID as an index into the Library's colour emoji
// set rather than a glyph of its font: emoji are shaped with Noto Emoji
// (sequences, metrics), then drawn from Twemoji's SVGs in colour.
const emojiBit = 1 << 31

// emojiSet is Twemoji's SVGs, read from their tar.gz the first time a text
// has an emoji: 1.8 MB compressed in the binary, 9 MB of SVG once read. The
// SVGs are kept deflated again, in blocks of about emojiBlockBytes (2.2 MB
// in all), and a block is inflated when one of its emoji is drawn: the
// drawn glyphs are kept in the Library's bounded mask cache, so that
// happens once per emoji and size.
type emojiSet struct {
	name string // archive file name, for messages
	data blob

	once   sync.Once
	err    error
	svgs   map[string]svgRef // "1f469-200d-1f4bb" → where its SVG is
	blocks [][]byte          // deflated runs of SVGs
	keys   []string          // by index (ID &^ emojiBit)
	index  map[string]uint32
}

// svgRef locates one SVG: bytes [off, off+n) of block once inflated.
type svgRef struct{ block, off, n uint32 }

// emojiBlockBytes is how many bytes of SVG are deflated together: large
// enough to compress nearly as well as the whole archive, small enough to
// inflate in a fraction of a millisecond.
const emojiBlockBytes = 64 << 10

// AddEmojiSVGs adds a colour emoji set: a tar.gz of Twemoji SVGs named by
// code point ("1f1f8-1f1ea.svg"). Emoji set in the family "Noto Emoji" are
// then drawn from it, in colour, where it has the sequence. The archive is
// read on first use; Add checks only that it is gzip.
func (l *Library) AddEmojiSVGs(name string, data []byte) error {
	return l.addEmojiSVGs(name, blob{b: data})
}

// AddEmojiSVGsString is AddEmojiSVGs for an archive whose bytes are a
// string, read in place (a file embedded in the binary).
func (l *Library) AddEmojiSVGsString(name, data string) error {
	return l.addEmojiSVGs(name, blob{s: data})
}

func (l *Library) addEmojiSVGs(name string, data blob) error {
	if _, err := gzip.NewReader(data.reader()); err != nil {
		return fmt.Errorf("emoji set %s: %w", name, err)
	}
	l.emoji = &emojiSet{name: name, data: data}
	return nil
}

func (e *emojiSet) load() error {
	e.once.Do(func() {
		zr, err := gzip.NewReader(e.data.reader())
		if err != nil {
			e.err = err
			return
		}
		e.svgs = make(map[string]svgRef)
		e.index = make(map[string]uint32)
		var cur bytes.Buffer
		flush := func() error {
			var out bytes.Buffer
			w, _ := flate.NewWriter(&out, flate.BestSpeed) // the level is valid
			if _, err := w.Write(cur.Bytes()); err != nil {
				return err
			}
			if err := w.Close(); err != nil {
				return err
			}
			e.blocks = append(e.blocks, bytes.Clone(out.Bytes()))
			cur.Reset()
			return nil
		}
		tr := tar.NewReader(zr)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				e.err = fmt.Errorf("emoji set %s: %w", e.name, err)
				return
			}
			if !strings.HasSuffix(h.Name, ".svg") || h.Size > 1<<20 {
				continue
			}
			off := cur.Len()
			n, err := io.Copy(&cur, tr)
			if err != nil {
				e.err = fmt.Errorf("emoji set %s: %s: %w", e.name, h.Name, err)
				return
			}
			e.svgs[strings.TrimSuffix(path.Base(h.Name), ".svg")] = svgRef{uint32(len(e.blocks)), uint32(off), uint32(n)}
			if cur.Len() >= emojiBlockBytes {
				if err := flush(); err != nil {
					e.err = fmt.Errorf("emoji set %s: %w", e.name, err)
					return
				}
			}
		}
		if cur.Len() > 0 {
			if err := flush(); err != nil {
				e.err = fmt.Errorf("emoji set %s: %w", e.name, err)
			}
		}
	})
	return e.err
}

// svg returns the SVG of the emoji named key, inflating its block.
func (e *emojiSet) svg(key string) ([]byte, error) {
	ref, ok := e.svgs[key]
	if !ok || int(ref.block) >= len(e.blocks) {
		return nil, fmt.Errorf("emoji set %s: no %s.svg", e.name, key)
	}
	zr := flate.NewReader(bytes.NewReader(e.blocks[ref.block]))
	defer zr.Close()
	if _, err := io.CopyN(io.Discard, zr, int64(ref.off)); err != nil {
		return nil, fmt.Errorf("emoji set %s: %s.svg: %w", e.name, key, err)
	}
	b := make([]byte, ref.n)
	if _, err := io.ReadFull(zr, b); err != nil {
		return nil, fmt.Errorf("emoji set %s: %s.svg: %w", e.name, key, err)
	}
	return b, nil
}

// id returns the emoji ID (with emojiBit) for the emoji sequence rs, or
// false when the set has no picture for it. Safe for concurrent use.
func (e *emojiSet) id(mu *sync.Mutex, rs []rune) (uint32, bool) {
	if e.load() != nil {
		return 0, false
	}
	key := twemojiName(rs)
	if _, ok := e.svgs[key]; !ok {
		return 0, false
	}
	mu.Lock()
	defer mu.Unlock()
	i, ok := e.index[key]
	if !ok {
		i = uint32(len(e.keys))
		e.keys = append(e.keys, key)
		e.index[key] = i
	}
	return i | emojiBit, true
}

// twemojiName is Twemoji's file name for an emoji sequence: code points in
// lower-case hex joined by "-", without U+FE0F unless the sequence has a
// zero-width joiner (Twemoji's own rule).
func twemojiName(rs []rune) string {
	zwj := false
	for _, r := range rs {
		zwj = zwj || r == 0x200D
	}
	var parts []string
	for _, r := range rs {
		if r == 0xFE0F && !zwj {
			continue
		}
		parts = append(parts, fmt.Sprintf("%x", r))
	}
	return strings.Join(parts, "-")
}

// rasteriseEmoji draws emoji id as a square of sizePx × sizePx whose
// bottom sits 0.12 em below the baseline, as Twemoji sets it in browsers.
func (l *Library) rasteriseEmoji(id uint32, sizePx float64) GlyphMask {
	e := l.emoji
	l.emojiMu.Lock()
	i := int(id &^ emojiBit)
	if i >= len(e.keys) {
		l.emojiMu.Unlock()
		return GlyphMask{}
	}
	key := e.keys[i]
	l.emojiMu.Unlock()
	side := int(math.Round(sizePx))
	if side <= 0 || side > 2048 {
		return GlyphMask{}
	}
	svg, err := e.svg(key)
	if err != nil {
		return GlyphMask{}
	}
	icon, err := oksvg.ReadIconStream(bytes.NewReader(svg), oksvg.IgnoreErrorMode)
	if err != nil {
		return GlyphMask{}
	}
	icon.SetTarget(0, 0, float64(side), float64(side))
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	scanner := rasterx.NewScannerGV(side, side, img, img.Bounds())
	icon.Draw(rasterx.NewDasher(side, side, scanner), 1)
	return GlyphMask{Color: img, Offset: image.Pt(0, -int(math.Round(sizePx*0.88)))}
}
