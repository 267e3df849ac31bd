package pngenc

import (
	"bytes"
	"hash/adler32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// TestBandsRoundTrip: every filter, several band counts and heights,
// decodes to the exact pixels through image/png (which checks the zlib
// checksum).
func TestBandsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []image.Point{{3, 1}, {5, 7}, {64, 33}, {301, 97}} {
		img := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		for i := range img.Pix {
			img.Pix[i] = uint8(rng.IntN(256))
		}
		for i := 3; i < len(img.Pix); i += 4 {
			img.Pix[i] = 255
		}
		for _, f := range []Filter{FilterNone, FilterSub, FilterUp, FilterAdaptive} {
			for _, bands := range []int{1, 2, 3, 7} {
				var buf bytes.Buffer
				e := Encoder{Filter: f, Concurrency: bands, Opaque: true}
				if err := e.Encode(&buf, img); err != nil {
					t.Fatalf("%v %v bands %d: %v", size, f, bands, err)
				}
				got, err := png.Decode(&buf)
				if err != nil {
					t.Fatalf("%v %v bands %d: decode: %v", size, f, bands, err)
				}
				for y := 0; y < size.Y; y++ {
					for x := 0; x < size.X; x++ {
						if g, w := color.NRGBAModel.Convert(got.At(x, y)), color.NRGBAModel.Convert(img.At(x, y)); g != w {
							t.Fatalf("%v %v bands %d: pixel (%d,%d) = %v, want %v", size, f, bands, x, y, g, w)
						}
					}
				}
			}
		}
	}
}

func TestAdler32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 100, 65521, 70000, 300000} {
		data := make([]byte, n)
		for i := range data {
			data[i] = uint8(rng.IntN(256))
		}
		for _, cut := range []int{0, n / 3, n} {
			a, b := data[:cut], data[cut:]
			got := adler32Combine(adler32.Checksum(a), adler32.Checksum(b), int64(len(b)))
			if want := adler32.Checksum(data); got != want {
				t.Errorf("n %d cut %d: combine = %08x, want %08x", n, cut, got, want)
			}
		}
	}
}

func TestZlibHeaderCheck(t *testing.T) {
	for level := 1; level <= 9; level++ {
		h := zlibHeader(level)
		if (uint16(h[0])<<8|uint16(h[1]))%31 != 0 {
			t.Errorf("level %d: header %x fails the FCHECK", level, h)
		}
	}
}

// TestBandsSameBytesAnyConcurrency: the file must not depend on how many
// cores encode it (golden bytes, cache keys and byte budgets rely on it).
func TestBandsSameBytesAnyConcurrency(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 700, 400))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7 % 251)
	}
	var first []byte
	for _, c := range []int{1, 2, 3, 4, 8} {
		var buf bytes.Buffer
		if err := (&Encoder{Concurrency: c}).Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = buf.Bytes()
		} else if !bytes.Equal(first, buf.Bytes()) {
			t.Errorf("concurrency %d wrote %d bytes, concurrency 1 wrote %d", c, buf.Len(), len(first))
		}
	}
}

// TestAdler32Sum: the eight-bytes-at-a-time checksum equals
// hash/adler32's on lengths around its step and chunk sizes, for random
// bytes and for all 0xff (the largest sums).
func TestAdler32Sum(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{0, 1, 7, 8, 9, 63, 65535, 65536, 65537, 1 << 20, 3<<20 + 5} {
		for _, fill := range []string{"random", "ff"} {
			data := make([]byte, n)
			for i := range data {
				data[i] = 0xff
				if fill == "random" {
					data[i] = uint8(rng.IntN(256))
				}
			}
			if got, want := adler32Sum(data), adler32.Checksum(data); got != want {
				t.Errorf("adler32Sum(%d bytes %s) = %08x, want %08x", n, fill, got, want)
			}
		}
	}
}

// BenchmarkAdler32 compares adler32Sum with hash/adler32 on a card's worth
// of bytes.
func BenchmarkAdler32(b *testing.B) {
	data := make([]byte, 1201*630)
	rng := rand.New(rand.NewPCG(9, 10))
	for i := range data {
		data[i] = uint8(rng.IntN(256))
	}
	for _, bb := range []struct {
		name string
		f    func([]byte) uint32
	}{{"stdlib", adler32.Checksum}, {"ours", adler32Sum}} {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				bb.f(data)
			}
		})
	}
}
