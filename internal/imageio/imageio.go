// Package imageio decodes the images a brand or a post names (logos,
// background artwork, speaker photos) safely: the format is recognised by
// its magic bytes and only PNG, JPEG and WebP decoders run; dimensions are
// checked with DecodeConfig before any pixel memory is allocated.
//
// # Security considerations
//
// A decompression bomb (a small file declaring 40000x40000 pixels) is
// refused from its header, before decoding. Files are read through a size
// cap. No decoder is registered globally, so image.Decode elsewhere in the
// program cannot be tricked into another format.
package imageio

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
)

// Limits on images, checked before decoding.
const (
	MaxBytes  = 20 << 20 // file size
	MaxSide   = 8192     // pixels per side
	MaxPixels = 40 << 20 // width × height
)

// Sentinel errors for errors.Is.
var (
	ErrFormat  = errors.New("not a PNG, JPEG or WebP image")
	ErrTooBig  = errors.New("image too large")
	ErrCorrupt = errors.New("image is corrupt")
)

type format struct {
	name   string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

var formats = []struct {
	magic []byte
	mask  []byte
	f     format
}{
	{[]byte("\x89PNG\r\n\x1a\n"), nil, format{"png", png.DecodeConfig, png.Decode}},
	{[]byte("\xff\xd8\xff"), nil, format{"jpeg", jpeg.DecodeConfig, jpeg.Decode}},
	{[]byte("RIFF\x00\x00\x00\x00WEBPVP8"), []byte("\xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff"), format{"webp", webp.DecodeConfig, webp.Decode}},
}

func sniff(data []byte) (format, bool) {
	for _, f := range formats {
		if len(data) < len(f.magic) {
			continue
		}
		ok := true
		for i, b := range f.magic {
			m := byte(0xff)
			if f.mask != nil {
				m = f.mask[i]
			}
			if data[i]&m != b {
				ok = false
				break
			}
		}
		if ok {
			return f.f, true
		}
	}
	return format{}, false
}

// Decode decodes a PNG, JPEG or WebP image after checking its header.
// name is used in errors.
func Decode(name string, data []byte) (image.Image, error) {
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("image %s: %w: %d bytes, the limit is %d", name, ErrTooBig, len(data), MaxBytes)
	}
	f, ok := sniff(data)
	if !ok {
		return nil, fmt.Errorf("image %s: %w (use .png, .jpg or .webp)", name, ErrFormat)
	}
	cfg, err := f.config(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("image %s: %w: %v", name, ErrCorrupt, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSide || cfg.Height > MaxSide || cfg.Width*cfg.Height > MaxPixels {
		return nil, fmt.Errorf("image %s: %w: %dx%d pixels, the limit is %d per side and %d in all; scale it down first",
			name, ErrTooBig, cfg.Width, cfg.Height, MaxSide, MaxPixels)
	}
	img, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("image %s: %w: %v", name, ErrCorrupt, err)
	}
	return img, nil
}
