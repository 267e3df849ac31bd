// Package imgtest compares images drawn by tests with golden PNG files, as
// shared/STYLE.md's "Golden images, the recipe" describes.
//
// Goldens live under the calling package's testdata/golden/ (go test runs a
// package's tests in its own directory) and are compared by decoded pixels
// with a per-channel tolerance, never by encoded bytes. Run
//
//	go test ./internal/raster -run 'TestCard' -update
//
// to rewrite them, then look at every changed golden before committing it: a
// golden nobody looked at pins a bug.
//
// Importing this package registers the -update flag in the test binary; a
// package that defines its own "update" flag cannot import it.
package imgtest

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden images")

// Defaults of the options.
const (
	DefaultTolerance     = 2 // per channel, 8-bit: decoders and FMA rounding differ a little
	DefaultMaxDiffPixels = 0
	DefaultDir           = "testdata/golden"
)

// config is what the options set.
type config struct {
	tol     int
	maxDiff int
	dir     string
	update  bool
}

// Option adjusts AssertGolden.
type Option func(*config)

// Tolerance sets how far, in 8-bit levels, a channel of a pixel may differ
// from the golden before the pixel counts as different. It ranges over
// 0..255; the default is DefaultTolerance (2).
func Tolerance(n int) Option { return func(c *config) { c.tol = n } }

// MaxDiffPixels sets how many pixels may differ beyond the tolerance before
// the comparison fails. The default is 0: any such pixel fails, so a glyph
// moved by one pixel is caught.
func MaxDiffPixels(n int) Option { return func(c *config) { c.maxDiff = n } }

// Dir sets the directory of the goldens, DefaultDir ("testdata/golden",
// relative to the package under test) unless given.
func Dir(path string) Option { return func(c *config) { c.dir = path } }

// validName matches golden names: slash-separated segments of letters,
// digits, '-', '_' and '.', none starting with '.'.
var validName = regexp.MustCompile(`^[A-Za-z0-9_\-][A-Za-z0-9_.\-]*(/[A-Za-z0-9_\-][A-Za-z0-9_.\-]*)*$`)

// AssertGolden compares got with the golden image <dir>/<name>.png, where dir
// is DefaultDir unless the Dir option says otherwise; name may contain
// slashes, such as "TestCard/dark". The test fails when more than
// MaxDiffPixels pixels differ by more than Tolerance in some channel, when
// the sizes differ, or when the golden is missing. On failure it writes
// actual.png, expected.png and diff.png (differing pixels in red over a faint
// grey copy of the expected image) to <t.ArtifactDir()>/<name>/ and reports
// the number of differing pixels, the largest channel difference, the
// bounding box of the difference and the command that updates the golden.
//
// With -update it writes got as the golden instead (atomically, unless the
// golden already holds the same pixels) and logs its path so that someone
// looks at it; it refuses, failing the test, when the CI environment
// variable is set. got is compared as 8-bit premultiplied colour; images of
// any bounds are compared from their top-left corners.
func AssertGolden(t testing.TB, name string, got image.Image, opts ...Option) {
	t.Helper()
	cfg := config{
		tol:     DefaultTolerance,
		maxDiff: DefaultMaxDiffPixels,
		dir:     DefaultDir,
		update:  *update,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if !validName.MatchString(name) {
		t.Fatalf("imgtest: golden name %q: want slash-separated letters, digits, '-', '_' and '.'", name)
		return
	}
	path := filepath.Join(cfg.dir, filepath.FromSlash(name)+".png")

	if cfg.update {
		if os.Getenv("CI") != "" {
			t.Fatalf("imgtest: refusing -update with CI set: goldens are written by a person who then looks at them")
			return
		}
		if want, err := readPNG(path); err == nil {
			if n, _, _ := Diff(want, got, 0); n == 0 {
				t.Logf("imgtest: golden %s unchanged", path)
				return
			}
		}
		if err := writePNG(path, got); err != nil {
			t.Fatalf("imgtest: update golden: %v", err)
			return
		}
		t.Logf("imgtest: wrote golden %s: look at it before committing", path)
		return
	}

	want, err := readPNG(path)
	if errors.Is(err, os.ErrNotExist) {
		dir := writeArtifacts(t, name, got, nil, cfg.tol)
		t.Errorf("imgtest: golden %s is missing; actual image in %s; create it with\n\t%s", path, dir, updateCommand(t))
		return
	}
	if err != nil {
		t.Fatalf("imgtest: %v", err)
		return
	}

	n, maxDelta, box := Diff(want, got, cfg.tol)
	switch {
	case !sameSize(want, got):
		dir := writeArtifacts(t, name, got, want, cfg.tol)
		t.Errorf("imgtest: %s: size %dx%d, golden is %dx%d; images in %s; if the change is intended, run\n\t%s",
			name, got.Bounds().Dx(), got.Bounds().Dy(), want.Bounds().Dx(), want.Bounds().Dy(), dir, updateCommand(t))
	case n > cfg.maxDiff:
		dir := writeArtifacts(t, name, got, want, cfg.tol)
		t.Errorf("imgtest: %s: %d pixels differ by more than %d (allowed: %d), largest channel difference %d, within %v; images in %s; if the change is intended, run\n\t%s",
			name, n, cfg.tol, cfg.maxDiff, maxDelta, box, dir, updateCommand(t))
	case n > 0:
		t.Logf("imgtest: %s: %d pixels differ by more than %d (allowed: %d), largest channel difference %d, within %v",
			name, n, cfg.tol, cfg.maxDiff, maxDelta, box)
	}
}

func sameSize(a, b image.Image) bool { return a.Bounds().Size() == b.Bounds().Size() }

// Diff compares a and b pixel by pixel, aligned at their top-left corners,
// as 8-bit premultiplied RGBA. n counts the pixels where some channel
// differs by more than tol; maxDelta is the largest channel difference of any
// pixel; bounds is the smallest rectangle, in a's coordinates, holding the n
// pixels (empty when n is 0). When the sizes differ, each pixel inside one
// image but not the other counts as differing, with a difference of 255.
func Diff(a, b image.Image, tol int) (n int, maxDelta int, bounds image.Rectangle) {
	ra, rb := toRGBA(a), toRGBA(b)
	sa, sb := ra.Rect.Size(), rb.Rect.Size()
	w, h := max(sa.X, sb.X), max(sa.Y, sb.Y)
	var box image.Rectangle
	mark := func(x, y int) {
		n++
		p := image.Rect(x, y, x+1, y+1)
		if box.Empty() {
			box = p
		} else {
			box = box.Union(p)
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			inA := x < sa.X && y < sa.Y
			inB := x < sb.X && y < sb.Y
			if !inA || !inB {
				maxDelta = 255
				if tol < 255 {
					mark(x, y)
				}
				continue
			}
			pa := ra.Pix[y*ra.Stride+4*x : y*ra.Stride+4*x+4]
			pb := rb.Pix[y*rb.Stride+4*x : y*rb.Stride+4*x+4]
			d := 0
			for i := range 4 {
				d = max(d, absDiff(pa[i], pb[i]))
			}
			maxDelta = max(maxDelta, d)
			if d > tol {
				mark(x, y)
			}
		}
	}
	if n == 0 {
		return 0, maxDelta, image.Rectangle{}
	}
	return n, maxDelta, box.Add(a.Bounds().Min)
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// toRGBA returns m as an *image.RGBA whose bounds start at (0, 0), sharing
// m's pixels when it already is one.
func toRGBA(m image.Image) *image.RGBA {
	b := m.Bounds()
	if r, ok := m.(*image.RGBA); ok {
		if b.Min == (image.Point{}) {
			return r
		}
		return &image.RGBA{Pix: r.Pix[r.PixOffset(b.Min.X, b.Min.Y):], Stride: r.Stride, Rect: b.Sub(b.Min)}
	}
	r := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(r, r.Rect, m, b.Min, draw.Src)
	return r
}

// diffImage draws want as faint grey and the pixels of got that differ from
// it by more than tol in red, over the union of both sizes.
func diffImage(want, got image.Image, tol int) *image.RGBA {
	rw, rg := toRGBA(want), toRGBA(got)
	sw, sg := rw.Rect.Size(), rg.Rect.Size()
	out := image.NewRGBA(image.Rect(0, 0, max(sw.X, sg.X), max(sw.Y, sg.Y)))
	red := color.RGBA{0xff, 0, 0, 0xff}
	for y := 0; y < out.Rect.Dy(); y++ {
		for x := 0; x < out.Rect.Dx(); x++ {
			inW := x < sw.X && y < sw.Y
			inG := x < sg.X && y < sg.Y
			if !inW || !inG {
				out.SetRGBA(x, y, red)
				continue
			}
			pw := rw.Pix[y*rw.Stride+4*x : y*rw.Stride+4*x+4]
			pg := rg.Pix[y*rg.Stride+4*x : y*rg.Stride+4*x+4]
			d := 0
			for i := range 4 {
				d = max(d, absDiff(pw[i], pg[i]))
			}
			if d > tol {
				out.SetRGBA(x, y, red)
				continue
			}
			// Luma over white, squeezed into the top quarter: faint grey.
			lum := (299*int(pw[0]) + 587*int(pw[1]) + 114*int(pw[2])) / 1000
			v := uint8(0xc0 + min(lum+255-int(pw[3]), 255)/4)
			out.SetRGBA(x, y, color.RGBA{v, v, v, 0xff})
		}
	}
	return out
}

// writeArtifacts writes actual.png and, when want is not nil, expected.png
// and diff.png (tol as in Diff) to <t.ArtifactDir()>/<name>/ and returns
// that directory. A golden name gets its own directory because one test may
// check several goldens. Failing to write is reported but does not stop the
// test.
func writeArtifacts(t testing.TB, name string, got, want image.Image, tol int) string {
	t.Helper()
	dir := filepath.Join(t.ArtifactDir(), filepath.FromSlash(name))
	type file struct {
		name string
		img  image.Image
	}
	files := []file{{"actual.png", got}}
	if want != nil {
		files = append(files, file{"expected.png", want}, file{"diff.png", diffImage(want, got, tol)})
	}
	for _, f := range files {
		if err := writePNG(filepath.Join(dir, f.name), f.img); err != nil {
			t.Errorf("imgtest: write artifact: %v", err)
		}
	}
	return dir
}

// readPNG decodes the PNG file at path.
func readPNG(path string) (image.Image, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("golden %s: %w", path, err)
	}
	return m, nil
}

// writePNG writes m to path atomically: a temporary file in the same
// directory, closed and checked, then renamed. image/png at best compression
// keeps committed goldens small and is deterministic for a Go release.
func writePNG(path string, m image.Image) (err error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, m); err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// updateCommand returns the go test command line that rewrites the goldens
// of t: the package relative to the module root and a -run pattern that
// matches exactly t and its parents.
func updateCommand(t testing.TB) string {
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	run := strings.ReplaceAll(strings.Join(parts, "/"), "'", `'\''`)
	return fmt.Sprintf("go test %s -run '%s' -update", packageDir(), run)
}

// packageDir returns the working directory (the package under test) as
// "./path" relative to the enclosing module root, or "." when it cannot tell.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := wd; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			rel, err := filepath.Rel(d, wd)
			if err != nil || rel == "." {
				return "."
			}
			return "./" + filepath.ToSlash(rel)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "."
		}
		d = parent
	}
}
