// Package template loads card templates and brands: declarative YAML that
// says what a card of one size draws, layer by layer. Decoding is strict
// (an unknown key, a wrong type or an out-of-range number is an error naming
// the file, key and line) and everything is compiled once, so drawing a card
// parses nothing.
package template

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits on numbers from templates, checked before anything is allocated.
const (
	MaxCanvasPx  = 4096
	MaxFontPx    = 400
	MinFontPx    = 4
	MaxLines     = 40
	MaxLayers    = 64
	MaxTextBytes = 4 << 10
)

// FormatVersion is the template format's version. A template may say
// `version: 1`, or nothing; another version is refused, so a template
// written for a newer ogcard is never misread.
const FormatVersion = 1

// File is a template as written in YAML.
type File struct {
	// Version is the format version the template is written for: 0
	// (absent) or FormatVersion.
	Version     int    `yaml:"version"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Width       int    `yaml:"width"`
	Height      int    `yaml:"height"`
	// Repeat makes several cards from one post: "sessions" gives one card
	// per talk, or, with PerPage, a line-up continued over as many cards
	// as it needs; "speakers" gives one card per speaker.
	Repeat  string  `yaml:"repeat"`
	PerPage int     `yaml:"per_page"`
	Layers  []Layer `yaml:"layers"`
}

// Layer is one drawing step. Kind selects which other fields apply.
type Layer struct {
	Kind string `yaml:"kind"` // fill, gradient, rect, circle, text, stack, pills, people, sessions, image, logo

	Box    Box      `yaml:"box"`
	Color  string   `yaml:"color"`  // "#rrggbb", "#rrggbbaa" or "$name" from the brand
	Colors []string `yaml:"colors"` // gradient stops, evenly spaced
	Angle  float64  `yaml:"angle"`  // gradient direction in degrees, 0 = left to right, 90 = top to bottom
	Radius float64  `yaml:"radius"` // corner radius in pixels
	// Opacity scales the layer's alpha, 0..1 (0 means 1).
	Opacity float64 `yaml:"opacity"`

	Text  string    `yaml:"text"` // Go text/template over the card's fields
	Style TextStyle `yaml:"style"`

	// Stack: text, people and (on speaker cards) sessions children laid
	// out top to bottom; a child whose text is empty takes no room. A
	// child's box height caps its height; a text or sessions child's gap
	// replaces the stack's gap above it.
	Children []Layer `yaml:"children"`
	Gap      float64 `yaml:"gap"`
	VAlign   string  `yaml:"valign"` // top, center, bottom

	// Pills: one rounded label per item.
	Items      string  `yaml:"items"`     // card field: tags, categories
	MaxItems   int     `yaml:"max_items"` // at most this many
	Background string  `yaml:"background"`
	PaddingX   float64 `yaml:"padding_x"`
	PaddingY   float64 `yaml:"padding_y"`
	Prefix     string  `yaml:"prefix"` // "#" for hashtags

	// Image and logo: a brand image (src: background or logo) or the
	// post's own cover picture (src: cover, from front matter cover,
	// image, heroImage, ...) fitted into the box (fit: cover fills and
	// crops, contain fits whole), optionally blurred (sigma in pixels) and
	// darkened (0..1). A card without the picture draws nothing there.
	Src    string  `yaml:"src"`
	Fit    string  `yaml:"fit"`
	Blur   float64 `yaml:"blur"`
	Darken float64 `yaml:"darken"`

	// Sessions: the talks of this card's page, one row each.
	TimeStyle TextStyle `yaml:"time_style"`
	RowGap    float64   `yaml:"row_gap"`

	// People: avatars (initials when there is no photo) and names.
	People    string    `yaml:"people"` // authors, speakers, or speaker (a speaker card's)
	AvatarPx  float64   `yaml:"avatar"`
	NameStyle TextStyle `yaml:"name_style"`
	OrgStyle  TextStyle `yaml:"org_style"`
}

// Box is a rectangle in pixels or percent of the canvas ("50%"). X and Y
// are measured from the anchor's corner or centre of the canvas, so one
// template adapts to several sizes: anchor: bottom-right with x: 72, y: 60
// keeps a box 72 px from the right edge and 60 px from the bottom.
type Box struct {
	X Length `yaml:"x"`
	Y Length `yaml:"y"`
	W Length `yaml:"w"`
	H Length `yaml:"h"`
	// Anchor is top-left (default), top, top-right, left, center, right,
	// bottom-left, bottom or bottom-right; or top-start, start,
	// bottom-start, top-end, end, bottom-end: left and right on a
	// left-to-right card, mirrored (with the layer's content: avatars,
	// pill order, start and end alignment) on a right-to-left one.
	Anchor string `yaml:"anchor"`
}

// Length is pixels, or a percentage of the canvas side it measures.
type Length struct {
	Value   float64
	Percent bool
	set     bool
}

// UnmarshalYAML accepts 120, 12.5 and "40%".
func (l *Length) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return &lineError{n.Line, fmt.Errorf("want a number or a percentage")}
	}
	s := strings.TrimSpace(n.Value)
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return &lineError{n.Line, fmt.Errorf("%q is not a number or a percentage", n.Value)}
	}
	*l = Length{Value: v, Percent: pct, set: true}
	return nil
}

// Px resolves l against a canvas side of side pixels.
func (l Length) Px(side float64) float64 {
	if l.Percent {
		return l.Value * side / 100
	}
	return l.Value
}

// TextStyle is how a text is set.
type TextStyle struct {
	Font       string    `yaml:"font"`   // brand font role (heading, body) or a family name
	Weight     int       `yaml:"weight"` // 100..900
	Size       SizeRange `yaml:"size"`   // 64, or [40, 72] to shrink to fit
	LineHeight float64   `yaml:"line_height"`
	MaxLines   int       `yaml:"max_lines"`
	Overflow   string    `yaml:"overflow"` // shrink (default), ellipsis, fail
	Align      string    `yaml:"align"`    // start, center, end
	Color      string    `yaml:"color"`
	Balance    bool      `yaml:"balance"`
	Uppercase  bool      `yaml:"uppercase"`
	Tracking   float64   `yaml:"tracking"` // reserved: letter spacing in em
}

// SizeRange is a font size or a [min, max] range in pixels.
type SizeRange struct{ Min, Max float64 }

// UnmarshalYAML accepts 64 or [40, 72].
func (s *SizeRange) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var v float64
		if err := n.Decode(&v); err != nil {
			return &lineError{n.Line, fmt.Errorf("size: want a number or [min, max]")}
		}
		*s = SizeRange{v, v}
	case yaml.SequenceNode:
		var v []float64
		if err := n.Decode(&v); err != nil || len(v) != 2 {
			return &lineError{n.Line, fmt.Errorf("size: want a number or [min, max]")}
		}
		*s = SizeRange{v[0], v[1]}
	default:
		return &lineError{n.Line, fmt.Errorf("size: want a number or [min, max]")}
	}
	return nil
}

// lineError carries the line of a value a custom unmarshaler refused:
// yaml.v3 adds lines only to its own type errors.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return e.err.Error() }

// Error is a template or brand error with its file and line.
type Error struct {
	File string
	Line int
	Key  string
	Err  error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, ": %s", e.Key)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("invalid template")

// Decode reads a template strictly: unknown keys and wrong types are errors
// with the line they are on.
func Decode(name string, data []byte) (*File, error) {
	if len(data) > 1<<20 {
		return nil, &Error{File: name, Err: fmt.Errorf("%w: file over 1 MiB", ErrInvalid)}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(name, data, err)
	}
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if err == io.EOF {
			return nil, &Error{File: name, Err: fmt.Errorf("%w: the file is empty", ErrInvalid)}
		}
		return nil, yamlError(name, data, err)
	}
	if err := f.validate(name, &root); err != nil {
		return nil, err
	}
	return &f, nil
}

func yamlError(name string, data []byte, err error) error {
	if line, msg, ok := DescribeYAMLError(data, err); ok {
		msg = strings.Replace(msg, "not found in type", "is not a known key of", 1)
		msg = strings.ReplaceAll(msg, "template.", "")
		return &Error{File: name, Line: line, Err: fmt.Errorf("%w: %s", ErrInvalid, msg)}
	}
	var le *lineError
	if errors.As(err, &le) {
		return &Error{File: name, Line: le.line, Err: fmt.Errorf("%w: %v", ErrInvalid, le.err)}
	}
	return &Error{File: name, Err: fmt.Errorf("%w: %v", ErrInvalid, err)}
}

// DescribeYAMLError turns yaml.v3's first type error into its line and a
// message; a wrong-type message quotes the offending line, since yaml
// names the value, not the key. ok is false for other errors.
func DescribeYAMLError(data []byte, err error) (line int, msg string, ok bool) {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return 0, "", false
	}
	// "line 12: field titel_size not found in type template.Layer"
	msg = te.Errors[0]
	if rest, found := strings.CutPrefix(msg, "line "); found {
		n, tail, _ := strings.Cut(rest, ": ")
		line, _ = strconv.Atoi(n)
		msg = tail
	}
	if strings.HasPrefix(msg, "cannot unmarshal") {
		if lines := strings.Split(string(data), "\n"); line > 0 && line <= len(lines) {
			src := strings.TrimSpace(lines[line-1])
			if len(src) > 80 {
				src = src[:80] + "…"
			}
			msg = fmt.Sprintf("in %q: %s", src, msg)
		}
	}
	return line, msg, true
}

// validate range-checks every number before it can reach an allocator.
func (f *File) validate(name string, root *yaml.Node) error {
	bad := func(path string, format string, args ...any) error {
		return &Error{File: name, Line: lineOf(root, path), Key: path, Err: fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)}
	}
	if f.Version != 0 && f.Version != FormatVersion {
		return bad("version", "format version %d is not known to this ogcard (it reads version %d): upgrade ogcard, or write the template for version %d", f.Version, FormatVersion, FormatVersion)
	}
	if f.Width < 16 || f.Width > MaxCanvasPx || f.Height < 16 || f.Height > MaxCanvasPx {
		return bad("width", "canvas %dx%d: each side must be 16 to %d pixels", f.Width, f.Height, MaxCanvasPx)
	}
	switch f.Repeat {
	case "", "sessions", "speakers":
	default:
		return bad("repeat", "unknown list %q (want sessions or speakers)", f.Repeat)
	}
	if f.PerPage < 0 || f.PerPage > 50 {
		return bad("per_page", "%d is outside 0..50", f.PerPage)
	}
	if len(f.Layers) == 0 {
		return bad("layers", "a template needs at least one layer")
	}
	count := 0
	var check func(prefix string, ls []Layer) error
	check = func(prefix string, ls []Layer) error {
		for i := range ls {
			l := &ls[i]
			p := fmt.Sprintf("%s[%d]", prefix, i)
			count++
			if count > MaxLayers {
				return bad(p, "more than %d layers", MaxLayers)
			}
			switch l.Kind {
			case "fill", "gradient", "rect", "circle", "text", "stack", "pills", "people", "sessions", "image", "logo":
			default:
				return bad(p+".kind", "unknown kind %q (want fill, gradient, rect, circle, text, stack, pills, people, sessions, image or logo)", l.Kind)
			}
			switch l.Src {
			case "", "background", "logo", "cover":
			default:
				return bad(p+".src", "unknown image %q (want background or logo, set in ogcard.yaml, or cover, the post's own cover image)", l.Src)
			}
			switch l.Fit {
			case "", "cover", "contain":
			default:
				return bad(p+".fit", "%q: want cover or contain", l.Fit)
			}
			if l.Blur < 0 || l.Blur > 100 {
				return bad(p+".blur", "%g is outside 0..100", l.Blur)
			}
			if l.Darken < 0 || l.Darken > 1 {
				return bad(p+".darken", "%g is outside 0..1", l.Darken)
			}
			if l.RowGap < 0 || l.RowGap > MaxCanvasPx {
				return bad(p+".row_gap", "%g is out of range", l.RowGap)
			}
			for _, v := range []float64{l.Angle, l.Radius, l.Opacity, l.Gap, l.PaddingX, l.PaddingY, l.AvatarPx, l.Blur, l.Darken, l.RowGap} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return bad(p, "a number is NaN or infinite")
				}
			}
			if math.Abs(l.Angle) > 3600 || l.PaddingX < 0 || l.PaddingX > MaxCanvasPx || l.PaddingY < 0 || l.PaddingY > MaxCanvasPx {
				return bad(p, "angle or padding out of range")
			}
			if l.Opacity < 0 || l.Opacity > 1 {
				return bad(p+".opacity", "%g is outside 0..1", l.Opacity)
			}
			if l.Radius < 0 || l.Radius > MaxCanvasPx {
				return bad(p+".radius", "%g is outside 0..%d", l.Radius, MaxCanvasPx)
			}
			if l.Gap < 0 || l.Gap > MaxCanvasPx || l.AvatarPx < 0 || l.AvatarPx > 1024 {
				return bad(p, "gap or avatar size out of range")
			}
			if l.MaxItems < 0 || l.MaxItems > 50 {
				return bad(p+".max_items", "%d is outside 0..50", l.MaxItems)
			}
			if len(l.Text) > MaxTextBytes {
				return bad(p+".text", "over %d bytes", MaxTextBytes)
			}
			switch l.Box.Anchor {
			case "", "top-left", "top", "top-right", "left", "center", "right", "bottom-left", "bottom", "bottom-right",
				"top-start", "top-end", "start", "end", "bottom-start", "bottom-end":
			default:
				return bad(p+".box", "anchor %q: want top-left, top, top-right, left, center, right, bottom-left, bottom or bottom-right, or start and end for left and right mirrored on right-to-left cards (top-start, end, bottom-end, ...)", l.Box.Anchor)
			}
			for _, v := range []float64{l.Box.X.Value, l.Box.Y.Value, l.Box.W.Value, l.Box.H.Value} {
				if v < -MaxCanvasPx || v > MaxCanvasPx {
					return bad(p+".box", "%g is outside ±%d", v, MaxCanvasPx)
				}
			}
			for _, st := range []struct {
				key string
				ts  TextStyle
			}{{"style", l.Style}, {"name_style", l.NameStyle}, {"org_style", l.OrgStyle}, {"time_style", l.TimeStyle}} {
				if err := st.ts.validate(); err != nil {
					return bad(p+"."+st.key, "%v", err)
				}
			}
			if l.Kind == "stack" {
				if err := check(p+".children", l.Children); err != nil {
					return err
				}
			} else if len(l.Children) > 0 {
				return bad(p+".children", "only a stack has children, not a %s layer", l.Kind)
			}
		}
		return nil
	}
	return check("layers", f.Layers)
}

func (st TextStyle) validate() error {
	for _, v := range []float64{st.Size.Min, st.Size.Max, st.LineHeight, st.Tracking} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("a number is NaN or infinite")
		}
	}
	if st.MaxLines < 0 || st.MaxLines > MaxLines {
		return fmt.Errorf("max_lines %d is outside 0..%d", st.MaxLines, MaxLines)
	}
	if st.LineHeight < 0 || st.LineHeight > 4 {
		return fmt.Errorf("line_height %g is outside 0..4", st.LineHeight)
	}
	if st.Size.Max == 0 && st.Size.Min == 0 {
		return nil
	}
	if st.Size.Min < MinFontPx || st.Size.Max > MaxFontPx || st.Size.Min > st.Size.Max {
		return fmt.Errorf("size [%g, %g]: want %d <= min <= max <= %d", st.Size.Min, st.Size.Max, MinFontPx, MaxFontPx)
	}
	if st.MaxLines < 0 || st.MaxLines > MaxLines {
		return fmt.Errorf("max_lines %d is outside 0..%d", st.MaxLines, MaxLines)
	}
	if st.LineHeight < 0 || st.LineHeight > 4 {
		return fmt.Errorf("line_height %g is outside 0..4", st.LineHeight)
	}
	if st.Weight != 0 && (st.Weight < 100 || st.Weight > 900) {
		return fmt.Errorf("weight %d is outside 100..900", st.Weight)
	}
	switch st.Overflow {
	case "", "shrink", "ellipsis", "fail":
	default:
		return fmt.Errorf("overflow %q: want shrink, ellipsis or fail", st.Overflow)
	}
	switch st.Align {
	case "", "start", "center", "end":
	default:
		return fmt.Errorf("align %q: want start, center or end", st.Align)
	}
	return nil
}

// lineOf finds the line of a dotted path like "layers[2].style" in root, or
// of the deepest part of it that exists.
func lineOf(root *yaml.Node, path string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, part := range strings.Split(path, ".") {
		key, idx := part, -1
		if k, rest, ok := strings.Cut(part, "["); ok {
			key = k
			idx, _ = strconv.Atoi(strings.TrimSuffix(rest, "]"))
		}
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				line = n.Content[i].Line
				n = n.Content[i+1]
				found = true
				break
			}
		}
		if !found {
			return line
		}
		if idx >= 0 {
			if n.Kind != yaml.SequenceNode || idx >= len(n.Content) {
				return line
			}
			n = n.Content[idx]
			line = n.Line
		}
	}
	return line
}

// ParseColor reads "#rgb", "#rrggbb" or "#rrggbbaa".
func ParseColor(s string) (color.NRGBA, error) {
	h := strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) == 6 {
		h += "ff"
	}
	if len(h) != 8 || !strings.HasPrefix(strings.TrimSpace(s), "#") {
		return color.NRGBA{}, fmt.Errorf("colour %q: want #rrggbb or #rrggbbaa", s)
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return color.NRGBA{}, fmt.Errorf("colour %q: want #rrggbb or #rrggbbaa", s)
	}
	return color.NRGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}, nil
}
