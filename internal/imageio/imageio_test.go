package imageio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func encodePNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.NRGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bombPNG is a valid PNG header declaring w×h pixels with almost no data.
func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func TestDecode(t *testing.T) {
	var jpg bytes.Buffer
	jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 8, 4)), nil)
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	tests := []struct {
		name    string
		data    []byte
		wantErr error
		wantW   int
	}{
		{"png", encodePNG(t, 16, 9), nil, 16},
		{"jpeg", jpg.Bytes(), nil, 8},
		{"gif is refused", gif, ErrFormat, 0},
		{"svg is refused", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), ErrFormat, 0},
		{"empty", nil, ErrFormat, 0},
		{"bomb 40000x40000", bombPNG(40000, 40000), ErrTooBig, 0},
		{"bomb one long side", bombPNG(100000, 1), ErrTooBig, 0},
		{"truncated png", encodePNG(t, 16, 9)[:40], ErrCorrupt, 0},
		{"webp header only", []byte("RIFF\x10\x00\x00\x00WEBPVP8 \x00\x00\x00\x00"), ErrCorrupt, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := Decode("x", tt.data)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Decode = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if img.Bounds().Dx() != tt.wantW {
				t.Errorf("width %d, want %d", img.Bounds().Dx(), tt.wantW)
			}
		})
	}
}

// BenchmarkRefuseBomb shows the bomb is refused from its header: no
// gigabyte allocation happens.
func BenchmarkRefuseBomb(b *testing.B) {
	data := bombPNG(40000, 40000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode("bomb.png", data); !errors.Is(err, ErrTooBig) {
			b.Fatal(err)
		}
	}
}
