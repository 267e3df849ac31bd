// Package pngenc writes PNG images fast, for opaque 1200x630 social cards
// first of all.
//
// The standard library's image/png spends most of a card's render time in
// compression (see shared/PERFORMANCE.md). This package writes the same
// format with github.com/klauspost/compress at level 1, drops the alpha
// channel when every pixel is opaque, and applies a cheap fixed row filter by
// default. The output is an ordinary PNG that any decoder reads.
//
// Paletted images written with FilterNone (the default for them) at levels
// 1 to 5 are compressed by this package's own deflate encoder instead
// (pixdeflate.go), which looks for repeats where images have them: at the
// distance last used, the row above shifted by up to 4 pixels, the pixel
// to the left. On ogcard's reference og card it is within 1% of the size
// of klauspost/compress at level 5 for 70% of the instructions and, in
// CPU time, about what level 1 costs (BenchmarkEncodePaletted).
//
// Fast paths exist for *image.RGBA, *image.NRGBA and *image.Paletted. Images
// with 16 bits per channel (*image.RGBA64, *image.NRGBA64, *image.Gray16) are
// handed to image/png so that no precision is lost; every other type is first
// converted to *image.RGBA with image/draw.
package pngenc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// Filter selects the PNG row filter (RFC 2083 section 6) applied to every row
// before compression.
type Filter int

// The filters. FilterDefault, the zero value, means FilterUp for truecolour
// images and FilterNone for paletted ones (as libpng, and the PNG spec's
// advice: palette indices are not magnitudes).
//
// FilterUp is the default by measurement: BenchmarkEncode on the synthetic
// card of card_test.go (1200x630, vertical plus diagonal gradient, flat
// panel, anti-aliased text and circles; level 1; medians of 3 on a shared
// 2-core amd64, so times are noisy to about ±20%):
//
//	variant            time      bytes
//	stdlib-default     49.9 ms   94.3 KB
//	stdlib-bestspeed   34.8 ms  131.6 KB
//	ours-none           8.0 ms  180.2 KB
//	ours-sub           10.3 ms  113.9 KB
//	ours-up             8.6 ms  122.4 KB
//	ours-adaptive      19.7 ms  108.3 KB
//
// Up costs about a millisecond over None and saves a third of the bytes on a
// gradient, which defeats None (every pixel differs from its left
// neighbour). Sub saves another 7% for 2 ms more, adaptive 12% for 11 ms
// more; both are there for callers that value bytes over time.
// shared/PERFORMANCE.md found None smaller than Up on a Satori-drawn card,
// whose gradient is not the one ogcard draws; measure again if cards change.
const (
	FilterDefault  Filter = iota
	FilterNone            // raw bytes
	FilterSub             // difference from the pixel to the left
	FilterUp              // difference from the pixel above
	FilterAdaptive        // per row, the filter of the five with the smallest sum of absolute deltas, as libpng
)

// String returns the filter's name, such as "up".
func (f Filter) String() string {
	switch f {
	case FilterDefault:
		return "default"
	case FilterNone:
		return "none"
	case FilterSub:
		return "sub"
	case FilterUp:
		return "up"
	case FilterAdaptive:
		return "adaptive"
	}
	return fmt.Sprintf("Filter(%d)", int(f))
}

// DefaultLevel is the zlib level used when Encoder.Level is 0. Level 1 is
// about 7x faster than image/png's default at a similar size on real cards
// (shared/PERFORMANCE.md).
const DefaultLevel = 1

// maxPixLevel is the highest level at which paletted images written with
// FilterNone go to the image-aware compressor of pixdeflate.go rather than
// to klauspost/compress: it is about as small as level 5 of the latter
// and about as fast as level 1 (BenchmarkEncodePaletted), but has no
// slower, smaller mode.
const maxPixLevel = 5

// maxIDATBytes caps the data of one IDAT chunk. Decoders accept any split;
// 1 MiB keeps the pooled buffer small while a typical card (under 200 KB)
// still goes out in a single chunk.
const maxIDATBytes = 1 << 20

// Encoder writes PNG images. Its zero value is ready to use and picks the
// fast defaults; a nil *Encoder means the same.
//
// An Encoder holds configuration only: Encode is safe for concurrent use as
// long as the fields are not changed meanwhile. Buffers and compressors are
// shared between calls through sync.Pool.
type Encoder struct {
	// Level is the zlib compression level, from 1 (fastest) to 9
	// (smallest). 0 means DefaultLevel. Other values are an error.
	// Paletted images written with FilterNone get the same compression
	// at levels 1 to 5 (see the package doc); 6 to 9 are slower and
	// smaller.
	Level int
	// Filter is the row filter. The zero value is FilterDefault.
	Filter Filter
	// Opaque tells Encode that the caller guarantees every pixel of an
	// *image.RGBA or *image.NRGBA is opaque, sparing a scan of the whole
	// image (~0.8 ms on a 1200x630 card). A wrong promise drops alpha.
	Opaque bool
	// InPalette tells Encode that the caller guarantees every pixel of an
	// *image.Paletted indexes its palette, sparing a scan of the whole
	// image. A wrong promise writes a file that decoders reject.
	InPalette bool
	// Concurrency is how many goroutines compress row bands at once: 0
	// means min(GOMAXPROCS, bands), 1 the calling goroutine only. Images
	// of 256K pixels or more are always cut into 4 bands joined by deflate
	// sync flushes, whatever the concurrency, so the bytes written do not
	// depend on the machine; the stream is a few hundred bytes larger.
	Concurrency int
}

// Errors that callers may branch on with errors.Is.
var (
	// ErrInvalidOption reports an Encoder field out of range.
	ErrInvalidOption = errors.New("pngenc: invalid option")
	// ErrInvalidImage reports an image PNG cannot represent, such as an
	// empty one or a paletted one whose pixels index past its palette.
	ErrInvalidImage = errors.New("pngenc: invalid image")
)

// PNG colour types (IHDR byte 9).
const (
	ctRGB     = 2
	ctPalette = 3
	ctRGBA    = 6
)

// pixel layouts of the source rows.
const (
	srcRGBOfRGBA = iota // 4-byte pixels, all opaque: alpha dropped
	srcNRGBA            // 4-byte straight-alpha pixels: copied
	srcRGBA             // 4-byte premultiplied pixels: un-premultiplied
	srcIndex            // 1-byte palette indices: copied
)

// source is the image being encoded, reduced to what the row loop needs.
type source struct {
	kind   int
	pix    []byte // starts at the first pixel of the first row
	stride int    // bytes between rows in pix
	w, h   int    // pixels
	ct     byte   // PNG colour type
	bpp    int    // bytes per pixel in the PNG stream
	pal    color.Palette
	rows   []byte // for a Paletted: its rows as FilterNone stores them, or nil
}

// Encode writes img to w as a PNG image.
//
// Opaque *image.RGBA and *image.NRGBA images become 8-bit RGB (colour type 2);
// those with any non-opaque pixel become 8-bit RGBA (colour type 6), with
// *image.RGBA's premultiplied colours converted exactly as
// color.NRGBAModel does. *image.Paletted becomes an 8-bit palette image with
// a tRNS chunk when some palette colour is not opaque. Encode does not modify
// img and keeps no reference to it or to w after it returns.
func (e *Encoder) Encode(w io.Writer, img image.Image) error {
	return e.encode(w, img, maxIDATBytes, false)
}

func (e *Encoder) encode(w io.Writer, img image.Image, idatMax int, useFlate bool) error {
	var cfg Encoder
	if e != nil {
		cfg = *e
	}
	level := cfg.Level
	if level == 0 {
		level = DefaultLevel
	}
	if level < 1 || level > 9 {
		return fmt.Errorf("%w: compression level %d not in 1..9", ErrInvalidOption, cfg.Level)
	}
	if cfg.Filter < FilterDefault || cfg.Filter > FilterAdaptive {
		return fmt.Errorf("%w: unknown filter %d", ErrInvalidOption, int(cfg.Filter))
	}

	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || int64(b.Dx()) > 1<<31-1 || int64(b.Dy()) > 1<<31-1 {
		return fmt.Errorf("%w: size %dx%d", ErrInvalidImage, b.Dx(), b.Dy())
	}

	var src source
	switch m := img.(type) {
	case *image.RGBA:
		src = pix4(m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, b, cfg.Opaque || m.Opaque(), srcRGBA)
	case *image.NRGBA:
		src = pix4(m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, b, cfg.Opaque || m.Opaque(), srcNRGBA)
	case *image.Paletted:
		var err error
		if src, err = paletted(m, cfg.InPalette); err != nil {
			return err
		}
	case *Paletted:
		var err error
		if src, err = paletted(&m.Paletted, cfg.InPalette); err != nil {
			return err
		}
		src.rows = m.filtered()
	case *image.RGBA64, *image.NRGBA64, *image.Gray16:
		// Keep all 16 bits: the standard encoder handles these well enough,
		// and no card is drawn at this depth.
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if level > 1 {
			enc.CompressionLevel = png.DefaultCompression
		}
		if err := enc.Encode(w, img); err != nil {
			return fmt.Errorf("pngenc: %w", err)
		}
		return nil
	default:
		rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
		src = pix4(rgba.Pix, rgba.Stride, rgba.Rect, rgba.Opaque(), srcRGBA)
	}

	filter := cfg.Filter
	if filter == FilterDefault {
		filter = FilterUp
		if src.ct == ctPalette {
			filter = FilterNone
		}
	}

	if cfg.Concurrency < 0 || cfg.Concurrency > 64 {
		return fmt.Errorf("%w: concurrency %d not in 0..64", ErrInvalidOption, cfg.Concurrency)
	}
	bands := 1
	if src.w*src.h >= 256<<10 {
		bands = 4
	}
	bands = min(bands, src.h)
	workers := cfg.Concurrency
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, bands)
	if src.kind == srcIndex && filter == FilterNone && level <= maxPixLevel && !useFlate {
		return encodePaletted(w, &src, level, idatMax, bands, workers)
	}
	if bands > 1 {
		return encodeBands(w, &src, filter, level, idatMax, bands, workers)
	}
	st := getState(level)
	defer putState(level, st)
	return st.encode(w, &src, filter, level, idatMax)
}

// pix4 describes a 4-byte-per-pixel source.
func pix4(pix []byte, stride int, b image.Rectangle, opaque bool, kind int) source {
	s := source{kind: kind, pix: pix, stride: stride, w: b.Dx(), h: b.Dy(), ct: ctRGBA, bpp: 4}
	if opaque {
		s.kind, s.ct, s.bpp = srcRGBOfRGBA, ctRGB, 3
	}
	return s
}

// paletted describes a paletted source, checking that every index is in the
// palette: a decoder would otherwise reject the file or guess a colour.
func paletted(m *image.Paletted, checked bool) (source, error) {
	b := m.Rect
	n := len(m.Palette)
	if n == 0 || n > 256 {
		return source{}, fmt.Errorf("%w: palette of %d colours, want 1..256", ErrInvalidImage, n)
	}
	pix := m.Pix[m.PixOffset(b.Min.X, b.Min.Y):]
	if n < 256 && !checked {
		for y := 0; y < b.Dy(); y++ {
			// A branch-free maximum first: this check reads every pixel.
			var hi uint8
			for _, i := range pix[y*m.Stride : y*m.Stride+b.Dx()] {
				hi = max(hi, i)
			}
			if int(hi) >= n {
				return source{}, fmt.Errorf("%w: palette index %d out of range (palette has %d colours)", ErrInvalidImage, hi, n)
			}
		}
	}
	return source{kind: srcIndex, pix: pix, stride: m.Stride, w: b.Dx(), h: b.Dy(), ct: ctPalette, bpp: 1, pal: m.Palette}, nil
}

// state is the per-call scratch space, pooled per compression level because
// a zlib.Writer keeps its level across Reset.
type state struct {
	zw   *zlib.Writer
	idat chunkWriter
	hdr  []byte
	cur  []byte    // filter-type byte, then the raw row
	prev []byte    // the previous raw row, same layout; zero for the first row
	cand [5][]byte // filtered candidates, same layout, indexed by PNG filter type
}

var pools [10]sync.Pool // index: compression level 1..9

func getState(level int) *state {
	if st, ok := pools[level].Get().(*state); ok {
		return st
	}
	return &state{}
}

func putState(level int, st *state) {
	st.idat.w = nil // no reference to the caller's writer outlives the call
	pools[level].Put(st)
}

// grow returns b resized to n bytes, all zero.
func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// prepareRows sizes and zeroes the row buffers for src: the raw current
// and previous rows, and the filter candidates when filtering.
func (st *state) prepareRows(src *source, filter Filter) {
	rowLen := 1 + src.w*src.bpp
	st.cur = grow(st.cur, rowLen)
	st.prev = grow(st.prev, rowLen)
	if filter != FilterNone {
		for i := range st.cand {
			st.cand[i] = grow(st.cand[i], rowLen)
		}
	}
}

// writeHeader writes the signature, IHDR and, for palettes, PLTE (and
// tRNS) in one write.
func (st *state) writeHeader(w io.Writer, src *source) error {
	st.hdr = append(st.hdr[:0], "\x89PNG\r\n\x1a\n"...)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:4], uint32(src.w))
	binary.BigEndian.PutUint32(ihdr[4:8], uint32(src.h))
	ihdr[8] = 8 // bit depth
	ihdr[9] = src.ct
	// compression, filter and interlace methods are all 0
	st.hdr = appendChunk(st.hdr, "IHDR", ihdr[:])
	if src.ct == ctPalette {
		st.hdr = appendPalette(st.hdr, src.pal)
	}
	if _, err := w.Write(st.hdr); err != nil {
		return fmt.Errorf("pngenc: write header: %w", err)
	}
	return nil
}

func (st *state) encode(w io.Writer, src *source, filter Filter, level, idatMax int) error {
	if err := st.writeHeader(w, src); err != nil {
		return err
	}

	st.idat.reset(w, idatMax)
	if st.zw == nil {
		// States are pooled per level, so the writer's level stays right.
		var err error
		if st.zw, err = zlib.NewWriterLevel(&st.idat, level); err != nil {
			return fmt.Errorf("pngenc: %w", err)
		}
	} else {
		st.zw.Reset(&st.idat)
	}

	st.prepareRows(src, filter)

	for y := 0; y < src.h; y++ {
		src.row(st.cur[1:], y)
		out := st.filterRow(filter, src.bpp)
		if _, err := st.zw.Write(out); err != nil {
			return fmt.Errorf("pngenc: write image data: %w", err)
		}
		st.cur, st.prev = st.prev, st.cur
	}
	if err := st.zw.Close(); err != nil {
		return fmt.Errorf("pngenc: write image data: %w", err)
	}
	if err := st.idat.finish(); err != nil {
		return fmt.Errorf("pngenc: write image data: %w", err)
	}
	return nil
}

// row writes row y of src, in PNG's byte layout, into dst.
func (src *source) row(dst []byte, y int) {
	s := src.pix[y*src.stride:]
	switch src.kind {
	case srcRGBOfRGBA:
		s = s[:4*src.w]
		for i, j := 0, 0; i+3 < len(s) && j+2 < len(dst); i, j = i+4, j+3 {
			dst[j], dst[j+1], dst[j+2] = s[i], s[i+1], s[i+2]
		}
	case srcNRGBA:
		copy(dst, s[:4*src.w])
	case srcIndex:
		copy(dst, s[:src.w])
	case srcRGBA:
		s = s[:4*src.w]
		for ; len(s) >= 4 && len(dst) >= 4; s, dst = s[4:], dst[4:] {
			switch a := s[3]; a {
			case 0:
				dst[0], dst[1], dst[2], dst[3] = 0, 0, 0, 0
			case 0xff:
				dst[0], dst[1], dst[2], dst[3] = s[0], s[1], s[2], 0xff
			default:
				// As color.NRGBAModel: scale to 16 bits, divide, back to 8.
				const m = 0x101 * 0xffff
				a16 := uint32(a) * 0x101
				dst[0] = uint8((uint32(s[0]) * m / a16) >> 8)
				dst[1] = uint8((uint32(s[1]) * m / a16) >> 8)
				dst[2] = uint8((uint32(s[2]) * m / a16) >> 8)
				dst[3] = a
			}
		}
	}
}

// appendChunk appends a PNG chunk: length, type, data, CRC of type and data.
func appendChunk(dst []byte, typ string, data []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(data)))
	start := len(dst)
	dst = append(dst, typ...)
	dst = append(dst, data...)
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// appendPalette appends PLTE and, when some colour is not opaque, tRNS up to
// the last such colour.
func appendPalette(dst []byte, pal color.Palette) []byte {
	var plte [3 * 256]byte
	var trns [256]byte
	last := -1
	for i, c := range pal {
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		plte[3*i], plte[3*i+1], plte[3*i+2] = n.R, n.G, n.B
		trns[i] = n.A
		if n.A != 0xff {
			last = i
		}
	}
	dst = appendChunk(dst, "PLTE", plte[:3*len(pal)])
	if last >= 0 {
		dst = appendChunk(dst, "tRNS", trns[:last+1])
	}
	return dst
}

// chunkWriter cuts the zlib stream into IDAT chunks of at most max data
// bytes, each sent to w in a single Write; finish adds IEND to the last one.
type chunkWriter struct {
	w   io.Writer
	buf []byte // 8 bytes of length and type, then the chunk's data
	max int
	err error
}

func (c *chunkWriter) reset(w io.Writer, max int) {
	c.w, c.max, c.err = w, max, nil
	c.buf = append(c.buf[:0], 0, 0, 0, 0, 'I', 'D', 'A', 'T')
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && c.err == nil {
		room := c.max - (len(c.buf) - 8)
		if room == 0 {
			c.flush(false)
			continue
		}
		k := min(room, len(p))
		c.buf = append(c.buf, p[:k]...)
		p = p[k:]
	}
	if c.err != nil {
		return 0, c.err
	}
	return n, nil
}

// iend is the whole IEND chunk, whose CRC never changes.
const iend = "\x00\x00\x00\x00IEND\xae\x42\x60\x82"

// flush writes the buffered IDAT chunk, if it has data, followed by IEND when
// last is set.
func (c *chunkWriter) flush(last bool) {
	if c.err != nil {
		return
	}
	data := len(c.buf) - 8
	out := c.buf[:0]
	if data > 0 {
		binary.BigEndian.PutUint32(c.buf[0:4], uint32(data))
		c.buf = binary.BigEndian.AppendUint32(c.buf, crc32.ChecksumIEEE(c.buf[4:]))
		out = c.buf
	}
	if last {
		out = append(out, iend...)
	}
	if len(out) > 0 {
		_, c.err = c.w.Write(out)
	}
	c.buf = append(out[:0], 0, 0, 0, 0, 'I', 'D', 'A', 'T')
}

func (c *chunkWriter) finish() error {
	c.flush(true)
	return c.err
}
