package text

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// hbGlyph is one glyph of hb-shape's JSON output, in font units.
type hbGlyph struct {
	G  uint32 `json:"g"`
	Cl int    `json:"cl"`
	Dx int32  `json:"dx"`
	Dy int32  `json:"dy"`
	Ax int32  `json:"ax"`
}

type shapingCase struct {
	font, dir, script, lang, text string
	want                          []hbGlyph
}

func (c shapingCase) String() string { return fmt.Sprintf("%s %s %q", c.font, c.lang, c.text) }

// goTextShape shapes c's text with go-text at the font's units per em, so
// that its 26.6 results are font units, as hb-shape reports them.
func goTextShape(t *testing.T, faces map[string]*font.Face, c shapingCase) []hbGlyph {
	t.Helper()
	face, ok := faces[c.font]
	if !ok {
		data, err := os.ReadFile(filepath.Join("..", "..", "fonts", c.font))
		if err != nil {
			t.Fatal(err)
		}
		f, err := font.ParseTTF(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("fonts/%s: %v", c.font, err)
		}
		face, faces[c.font] = f, f
	}
	script, err := language.ParseScript(c.script)
	if err != nil {
		t.Fatal(err)
	}
	dir := di.DirectionLTR
	if c.dir == "rtl" {
		dir = di.DirectionRTL
	}
	rs := []rune(c.text)
	var hb shaping.HarfbuzzShaper
	out := hb.Shape(shaping.Input{
		Text: rs, RunEnd: len(rs), Direction: dir, Face: face,
		Size: fixed.I(int(face.Upem())), Script: script, Language: language.NewLanguage(c.lang),
	})
	units := func(v fixed.Int26_6) int32 { return int32((v + 32) >> 6) } // exact: the size is upem
	var got []hbGlyph
	for _, g := range out.Glyphs {
		got = append(got, hbGlyph{G: uint32(g.GlyphID), Cl: g.ClusterIndex, Dx: units(g.XOffset), Dy: units(g.YOffset), Ax: units(g.XAdvance)})
	}
	return got
}

func readShapingCases(t *testing.T) []shapingCase {
	t.Helper()
	f, err := os.Open("testdata/hb-shape.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []shapingCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) != 6 {
			t.Fatalf("testdata/hb-shape.txt:%d: %d fields, want 6", n, len(fs))
		}
		c := shapingCase{font: fs[0], dir: fs[1], script: fs[2], lang: fs[3], text: fs[4]}
		if err := json.Unmarshal([]byte(fs[5]), &c.want); err != nil {
			t.Fatalf("testdata/hb-shape.txt:%d: %v", n, err)
		}
		cases = append(cases, c)
	}
	return cases
}

// diffGlyphs lists where got differs from want.
func diffGlyphs(got, want []hbGlyph) []string {
	var out []string
	if len(got) != len(want) {
		out = append(out, fmt.Sprintf("%d glyphs, want %d", len(got), len(want)))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			out = append(out, fmt.Sprintf("glyph %d: %+v, want %+v", i, got[i], want[i]))
		}
	}
	return out
}

// TestShapingMatchesHarfBuzz: for every shipped font and sample strings in
// its scripts (Indic conjuncts and reph, Arabic marks and lam-alef, Thai
// stacked marks, emoji sequences), go-text's glyph ids, clusters, offsets
// and advances equal HarfBuzz 6.0.0's, as recorded in testdata/hb-shape.txt
// by record-hb-shape.sh; where hb-shape is on PATH it is also run live.
func TestShapingMatchesHarfBuzz(t *testing.T) {
	cases := readShapingCases(t)
	shipped, _ := filepath.Glob("../../fonts/*.[ot]tf")
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.font] = true
	}
	for _, f := range shipped {
		if !covered[filepath.Base(f)] {
			t.Errorf("fonts/%s has no case in testdata/shaping-cases.txt", filepath.Base(f))
		}
	}
	hbShape, _ := exec.LookPath("hb-shape")
	faces := map[string]*font.Face{}
	mismatches := 0
	for _, c := range cases {
		got := goTextShape(t, faces, c)
		if d := diffGlyphs(got, c.want); len(d) > 0 {
			mismatches++
			t.Errorf("%v: go-text differs from hb-shape:\n  %s", c, strings.Join(d, "\n  "))
		}
		if hbShape != "" {
			live, err := exec.Command(hbShape, "--output-format=json", "--no-glyph-names", "--direction="+c.dir,
				"--script="+c.script, "--language="+c.lang, filepath.Join("..", "..", "fonts", c.font), c.text).Output()
			if err != nil {
				t.Fatalf("%v: hb-shape: %v", c, err)
			}
			var want []hbGlyph
			if err := json.Unmarshal(live, &want); err != nil {
				t.Fatalf("%v: hb-shape output: %v", c, err)
			}
			if d := diffGlyphs(got, want); len(d) > 0 {
				t.Errorf("%v: go-text differs from live hb-shape (%s):\n  %s", c, hbShape, strings.Join(d, "\n  "))
			}
		}
	}
	t.Logf("shaping: %d of %d cases differ from HarfBuzz (hb-shape live: %v)", mismatches, len(cases), hbShape != "")
}
