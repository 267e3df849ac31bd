package text

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/segmenter"
	"github.com/go-text/typesetting/shaping"
	"github.com/ogcard/ogcard/internal/text/uba"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// Overflow says what happens to text that does not fit its box.
type Overflow int

const (
	// Shrink lowers the size down to MinSizePx, then ends in an ellipsis.
	Shrink Overflow = iota
	// Ellipsis keeps MaxSizePx and ends in an ellipsis.
	Ellipsis
	// Fail returns ErrOverflow.
	Fail
)

// Align is the horizontal alignment of lines in their box.
type Align int

const (
	Start  Align = iota // left for left-to-right text, right for right-to-left
	Center              // centred
	End                 // right for left-to-right text, left for right-to-left
)

// Direction is a writing direction.
type Direction int

const (
	Auto Direction = iota // the paragraph's own, from its first strong character (UAX #9)
	LTR
	RTL
)

// ErrOverflow is returned for text with Overflow Fail that does not fit.
var ErrOverflow = errors.New("text does not fit its box")

// Style describes how a block of text is set. Sizes are in pixels.
type Style struct {
	Families   []string // tried first, before the Library's fallback chain
	Weight     int      // 400 regular, 600 semibold, 700 bold
	MaxSizePx  float64
	MinSizePx  float64 // 0 means MaxSizePx
	LineHeight float64 // line spacing as a multiple of the size; 0 means 1.2
	MaxLines   int     // 0 means as many as the box height allows
	Overflow   Overflow
	Align      Align
	// AlignDir is the direction Align's start and end are relative to, as
	// CSS's text-align follows the element's direction: RTL in a mirrored
	// card, so a Latin date set "end" goes to the left. Auto, the zero
	// value, is the paragraph's own direction.
	AlignDir Direction
	Balance  bool // even line lengths, as for headlines (no lone word on the last line)
}

// Block is text laid out in a box: lines of positioned glyphs.
// Coordinates are in pixels relative to the box's top-left corner.
type Block struct {
	SizePx    float64
	Lines     []Line
	WidthPx   float64 // the widest line
	HeightPx  float64 // lines × line height
	Truncated bool    // an ellipsis replaced text that did not fit
	RTL       bool    // the paragraph direction is right to left
	Missing   []rune  // characters no font has; they are not drawn
	Text      string  // the text as given, before any ellipsis (for messages)
}

// Line is one line of a Block.
type Line struct {
	XPx, BaselinePx float64 // the line's origin (left end of its baseline)
	WidthPx         float64
	Runs            []Run // in visual order, left to right
}

// Run is glyphs of one font at one size.
type Run struct {
	Font   *Font
	SizePx float64
	Glyphs []Glyph
}

// Glyph is one glyph, positioned relative to its line's origin.
type Glyph struct {
	ID      uint32
	XPx     float64
	YPx     float64 // downwards, usually 0
	Cluster int     // index of its first rune in the text, for tests
}

// maxRunes bounds the work one text block can cause.
const maxRunes = 4000

// refSize is the size text is shaped at; other sizes scale from it, since
// unhinted outlines and advances scale linearly.
const refSize = 64

// Layout sets s in a box of boxW × boxH pixels. It never returns lines wider
// than boxW or a block taller than boxH (unless even one line at MinSizePx is
// taller, in which case one line is returned).
func (sh *Shaper) Layout(s string, st Style, boxW, boxH float64) (Block, error) {
	st = st.withDefaults()
	if !(boxW > 0 && boxH > 0) || math.IsInf(boxW, 0) || math.IsInf(boxH, 0) {
		return Block{}, fmt.Errorf("text: box %gx%g is empty or not finite", boxW, boxH)
	}
	if !(st.MaxSizePx > 0 && st.MaxSizePx <= 4096) || math.IsNaN(st.MinSizePx) || !(st.LineHeight > 0 && st.LineHeight <= 16) {
		return Block{}, fmt.Errorf("text: size %g (min %g, line height %g) out of range", st.MaxSizePx, st.MinSizePx, st.LineHeight)
	}
	p := sh.prepare(s, st)
	if len(p.runes) == 0 {
		return Block{SizePx: st.MaxSizePx, Missing: p.missing, Text: s}, nil
	}

	maxLinesAt := func(size float64) int {
		n := int((boxH + 0.01) / (size * st.LineHeight))
		if st.MaxLines > 0 && st.MaxLines < n {
			n = st.MaxLines
		}
		return max(n, 1)
	}
	fits := func(size float64) ([]span, bool) {
		lines := p.wrap(boxW*refSize/size, math.MaxInt)
		return lines, len(lines) <= maxLinesAt(size)
	}

	size := st.MaxSizePx
	lines, ok := fits(size)
	if !ok && st.Overflow == Shrink && st.MinSizePx < st.MaxSizePx {
		// Binary search, in quarter pixels, for the largest size that fits.
		lo, hi := int(math.Ceil(st.MinSizePx*4)), int(st.MaxSizePx*4)-1
		best := -1
		var bestLines []span
		for lo <= hi {
			mid := (lo + hi) / 2
			if l, ok := fits(float64(mid) / 4); ok {
				best, bestLines = mid, l
				lo = mid + 1
			} else {
				hi = mid - 1
			}
		}
		if best >= 0 {
			size, lines, ok = float64(best)/4, bestLines, true
		} else {
			size = st.MinSizePx
			lines, _ = fits(size)
		}
	}
	limit := boxW * refSize / size
	truncated := false
	if !ok {
		if st.Overflow == Fail {
			return Block{}, fmt.Errorf("%w: %d lines at %gpx, at most %d allowed", ErrOverflow, len(lines), size, maxLinesAt(size))
		}
		n := maxLinesAt(size)
		lines = lines[:n]
		lines[n-1] = p.truncate(lines[n-1], limit)
		truncated = true
	} else if st.Balance && len(lines) > 1 {
		lines = p.balance(lines, limit)
	}
	b := sh.assemble(p, lines, size, st, boxW, truncated)
	b.Text = s
	return b, nil
}

func (st Style) withDefaults() Style {
	if st.MaxSizePx <= 0 {
		st.MaxSizePx = 32
	}
	if st.MinSizePx <= 0 || st.MinSizePx > st.MaxSizePx {
		st.MinSizePx = st.MaxSizePx
	}
	if st.LineHeight <= 0 {
		st.LineHeight = 1.2
	}
	if st.Weight == 0 {
		st.Weight = 400
	}
	return st
}

// para is a paragraph shaped at refSize, ready to be broken into lines.
type para struct {
	runes    []rune
	rtl      bool
	runs     []shaping.Output // logical order
	levels   []int8           // bidi embedding level of each rune (UAX #9)
	adv      []float64        // advance of the cluster starting at each rune, at refSize
	breaks   []bool           // breaks[i]: a line may start at rune i, between phrases (see phrases.go)
	uax      []bool           // uax[i]: UAX #14 lets a line start at rune i; for phrases wider than a line
	hard     []bool           // hard[i]: a line must start at rune i
	grapheme []bool           // grapheme[i]: a grapheme starts at rune i
	ellipsis []shaping.Output
	ellW     float64
	missing  []rune
}

// span is a line's rune range [start, end), trailing spaces excluded from end.
type span struct {
	start, end int
	ellipsis   bool
}

func (sh *Shaper) prepare(s string, st Style) *para {
	s = norm.NFC.String(s)
	rs := []rune(s)
	if slices.ContainsFunc(rs, isControl) {
		// Controls have no glyph but do have the .notdef's advance: an
		// escape code drew a gap mid-word. Cards remove them with a
		// warning (internal/card); this catches the texts that pass
		// elsewhere (a site name, a template's own text).
		rs = slices.DeleteFunc(rs, isControl)
	}
	if len(rs) > maxRunes {
		rs = rs[:maxRunes]
	}
	p := &para{runes: rs}
	if len(rs) == 0 {
		return p
	}
	var para int8
	p.levels, para = uba.Levels(rs, uba.Auto)
	p.rtl = para%2 == 1
	chain := sh.chain(st.Families, st.Weight)
	fm := &fontmap{sh: sh, chain: chain}
	for i, r := range rs[:len(rs)-1] {
		// "❤️": U+FE0F asks for the emoji picture of a character that
		// text fonts (Inter has ❤) also have.
		if rs[i+1] == 0xFE0F {
			if fm.emojiPresentation == nil {
				fm.emojiPresentation = make(map[rune]bool)
			}
			fm.emojiPresentation[r] = true
		}
	}
	if fm.primary() == nil {
		// No usable font: nothing can be set, and every character is
		// reported missing rather than silently dropped.
		for _, r := range rs {
			if !isInvisible(r) && !slices.Contains(p.missing, r) {
				p.missing = append(p.missing, r)
			}
		}
		p.runes = nil
		return p
	}
	p.runs = sh.shapeRuns(rs, p.rtl, p.levels, fm)
	p.missing = fm.missing
	// A character no font has is shaped as the primary font's .notdef
	// (glyph 0), which is not drawn: without its advance too, it is left
	// out rather than leaving a hole in the line.
	for i := range p.runs {
		for j := range p.runs[i].Glyphs {
			if p.runs[i].Glyphs[j].GlyphID == 0 {
				p.runs[i].Glyphs[j].XAdvance = 0
			}
		}
	}

	p.adv = make([]float64, len(rs))
	for _, run := range p.runs {
		for _, g := range run.Glyphs {
			if g.ClusterIndex >= 0 && g.ClusterIndex < len(rs) {
				p.adv[g.ClusterIndex] += fix(g.XAdvance)
			}
		}
	}

	sh.seg.Init(rs)
	p.uax = make([]bool, len(rs)+1)
	p.hard = make([]bool, len(rs)+1)
	it := sh.seg.LineIterator()
	for it.Next() {
		l := it.Line()
		end := l.Offset + len(l.Text)
		p.uax[end] = true
		if l.IsMandatoryBreak {
			p.hard[end] = true
		}
	}
	p.grapheme = make([]bool, len(rs)+1)
	gi := sh.seg.GraphemeIterator()
	for gi.Next() {
		p.grapheme[gi.Grapheme().Offset] = true
	}
	p.grapheme[len(rs)] = true
	p.breaks = phraseBreaks(rs, p.uax, p.grapheme)

	e := sh.ellipsis(chain, p.rtl)
	p.ellipsis, p.ellW = e.runs, e.width
	return p
}

type ellipsisKey struct {
	first *Font
	rtl   bool
}

type ellipsis struct {
	runs  []shaping.Output
	width float64
}

// ellipsis returns "…" shaped in chain's first font that has it, cached:
// every fitted text needs its width.
func (sh *Shaper) ellipsis(chain []*Font, rtl bool) ellipsis {
	key := ellipsisKey{(&fontmap{chain: chain}).primary(), rtl}
	if e, ok := sh.ellipses[key]; ok {
		return e
	}
	var e ellipsis
	e.runs = sh.shapeRuns([]rune{'…'}, rtl, nil, &fontmap{sh: sh, chain: chain})
	for _, r := range e.runs {
		e.width += fix(r.Advance)
	}
	sh.ellipses[key] = e
	return e
}

// shapeRuns splits rs by direction, script and font, and shapes each piece.
// levels, if not nil, are rs's bidi embedding levels: pieces are split
// where the level changes and take their direction from it, so that nested
// levels ("and مرحبا 2026" in a left-to-right line) are shaped and ordered
// as UAX #9 says rather than by go-text's own two-level guess.
func (sh *Shaper) shapeRuns(rs []rune, rtl bool, levels []int8, fm *fontmap) []shaping.Output {
	dir := di.DirectionLTR
	if rtl {
		dir = di.DirectionRTL
	}
	in := shaping.Input{
		Text: rs, RunStart: 0, RunEnd: len(rs),
		Direction: dir,
		Size:      fixed.I(refSize),
		Language:  language.DefaultLanguage(),
	}
	inputs := sh.split.Split(in, fm)
	inputs = fm.primaryWhitespace(inputs)
	if levels != nil {
		inputs = splitByLevel(inputs, levels)
	}
	out := make([]shaping.Output, 0, len(inputs))
	for _, in := range inputs {
		out = append(out, sh.hb.Shape(in))
	}
	return out
}

// splitByLevel splits inputs where the bidi level changes and sets each
// piece's direction from its level.
func splitByLevel(inputs []shaping.Input, levels []int8) []shaping.Input {
	out := make([]shaping.Input, 0, len(inputs))
	for _, in := range inputs {
		start := in.RunStart
		for i := start + 1; i <= in.RunEnd; i++ {
			if i < in.RunEnd && levels[i] == levels[start] {
				continue
			}
			piece := in
			piece.RunStart, piece.RunEnd = start, i
			piece.Direction = di.DirectionLTR
			if levels[start]%2 == 1 {
				piece.Direction = di.DirectionRTL
			}
			out = append(out, piece)
			start = i
		}
	}
	return out
}

// wrap breaks the paragraph greedily into lines no wider than limit (at
// refSize). A word wider than a line is broken between graphemes, as CSS's
// overflow-wrap: anywhere does, rather than overflow.
func (p *para) wrap(limit float64, maxLines int) []span {
	var lines []span
	start := 0
	n := len(p.runes)
	for start < n && len(lines) < maxLines {
		end := p.fitFrom(start, limit)
		lines = append(lines, span{start: start, end: p.trimEnd(start, end)})
		start = end
		for start < n && isSpace(p.runes[start]) && !p.hard[start] {
			start++
		}
	}
	return lines
}

// fitFrom returns the end of the longest line starting at start that fits:
// at a phrase break if one fits, else at a UAX #14 break (a CJK phrase
// wider than the line), else between graphemes.
func (p *para) fitFrom(start int, limit float64) int {
	n := len(p.runes)
	for _, breaks := range [][]bool{p.breaks, p.uax} {
		lastBreak := -1
		for i := start; i < n; i++ {
			if i > start && p.hard[i] {
				return i
			}
			if breaks[i+1] {
				if p.width(start, p.trimEnd(start, i+1)) <= limit+1e-6 {
					lastBreak = i + 1
				} else {
					break
				}
			}
		}
		if lastBreak > start {
			return lastBreak
		}
	}
	// No break opportunity fits: break inside the word, between graphemes.
	w := 0.0
	last := -1
	for i := start; i < n; i++ {
		w += p.adv[i]
		if p.grapheme[i+1] {
			if w > limit+1e-6 && last > start {
				return last
			}
			last = i + 1
			if p.breaks[i+1] && w <= limit {
				return i + 1
			}
		}
	}
	return n
}

func (p *para) trimEnd(start, end int) int {
	for end > start && isSpace(p.runes[end-1]) {
		end--
	}
	return end
}

func (p *para) width(start, end int) float64 {
	w := 0.0
	for i := start; i < end; i++ {
		w += p.adv[i]
	}
	return w
}

// truncate shortens line so that it and an ellipsis fit in limit, cutting
// at a word boundary when that keeps most of the line, else between
// graphemes.
func (p *para) truncate(line span, limit float64) span {
	room := limit - p.ellW
	end := line.end
	// The ellipsis always replaces something: the text continued past here.
	for end > line.start && p.width(line.start, end) > room {
		end--
	}
	for end > line.start && !p.grapheme[end] {
		end--
	}
	// Prefer a word boundary if it keeps at least 60% of what fits. end
	// itself is one when a space follows it: a wrapped line ends there, and
	// its last word then fits whole.
	for b := end; b > line.start; b-- {
		if p.breaks[b] || isSpace(p.runes[b-1]) || (b < len(p.runes) && isSpace(p.runes[b])) {
			if p.width(line.start, b) >= 0.6*p.width(line.start, end) {
				end = b
			}
			break
		}
	}
	end = p.trimEnd(line.start, end)
	// Drop punctuation left dangling before the ellipsis ("Foo, …").
	for end > line.start && strings.ContainsRune(",;:-–—+&/|·", p.runes[end-1]) {
		end = p.trimEnd(line.start, end-1)
	}
	return span{start: line.start, end: end, ellipsis: true}
}

// balance finds the narrowest width that keeps the same number of lines, so
// lines come out even instead of a full line followed by a lone word.
func (p *para) balance(lines []span, limit float64) []span {
	n := len(lines)
	lo, hi := limit/float64(n)*0.5, limit
	best := lines
	// A narrower width must not split a phrase that the full width kept.
	phrases := p.atPhrases(lines)
	for range 14 {
		mid := (lo + hi) / 2
		l := p.wrap(mid, n+1)
		if len(l) <= n && p.allFit(l, mid) && (!phrases || p.atPhrases(l)) {
			best, hi = l, mid
		} else {
			lo = mid
		}
	}
	return best
}

// atPhrases reports whether every line after the first starts at a phrase
// break (or after a mandatory one), not at a fallback break.
func (p *para) atPhrases(lines []span) bool {
	for _, l := range lines[1:] {
		if !p.breaks[l.start] && !p.hard[l.start] {
			return false
		}
	}
	return true
}

func (p *para) allFit(lines []span, limit float64) bool {
	for _, l := range lines {
		if p.width(l.start, l.end) > limit+1e-6 {
			return false
		}
	}
	return true
}

// assemble turns spans into positioned glyph runs at size.
func (sh *Shaper) assemble(p *para, spans []span, size float64, st Style, boxW float64, truncated bool) Block {
	scale := size / refSize
	lh := size * st.LineHeight
	primary := sh.chain(st.Families, st.Weight)
	asc, desc := 0.9, 0.25
	if len(primary) > 0 {
		asc, desc = primary[0].Extents()
	}
	// Centre the font's extent in the line box, as CSS does.
	baseline0 := (lh-(asc+desc)*size)/2 + asc*size
	b := Block{SizePx: size, Truncated: truncated, RTL: p.rtl, Missing: p.missing}
	for i, sp := range spans {
		line := Line{BaselinePx: baseline0 + float64(i)*lh}
		x := 0.0
		for _, run := range p.visualRuns(sp) {
			r := Run{Font: sh.fontOf(run.Face), SizePx: size}
			colour := sh.lib.emoji != nil && r.Font != nil && r.Font.Family == "Noto Emoji"
			pictured := -1 // the cluster last drawn as a picture
			for _, g := range run.Glyphs {
				if colour && g.ClusterIndex == pictured {
					// The rest of a pictured cluster (U+FE0F's blank glyph).
					x += fix(g.XAdvance) * scale
					continue
				}
				if g.GlyphID != 0 {
					gl := Glyph{
						ID:      uint32(g.GlyphID),
						XPx:     x + fix(g.XOffset)*scale,
						YPx:     -fix(g.YOffset) * scale,
						Cluster: g.ClusterIndex,
					}
					if colour {
						if id, ok := sh.lib.emoji.id(&sh.lib.emojiMu, p.clusterRunes(run, g.ClusterIndex)); ok {
							// A square one em wide, centred in Noto Emoji's advance.
							gl.ID, gl.XPx, gl.YPx = id, x+(fix(g.XAdvance)*scale-size)/2, 0
							pictured = g.ClusterIndex
						}
					}
					r.Glyphs = append(r.Glyphs, gl)
				}
				x += fix(g.XAdvance) * scale
			}
			if len(r.Glyphs) > 0 && r.Font != nil {
				line.Runs = append(line.Runs, r)
			}
		}
		line.WidthPx = x
		rtl := p.rtl
		if st.AlignDir != Auto {
			rtl = st.AlignDir == RTL
		}
		switch {
		case st.Align == Center:
			line.XPx = (boxW - x) / 2
		case (st.Align == End) != rtl:
			line.XPx = boxW - x
		}
		b.WidthPx = max(b.WidthPx, x)
		b.Lines = append(b.Lines, line)
	}
	b.HeightPx = float64(len(spans)) * lh
	return b
}

// clusterRunes returns the runes of the cluster starting at rune start in
// run: up to the next cluster's start (clusters are not in logical order in
// a right-to-left run, so the nearest larger start).
func (p *para) clusterRunes(run shaping.Output, start int) []rune {
	end := run.Runes.Offset + run.Runes.Count
	if run.Runes.Offset >= len(p.runes) {
		// The ellipsis run: its text is not the paragraph's.
		return nil
	}
	for _, g := range run.Glyphs {
		if g.ClusterIndex > start && g.ClusterIndex < end {
			end = g.ClusterIndex
		}
	}
	return p.runes[start:min(end, len(p.runes))]
}

// visualRuns returns the parts of the shaped runs inside sp, in visual order,
// with the ellipsis run at the logical end when sp has one.
func (p *para) visualRuns(sp span) []shaping.Output {
	var parts []shaping.Output
	for _, run := range p.runs {
		if run.Runes.Offset >= sp.end || run.Runes.Offset+run.Runes.Count <= sp.start {
			continue
		}
		cut := run
		cut.Glyphs = nil
		for _, g := range run.Glyphs {
			if g.ClusterIndex >= sp.start && g.ClusterIndex < sp.end {
				cut.Glyphs = append(cut.Glyphs, g)
			}
		}
		if len(cut.Glyphs) > 0 {
			parts = append(parts, cut)
		}
	}
	if sp.ellipsis {
		parts = append(parts, p.ellipsis...)
	}
	// Rule L2 of UAX #9 over the pieces: each piece has one level (shapeRuns
	// split them so), and its glyphs are already in visual order. The
	// ellipsis takes the paragraph's level.
	levels := make([]int8, len(parts))
	for i, part := range parts {
		levels[i] = p.paraLevel()
		if part.Runes.Offset < len(p.levels) && !(sp.ellipsis && i >= len(parts)-len(p.ellipsis)) {
			levels[i] = p.levels[part.Runes.Offset]
		}
	}
	ordered := make([]shaping.Output, len(parts))
	for i, o := range uba.VisualOrder(levels) {
		ordered[i] = parts[o]
	}
	return ordered
}

func (p *para) paraLevel() int8 {
	if p.rtl {
		return 1
	}
	return 0
}

// isControl reports C0 and C1 control characters other than the tab and
// the line feed, which layout treats as space and a hard break.
func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7F && r < 0xA0)
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == 0xA0 || r == 0x3000 || (r >= 0x2000 && r <= 0x200A)
}

func fix(v fixed.Int26_6) float64 { return float64(v) / 64 }

// fontmap picks, per rune, the first font of the chain that has it, and
// remembers the runes none has.
type fontmap struct {
	sh      *Shaper
	chain   []*Font
	missing []rune
	// emojiPresentation are runes followed by U+FE0F somewhere in the
	// text: they go to the emoji font first.
	emojiPresentation map[rune]bool
}

func (m *fontmap) ResolveFace(r rune) *font.Face {
	if m.emojiPresentation[r] {
		for _, f := range m.chain {
			if f.Family == "Noto Emoji" && f.hasGlyph(r) {
				return m.sh.face(f)
			}
		}
	}
	for _, f := range m.chain {
		if f.hasGlyph(r) {
			return m.sh.face(f)
		}
	}
	if !isInvisible(r) && !slices.Contains(m.missing, r) {
		m.missing = append(m.missing, r)
	}
	return m.sh.face(m.primary())
}

// primary is the first font of the chain that parses; prepare checked
// there is one.
func (m *fontmap) primary() *Font {
	for _, f := range m.chain {
		if f.load() != nil {
			return f
		}
	}
	return nil
}

// primaryWhitespace moves spaces inside fallback runs back to the first
// font: go-text leaves a space in the surrounding run's font, and Noto
// Emoji's space is 1.27 em wide. Spaces end Arabic joining anyway, so
// splitting runs there changes no shaping.
func (m *fontmap) primaryWhitespace(inputs []shaping.Input) []shaping.Input {
	primary := m.sh.face(m.primary())
	out := inputs[:0:0]
	for _, in := range inputs {
		if in.Face == primary {
			out = append(out, in)
			continue
		}
		start := in.RunStart
		for start < in.RunEnd {
			space := isSpace(in.Text[start])
			end := start + 1
			for end < in.RunEnd && isSpace(in.Text[end]) == space {
				end++
			}
			piece := in
			piece.RunStart, piece.RunEnd = start, end
			if space {
				piece.Face = primary
			}
			out = append(out, piece)
			start = end
		}
	}
	return out
}

// Shaper shapes and lays out text. It is not safe for concurrent use.
type Shaper struct {
	lib    *Library
	faces  map[*Font]*font.Face
	byFace []faceFont
	hb     *shaping.HarfbuzzShaper
	split  shaping.Segmenter
	seg    segmenter.Segmenter

	ellipses map[ellipsisKey]ellipsis

	// chains are Library.chain's answers, by weight and families: each
	// scans every font per family (two per text: ~1.1M instructions of
	// the reference og card's drawing, by callgrind), and cards ask for
	// the same few styles again and again.
	chains     map[string][]*Font
	chainKey   []byte
	chainFonts int // len(lib.fonts) when chains were filled
}

// chain is sh.lib.chain, remembered. The slice is shared: read only.
func (sh *Shaper) chain(families []string, weight int) []*Font {
	if sh.chains == nil || sh.chainFonts != len(sh.lib.fonts) {
		sh.chains, sh.chainFonts = make(map[string][]*Font), len(sh.lib.fonts)
	}
	k := strconv.AppendInt(sh.chainKey[:0], int64(weight), 10)
	for _, f := range families {
		k = append(strconv.AppendInt(append(k, ' '), int64(len(f)), 10), ':')
		k = append(k, f...)
	}
	sh.chainKey = k
	if c, ok := sh.chains[string(k)]; ok {
		return c
	}
	c := sh.lib.chain(families, weight)
	sh.chains[string(k)] = c
	return c
}

// Measure returns the advance width in pixels of s set on one line.
func (sh *Shaper) Measure(s string, st Style) float64 {
	st = st.withDefaults()
	p := sh.prepare(s, st)
	return p.width(0, len(p.runes)) * st.MaxSizePx / refSize
}

// IsRTL reports whether s's paragraph direction is right to left: whether
// its first strong character, outside isolates, is (UAX #9 rules P2, P3).
func IsRTL(s string) bool {
	rs := []rune(s)
	if len(rs) > maxRunes {
		rs = rs[:maxRunes]
	}
	if len(rs) == 0 {
		return false
	}
	_, para := uba.Levels(rs, uba.Auto)
	return para%2 == 1
}
