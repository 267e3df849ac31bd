package render

import (
	"bytes"
	"context"
	"errors"
	"image"
	_ "image/jpeg"
	"image/png"
	"testing"

	"github.com/ogcard/ogcard/internal/imgtest"
)

func TestFormatFor(t *testing.T) {
	for _, tc := range []struct {
		name    string
		quality int
		want    Format
		err     bool
	}{
		{"card.png", 0, Format{Kind: PNG}, false},
		{"out/CARD.PNG", 0, Format{Kind: PNG}, false},
		{"card.jpg", 0, Format{Kind: JPEG}, false},
		{"card.JPEG", 70, Format{Kind: JPEG, Quality: 70}, false},
		{"card.webp", 0, Format{}, true},
		{"card.gif", 0, Format{}, true},
		{"card", 0, Format{}, true},
		{"card.png", 80, Format{}, true},
		{"card.jpg", 101, Format{}, true},
	} {
		got, err := FormatFor(tc.name, tc.quality)
		if tc.err {
			if !errors.Is(err, ErrFormat) {
				t.Errorf("FormatFor(%q, %d) error = %v, want ErrFormat", tc.name, tc.quality, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("FormatFor(%q, %d) = %+v, %v; want %+v", tc.name, tc.quality, got, err, tc.want)
		}
	}
}

// TestRenderJPEG checks that a JPEG card decodes as JPEG at the template's
// size, shows the same picture as the PNG (within JPEG's loss), and that
// quality changes its size.
func TestRenderJPEG(t *testing.T) {
	r := renderer(t)
	c := loadCard(t, r, "cilium-at-kubecon-eu-2026.md")
	ctx := context.Background()
	pngImg, err := r.RenderAs(ctx, c, "og", Format{})
	if err != nil {
		t.Fatal(err)
	}
	if pngImg.MIME() != "image/png" || !bytes.HasPrefix(pngImg.Data(), []byte("\x89PNG")) {
		t.Fatalf("default format: %s, %q…", pngImg.MIME(), pngImg.Data()[:4])
	}
	want, err := png.Decode(bytes.NewReader(pngImg.PNG))
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[int]int{}
	for _, q := range []int{0, 50} {
		img, err := r.RenderAs(ctx, c, "og", Format{Kind: JPEG, Quality: q})
		if err != nil {
			t.Fatal(err)
		}
		if img.MIME() != "image/jpeg" || img.PNG != nil {
			t.Fatalf("quality %d: MIME %s, PNG set %v", q, img.MIME(), img.PNG != nil)
		}
		got, format, err := image.Decode(bytes.NewReader(img.Data()))
		if err != nil || format != "jpeg" {
			t.Fatalf("quality %d: decode: %v (%s)", q, err, format)
		}
		if got.Bounds() != want.Bounds() {
			t.Fatalf("quality %d: %v, want %v", q, got.Bounds(), want.Bounds())
		}
		// JPEG loss stays near edges: 98% of pixels within tol of the PNG.
		tol := 24 + (100-max(q, DefaultJPEGQuality/2))/2
		n, _, _ := imgtest.Diff(want, got, tol)
		if total := want.Bounds().Dx() * want.Bounds().Dy(); n > total/50 {
			t.Errorf("quality %d: %d of %d pixels differ from the PNG by more than %d", q, n, total, tol)
		}
		sizes[q] = len(img.JPEG)
	}
	if sizes[50] >= sizes[0] {
		t.Errorf("quality 50 gives %d bytes, default (%d) gives %d: quality is ignored", sizes[50], DefaultJPEGQuality, sizes[0])
	}
}
