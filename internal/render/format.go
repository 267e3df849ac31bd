package render

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"path/filepath"
	"strings"
)

// Output kinds for Format.Kind.
const (
	PNG  = "png"
	JPEG = "jpeg"
)

// DefaultJPEGQuality is the JPEG quality when Format.Quality is 0: sharp
// text at about a third of the PNG's bytes on photo covers.
const DefaultJPEGQuality = 85

// Format says how a card is encoded. The zero value is PNG.
type Format struct {
	Kind    string // PNG ("" too) or JPEG
	Quality int    // JPEG quality, 1..100; 0 means DefaultJPEGQuality
}

// ErrFormat is returned for an output file name whose extension names no
// format ogcard writes.
var ErrFormat = errors.New("unsupported image format")

// FormatFor returns the format a file name asks for: .png is PNG, .jpg and
// .jpeg are JPEG (any case). Any other extension, or none, is ErrFormat:
// PNG bytes under a misleading name break whatever serves the file.
func FormatFor(name string, quality int) (Format, error) {
	if quality < 0 || quality > 100 {
		return Format{}, fmt.Errorf("%w: JPEG quality %d: want 1..100", ErrFormat, quality)
	}
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".png":
		if quality != 0 {
			return Format{}, fmt.Errorf("%w: %s: a quality applies to .jpg files only; PNG is lossless", ErrFormat, name)
		}
		return Format{Kind: PNG}, nil
	case ".jpg", ".jpeg":
		return Format{Kind: JPEG, Quality: quality}, nil
	case "":
		return Format{}, fmt.Errorf("%w: %s has no extension; name a .png or .jpg file", ErrFormat, name)
	default:
		return Format{}, fmt.Errorf("%w: %s: ogcard writes .png and .jpg (.jpeg) files, not %s", ErrFormat, name, ext)
	}
}

// Ext returns the file extension of f, with its dot.
func (f Format) Ext() string {
	if f.Kind == JPEG {
		return ".jpg"
	}
	return ".png"
}

// encodeJPEG encodes a card as baseline JPEG. Cards are opaque; where a
// template leaves pixels transparent, JPEG shows them black.
func encodeJPEG(img image.Image, quality int) ([]byte, error) {
	if quality == 0 {
		quality = DefaultJPEGQuality
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	return buf.Bytes(), nil
}
