package pngenc

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// TestPalettedInPlace: a Paletted is compressed where its rows lie, and
// the file is the one an image.Paletted of the same pixels gives, over
// sizes that take one band or several, reshaped in both directions; one
// whose Pix was replaced, or whose bytes between rows were written, is
// encoded from its pixels as an image.Paletted is.
func TestPalettedInPlace(t *testing.T) {
	pal := color.Palette{}
	for i := range 40 {
		pal = append(pal, color.RGBA{uint8(i * 6), uint8(255 - i*5), uint8(i * i), 255})
	}
	rng := rand.New(rand.NewPCG(7, 11))
	m := &Paletted{}
	for _, r := range []image.Rectangle{
		image.Rect(0, 0, 1200, 630), image.Rect(0, 0, 1, 1), image.Rect(0, 0, 300, 1), image.Rect(0, 0, 1, 300),
		image.Rect(0, 0, 1080, 1080), image.Rect(5, 7, 905, 607), image.Rect(0, 0, 37, 29),
	} {
		m.Reshape(r)
		m.Palette = pal
		if m.filtered() == nil {
			t.Fatalf("%v: a fresh Paletted is not encoded in place", r)
		}
		// Runs, a gradient-like repeat of the row above and noise, so
		// that every kind of match is made.
		for y := range r.Dy() {
			row := m.Pix[y*m.Stride:][:r.Dx()]
			for x := range row {
				switch {
				case y%7 == 3:
					row[x] = uint8(rng.IntN(len(pal)))
				case x%50 < 25:
					row[x] = uint8((x/25 + y/9) % len(pal))
				default:
					row[x] = uint8((x + y) % len(pal))
				}
			}
		}
		plain := image.NewPaletted(r, pal)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			copy(plain.Pix[plain.PixOffset(r.Min.X, y):][:r.Dx()], m.Pix[m.PixOffset(r.Min.X, y):][:r.Dx()])
		}
		want := encodeBytes(t, plain)
		if got := encodeBytes(t, m); !bytes.Equal(got, want) {
			t.Errorf("%v: %d bytes in place, %d from an image.Paletted of the same pixels", r, len(got), len(want))
		}
		decoded, err := png.Decode(bytes.NewReader(want))
		if err != nil {
			t.Fatalf("%v: %v", r, err)
		}
		if dp := decoded.(*image.Paletted); !bytes.Equal(dp.Pix, plain.Pix) {
			t.Errorf("%v: the file does not decode to the image's indices", r)
		}
	}

	// Not in place: the bytes between rows written, or Pix replaced.
	m.Reshape(image.Rect(0, 0, 64, 16))
	m.Palette = pal
	for i := range m.Pix {
		m.Pix[i] = uint8(i % 5)
	}
	plain := image.NewPaletted(m.Rect, pal)
	for y := range 16 {
		copy(plain.Pix[y*64:][:64], m.Pix[y*m.Stride:][:64])
	}
	want := encodeBytes(t, plain)
	m.Pix[64] = 3 // the byte between rows 0 and 1
	if m.filtered() != nil {
		t.Error("a Paletted with a byte between rows written is still encoded in place")
	}
	if got := encodeBytes(t, m); !bytes.Equal(got, want) {
		t.Error("a Paletted with a byte between rows written encodes other pixels")
	}
	m.Reshape(m.Rect) // zeroes them again
	if m.filtered() == nil {
		t.Error("Reshape did not make the rows whole again")
	}
	m.Paletted.Pix, m.Paletted.Stride = plain.Pix, plain.Stride
	if m.filtered() != nil {
		t.Error("a Paletted whose Pix was replaced is still encoded in place")
	}
	if got := encodeBytes(t, m); !bytes.Equal(got, want) {
		t.Error("a Paletted whose Pix was replaced encodes other pixels")
	}
}

func encodeBytes(t *testing.T, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (&Encoder{InPalette: true}).Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
