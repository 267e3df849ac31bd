package pngenc

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// ogIndices returns the palette indices of the reference og card
// (testdata/og-indices.png: the cilium-at-kubecon-eu-2026 post drawn with
// the og template and mapped to its palette by internal/render).
func ogIndices(t testing.TB) *image.Paletted {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "og-indices.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		t.Fatalf("testdata/og-indices.png: %v", err)
	}
	pm, ok := m.(*image.Paletted)
	if !ok {
		t.Fatalf("testdata/og-indices.png decodes to %T, want *image.Paletted", m)
	}
	return pm
}

// grey returns a palette of n greys.
func grey(n int) color.Palette {
	p := make(color.Palette, n)
	for i := range p {
		p[i] = color.Gray{uint8(i * 255 / max(n-1, 1))}
	}
	return p
}

// pixCases are the paletted images every check of the image-aware
// compressor runs on: the awkward shapes and the real card.
func pixCases(t testing.TB) map[string]*image.Paletted {
	rng := rand.New(rand.NewPCG(5, 6))
	cases := map[string]*image.Paletted{}
	add := func(name string, w, h, colours int, fill func(x, y int) uint8) {
		m := image.NewPaletted(image.Rect(0, 0, w, h), grey(colours))
		for y := range h {
			for x := range w {
				m.Pix[y*m.Stride+x] = fill(x, y)
			}
		}
		cases[name] = m
	}
	random := func(n int) func(x, y int) uint8 { return func(x, y int) uint8 { return uint8(rng.IntN(n)) } }
	add("random-256", 301, 97, 256, random(256))
	add("random-3", 640, 480, 3, random(3))              // over 256K pixels: four bands
	add("random-256-blocks", 600, 600, 256, random(256)) // bands of 90K literals: several blocks each
	add("width-1", 1, 1000, 256, random(256))
	add("height-1", 1000, 1, 256, random(256))
	add("1x1", 1, 1, 2, random(2))
	add("wide-40000x2", 40000, 2, 256, random(256)) // row above beyond deflate's reach
	add("wide-40000x8-copies", 40000, 8, 256, func(x, y int) uint8 { return uint8(x * 7 / 3) })
	add("one-colour", 1200, 630, 1, func(x, y int) uint8 { return 0 })
	add("one-colour-1x3000", 1, 3000, 1, func(x, y int) uint8 { return 0 })
	add("runs", 2000, 300, 4, func(x, y int) uint8 { return uint8(x / 600 % 4) })
	add("shifted-rows", 1200, 630, 256, func(x, y int) uint8 { return uint8((x + 3*y) / 5 * 31 % 256) })
	add("glyphs", 999, 40, 16, func(x, y int) uint8 { return uint8((x%37 + y) % 16 * ((x / 111) % 2)) })
	add("long-distance", 700, 700, 256, func(x, y int) uint8 { return uint8(x*x/9 + y/50) })
	cases["og-card"] = ogIndices(t)
	// A subimage: stride wider than the rows, an offset origin.
	cases["og-subimage"] = cases["og-card"].SubImage(image.Rect(101, 33, 700, 600)).(*image.Paletted)
	return cases
}

// encodePix encodes m with the image-aware compressor (or, with useFlate,
// klauspost/compress) at the given level and concurrency.
func encodePix(t testing.TB, m *image.Paletted, level, conc int, useFlate bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := Encoder{Level: level, Concurrency: conc}
	if err := e.encode(&buf, m, maxIDATBytes, useFlate); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkPix decodes a PNG of m with image/png and its image data with
// compress/zlib and compares both with m's indices byte for byte.
func checkPix(t testing.TB, name string, data []byte, m *image.Paletted) {
	t.Helper()
	got, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: png.Decode: %v", name, err)
	}
	gp, ok := got.(*image.Paletted)
	if !ok {
		t.Fatalf("%s: decoded %T, want *image.Paletted", name, got)
	}
	b := m.Rect
	if gp.Rect.Dx() != b.Dx() || gp.Rect.Dy() != b.Dy() {
		t.Fatalf("%s: decoded %v, want size of %v", name, gp.Rect, b)
	}
	for y := range b.Dy() {
		want := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:b.Dx()]
		row := gp.Pix[y*gp.Stride:][:b.Dx()]
		if !bytes.Equal(row, want) {
			x := 0
			for row[x] == want[x] {
				x++
			}
			t.Fatalf("%s: png.Decode pixel (%d,%d) = %d, want %d", name, x, y, row[x], want[x])
		}
	}

	// The zlib stream again with compress/zlib, which reads to the
	// checksum and must then report the end of the stream.
	z := idatData(t, name, data)
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatalf("%s: zlib: %v", name, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: zlib: %v", name, err)
	}
	rowLen := 1 + b.Dx()
	if len(raw) != rowLen*b.Dy() {
		t.Fatalf("%s: zlib stream has %d bytes, want %d", name, len(raw), rowLen*b.Dy())
	}
	for y := range b.Dy() {
		r := raw[y*rowLen:][:rowLen]
		if r[0] != 0 {
			t.Fatalf("%s: row %d filter type %d, want 0", name, y, r[0])
		}
		if !bytes.Equal(r[1:], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:b.Dx()]) {
			t.Fatalf("%s: zlib row %d differs", name, y)
		}
	}
}

// idatData returns the concatenated data of a PNG's IDAT chunks.
func idatData(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var z []byte
	for p := data[8:]; len(p) >= 12; {
		n := int(binary.BigEndian.Uint32(p))
		if 12+n > len(p) {
			t.Fatalf("%s: chunk of %d bytes overruns the file", name, n)
		}
		if string(p[4:8]) == "IDAT" {
			z = append(z, p[8:8+n]...)
		}
		p = p[12+n:]
	}
	return z
}

// TestPixRoundTrip: the image-aware compressor's files decode, with
// image/png and with compress/zlib, to exactly the indices encoded, at
// every level it serves and any concurrency, and do not depend on the
// concurrency.
func TestPixRoundTrip(t *testing.T) {
	for name, m := range pixCases(t) {
		t.Run(name, func(t *testing.T) {
			for _, level := range []int{0, 5} {
				first := encodePix(t, m, level, 1, false)
				checkPix(t, name, first, m)
				for _, conc := range []int{2, 4} {
					if got := encodePix(t, m, level, conc, false); !bytes.Equal(got, first) {
						t.Errorf("%s level %d: concurrency %d wrote other bytes (%d) than concurrency 1 (%d)", name, level, conc, len(got), len(first))
					}
				}
			}
		})
	}
}

// TestPixUsed: paletted images at levels up to 5 take the image-aware
// path and its files differ from klauspost's; level 6 still uses
// klauspost.
func TestPixUsed(t *testing.T) {
	m := ogIndices(t)
	flate5 := encodePix(t, m, 5, 1, true)
	if got := encodePix(t, m, 5, 1, false); bytes.Equal(got, flate5) {
		t.Error("level 5 wrote klauspost's bytes, want the image-aware compressor's")
	}
	if got, want := encodePix(t, m, 6, 1, false), encodePix(t, m, 6, 1, true); !bytes.Equal(got, want) {
		t.Error("level 6 did not write klauspost's bytes")
	}
}

// TestPixSize holds the image-aware compressor to its promise on the
// reference og card: at most 8% larger than klauspost's level 5.
func TestPixSize(t *testing.T) {
	m := ogIndices(t)
	ours, ref := len(encodePix(t, m, 5, 1, false)), len(encodePix(t, m, 5, 1, true))
	t.Logf("og card: %d bytes, klauspost level 5 %d (%+.1f%%)", ours, ref, 100*float64(ours-ref)/float64(ref))
	if float64(ours) > 1.08*float64(ref) {
		t.Errorf("og card is %d bytes, want at most 108%% of level 5's %d", ours, ref)
	}
}

// FuzzPaletted round-trips fuzzed paletted images: two bytes of width,
// one of palette size, then the indices (taken modulo the palette).
func FuzzPaletted(f *testing.F) {
	for _, m := range pixCases(f) {
		if len(m.Pix) > 1<<14 {
			continue
		}
		f.Add(fuzzBytes(m))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < 4 {
			return
		}
		w := 1 + int(binary.LittleEndian.Uint16(in))%2000
		colours := 1 + int(in[2])
		pix := in[3:min(len(in), 3+1<<14)] // small images keep executions fast; the tests cover large ones
		h := len(pix) / w
		if h == 0 {
			return
		}
		m := image.NewPaletted(image.Rect(0, 0, w, h), grey(colours))
		for i := range m.Pix {
			m.Pix[i] = uint8(int(pix[i]) % colours)
		}
		checkPix(t, "fuzz", encodePix(t, m, 1, 1, false), m)
	})
}

func fuzzBytes(m *image.Paletted) []byte {
	b := m.Rect
	out := binary.LittleEndian.AppendUint16(nil, uint16(b.Dx()-1))
	out = append(out, uint8(len(m.Palette)-1))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		out = append(out, m.Pix[m.PixOffset(b.Min.X, y):][:b.Dx()]...)
	}
	return out
}

// BenchmarkEncodePaletted compares the image-aware compressor with
// klauspost/compress levels 1 and 5 on the reference og card's indices,
// one goroutine, reporting the bytes and the CPU time per encode.
func BenchmarkEncodePaletted(b *testing.B) {
	m := ogIndices(b)
	for _, bb := range []struct {
		name     string
		level    int
		useFlate bool
	}{
		{"flate-L5", 5, true},
		{"flate-L1", 1, true},
		{"pix", 5, false},
	} {
		b.Run(bb.name, func(b *testing.B) {
			var buf bytes.Buffer
			e := Encoder{Level: bb.level, Concurrency: 1, InPalette: true}
			cpu := processCPU()
			for b.Loop() {
				buf.Reset()
				if err := e.encode(&buf, m, maxIDATBytes, bb.useFlate); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(buf.Len()), "png-bytes")
		})
	}
}

// processCPU is the CPU time (user and system) this process has used,
// which swings less than wall time on a shared machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
