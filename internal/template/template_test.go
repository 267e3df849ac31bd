package template

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var brand = &Brand{Colors: map[string]string{"text": "#ffffff", "accent": "#38bdf8"}, Fonts: BrandFonts{Heading: []string{"Inter"}, Body: []string{"Inter"}}}

func TestBuiltinsCompile(t *testing.T) {
	files, _ := filepath.Glob("../../assets/templates/*.yaml")
	if len(files) < 7 {
		t.Fatalf("found %d built-in templates, want at least 7", len(files))
	}
	full := &Brand{Colors: map[string]string{}, Fonts: brand.Fonts}
	for _, k := range []string{"background", "background2", "accent", "text", "muted", "pill", "pill_text", "avatar"} {
		full.Colors[k] = "#123456"
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tm, err := Load(f, data, full)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if tm.Description == "" || tm.Name+".yaml" != filepath.Base(f) {
			t.Errorf("%s: name %q, description %q: want the file's name and a description", f, tm.Name, tm.Description)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	const base = "name: t\nwidth: 1200\nheight: 630\nlayers:\n"
	tests := []struct {
		name     string
		yaml     string
		wantLine int
		wantText string
	}{
		{"unknown key", base + "  - kind: text\n    titel_size: 3\n", 6, "titel_size"},
		{"wrong type", base + "  - kind: text\n    style: {max_lines: many}\n", 6, "max_lines"},
		{"font size 1e6", base + "  - kind: text\n    text: x\n    style: {size: 1e6}\n", 7, "size"},
		{"min over max", base + "  - kind: text\n    style: {size: [80, 40]}\n", 6, "min <= max"},
		{"canvas too big", "name: t\nwidth: 100000\nheight: 630\nlayers:\n  - kind: fill\n", 2, "16 to 4096"},
		{"negative canvas", "name: t\nwidth: -5\nheight: 630\nlayers:\n  - kind: fill\n", 2, "16 to 4096"},
		{"no layers", "name: t\nwidth: 100\nheight: 100\n", 1, "at least one layer"},
		{"unknown kind", base + "  - kind: sparkles\n", 5, "unknown kind"},
		{"too many lines", base + "  - kind: text\n    style: {size: 20, max_lines: 1000}\n", 6, "max_lines"},
		{"bad overflow", base + "  - kind: text\n    style: {size: 20, overflow: explode}\n", 6, "overflow"},
		{"bad opacity", base + "  - kind: rect\n    opacity: 3\n", 6, "opacity"},
		{"bad repeat", "name: t\nwidth: 100\nheight: 100\nrepeat: authors\nlayers:\n  - kind: fill\n", 4, "repeat"},
		{"huge box", base + "  - kind: rect\n    box: {x: 0, y: 0, w: 1e9, h: 10}\n", 6, "box"},
		{"bad percent", base + "  - kind: rect\n    box: {x: 10%%, y: 0, w: 10, h: 10}\n", 0, "percentage"},
		{"empty", "", 0, "empty"},
		{"not yaml", "{{{", 0, "invalid template"},
		{"unknown version", "version: 2\n" + base + "  - kind: fill\n", 1, "format version 2 is not known"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode("card.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("Decode succeeded, want an error mentioning %q", tt.wantText)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("error %T is not *Error", err)
			}
			if tt.wantLine != 0 && te.Line != tt.wantLine {
				t.Errorf("line %d, want %d (%v)", te.Line, tt.wantLine, err)
			}
			if !strings.Contains(err.Error(), tt.wantText) || !strings.HasPrefix(err.Error(), "card.yaml") {
				t.Errorf("error %q lacks the file name or %q", err, tt.wantText)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	const head = "name: t\nwidth: 100\nheight: 100\nlayers:\n"
	tests := []struct{ name, yaml, want string }{
		{"unknown brand colour", head + "  - kind: fill\n    color: $nope\n", `no colour "$nope"`},
		{"bad colour", head + "  - kind: fill\n    color: red\n", "#rrggbb"},
		{"one-stop gradient", head + "  - kind: gradient\n    colors: [\"#000000\"]\n", "two colours"},
		{"bad text template", head + "  - kind: text\n    text: '{{.Title'\n", "text"},
		{"unknown list", head + "  - kind: pills\n    items: authors\n", "unknown list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("card.yaml", []byte(tt.yaml), brand)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestPercentBoxes(t *testing.T) {
	tm, err := Load("t.yaml", []byte("name: t\nwidth: 1200\nheight: 600\nlayers:\n  - kind: rect\n    color: \"#000\"\n    box: {x: 10%, y: 50%, w: 25%, h: 100}\n"), brand)
	if err != nil {
		t.Fatal(err)
	}
	l := tm.Layers[0]
	if l.X != 120 || l.Y != 300 || l.W != 300 || l.H != 100 {
		t.Errorf("box = %g,%g %gx%g, want 120,300 300x100", l.X, l.Y, l.W, l.H)
	}
}

func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, p := range files {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Add([]byte("name: t\nwidth: 1e308\nheight: -1\nlayers: [{kind: text, style: {size: [1e9, -1]}}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tm, err := Load("f.yaml", data, brand)
		if err != nil {
			return
		}
		if tm.Width < 16 || tm.Width > MaxCanvasPx || tm.Height < 16 || tm.Height > MaxCanvasPx {
			t.Errorf("accepted canvas %dx%d", tm.Width, tm.Height)
		}
		var check func([]CLayer)
		check = func(ls []CLayer) {
			for _, l := range ls {
				for _, st := range []Style{l.Style, l.NameStyle, l.OrgStyle, l.TimeStyle} {
					if st.MaxPx > MaxFontPx || st.MaxLines > MaxLines {
						t.Errorf("accepted style %+v", st)
					}
				}
				check(l.Children)
			}
		}
		check(tm.Layers)
	})
}

func TestAnchors(t *testing.T) {
	tests := []struct {
		anchor       string
		wantX, wantY float64
		mirror       bool // start and end: layout mirrors the box on right-to-left cards
	}{
		{"", 10, 20, false},
		{"top-right", 1200 - 10 - 100, 20, false},
		{"bottom-left", 10, 600 - 20 - 50, false},
		{"bottom-right", 1090, 530, false},
		{"center", (1200-100)/2 + 10, (600-50)/2 + 20, false},
		{"bottom", 560, 530, false},
		{"right", 1090, 295, false},
		{"top-start", 10, 20, true},
		{"top-end", 1090, 20, true},
		{"start", 10, 295, true},
		{"end", 1090, 295, true},
		{"bottom-start", 10, 530, true},
		{"bottom-end", 1090, 530, true},
	}
	for _, tt := range tests {
		t.Run(tt.anchor, func(t *testing.T) {
			y := "name: t\nwidth: 1200\nheight: 600\nlayers:\n  - kind: rect\n    color: \"#000\"\n    box: {x: 10, y: 20, w: 100, h: 50, anchor: \"" + tt.anchor + "\"}\n"
			tm, err := Load("t.yaml", []byte(y), brand)
			if err != nil {
				t.Fatal(err)
			}
			if l := tm.Layers[0]; l.X != tt.wantX || l.Y != tt.wantY || l.Mirror != tt.mirror {
				t.Errorf("anchor %q: box at %g,%g, mirror %v, want %g,%g, %v", tt.anchor, l.X, l.Y, l.Mirror, tt.wantX, tt.wantY, tt.mirror)
			}
		})
	}
	if _, err := Decode("t.yaml", []byte("name: t\nwidth: 100\nheight: 100\nlayers:\n  - kind: fill\n    box: {anchor: middle}\n")); err == nil {
		t.Error("unknown anchor accepted")
	}
}

func TestDateRange(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		start, end time.Time
		want       string
	}{
		{d(2026, 3, 23), time.Time{}, "23 March"},
		{d(2026, 3, 23), d(2026, 3, 26), "23–26 March"},
		{d(2026, 3, 30), d(2026, 4, 2), "30 March – 2 April"},
		{d(2026, 12, 30), d(2027, 1, 2), "30 December 2026 – 2 January 2027"},
		{d(2026, 3, 23), d(2026, 3, 23), "23 March"},
		{time.Time{}, time.Time{}, ""},
	}
	for _, tt := range tests {
		if got := DateRange(tt.start, tt.end); got != tt.want {
			t.Errorf("DateRange(%v, %v) = %q, want %q", tt.start, tt.end, got, tt.want)
		}
	}
}

func TestNonFiniteNumbersRefused(t *testing.T) {
	const head = "name: t\nwidth: 200\nheight: 200\nlayers:\n"
	for _, y := range []string{
		head + "  - kind: rect\n    box: {x: .nan, y: 0, w: 10, h: 10}\n",
		head + "  - kind: rect\n    box: {x: 0, y: 0, w: .inf, h: 10}\n",
		head + "  - kind: gradient\n    colors: [\"#000\", \"#fff\"]\n    angle: .nan\n",
		head + "  - kind: rect\n    radius: .nan\n",
		head + "  - kind: rect\n    opacity: .nan\n",
		head + "  - kind: text\n    text: x\n    style: {size: .nan}\n",
		head + "  - kind: text\n    text: x\n    style: {size: [4, .inf]}\n",
		head + "  - kind: text\n    text: x\n    style: {size: 20, line_height: .nan}\n",
		head + "  - kind: text\n    text: x\n    style: {line_height: 1e308}\n",
		head + "  - kind: sessions\n    row_gap: .nan\n",
		head + "  - kind: image\n    src: logo\n    blur: .nan\n",
	} {
		if _, err := Decode("t.yaml", []byte(y)); err == nil {
			t.Errorf("accepted:\n%s", y)
		}
	}
}

func TestUnboundedTextRefused(t *testing.T) {
	const head = "name: t\nwidth: 100\nheight: 100\nlayers:\n  - kind: text\n    style: {size: 12}\n    text: "
	for _, text := range []string{`'{{range 300000000}}x{{end}}'`, `'{{range $i := 5}}{{end}}'`, `'{{define "a"}}{{template "a"}}{{end}}{{template "a"}}'`, `'{{if .Title}}{{range 9}}{{end}}{{end}}'`} {
		if _, err := Load("t.yaml", []byte(head+text+"\n"), brand); err == nil {
			t.Errorf("accepted %s", text)
		}
	}
	if _, err := Load("t.yaml", []byte(head+`'{{range .Tags}}#{{.}} {{end}}'`+"\n"), brand); err != nil {
		t.Errorf("range over a card list refused: %v", err)
	}
	if _, err := Decode("t.yaml", []byte("name: t\nwidth: 100\nheight: 100\nlayers:\n  - kind: text\n    children: [{kind: bogus}]\n")); err == nil {
		t.Error("children on a text layer accepted")
	}
}

func TestVersionAccepted(t *testing.T) {
	for _, v := range []string{"", "version: 1\n"} {
		f, err := Decode("card.yaml", []byte(v+"name: t\nwidth: 100\nheight: 100\nlayers:\n  - kind: fill\n"))
		if err != nil {
			t.Errorf("Decode with %q: %v", v, err)
		} else if f.Name != "t" {
			t.Errorf("Decode with %q: name %q, want t", v, f.Name)
		}
	}
}
