package template

import (
	"bytes"
	"fmt"
	"image/color"
	"io/fs"
	"path"
	"sort"
	"strings"
	gotemplate "text/template"
	"text/template/parse"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ogcard/ogcard/internal/safefile"
)

// Brand is a site's identity, applied to any template.
type Brand struct {
	Name   string            `yaml:"name"`   // site name shown on cards
	Colors map[string]string `yaml:"colors"` // referenced from templates as $name
	Fonts  BrandFonts        `yaml:"fonts"`
}

// BrandFonts names font families by role; templates say "heading" or "body".
type BrandFonts struct {
	Heading []string `yaml:"heading"`
	Body    []string `yaml:"body"`
}

// DecodeBrand reads a brand strictly.
func DecodeBrand(name string, data []byte) (*Brand, error) {
	var b Brand
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&b); err != nil {
		return nil, yamlError(name, data, err)
	}
	keys := make([]string, 0, len(b.Colors))
	for k := range b.Colors {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same error every run
	for _, k := range keys {
		if _, err := ParseColor(b.Colors[k]); err != nil {
			return nil, &Error{File: name, Key: "colors." + k, Err: fmt.Errorf("%w: %v", ErrInvalid, err)}
		}
	}
	return &b, nil
}

// Template is a compiled template: colours resolved, boxes in pixels, text
// templates parsed. It is immutable and safe for concurrent use.
type Template struct {
	Name        string
	Description string
	Width       int
	Height      int
	Repeat      string // "", "sessions" or "speakers"
	PerPage     int    // with Repeat: items per card (0: one card per item)
	Layers      []CLayer
	Source      []byte // the YAML it was compiled from, for cache keys
}

// CLayer is a compiled Layer. Boxes are in pixels.
type CLayer struct {
	Kind                   string
	X, Y, W, H             float64
	Color                  color.NRGBA
	Colors                 []color.NRGBA
	Angle, Radius, Opacity float64
	Text                   *gotemplate.Template
	Style                  Style
	Children               []CLayer
	Gap                    float64
	VAlign                 string
	Items                  string
	MaxItems               int
	Background             color.NRGBA
	PaddingX, PaddingY     float64
	Prefix                 string
	People                 string
	AvatarPx               float64
	NameStyle, OrgStyle    Style
	TimeStyle              Style
	RowGap                 float64
	Src, Fit               string
	Blur, Darken           float64
	// Mirror is set for boxes anchored at start or end: on a right-to-left
	// card the layer is mirrored, its box and content, across the canvas.
	Mirror bool
}

// Style is a compiled TextStyle.
type Style struct {
	Families   []string
	Weight     int
	MinPx      float64
	MaxPx      float64
	LineHeight float64
	MaxLines   int
	Overflow   string
	Align      string
	Color      color.NRGBA
	Balance    bool
	Uppercase  bool
}

// Compile resolves f against brand.
func Compile(name string, source []byte, f *File, brand *Brand) (*Template, error) {
	c := compiler{file: name, brand: brand}
	t := &Template{Name: f.Name, Description: f.Description, Width: f.Width, Height: f.Height, Repeat: f.Repeat, PerPage: f.PerPage, Source: source}
	if t.Name == "" {
		t.Name = strings.TrimSuffix(path.Base(name), path.Ext(name))
	}
	full := box{0, 0, float64(f.Width), float64(f.Height)}
	var err error
	t.Layers, err = c.layers("layers", f.Layers, full, float64(f.Width), float64(f.Height))
	if err != nil {
		return nil, err
	}
	return t, nil
}

type box struct{ x, y, w, h float64 }

type compiler struct {
	file  string
	brand *Brand
}

func (c *compiler) fail(key string, err error) error {
	return &Error{File: c.file, Key: key, Err: fmt.Errorf("%w: %v", ErrInvalid, err)}
}

func (c *compiler) layers(prefix string, ls []Layer, parent box, cw, ch float64) ([]CLayer, error) {
	out := make([]CLayer, 0, len(ls))
	for i, l := range ls {
		key := fmt.Sprintf("%s[%d]", prefix, i)
		cl := CLayer{
			Kind: l.Kind, Angle: l.Angle, Radius: l.Radius, Opacity: l.Opacity,
			Gap: l.Gap, VAlign: l.VAlign, Items: l.Items, MaxItems: l.MaxItems,
			PaddingX: l.PaddingX, PaddingY: l.PaddingY, Prefix: l.Prefix,
			People: l.People, AvatarPx: l.AvatarPx, RowGap: l.RowGap,
			Src: l.Src, Fit: l.Fit, Blur: l.Blur, Darken: l.Darken,
		}
		if cl.Kind == "logo" {
			cl.Kind, cl.Src = "image", "logo"
			if cl.Fit == "" {
				cl.Fit = "contain"
			}
		}
		if cl.Opacity == 0 {
			cl.Opacity = 1
		}
		// Boxes: missing sides take the parent's; percentages are of the canvas.
		cl.X, cl.Y, cl.W, cl.H = parent.x, parent.y, parent.w, parent.h
		if l.Box.X.set {
			cl.X = l.Box.X.Px(cw)
		}
		if l.Box.Y.set {
			cl.Y = l.Box.Y.Px(ch)
		}
		if l.Box.W.set {
			cl.W = l.Box.W.Px(cw)
		}
		if l.Box.H.set {
			cl.H = l.Box.H.Px(ch)
		}
		// Anchors measure x and y from another corner, or centre the box.
		// Start and end are left and right here; layout mirrors them on
		// right-to-left cards.
		a := l.Box.Anchor
		if strings.HasSuffix(a, "start") || strings.HasSuffix(a, "end") {
			cl.Mirror = true
			a = strings.NewReplacer("start", "left", "end", "right").Replace(a)
		}
		switch {
		case strings.HasSuffix(a, "right") || a == "right":
			cl.X = cw - cl.X - cl.W
		case a == "top" || a == "center" || a == "bottom":
			cl.X = (cw-cl.W)/2 + cl.X
		}
		switch {
		case strings.HasPrefix(a, "bottom"):
			cl.Y = ch - cl.Y - cl.H
		case a == "left" || a == "center" || a == "right":
			cl.Y = (ch-cl.H)/2 + cl.Y
		}
		if cl.W < 0 || cl.H < 0 {
			return nil, c.fail(key+".box", fmt.Errorf("negative size %gx%g", cl.W, cl.H))
		}
		var err error
		if cl.Color, err = c.color(l.Color, key+".color"); err != nil {
			return nil, err
		}
		if cl.Background, err = c.color(l.Background, key+".background"); err != nil {
			return nil, err
		}
		for j, s := range l.Colors {
			col, err := c.color(s, fmt.Sprintf("%s.colors[%d]", key, j))
			if err != nil {
				return nil, err
			}
			cl.Colors = append(cl.Colors, col)
		}
		if l.Kind == "gradient" && len(cl.Colors) < 2 {
			return nil, c.fail(key+".colors", fmt.Errorf("a gradient needs at least two colours"))
		}
		if l.Text != "" {
			cl.Text, err = gotemplate.New(key).Funcs(Funcs).Option("missingkey=error").Parse(l.Text)
			if err != nil {
				return nil, c.fail(key+".text", err)
			}
			if err := checkRanges(cl.Text.Tree.Root); err != nil {
				return nil, c.fail(key+".text", err)
			}
		}
		if cl.Style, err = c.style(l.Style, key+".style"); err != nil {
			return nil, err
		}
		if cl.NameStyle, err = c.style(l.NameStyle, key+".name_style"); err != nil {
			return nil, err
		}
		if cl.OrgStyle, err = c.style(l.OrgStyle, key+".org_style"); err != nil {
			return nil, err
		}
		if cl.TimeStyle, err = c.style(l.TimeStyle, key+".time_style"); err != nil {
			return nil, err
		}
		switch l.Items {
		case "", "tags", "categories", "tags+categories":
		default:
			return nil, c.fail(key+".items", fmt.Errorf("unknown list %q (want tags, categories or tags+categories)", l.Items))
		}
		switch l.People {
		case "", "authors", "speakers", "speaker":
		default:
			return nil, c.fail(key+".people", fmt.Errorf("unknown list %q (want authors, speakers or speaker)", l.People))
		}
		if len(l.Children) > 0 {
			cl.Children, err = c.layers(key+".children", l.Children, box{cl.X, cl.Y, cl.W, cl.H}, cw, ch)
			if err != nil {
				return nil, err
			}
		}
		out = append(out, cl)
	}
	return out, nil
}

func (c *compiler) color(s, key string) (color.NRGBA, error) {
	if s == "" {
		return color.NRGBA{}, nil
	}
	if name, ok := strings.CutPrefix(s, "$"); ok {
		v, ok := c.brand.Colors[name]
		if !ok {
			names := make([]string, 0, len(c.brand.Colors))
			for k := range c.brand.Colors {
				names = append(names, "$"+k)
			}
			sort.Strings(names)
			return color.NRGBA{}, c.fail(key, fmt.Errorf("the brand has no colour %q (it has %s)", s, strings.Join(names, ", ")))
		}
		s = v
	}
	col, err := ParseColor(s)
	if err != nil {
		return col, c.fail(key, err)
	}
	return col, nil
}

func (c *compiler) style(ts TextStyle, key string) (Style, error) {
	st := Style{
		Weight: ts.Weight, MinPx: ts.Size.Min, MaxPx: ts.Size.Max,
		LineHeight: ts.LineHeight, MaxLines: ts.MaxLines, Overflow: ts.Overflow,
		Align: ts.Align, Balance: ts.Balance, Uppercase: ts.Uppercase,
	}
	switch ts.Font {
	case "", "body":
		st.Families = c.brand.Fonts.Body
	case "heading":
		st.Families = c.brand.Fonts.Heading
	default:
		st.Families = []string{ts.Font}
	}
	var err error
	if st.Color, err = c.color(ts.Color, key+".color"); err != nil {
		return st, err
	}
	if ts.Color == "" {
		st.Color = color.NRGBA{255, 255, 255, 255}
		if v, ok := c.brand.Colors["text"]; ok {
			st.Color, _ = ParseColor(v)
		}
	}
	return st, nil
}

// checkRanges refuses {{range}} over anything but a card's own lists
// ({{range .Tags}}): Go templates may range over an integer
// ({{range 300000000}}), which would run for as long as it likes, and a
// render cannot be interrupted inside Execute. Templates and their
// definitions are refused too: a recursive template never ends.
func checkRanges(n parse.Node) error {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := checkRanges(c); err != nil {
				return err
			}
		}
	case *parse.RangeNode:
		if len(n.Pipe.Cmds) != 1 || len(n.Pipe.Cmds[0].Args) != 1 {
			return fmt.Errorf("range over %s: ogcard ranges only over a card's lists, like {{range .Tags}}", n.Pipe)
		}
		switch n.Pipe.Cmds[0].Args[0].(type) {
		case *parse.FieldNode, *parse.ChainNode, *parse.VariableNode, *parse.DotNode:
		default:
			return fmt.Errorf("range over %s: ogcard ranges only over a card's lists, like {{range .Tags}}", n.Pipe)
		}
		if err := checkRanges(n.List); err != nil {
			return err
		}
		return checkRanges(n.ElseList)
	case *parse.IfNode:
		if err := checkRanges(n.List); err != nil {
			return err
		}
		return checkRanges(n.ElseList)
	case *parse.WithNode:
		if err := checkRanges(n.List); err != nil {
			return err
		}
		return checkRanges(n.ElseList)
	case *parse.TemplateNode:
		return fmt.Errorf("{{template %q}}: nested templates are not supported in card texts", n.Name)
	}
	return nil
}

// Funcs are the helpers template texts may call.
var Funcs = gotemplate.FuncMap{
	"date": func(layout string, t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(layout)
	},
	"dateRange": DateRange,
	"upper":     strings.ToUpper,
	"lower":     strings.ToLower,
	"join":      func(sep string, items []string) string { return strings.Join(items, sep) },
	"first": func(items []string) string {
		if len(items) == 0 {
			return ""
		}
		return items[0]
	},
	"truncate": func(n int, s string) string {
		r := []rune(s)
		if n < 0 || len(r) <= n {
			return s
		}
		return strings.TrimSpace(string(r[:n])) + "…"
	},
	"default": func(def, s string) string {
		if strings.TrimSpace(s) == "" {
			return def
		}
		return s
	},
}

// DateRange writes a span of days the way event cards do: "23 March",
// "23–26 March", "30 March – 2 April", "30 December 2026 – 2 January 2027".
// A zero end means a single day.
func DateRange(start, end time.Time) string {
	switch {
	case start.IsZero():
		return ""
	case end.IsZero() || end.Before(start) || sameDay(start, end):
		return start.Format("2 January")
	case start.Year() != end.Year():
		return start.Format("2 January 2006") + " – " + end.Format("2 January 2006")
	case start.Month() != end.Month():
		return start.Format("2 January") + " – " + end.Format("2 January")
	default:
		return fmt.Sprintf("%d–%d %s", start.Day(), end.Day(), start.Format("January"))
	}
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// Set is the templates a renderer knows, by name.
type Set struct {
	byName map[string]*Template
	names  []string
}

// maxFileBytes caps each template file LoadSet reads.
const maxFileBytes = 1 << 20

// LoadSet compiles every *.yaml in fsys against brand. A file that is not
// a regular one, or is over 1 MiB, is an error naming it.
func LoadSet(fsys fs.FS, brand *Brand) (*Set, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	s := &Set{byName: map[string]*Template{}}
	for _, n := range names {
		data, err := safefile.ReadFS(fsys, n, maxFileBytes)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		t, err := Load(n, data, brand)
		if err != nil {
			return nil, err
		}
		s.Add(t)
	}
	return s, nil
}

// Load decodes and compiles one template file.
func Load(name string, data []byte, brand *Brand) (*Template, error) {
	f, err := Decode(name, data)
	if err != nil {
		return nil, err
	}
	return Compile(name, data, f, brand)
}

// Add adds or replaces t.
func (s *Set) Add(t *Template) {
	if _, ok := s.byName[t.Name]; !ok {
		s.names = append(s.names, t.Name)
		sort.Strings(s.names)
	}
	s.byName[t.Name] = t
}

// Get returns the template called name.
func (s *Set) Get(name string) (*Template, bool) {
	t, ok := s.byName[name]
	return t, ok
}

// Names returns the template names in order.
func (s *Set) Names() []string { return s.names }
