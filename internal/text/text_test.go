package text

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
)

var (
	libOnce sync.Once
	testLib *Library
)

// lib loads the embedded font set from the repository's fonts folder.
func lib(t testing.TB) *Library {
	t.Helper()
	libOnce.Do(func() {
		l := NewLibrary(nil)
		if err := l.LoadFS(os.DirFS("../../fonts")); err != nil {
			panic(err)
		}
		testLib = l
	})
	return testLib
}

func withMin(s Style, min float64) Style { s.MinSizePx = min; return s }

func TestLayoutLines(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	title := Style{Families: []string{"Inter"}, Weight: 700, MaxSizePx: 72, MinSizePx: 40, LineHeight: 1.15, MaxLines: 3, Balance: true}
	tests := []struct {
		name      string
		text      string
		style     Style
		boxW      float64
		boxH      float64
		wantLines int
		wantSize  float64 // 0: don't check
		truncated bool
	}{
		{"short title keeps max size", "Hello, world", title, 1000, 300, 1, 72, false},
		{"reference title", "Cilium at KubeCon + CloudNativeCon and CiliumCon Europe 2026", title, 1000, 300, 3, 72, false},
		{"long title shrinks", strings.Repeat("Networking, security and observability ", 3), title, 1000, 300, 3, 0, false},
		{"170 chars", "How Bell Canada, Datadog, Form3, Isovalent, Microsoft and Palantir Run Cilium at Massive Scale: Lessons Learned From a Decade of eBPF Networking in Production", withMin(title, 34), 1060, 300, 3, 0, false},
		{"too long ends in ellipsis", strings.Repeat("word ", 200), title, 1000, 300, 3, 40, true},
		{"chinese wraps between characters", "在 React 中使用服务器组件获取数据的新方法以及它为什么比以前的客户端渲染方法更快更简单", title, 800, 300, 3, 0, false},
		{"unbreakable word breaks between graphemes", strings.Repeat("a", 300), title, 600, 300, 3, 40, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := sh.Layout(tt.text, tt.style, tt.boxW, tt.boxH)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Lines) != tt.wantLines {
				t.Errorf("Layout(%q) = %d lines, want %d", tt.text, len(b.Lines), tt.wantLines)
			}
			if tt.wantSize != 0 && b.SizePx != tt.wantSize {
				t.Errorf("size = %g, want %g", b.SizePx, tt.wantSize)
			}
			if b.SizePx < tt.style.MinSizePx || b.SizePx > tt.style.MaxSizePx {
				t.Errorf("size %g outside [%g, %g]", b.SizePx, tt.style.MinSizePx, tt.style.MaxSizePx)
			}
			if b.Truncated != tt.truncated {
				t.Errorf("truncated = %v, want %v", b.Truncated, tt.truncated)
			}
			for i, l := range b.Lines {
				if l.XPx < -0.01 || l.XPx+l.WidthPx > tt.boxW+0.01 {
					t.Errorf("line %d spans x %.1f..%.1f, box is 0..%g", i, l.XPx, l.XPx+l.WidthPx, tt.boxW)
				}
			}
			if b.HeightPx > tt.boxH+0.01 {
				t.Errorf("height %.1f > box %g", b.HeightPx, tt.boxH)
			}
			t.Logf("size %.2f lines %d widths %v", b.SizePx, len(b.Lines), widths(b))
		})
	}
}

func widths(b Block) []int {
	var w []int
	for _, l := range b.Lines {
		w = append(w, int(l.WidthPx))
	}
	return w
}

// TestInterKerningPinned guards the go-text version: v0.3.5 under-applies
// Inter Bold's class kerning ("AVATAR Tokyo WAVE" at 44 px measures 471.6 px in
// it against HarfBuzz's 456.2 px); v0.3.0 matches HarfBuzz.
func TestInterKerningPinned(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	got := sh.Measure("AVATAR Tokyo WAVE", Style{Families: []string{"Inter"}, Weight: 700, MaxSizePx: 44})
	if got < 455.7 || got > 456.7 {
		t.Errorf("Measure(AVATAR Tokyo WAVE, Inter Bold 44px) = %.1f px, want 456.2 (HarfBuzz)", got)
	}
}

// lineStrings returns each line's text, from the glyph clusters.
func lineStrings(s string, b Block) []string {
	rs := []rune(s)
	var out []string
	for _, l := range b.Lines {
		lo, hi := len(rs), 0
		for _, r := range l.Runs {
			for _, g := range r.Glyphs {
				lo, hi = min(lo, g.Cluster), max(hi, g.Cluster+1)
			}
		}
		if lo < hi {
			out = append(out, string(rs[lo:hi]))
		} else {
			out = append(out, "")
		}
	}
	return out
}

// TestKinsoku: a Japanese line never starts with closing punctuation.
func TestKinsoku(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	s := "「こんにちは」と彼は言った。それから、私たちは東京の駅へ向かった。"
	st := Style{Weight: 400, MaxSizePx: 40, MaxLines: 10}
	for w := 120.0; w <= 600; w += 20 {
		b, err := sh.Layout(s, st, w, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range lineStrings(s, b) {
			if i > 0 && line != "" && strings.ContainsRune("、。」）", []rune(line)[0]) {
				t.Errorf("width %g: line %d starts with %q: %q", w, i, []rune(line)[0], lineStrings(s, b))
			}
			if strings.HasSuffix(line, "「") {
				t.Errorf("width %g: line %d ends with an opening bracket: %q", w, i, line)
			}
		}
	}
}

// TestRTLAlignsRight: an Arabic paragraph starts at the right edge and its
// first logical word is drawn rightmost.
func TestRTLAlignsRight(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	s := "مرحبا بالعالم"
	b, err := sh.Layout(s, Style{Weight: 700, MaxSizePx: 48}, 800, 200)
	if err != nil {
		t.Fatal(err)
	}
	if !b.RTL || len(b.Lines) != 1 {
		t.Fatalf("RTL = %v, %d lines; want true, 1", b.RTL, len(b.Lines))
	}
	l := b.Lines[0]
	if d := 800 - (l.XPx + l.WidthPx); d < -0.01 || d > 0.01 {
		t.Errorf("line ends at %.1f, want the right edge 800", l.XPx+l.WidthPx)
	}
	// The glyph of the first rune must be to the right of the last rune's.
	var xFirst, xLast float64
	for _, r := range l.Runs {
		for _, g := range r.Glyphs {
			if g.Cluster == 0 {
				xFirst = g.XPx
			}
			if g.Cluster == len([]rune(s))-1 {
				xLast = g.XPx
			}
		}
	}
	if xFirst <= xLast {
		t.Errorf("first rune at x %.1f, last at %.1f: right-to-left order is reversed", xFirst, xLast)
	}
}

// TestParagraphDirection: a paragraph takes its direction from its first
// strong character (UAX #9 rules P2, P3): digits, punctuation and spaces
// before it do not count, and text with none is left to right. Start-aligned
// lines follow: flush right when right to left, flush left otherwise.
func TestParagraphDirection(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	const boxW = 1000
	tests := []struct {
		name string
		text string
		rtl  bool
	}{
		{"latin then arabic", "Hello مرحبا", false},
		{"arabic then latin", "مرحبا Hello", true},
		{"hebrew", "שלום עולם", true},
		{"hebrew then latin", "שלום Hello", true},
		{"latin then hebrew", "Hello שלום", false},
		{"digits before arabic", "2026 مرحبا Hello", true},
		{"digits and punctuation before arabic", "«1.16»: مرحبا Hello", true},
		{"punctuation before hebrew", "(!) שלום Hello", true},
		{"digits before latin", "2026: Hello مرحبا", false},
		{"arabic-indic digits before latin", "١٢٣ Hello مرحبا", false},
		{"no strong character", "2026 - 1.16", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := sh.Layout(tt.text, Style{Weight: 400, MaxSizePx: 40}, boxW, 200)
			if err != nil {
				t.Fatal(err)
			}
			if b.RTL != tt.rtl || len(b.Lines) != 1 {
				t.Fatalf("Layout(%q): RTL = %v in %d lines, want %v in 1", tt.text, b.RTL, len(b.Lines), tt.rtl)
			}
			l := b.Lines[0]
			if tt.rtl {
				if end := l.XPx + l.WidthPx; end < boxW-0.01 || end > boxW+0.01 {
					t.Errorf("Layout(%q): right-to-left line ends at x %.1f, want the right edge %d", tt.text, end, boxW)
				}
			} else if l.XPx != 0 {
				t.Errorf("Layout(%q): left-to-right line starts at x %.1f, want 0", tt.text, l.XPx)
			}
		})
	}
}

// TestMixedDirection: Latin words in an Arabic line keep their own order.
func TestMixedDirection(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	s := "إطلاق Cilium 1.16 الجديد"
	b, err := sh.Layout(s, Style{Weight: 400, MaxSizePx: 40}, 1000, 200)
	if err != nil {
		t.Fatal(err)
	}
	// "Cilium" is logically before "1.16": visually left of it too.
	xOf := func(cluster int) float64 {
		for _, r := range b.Lines[0].Runs {
			for _, g := range r.Glyphs {
				if g.Cluster == cluster {
					return g.XPx
				}
			}
		}
		t.Fatalf("no glyph for rune %d", cluster)
		return 0
	}
	ci, one := strings.Index(s, "Cilium"), strings.Index(s, "1.16")
	ciR, oneR := len([]rune(s[:ci])), len([]rune(s[:one]))
	if xOf(ciR) >= xOf(oneR) {
		t.Errorf("Cilium at %.1f is not left of 1.16 at %.1f", xOf(ciR), xOf(oneR))
	}
	if xOf(0) <= xOf(ciR) {
		t.Errorf("the first Arabic word (x %.1f) is not right of Cilium (x %.1f)", xOf(0), xOf(ciR))
	}
}

// TestBalancedHasNoLoneWord: a balanced headline's last line is not a
// single short word while the line above is full.
func TestBalancedHasNoLoneWord(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	s := "Announcing the Rust 2024 Edition and what comes next for the language"
	st := Style{Weight: 700, MaxSizePx: 64, MaxLines: 3, Balance: true}
	b, err := sh.Layout(s, st, 1000, 400)
	if err != nil {
		t.Fatal(err)
	}
	lines := lineStrings(s, b)
	last := lines[len(lines)-1]
	if !strings.Contains(strings.TrimSpace(last), " ") {
		t.Errorf("balanced lines %q end in a lone word", lines)
	}
	widest, narrowest := 0.0, 1e9
	for _, l := range b.Lines {
		widest, narrowest = max(widest, l.WidthPx), min(narrowest, l.WidthPx)
	}
	if narrowest < widest*0.6 {
		t.Errorf("line widths %v are uneven", widths(b))
	}
	unbalanced, _ := sh.Layout(s, Style{Weight: 700, MaxSizePx: 64, MaxLines: 3}, 1000, 400)
	if len(unbalanced.Lines) != len(b.Lines) {
		t.Errorf("balancing changed the line count: %d -> %d", len(unbalanced.Lines), len(b.Lines))
	}
}

func TestOverflowFail(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	_, err := sh.Layout(strings.Repeat("long words ", 50), Style{MaxSizePx: 40, MaxLines: 1, Overflow: Fail}, 300, 100)
	if !errors.Is(err, ErrOverflow) {
		t.Errorf("err = %v, want ErrOverflow", err)
	}
}

func TestEllipsisAtWordBoundary(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	s := "Networking security observability networking security observability"
	b, err := sh.Layout(s, Style{MaxSizePx: 40, MaxLines: 1, Overflow: Ellipsis}, 500, 100)
	if err != nil {
		t.Fatal(err)
	}
	line := lineStrings(s, b)[0]
	if !b.Truncated || !strings.HasSuffix(line, "…") && !b.Truncated {
		t.Fatalf("not truncated: %q", line)
	}
	// The kept text ends a word: the next rune in s is a space.
	kept := strings.TrimSuffix(line, "…")
	if next := s[len(kept):]; !strings.HasPrefix(next, " ") {
		t.Errorf("cut inside a word: kept %q", kept)
	}
	if b.Lines[0].WidthPx > 500 {
		t.Errorf("line is %.1f px wide in a 500 px box", b.Lines[0].WidthPx)
	}
}

// FuzzLayout: any text, any box: no panic, nothing outside the box.
func FuzzLayout(f *testing.F) {
	for _, s := range []string{"Hello", "在 React 中使用", "مرحبا بالعالم", "⚡ 👩‍💻 🇸🇪", "a\u0301\u200d\n\t", strings.Repeat("x", 500), "「」、。"} {
		f.Add(s, uint16(600), uint8(3), uint8(40))
	}
	l := lib(f)
	f.Fuzz(func(t *testing.T, s string, w uint16, lines uint8, size uint8) {
		sh := l.Shaper()
		defer sh.Release()
		boxW := float64(w%2000) + 10
		st := Style{MaxSizePx: float64(size%120) + 4, MinSizePx: 4, MaxLines: int(lines % 8), Balance: lines%2 == 0}
		b, err := sh.Layout(s, st, boxW, 400)
		if err != nil {
			return
		}
		for i, line := range b.Lines {
			if line.XPx < -0.5 || line.XPx+line.WidthPx > boxW+0.5 {
				t.Errorf("line %d spans %.1f..%.1f in a %.0f px box", i, line.XPx, line.XPx+line.WidthPx, boxW)
			}
		}
		if st.MaxLines > 0 && len(b.Lines) > st.MaxLines {
			t.Errorf("%d lines, max %d", len(b.Lines), st.MaxLines)
		}
	})
}

// TestEllipsisKeepsAllThatFits: the ellipsis replaces only what does not
// fit. "Hello world and…" in Inter Bold 40 px is 334.7 px: in a 400 px box a
// wrapped line that ends at a space keeps its last word.
func TestEllipsisKeepsAllThatFits(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	st := Style{Families: []string{"Inter"}, Weight: 700, MaxSizePx: 40, MaxLines: 1, Overflow: Ellipsis}
	tests := []struct {
		text   string
		boxW   float64
		want   string
		wantPx float64
	}{
		{"Hello world and more words", 400, "Hello world and…", 334.7},
		{"Hello world and more words", 334.8, "Hello world and…", 334.7},
		{"Hello world and more words", 334.6, "Hello world…", 251.9}, // "and" no longer fits
		{"Hello world andmorewords", 400, "Hello world…", 251.9},     // the wrapped line holds no more
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			b, err := sh.Layout(tt.text, st, tt.boxW, 100)
			if err != nil {
				t.Fatal(err)
			}
			if !b.Truncated || len(b.Lines) != 1 {
				t.Fatalf("Layout(%q, %g px) = %d lines, truncated %v; want 1, true", tt.text, tt.boxW, len(b.Lines), b.Truncated)
			}
			line := b.Lines[0]
			lo, hi := 1<<30, 0
			for _, r := range line.Runs {
				for _, g := range r.Glyphs {
					if g.Cluster < len([]rune(tt.text)) {
						lo, hi = min(lo, g.Cluster), max(hi, g.Cluster+1)
					}
				}
			}
			kept := string([]rune(tt.text)[lo:hi]) + "…"
			if kept != tt.want {
				t.Errorf("Layout(%q, %g px) = %q, want %q", tt.text, tt.boxW, kept, tt.want)
			}
			if line.WidthPx < tt.wantPx-0.05 || line.WidthPx > tt.wantPx+0.05 {
				t.Errorf("Layout(%q, %g px) is %.2f px wide, want %.1f", tt.text, tt.boxW, line.WidthPx, tt.wantPx)
			}
		})
	}
}

// TestEllipsisGlyphDrawn: a truncated block ends, at its logical end (the
// right for left-to-right text, the left for right-to-left), in the "…"
// glyph of a font that has it, with ink, and nowhere else; an untruncated
// block has none.
func TestEllipsisGlyphDrawn(t *testing.T) {
	l := lib(t)
	sh := l.Shaper()
	defer sh.Release()
	st := Style{Families: []string{"Inter"}, Weight: 700, MaxSizePx: 40, MaxLines: 1, Overflow: Ellipsis}
	isEllipsis := func(g Glyph, f *Font) bool {
		id, ok := f.load().NominalGlyph('…')
		return ok && uint32(id) == g.ID
	}
	for _, tt := range []struct {
		name, text string
		rtl        bool
	}{
		{"Latin", "Hello world and more words than fit", false},
		{"Arabic", "مرحبا بالعالم وأهلا بكم في هذه البطاقة الطويلة جدا", true},
		{"Japanese", "ネットワークの可視化を実現するための新しい方法について", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := sh.Layout(tt.text, st, 300, 100)
			if err != nil {
				t.Fatal(err)
			}
			if !b.Truncated || len(b.Lines) != 1 || b.RTL != tt.rtl {
				t.Fatalf("%d lines, truncated %v, RTL %v; want 1, true, %v", len(b.Lines), b.Truncated, b.RTL, tt.rtl)
			}
			type placed struct {
				g Glyph
				f *Font
			}
			var gs []placed
			for _, r := range b.Lines[0].Runs {
				for _, g := range r.Glyphs {
					gs = append(gs, placed{g, r.Font})
				}
			}
			end := gs[len(gs)-1] // rightmost: runs and glyphs are in visual order
			if tt.rtl {
				end = gs[0]
			}
			if !isEllipsis(end.g, end.f) {
				t.Fatalf("the glyph at the line's logical end is %d of %s, not its \"…\"", end.g.ID, end.f.Family)
			}
			if m, _ := l.Glyph(end.f, end.g.ID, b.SizePx, 0); m.Mask == nil || len(m.Mask.Pix) == 0 {
				t.Error("the ellipsis glyph has no ink")
			}
			n := 0
			for _, p := range gs {
				if isEllipsis(p.g, p.f) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d ellipsis glyphs, want 1", n)
			}
			full, err := sh.Layout("Short", st, 300, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range full.Lines[0].Runs {
				for _, g := range r.Glyphs {
					if isEllipsis(g, r.Font) {
						t.Error("an untruncated line has an ellipsis")
					}
				}
			}
		})
	}
}

// TestControlsTakeNoRoom: an escape code or another control character in
// the text is not set: no gap, no glyph, no break inside the word.
func TestControlsTakeNoRoom(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	st := Style{Families: []string{"Inter"}, Weight: 700, MaxSizePx: 40}
	for _, s := range []string{"Red\x1b[31m alert", "Bell\x07 and \u009bCSI", "a\rb"} {
		clean := strings.Map(func(r rune) rune {
			if r < 0x20 || (r >= 0x7F && r < 0xA0) {
				return -1
			}
			return r
		}, s)
		if got, want := sh.Measure(s, st), sh.Measure(clean, st); got != want {
			t.Errorf("Measure(%q) = %.2f, want %.2f as for %q", s, got, want, clean)
		}
		b, err := sh.Layout(s, st, 2000, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Lines) != 1 || len(b.Missing) != 0 {
			t.Errorf("Layout(%q): %d lines, missing %q; want 1 line, none missing", s, len(b.Lines), b.Missing)
		}
	}
}
