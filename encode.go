package ogcard

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ogcard/ogcard/internal/render"
)

// ErrFormat is returned for a card file name whose extension names no
// format ogcard writes (ogcard writes .png and .jpg/.jpeg).
var ErrFormat = errors.New("unsupported image format")

// Image formats for Encoding.Format.
const (
	PNG  = "png"
	JPEG = "jpeg"
)

// DefaultJPEGQuality is the JPEG quality when Encoding.Quality is 0.
const DefaultJPEGQuality = 85

// Encoding says how RenderAs encodes a card. The zero value is PNG.
type Encoding struct {
	Format  string // PNG ("" too) or JPEG
	Quality int    // JPEG quality, 1..100; 0 means DefaultJPEGQuality
}

// EncodingFor returns the encoding a card file name asks for: .png is PNG,
// .jpg and .jpeg are JPEG at quality (any case). Any other extension, or
// none, is an error wrapping ErrFormat, as is a quality outside 0..100 or
// a quality given for a PNG.
func EncodingFor(name string, quality int) (Encoding, error) {
	f, err := render.FormatFor(name, quality)
	if err != nil {
		// render's message, under this package's sentinel.
		return Encoding{}, fmt.Errorf("%w%s", ErrFormat, strings.TrimPrefix(err.Error(), render.ErrFormat.Error()))
	}
	return Encoding{Format: f.Kind, Quality: f.Quality}, nil
}

// RenderAs is Render in encoding enc: with JPEG, the Image's JPEG field
// holds the card and PNG is nil. The byte budget applies to PNG only.
func (r *Renderer) RenderAs(ctx context.Context, c *Card, template string, enc Encoding) (*Image, error) {
	if enc.Format != "" && enc.Format != PNG && enc.Format != JPEG {
		return nil, fmt.Errorf("%w: want Format PNG or JPEG, got %q", ErrFormat, enc.Format)
	}
	img, err := r.r.RenderAs(ctx, toCard(c), template, render.Format{Kind: enc.Format, Quality: enc.Quality})
	if err != nil {
		return nil, convertErr(err)
	}
	if img.JPEG != nil {
		return &Image{Template: img.Template, Suffix: img.Suffix, Width: img.Width, Height: img.Height, JPEG: img.JPEG, Key: img.Key, Warnings: img.Warnings}, nil
	}
	return r.image(img, c.Source)
}

// Data returns the encoded card, PNG or JPEG.
func (im *Image) Data() []byte {
	if im.JPEG != nil {
		return im.JPEG
	}
	return im.PNG
}

// MIME returns the card's media type: image/png or image/jpeg.
func (im *Image) MIME() string {
	if im.JPEG != nil {
		return "image/jpeg"
	}
	return "image/png"
}
