package imgtest

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// withUpdate forces the -update behaviour on or off, whatever the flag says.
func withUpdate(on bool) Option { return func(c *config) { c.update = on } }

// fakeTB records failures instead of failing the real test. AssertGolden
// returns after each Fatalf, so Fatalf need not stop the goroutine.
type fakeTB struct {
	testing.TB
	artifacts string
	errors    []string
	fatals    []string
	logs      []string
}

func newFake(t *testing.T) *fakeTB { return &fakeTB{TB: t, artifacts: t.TempDir()} }

func (f *fakeTB) Helper()             {}
func (f *fakeTB) ArtifactDir() string { return f.artifacts }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Logf(format string, args ...any) {
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) failed() bool { return len(f.errors)+len(f.fatals) > 0 }

// card returns a w x h image with a gradient and a square, so pixels differ
// from their neighbours.
func card(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 100, 255})
		}
	}
	for y := h / 4; y < h/2; y++ {
		for x := w / 4; x < w/2; x++ {
			m.SetRGBA(x, y, color.RGBA{250, 250, 250, 255})
		}
	}
	return m
}

// nudge returns a copy of m with channel R of each listed pixel raised by d.
func nudge(m *image.RGBA, d uint8, pts ...image.Point) *image.RGBA {
	c := image.NewRGBA(m.Rect)
	copy(c.Pix, m.Pix)
	for _, p := range pts {
		c.Pix[c.PixOffset(p.X, p.Y)] += d
	}
	return c
}

// widen returns a copy of m with k more columns, which equal the last one.
func widen(m *image.RGBA, k int) *image.RGBA {
	b := m.Rect
	c := image.NewRGBA(image.Rect(b.Min.X, b.Min.Y, b.Max.X+k, b.Max.Y))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X+k; x++ {
			c.Set(x, y, m.At(min(x, b.Max.X-1), y))
		}
	}
	return c
}

// writeGolden writes m as golden name under dir through the update path.
func writeGolden(t *testing.T, dir, name string, m image.Image) {
	t.Helper()
	t.Setenv("CI", "")
	f := newFake(t)
	AssertGolden(f, name, m, Dir(dir), withUpdate(true))
	if f.failed() {
		t.Fatalf("writing golden: errors %q, fatals %q", f.errors, f.fatals)
	}
}

func TestDiff(t *testing.T) {
	base := card(40, 30)
	tests := []struct {
		name         string
		a, b         image.Image
		tol          int
		wantN, wantD int
		wantBounds   image.Rectangle
	}{
		{"identical", base, card(40, 30), 0, 0, 0, image.Rectangle{}},
		{"one-off-by-3-tol-2", base, nudge(base, 3, image.Pt(5, 7)), 2, 1, 3, image.Rect(5, 7, 6, 8)},
		{"one-off-by-2-tol-2", base, nudge(base, 2, image.Pt(5, 7)), 2, 0, 2, image.Rectangle{}},
		{"two-apart", base, nudge(base, 9, image.Pt(3, 20), image.Pt(31, 4)), 0, 2, 9, image.Rect(3, 4, 32, 21)},
		{"wider", base, widen(base, 1), 0, 30, 255, image.Rect(40, 0, 41, 30)},
		{"a-offset", base.SubImage(image.Rect(10, 10, 20, 20)), nudge(base, 5, image.Pt(12, 11)).SubImage(image.Rect(10, 10, 20, 20)), 0, 1, 5, image.Rect(12, 11, 13, 12)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, d, b := Diff(tt.a, tt.b, tt.tol)
			if n != tt.wantN || d != tt.wantD || b != tt.wantBounds {
				t.Errorf("Diff() = %d, %d, %v; want %d, %d, %v", n, d, b, tt.wantN, tt.wantD, tt.wantBounds)
			}
		})
	}
}

func TestAssertGolden(t *testing.T) {
	base := card(40, 30)
	tests := []struct {
		name      string
		got       image.Image
		opts      []Option
		noGolden  bool
		wantFail  bool
		wantInMsg []string
	}{
		{name: "identical", got: card(40, 30)},
		{name: "off-by-2-within-default", got: nudge(base, 2, image.Pt(1, 1))},
		{name: "off-by-3-fails", got: nudge(base, 3, image.Pt(5, 7)), wantFail: true,
			wantInMsg: []string{"1 pixels differ by more than 2", "largest channel difference 3", "(5,7)-(6,8)", "-update", "-run '^TestAssertGolden$/^off-by-3-fails$'"}},
		{name: "off-by-3-tolerance-3", got: nudge(base, 3, image.Pt(5, 7)), opts: []Option{Tolerance(3)}},
		{name: "two-off-max-2-pixels", got: nudge(base, 50, image.Pt(0, 0), image.Pt(39, 29)), opts: []Option{MaxDiffPixels(2)}},
		{name: "three-off-max-2-pixels", got: nudge(base, 50, image.Pt(0, 0), image.Pt(39, 29), image.Pt(9, 9)), opts: []Option{MaxDiffPixels(2)}, wantFail: true,
			wantInMsg: []string{"3 pixels differ", "(0,0)-(40,30)"}},
		{name: "size-mismatch", got: card(40, 31), wantFail: true, wantInMsg: []string{"size 40x31, golden is 40x30"}},
		{name: "missing", got: base, noGolden: true, wantFail: true, wantInMsg: []string{"missing", "-update"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if !tt.noGolden {
				writeGolden(t, dir, "card", base)
			}
			f := newFake(t)
			AssertGolden(f, "card", tt.got, append([]Option{Dir(dir), withUpdate(false)}, tt.opts...)...)
			if f.failed() != tt.wantFail {
				t.Fatalf("failed = %v, want %v; errors %q, fatals %q", f.failed(), tt.wantFail, f.errors, f.fatals)
			}
			msg := strings.Join(append(f.errors, f.fatals...), "\n")
			for _, w := range tt.wantInMsg {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not contain %q", msg, w)
				}
			}
			if !tt.wantFail {
				return
			}
			want := []string{"actual.png", "expected.png", "diff.png"}
			if tt.noGolden {
				want = want[:1]
			}
			for _, name := range want {
				if _, err := os.Stat(filepath.Join(f.artifacts, "card", name)); err != nil {
					t.Errorf("artifact: %v", err)
				}
			}
		})
	}
}

// TestDiffImage checks that diff.png marks exactly the differing pixels.
func TestDiffImage(t *testing.T) {
	base := card(40, 30)
	d := diffImage(base, nudge(base, 9, image.Pt(3, 20), image.Pt(31, 4)), 2)
	red := color.RGBA{0xff, 0, 0, 0xff}
	n := 0
	for y := 0; y < 30; y++ {
		for x := 0; x < 40; x++ {
			c := d.RGBAAt(x, y)
			if c == red {
				n++
				continue
			}
			if c.R != c.G || c.G != c.B || c.R < 0xc0 {
				t.Fatalf("pixel (%d, %d) = %v, want faint grey", x, y, c)
			}
		}
	}
	if n != 2 || d.RGBAAt(3, 20) != red || d.RGBAAt(31, 4) != red {
		t.Errorf("%d red pixels, want 2 at (3, 20) and (31, 4)", n)
	}
}

func TestUpdate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "case.png")
	m := card(16, 9)

	writeGolden(t, dir, "sub/case", m)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("golden not written: %v", err)
	}
	if got, err := readPNG(path); err != nil {
		t.Fatal(err)
	} else if n, _, _ := Diff(m, got, 0); n != 0 {
		t.Errorf("written golden differs from the image in %d pixels", n)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("golden dir holds %d entries, want 1 (no temp file left)", len(entries))
	}

	t.Run("unchanged-not-rewritten", func(t *testing.T) {
		before := info.ModTime()
		f := newFake(t)
		t.Setenv("CI", "")
		AssertGolden(f, "sub/case", card(16, 9), Dir(dir), withUpdate(true))
		if after, _ := os.Stat(path); !after.ModTime().Equal(before) {
			t.Errorf("golden rewritten although unchanged")
		}
		if len(f.logs) != 1 || !strings.Contains(f.logs[0], "unchanged") {
			t.Errorf("logs = %q, want one saying unchanged", f.logs)
		}
	})
	t.Run("changed-is-logged", func(t *testing.T) {
		f := newFake(t)
		t.Setenv("CI", "")
		AssertGolden(f, "sub/case", nudge(m, 40, image.Pt(2, 2)), Dir(dir), withUpdate(true))
		if f.failed() || len(f.logs) != 1 || !strings.Contains(f.logs[0], path) {
			t.Errorf("errors %q, fatals %q, logs %q: want one log naming %s", f.errors, f.fatals, f.logs, path)
		}
		AssertGolden(f, "sub/case", nudge(m, 40, image.Pt(2, 2)), Dir(dir), withUpdate(false))
		if f.failed() {
			t.Errorf("updated golden does not match: %q", f.errors)
		}
	})
	t.Run("refused-in-CI", func(t *testing.T) {
		f := newFake(t)
		t.Setenv("CI", "true")
		AssertGolden(f, "sub/new", m, Dir(dir), withUpdate(true))
		if len(f.fatals) != 1 || !strings.Contains(f.fatals[0], "CI") {
			t.Errorf("fatals = %q, want one about CI", f.fatals)
		}
		if _, err := os.Stat(filepath.Join(dir, "sub", "new.png")); err == nil {
			t.Errorf("golden written in CI")
		}
	})
}

func TestBadName(t *testing.T) {
	for _, name := range []string{"", "../escape", "/abs", "a//b", ".hidden", "sp ace"} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			AssertGolden(f, name, card(2, 2), Dir(t.TempDir()))
			if len(f.fatals) != 1 {
				t.Errorf("AssertGolden(%q): fatals %q, want 1", name, f.fatals)
			}
		})
	}
}

func TestUpdateCommand(t *testing.T) {
	got := updateCommand(t)
	if want := "go test ./internal/imgtest -run '^TestUpdateCommand$' -update"; got != want {
		t.Errorf("updateCommand() = %q, want %q", got, want)
	}
}

// TestAssertGoldenRealT runs a passing comparison on a real *testing.T.
func TestAssertGoldenRealT(t *testing.T) {
	dir := t.TempDir()
	writeGolden(t, dir, "real", card(8, 8))
	AssertGolden(t, "real", card(8, 8), Dir(dir), withUpdate(false))
}
