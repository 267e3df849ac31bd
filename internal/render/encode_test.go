package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"path/filepath"
	"testing"

	"github.com/ogcard/ogcard/internal/palette"
	"github.com/ogcard/ogcard/internal/post"
)

// encodedCase is one encoded card with the pixels it was drawn from.
type encodedCase struct {
	name  string // post/template[-n]
	png   []byte
	drawn *image.RGBA
}

// encodedCards renders every card of every built-in template of the
// reference post (built-in brand) and the nine-speaker post (the test
// site's brand, photos, artwork), with the pixels each was drawn from.
func encodedCards(t *testing.T) []encodedCase {
	t.Helper()
	ctx := context.Background()
	site := siteRenderer(t)
	p, err := post.Read(filepath.Join("..", "..", "testdata", "site", "posts", "summit", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	summit, err := site.Card(p)
	if err != nil {
		t.Fatal(err)
	}
	ref := renderer(t)
	refCard := loadCard(t, ref, "cilium-at-kubecon-eu-2026.md")
	var out []encodedCase
	for _, pc := range []struct {
		name string
		r    *Renderer
	}{{"reference", ref}, {"summit", site}} {
		c := refCard
		if pc.name == "summit" {
			c = summit
		}
		for _, tmpl := range pc.r.Templates() {
			imgs, err := pc.r.RenderAll(ctx, c, tmpl)
			if err != nil {
				t.Fatal(err)
			}
			drawn, err := pc.r.DrawAll(ctx, c, tmpl)
			if err != nil {
				t.Fatal(err)
			}
			for i, img := range imgs {
				name := pc.name + "/" + tmpl
				if len(imgs) > 1 {
					name += fmt.Sprintf("-%d", i+1)
				}
				out = append(out, encodedCase{name, img.PNG, drawn[i]})
			}
		}
	}
	return out
}

// TestCardBytes holds the size targets of issue #11: the reference post's
// og card at most 60 KB, and every card of every built-in template at
// most 150 KB, on the reference post and on the nine-speaker post.
func TestCardBytes(t *testing.T) {
	paletted := 0
	for _, c := range encodedCards(t) {
		limit := 150_000
		if c.name == "reference/og" {
			limit = 60_000
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(c.png))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_, isPal := cfg.ColorModel.(color.Palette)
		if isPal {
			paletted++
		}
		// Every card fits 256 colours but the test site's event card,
		// whose painted artwork has thousands: colour emoji (the
		// reference post's ⚡ talks) and the speakers' flat-colour photos
		// take per-card entries.
		if !isPal && c.name != "summit/event" {
			t.Errorf("%s was written truecolour, want paletted", c.name)
		}
		if len(c.png) > limit {
			t.Errorf("%s is %d bytes, want at most %d", c.name, len(c.png), limit)
		}
		t.Logf("%-22s %7d bytes", c.name, len(c.png))
	}
	if paletted == 0 {
		t.Error("no card was written paletted")
	}
}

// TestNoVisibleLoss decodes every encoded card and compares it with the
// pixels drawn: by CIEDE2000, at least 99.9% of the pixels within 2.0 and
// none beyond 5.0.
func TestNoVisibleLoss(t *testing.T) {
	var all []float64 // per card: share within 2.0
	for _, c := range encodedCards(t) {
		got, err := png.Decode(bytes.NewReader(c.png))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		s := deltaEStats(t, c.drawn, got)
		if s.over2*1000 > s.pixels || s.max > 5.0 {
			t.Errorf("%s: %d of %d pixels beyond ΔE 2.0 (%.3f%%, want <= 0.1%%), max ΔE %.2f (want <= 5.0)",
				c.name, s.over2, s.pixels, 100*float64(s.over2)/float64(s.pixels), s.max)
		}
		t.Logf("%-22s paletted %-5v mean ΔE %.3f  beyond 2.0: %5d px (%.4f%%)  max %.2f", c.name, s.paletted, s.mean, s.over2, 100*float64(s.over2)/float64(s.pixels), s.max)
		all = append(all, s.mean)
	}
	if len(all) == 0 {
		t.Fatal("no cards")
	}
}

type lossStats struct {
	pixels, over2 int
	mean, max     float64
	paletted      bool
}

// deltaEStats compares two images of the same size pixel by pixel.
func deltaEStats(t *testing.T, want *image.RGBA, got image.Image) lossStats {
	t.Helper()
	if got.Bounds() != want.Rect {
		t.Fatalf("decoded card is %v, drawn %v", got.Bounds(), want.Rect)
	}
	_, pal := got.(*image.Paletted)
	s := lossStats{paletted: pal}
	memo := map[[2][3]uint8]float64{}
	b := want.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			i := want.PixOffset(x, y)
			p := [3]uint8{want.Pix[i], want.Pix[i+1], want.Pix[i+2]}
			r, g, bl, _ := got.At(x, y).RGBA()
			q := [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}
			k := [2][3]uint8{p, q}
			d, ok := memo[k]
			if !ok {
				d = palette.DeltaE2000(palette.LabOf(p[0], p[1], p[2]), palette.LabOf(q[0], q[1], q[2]))
				memo[k] = d
			}
			s.pixels++
			s.mean += d
			s.max = max(s.max, d)
			if d > 2.0 {
				s.over2++
			}
		}
	}
	s.mean /= float64(s.pixels)
	return s
}

// TestGradientHasNoBands checks a text-free strip of the reference og
// card's diagonal gradient: written in 256 colours it must not band. The
// mean colour of every run of 16 columns (and of 16 rows) of the strip,
// about what an eye averages at arm's length, stays within ΔE 0.5 of the
// drawn card's, and its lightness moves monotonically along the gradient
// as the drawn card's does. Nearest-colour mapping without dithering is
// off by about ΔE 1 in steps: bands.
func TestGradientHasNoBands(t *testing.T) {
	r := renderer(t)
	c := loadCard(t, r, "cilium-at-kubecon-eu-2026.md")
	out, err := r.Render(context.Background(), c, "og")
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(bytes.NewReader(out.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.(*image.Paletted); !ok {
		t.Fatalf("reference og card decoded as %T, want paletted", got)
	}
	drawn, _, err := r.Draw(context.Background(), c, "og")
	if err != nil {
		t.Fatal(err)
	}
	// Below the byline and left of the tag pills: gradient only.
	strip := image.Rect(0, 575, 1000, 630)
	for _, axis := range []string{"column", "row"} {
		want, have := windows(drawn, strip, axis), windows(got, strip, axis)
		worst, at := 0.0, 0
		for i := range want {
			if d := palette.DeltaE2000(want[i], have[i]); d > worst {
				worst, at = d, i
			}
		}
		if worst > 0.5 {
			t.Errorf("%ss %d-%d: mean colour ΔE %.2f from the drawn card's, want <= 0.5: the gradient bands", axis, at, at+period-1, worst)
		}
		t.Logf("%s windows: worst mean colour ΔE %.3f", axis, worst)
		// Lightness over non-overlapping windows: where the drawn card's
		// rises (or falls) by a visible step, so does the written one's.
		for i := period; i < len(want); i += period {
			dw, dh := want[i].L-want[i-period].L, have[i].L-have[i-period].L
			if math.Abs(dw) > 0.05 && dh*dw < 0 {
				t.Errorf("%ss %d-%d: lightness %.3f after %.3f, while the drawn card goes %.3f to %.3f", axis, i, i+period-1, have[i].L, have[i-period].L, want[i].L, want[i-period].L)
				break
			}
		}
	}
}

// period is the dither pattern's: means are compared over this many rows
// or columns.
const period = 16

// windows returns the mean colour, in CIELAB, of every run of period
// columns (or rows) of r in img.
func windows(img image.Image, r image.Rectangle, axis string) []palette.Lab {
	n, m := r.Dx(), r.Dy()
	if axis == "row" {
		n, m = m, n
	}
	sums := make([][3]float64, n)
	for i := range n {
		for j := range m {
			x, y := r.Min.X+i, r.Min.Y+j
			if axis == "row" {
				x, y = r.Min.X+j, r.Min.Y+i
			}
			cr, cg, cb, _ := img.At(x, y).RGBA()
			sums[i][0] += float64(cr >> 8)
			sums[i][1] += float64(cg >> 8)
			sums[i][2] += float64(cb >> 8)
		}
	}
	var out []palette.Lab
	for i := 0; i+period <= n; i++ {
		var s [3]float64
		for _, v := range sums[i : i+period] {
			s[0], s[1], s[2] = s[0]+v[0], s[1]+v[1], s[2]+v[2]
		}
		k := float64(period * m)
		out = append(out, palette.LabOfRGB(s[0]/k, s[1]/k, s[2]/k))
	}
	return out
}
