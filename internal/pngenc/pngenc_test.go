package pngenc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"sync"
	"testing"
)

var filters = []Filter{FilterDefault, FilterNone, FilterSub, FilterUp, FilterAdaptive}

// pattern fills m with a deterministic, busy pattern so every filter has
// something to do; alpha is opaque unless withAlpha.
func pattern(m draw4, withAlpha bool) {
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			a := uint8(0xff)
			if withAlpha {
				a = uint8(x*37 + y*11) // includes 0 and 255
			}
			m.SetNRGBA(x, y, color.NRGBA{uint8(x * 7), uint8(y * 13), uint8(x*y + 5), a})
		}
	}
}

type draw4 interface {
	image.Image
	SetNRGBA(x, y int, c color.NRGBA)
}

type rgbaSetter struct{ *image.RGBA }

func (m rgbaSetter) SetNRGBA(x, y int, c color.NRGBA) { m.Set(x, y, c) }

func newRGBA(r image.Rectangle, alpha bool) *image.RGBA {
	m := image.NewRGBA(r)
	pattern(rgbaSetter{m}, alpha)
	return m
}

func newNRGBA(r image.Rectangle, alpha bool) *image.NRGBA {
	m := image.NewNRGBA(r)
	pattern(m, alpha)
	return m
}

func newPaletted(r image.Rectangle, n int, transparent bool) *image.Paletted {
	pal := make(color.Palette, n)
	for i := range pal {
		a := uint8(0xff)
		if transparent && i%3 == 0 {
			a = uint8(i * 5)
		}
		pal[i] = color.NRGBA{uint8(i * 3), uint8(255 - i), uint8(i * 7), a}
	}
	m := image.NewPaletted(r, pal)
	for i := range m.Pix {
		m.Pix[i] = uint8((i*7 + i/5) % n)
	}
	return m
}

func newGray(r image.Rectangle) *image.Gray {
	m := image.NewGray(r)
	for i := range m.Pix {
		m.Pix[i] = uint8(i * 31)
	}
	return m
}

// colourType returns IHDR's colour type byte of an encoded PNG.
func colourType(t *testing.T, b []byte) byte {
	t.Helper()
	if len(b) < 26 || string(b[12:16]) != "IHDR" {
		t.Fatalf("no IHDR at offset 12")
	}
	return b[25]
}

// comparePixels reports pixels of got that differ from want by more than tol
// in any channel of their non-premultiplied 8-bit colour. got's origin is
// (0, 0), want's is want.Bounds().Min.
func comparePixels(t *testing.T, got, want image.Image, tol int) {
	t.Helper()
	wb := want.Bounds()
	if got.Bounds() != wb.Sub(wb.Min) {
		t.Fatalf("decoded bounds = %v, want %v", got.Bounds(), wb.Sub(wb.Min))
	}
	bad := 0
	for y := 0; y < wb.Dy(); y++ {
		for x := 0; x < wb.Dx(); x++ {
			g := color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA)
			w := color.NRGBAModel.Convert(want.At(wb.Min.X+x, wb.Min.Y+y)).(color.NRGBA)
			if g.A == 0 && w.A == 0 {
				continue // colour of a transparent pixel is not kept
			}
			if absDiff(g.R, w.R) > tol || absDiff(g.G, w.G) > tol || absDiff(g.B, w.B) > tol || absDiff(g.A, w.A) > tol {
				if bad < 5 {
					t.Errorf("pixel (%d, %d) = %v, want %v", x, y, g, w)
				}
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d pixels differ by more than %d", bad, tol)
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func TestEncodeRoundTrip(t *testing.T) {
	r := image.Rect(0, 0, 37, 23)
	tests := []struct {
		name   string
		img    image.Image
		wantCT byte
		tol    int
	}{
		{"rgba-opaque", newRGBA(r, false), ctRGB, 0},
		// Premultiplied input loses colour precision at low alpha; the
		// conversion matches color.NRGBAModel, within ±1 is the contract.
		{"rgba-alpha", newRGBA(r, true), ctRGBA, 1},
		{"nrgba-opaque", newNRGBA(r, false), ctRGB, 0},
		{"nrgba-alpha", newNRGBA(r, true), ctRGBA, 0},
		{"paletted-256", newPaletted(r, 256, false), ctPalette, 0},
		{"paletted-5-transparent", newPaletted(r, 5, true), ctPalette, 0},
		{"gray", newGray(r), ctRGB, 0},
		{"nrgba64-fallback", func() image.Image {
			m := image.NewNRGBA64(r)
			for i := range m.Pix {
				m.Pix[i] = uint8(i * 3)
			}
			return m
		}(), 6, 0},
		{"rgba-1x1", newRGBA(image.Rect(0, 0, 1, 1), false), ctRGB, 0},
		{"rgba-3x7", newRGBA(image.Rect(0, 0, 3, 7), false), ctRGB, 0},
		{"nrgba-alpha-3x7", newNRGBA(image.Rect(0, 0, 3, 7), true), ctRGBA, 0},
		{"rgba-1201x1", newRGBA(image.Rect(0, 0, 1201, 1), false), ctRGB, 0},
		{"rgba-1x300", newRGBA(image.Rect(0, 0, 1, 300), false), ctRGB, 0},
		{"paletted-3x7", newPaletted(image.Rect(0, 0, 3, 7), 16, true), ctPalette, 0},
		{"rgba-subimage", newRGBA(image.Rect(-5, -3, 40, 30), false).SubImage(image.Rect(2, 4, 19, 21)), ctRGB, 0},
		{"nrgba-subimage-alpha", newNRGBA(image.Rect(-5, -3, 40, 30), true).SubImage(image.Rect(2, 4, 19, 21)), ctRGBA, 0},
		{"paletted-subimage", newPaletted(image.Rect(-5, -3, 40, 30), 9, false).SubImage(image.Rect(2, 4, 19, 21)), ctPalette, 0},
		{"card", testCard(), ctRGB, 0},
	}
	for _, tt := range tests {
		for _, f := range filters {
			for _, level := range []int{0, 9} {
				if level != 0 && tt.name == "card" {
					continue // slow, and level is the compressor's business
				}
				t.Run(fmt.Sprintf("%s/%v/level%d", tt.name, f, level), func(t *testing.T) {
					var buf bytes.Buffer
					enc := Encoder{Level: level, Filter: f}
					if err := enc.Encode(&buf, tt.img); err != nil {
						t.Fatalf("Encode: %v", err)
					}
					if ct := colourType(t, buf.Bytes()); ct != tt.wantCT {
						t.Errorf("colour type = %d, want %d", ct, tt.wantCT)
					}
					got, err := png.Decode(bytes.NewReader(buf.Bytes()))
					if err != nil {
						t.Fatalf("png.Decode: %v", err)
					}
					if p, ok := tt.img.(*image.Paletted); ok {
						gp, ok := got.(*image.Paletted)
						if !ok {
							t.Fatalf("decoded %T, want *image.Paletted", got)
						}
						if len(gp.Palette) != len(p.Palette) {
							t.Errorf("decoded palette has %d colours, want %d", len(gp.Palette), len(p.Palette))
						}
					}
					comparePixels(t, got, tt.img, tt.tol)
				})
			}
		}
	}
}

// TestRGBAUnpremultiply checks every (colour, alpha) pair against
// color.NRGBAModel, which is what image/png does.
func TestRGBAUnpremultiply(t *testing.T) {
	m := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for a := 0; a < 256; a++ {
		for c := 0; c < 256; c++ {
			v := uint8(c * a / 255) // a valid premultiplied value
			m.SetRGBA(c, a, color.RGBA{v, v / 2, uint8(a) - v, uint8(a)})
		}
	}
	var buf bytes.Buffer
	if err := new(Encoder).Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	comparePixels(t, got, m, 0)
}

// TestChunks checks the chunk layout and every CRC, with IDAT cut small.
func TestChunks(t *testing.T) {
	tests := []struct {
		name     string
		img      image.Image
		idatMax  int
		wantIDAT int // minimum number of IDAT chunks
		want     []string
	}{
		{"card-small-idat", testCard(), 4096, 2, []string{"IHDR", "IDAT", "IEND"}},
		{"card-one-idat", testCard(), maxIDATBytes, 1, []string{"IHDR", "IDAT", "IEND"}},
		{"paletted", newPaletted(image.Rect(0, 0, 10, 10), 4, false), 1, 2, []string{"IHDR", "PLTE", "IDAT", "IEND"}},
		{"paletted-trns", newPaletted(image.Rect(0, 0, 10, 10), 4, true), 100, 1, []string{"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := new(Encoder).encode(&buf, tt.img, tt.idatMax, false); err != nil {
				t.Fatal(err)
			}
			b := buf.Bytes()
			if string(b[:8]) != "\x89PNG\r\n\x1a\n" {
				t.Fatalf("signature = %q", b[:8])
			}
			b = b[8:]
			var kinds []string
			idats := 0
			for len(b) > 0 {
				if len(b) < 12 {
					t.Fatalf("truncated chunk: %d bytes left", len(b))
				}
				n := int(binary.BigEndian.Uint32(b))
				typ := string(b[4:8])
				if len(b) < 12+n {
					t.Fatalf("%s chunk of %d bytes truncated", typ, n)
				}
				if got, want := binary.BigEndian.Uint32(b[8+n:]), crc32.ChecksumIEEE(b[4:8+n]); got != want {
					t.Errorf("%s CRC = %08x, want %08x", typ, got, want)
				}
				if typ == "IDAT" {
					idats++
					if n > tt.idatMax {
						t.Errorf("IDAT of %d bytes, max %d", n, tt.idatMax)
					}
				}
				if len(kinds) == 0 || kinds[len(kinds)-1] != typ {
					kinds = append(kinds, typ)
				}
				b = b[12+n:]
			}
			if fmt.Sprint(kinds) != fmt.Sprint(tt.want) {
				t.Errorf("chunks = %v, want %v", kinds, tt.want)
			}
			if idats < tt.wantIDAT {
				t.Errorf("%d IDAT chunks, want at least %d", idats, tt.wantIDAT)
			}
			if _, err := png.Decode(&buf); err != nil {
				t.Errorf("png.Decode: %v", err)
			}
		})
	}
}

func TestEncodeDeterministic(t *testing.T) {
	card := testCard()
	for _, f := range filters {
		t.Run(f.String(), func(t *testing.T) {
			var a, b bytes.Buffer
			enc := Encoder{Filter: f}
			if err := enc.Encode(&a, card); err != nil {
				t.Fatal(err)
			}
			if err := enc.Encode(&b, card); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("two encodings differ: %d and %d bytes", a.Len(), b.Len())
			}
		})
	}
}

// TestEncodeConcurrent encodes from several goroutines at once: pooled state
// must not leak between calls (run with -race).
func TestEncodeConcurrent(t *testing.T) {
	imgs := []image.Image{
		newRGBA(image.Rect(0, 0, 64, 48), false),
		newNRGBA(image.Rect(0, 0, 33, 17), true),
		newPaletted(image.Rect(0, 0, 50, 20), 7, true),
	}
	want := make([][]byte, len(imgs))
	for i, m := range imgs {
		var buf bytes.Buffer
		if err := new(Encoder).Encode(&buf, m); err != nil {
			t.Fatal(err)
		}
		want[i] = buf.Bytes()
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for k := range 20 {
				i := (g + k) % len(imgs)
				var buf bytes.Buffer
				if err := new(Encoder).Encode(&buf, imgs[i]); err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(buf.Bytes(), want[i]) {
					errs <- fmt.Errorf("goroutine %d, image %d: output differs from a lone encode", g, i)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

var errSink = errors.New("sink full")

// failingWriter accepts n bytes, then fails.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errSink
	}
	w.n -= len(p)
	return len(p), nil
}

func TestEncodeErrors(t *testing.T) {
	badPal := image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.Black, color.White})
	badPal.Pix[3] = 2
	tests := []struct {
		name string
		enc  *Encoder
		img  image.Image
		w    io.Writer
		want error
	}{
		{"empty", nil, image.NewRGBA(image.Rect(0, 0, 0, 5)), io.Discard, ErrInvalidImage},
		{"level-10", &Encoder{Level: 10}, newRGBA(image.Rect(0, 0, 2, 2), false), io.Discard, ErrInvalidOption},
		{"level-negative", &Encoder{Level: -1}, newRGBA(image.Rect(0, 0, 2, 2), false), io.Discard, ErrInvalidOption},
		{"filter-unknown", &Encoder{Filter: 99}, newRGBA(image.Rect(0, 0, 2, 2), false), io.Discard, ErrInvalidOption},
		{"palette-index", nil, badPal, io.Discard, ErrInvalidImage},
		{"palette-empty", nil, image.NewPaletted(image.Rect(0, 0, 2, 2), nil), io.Discard, ErrInvalidImage},
		{"write-header", nil, testCard(), &failingWriter{n: 10}, errSink},
		{"write-data", nil, testCard(), &failingWriter{n: 100}, errSink},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.enc.Encode(tt.w, tt.img)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Encode() = %v, want %v", err, tt.want)
			}
		})
	}
}

// BenchmarkEncode compares the encoders on the synthetic card; the bytes
// metric is the PNG's size.
func BenchmarkEncode(b *testing.B) {
	card := testCard()
	benches := []struct {
		name string
		enc  func(io.Writer, image.Image) error
	}{
		{"stdlib-default", (&png.Encoder{}).Encode},
		{"stdlib-bestspeed", (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode},
		{"ours-none", (&Encoder{Filter: FilterNone}).Encode},
		{"ours-sub", (&Encoder{Filter: FilterSub}).Encode},
		{"ours-up", (&Encoder{Filter: FilterUp}).Encode},
		{"ours-adaptive", (&Encoder{Filter: FilterAdaptive}).Encode},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := bb.enc(&buf, card); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
	}
}

// TestInPaletteSameBytes: the promise only skips the index scan; the file
// is the same.
func TestInPaletteSameBytes(t *testing.T) {
	m := image.NewPaletted(image.Rect(0, 0, 700, 400), color.Palette{color.Black, color.White, color.RGBA{200, 10, 10, 255}})
	for i := range m.Pix {
		m.Pix[i] = uint8(i % 3)
	}
	var a, b bytes.Buffer
	if err := (&Encoder{}).Encode(&a, m); err != nil {
		t.Fatal(err)
	}
	if err := (&Encoder{InPalette: true}).Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("InPalette changed the output: %d bytes, %d without", b.Len(), a.Len())
	}
	m.Pix[5] = 7 // out of range: only the checked path reports it
	if err := (&Encoder{}).Encode(io.Discard, m); !errors.Is(err, ErrInvalidImage) {
		t.Errorf("Encode(index 7 of 3) = %v, want ErrInvalidImage", err)
	}
}
