// Package lint checks rendered cards for what makes them fail where they
// are shown: text cut off or too small to read at 400 px wide, text whose
// contrast with the pixels behind it is under WCAG AA, text or logo outside
// a platform's crop, files over a platform's limit or images under its
// minimum, characters no font has, and posts whose cards are identical.
//
// It works on what render.Inspect returns: the card's pixels, the same
// card drawn without text, and the layout plan (where each glyph went). A
// Linter is immutable after New and safe for concurrent use.
package lint

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/text"
)

// Level is how much a finding matters. Error-level findings make
// `ogcard lint` exit 1.
type Level int

const (
	Off Level = iota
	Info
	Warning
	Error
)

var levelNames = []string{"off", "info", "warning", "error"}

func (l Level) String() string { return levelNames[l] }

// MarshalText writes the level's name.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// ParseLevel reads "off", "info", "warning" or "error".
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if n == s {
			return Level(i), nil
		}
	}
	return Off, fmt.Errorf("%w: level %q: want off, info, warning or error", ErrSettings, s)
}

// ErrSettings is wrapped by every error about lint settings.
var ErrSettings = errors.New("invalid lint settings")

// Rule names, as written in ogcard.yaml's lint section and in findings.
const (
	RuleTruncated        = "truncated"
	RuleSmallText        = "small-text"
	RuleContrast         = "contrast"
	RuleSafeZoneX        = "safe-zone-x"
	RuleSafeZoneWhatsApp = "safe-zone-whatsapp"
	RuleBytesWhatsApp    = "bytes-whatsapp"
	RuleBytesX           = "bytes-x"
	RuleBytesFacebook    = "bytes-facebook"
	RuleMinPixels        = "min-pixels"
	RuleMissingGlyph     = "missing-glyph"
	RuleDuplicate        = "duplicate"
)

// Setting is one rule's level and, for rules that have one, its
// threshold (Value; 0 keeps the default).
type Setting struct {
	Level Level
	Value float64
}

// Defaults are each rule's level and threshold, with what Value means.
var Defaults = map[string]Setting{
	RuleTruncated:        {Warning, 0},
	RuleSmallText:        {Warning, 6},       // smallest text size in px when the card is 400 px wide
	RuleContrast:         {Error, 4.5},       // WCAG AA for normal text; large text needs min(3, this)
	RuleSafeZoneX:        {Warning, 0},       // X's 2:1 centre crop
	RuleSafeZoneWhatsApp: {Info, 0},          // WhatsApp's centre-square thumbnail
	RuleBytesWhatsApp:    {Warning, 300_000}, // bytes
	RuleBytesX:           {Error, 5 << 20},   // bytes
	RuleBytesFacebook:    {Error, 8 << 20},   // bytes
	RuleMinPixels:        {Error, 0},         // each platform's documented minimum
	RuleMissingGlyph:     {Error, 0},
	RuleDuplicate:        {Warning, 0},
}

// Rules returns the rule names, sorted.
func Rules() []string {
	names := make([]string, 0, len(Defaults))
	for n := range Defaults {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Linter checks cards against its rules' settings.
type Linter struct {
	rules map[string]Setting
}

// New returns a Linter with the defaults overridden by s (rule name ->
// setting). An unknown rule or a negative threshold is an error.
func New(s map[string]Setting) (*Linter, error) {
	l := &Linter{rules: map[string]Setting{}}
	for k, v := range Defaults {
		l.rules[k] = v
	}
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		d, ok := Defaults[n]
		if !ok {
			return nil, fmt.Errorf("%w: unknown rule %q (rules are %s)", ErrSettings, n, strings.Join(Rules(), ", "))
		}
		v := s[n]
		if v.Value < 0 || math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
			return nil, fmt.Errorf("%w: %s: value %g must be a positive number", ErrSettings, n, v.Value)
		}
		if v.Value == 0 {
			v.Value = d.Value
		}
		l.rules[n] = v
	}
	return l, nil
}

// Setting returns the setting of a rule.
func (l *Linter) Setting(rule string) Setting { return l.rules[rule] }

// Finding is one problem with one card.
type Finding struct {
	Post    string `json:"post"`  // the post's file
	Card    string `json:"card"`  // "og", "session-03", "lineup-2of3"
	Rule    string `json:"rule"`  // see Rules
	Level   Level  `json:"level"` // never Off
	Message string `json:"message"`
	Fix     string `json:"fix"` // what to change
}

func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s %s: %s; %s", f.Post, f.Card, f.Level, f.Rule, f.Message, f.Fix)
}

// Card is one rendered card to check.
type Card struct {
	Post   string       // the post's file, for findings
	Name   string       // the card's name: template, then "-" and suffix for multi-card templates
	Bytes  int          // the encoded PNG's size
	Pixels *image.RGBA  // the card
	NoText *image.RGBA  // the card drawn without text (nil: contrast is not checked)
	Plan   *layout.Plan // the card's plan
	Logo   image.Image  // the brand's logo as the plan's image ops hold it; nil when none
}

// Check returns c's findings, in rule order.
func (l *Linter) Check(c *Card) []Finding {
	var out []Finding
	var sc scratch
	add := func(rule, msg, fix string) {
		if lv := l.rules[rule].Level; lv != Off {
			out = append(out, Finding{Post: c.Post, Card: c.Name, Rule: rule, Level: lv, Message: msg, Fix: fix})
		}
	}
	w, h := c.Plan.Width, c.Plan.Height
	if c.Pixels != nil {
		w, h = c.Pixels.Rect.Dx(), c.Pixels.Rect.Dy()
	}
	for i := range c.Plan.Ops {
		op := &c.Plan.Ops[i]
		if op.Kind != layout.OpText || op.Block == nil {
			continue
		}
		b := op.Block
		if b.Truncated && l.on(RuleTruncated) {
			add(RuleTruncated, fmt.Sprintf("text %s is cut off with an ellipsis", quote(b.Text)), "shorten it (front matter), or give its layer more lines or room")
		}
		if l.on(RuleSmallText) && len(b.Lines) > 0 && w > 0 {
			min := l.rules[RuleSmallText].Value
			if shown := b.SizePx * 400 / float64(w); shown < min {
				add(RuleSmallText, fmt.Sprintf("text %s is %.4g px on the %d px card, %.1f px when shown 400 px wide (under %g)", quote(b.Text), b.SizePx, w, shown, min),
					fmt.Sprintf("shorten it so it need not shrink, or raise its layer's smallest size to %.0f px", math.Ceil(min*float64(w)/400)))
			}
		}
		if len(b.Missing) > 0 && l.on(RuleMissingGlyph) {
			var rs []string
			for _, r := range b.Missing {
				rs = append(rs, fmt.Sprintf("%U %q", r, r))
			}
			add(RuleMissingGlyph, fmt.Sprintf("text %s has characters no font has, left out: %s", quote(b.Text), strings.Join(rs, ", ")),
				"add a font that has them under fonts.files in ogcard.yaml, or change the text")
		}
		if c.NoText != nil && l.on(RuleContrast) {
			if f, ok := l.contrast(c, i, &sc); ok {
				add(RuleContrast, f.Message, f.Fix)
			}
		}
	}
	for _, z := range []struct {
		rule string
		p    string
	}{{RuleSafeZoneX, "x"}, {RuleSafeZoneWhatsApp, "whatsapp"}} {
		if !l.on(z.rule) {
			continue
		}
		p, _ := PlatformByID(z.p)
		for _, f := range safeZone(c, p, w, h) {
			add(z.rule, f[0], f[1])
		}
	}
	for _, b := range []struct {
		rule string
		p    string
	}{{RuleBytesWhatsApp, "whatsapp"}, {RuleBytesX, "x"}, {RuleBytesFacebook, "facebook"}} {
		limit := int(l.rules[b.rule].Value)
		if !l.on(b.rule) || c.Bytes <= limit {
			continue
		}
		p, _ := PlatformByID(b.p)
		add(b.rule, fmt.Sprintf("the PNG is %s, over %s's %s limit", size(c.Bytes), p.Name, size(limit)),
			"simplify the background (photos and noise compress poorly), or use a smaller canvas")
	}
	if l.on(RuleMinPixels) {
		for _, p := range Platforms {
			if p.MinW > 0 && (w < p.MinW || h < p.MinH) {
				add(RuleMinPixels, fmt.Sprintf("the card is %dx%d, under %s's minimum of %dx%d", w, h, p.Name, p.MinW, p.MinH),
					fmt.Sprintf("make the template's canvas at least %dx%d (1200x630 suits every platform)", p.MinW, p.MinH))
			}
		}
	}
	return out
}

func (l *Linter) on(rule string) bool { return l.rules[rule].Level != Off }

func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		s = string(r[:39]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", n/1000)
}

// lineBox is the ink box of one line of a text op, in canvas pixels: from
// the font's ascent above the baseline to its descent below.
func lineBox(op *layout.Op, ln *text.Line, size float64) (x0, y0, x1, y1 float64) {
	asc, desc := 0.75, 0.2
	if len(ln.Runs) > 0 && ln.Runs[0].Font != nil {
		a, d := ln.Runs[0].Font.Extents()
		// Ascent includes room for accents; capitals reach about 0.75 em.
		asc, desc = math.Min(a, 0.8), math.Min(d, 0.25)
	}
	x0 = op.X + ln.XPx
	return x0, op.Y + ln.BaselinePx - asc*size, x0 + ln.WidthPx, op.Y + ln.BaselinePx + desc*size
}

// safeZone reports text lines and logos a platform's crop cuts. Only
// landscape cards are link-preview cards; square and portrait ones are
// posted as images and not cropped this way.
func safeZone(c *Card, p Platform, w, h int) [][2]string {
	if h == 0 || float64(w)/float64(h) < 1.5 {
		return nil
	}
	crop := p.Crop(w, h)
	zone := [4]float64{float64(crop.Min.X), float64(crop.Min.Y), float64(crop.Max.X), float64(crop.Max.Y)}
	const slack = 1 // antialiasing
	outside := func(x0, y0, x1, y1 float64) bool {
		return x0 < zone[0]-slack || y0 < zone[1]-slack || x1 > zone[2]+slack || y1 > zone[3]+slack
	}
	where := fmt.Sprintf("%s shows only x %d–%d, y %d–%d of this %dx%d card (%s)", p.Name, crop.Min.X, crop.Max.X, crop.Min.Y, crop.Max.Y, w, h, cropName(p))
	var out [][2]string
	for i := range c.Plan.Ops {
		op := &c.Plan.Ops[i]
		switch {
		case op.Kind == layout.OpText && op.Block != nil:
			for j := range op.Block.Lines {
				ln := &op.Block.Lines[j]
				x0, y0, x1, y1 := lineBox(op, ln, op.Block.SizePx)
				if outside(x0, y0, x1, y1) {
					out = append(out, [2]string{fmt.Sprintf("text %s (x %.0f–%.0f, y %.0f–%.0f) is cut: %s", quote(op.Block.Text), x0, x1, y0, y1, where),
						"move it into that area in the template, or accept the crop there"})
					break
				}
			}
		case op.Kind == layout.OpImage && c.Logo != nil && op.Image == c.Logo:
			if outside(op.X, op.Y, op.X+op.W, op.Y+op.H) {
				out = append(out, [2]string{fmt.Sprintf("the logo (x %.0f–%.0f, y %.0f–%.0f) is cut: %s", op.X, op.X+op.W, op.Y, op.Y+op.H, where),
					"move the logo layer into that area in the template"})
			}
		}
	}
	return out
}

func cropName(p Platform) string {
	if p.Aspect == 1 {
		return "its centre square"
	}
	return fmt.Sprintf("its centred %g:1 crop", p.Aspect)
}

// Sum identifies a card's pixels, to find posts whose cards are identical.
type Sum struct {
	Post, Card string
	Hash       [32]byte
}

// SumOf hashes a card's encoded PNG: the encoder is deterministic, so
// equal pixels give equal bytes, and hashing 150 KB costs far less than
// hashing the 3 MB of pixels.
func SumOf(post, card string, png []byte) Sum {
	return Sum{Post: post, Card: card, Hash: sha256.Sum256(png)}
}

// Duplicates reports cards of different posts with identical pixels, each
// against the first post (in the given order) that has it.
func (l *Linter) Duplicates(sums []Sum) []Finding {
	lv := l.rules[RuleDuplicate].Level
	if lv == Off {
		return nil
	}
	first := map[[32]byte]Sum{}
	var out []Finding
	for _, s := range sums {
		f, ok := first[s.Hash]
		if !ok {
			first[s.Hash] = s
			continue
		}
		if f.Post == s.Post {
			continue
		}
		out = append(out, Finding{Post: s.Post, Card: s.Card, Rule: RuleDuplicate, Level: lv,
			Message: fmt.Sprintf("the card is pixel for pixel the same as %s's %s card", f.Post, f.Card),
			Fix:     "give the posts different titles or summaries, so their cards tell them apart"})
	}
	return out
}

// Worst returns the highest level among fs (Off when there are none).
func Worst(fs []Finding) Level {
	w := Off
	for _, f := range fs {
		w = max(w, f.Level)
	}
	return w
}

// Sort orders findings by post, card, then rule.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return strings.Compare(a.Post+"\x00"+a.Card+"\x00"+a.Rule, b.Post+"\x00"+b.Card+"\x00"+b.Rule)
	})
}
