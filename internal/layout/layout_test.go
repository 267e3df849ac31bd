package layout

import (
	"fmt"
	"math"
	"os"
	"sync"
	"testing"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/template"
	"github.com/ogcard/ogcard/internal/text"
)

var (
	libOnce sync.Once
	lib     *text.Library
)

func shaper(t *testing.T) *text.Shaper {
	t.Helper()
	libOnce.Do(func() {
		lib = text.NewLibrary(nil)
		if err := lib.LoadFS(os.DirFS("../../fonts")); err != nil {
			panic(err)
		}
	})
	return lib.Shaper()
}

var testBrand = &template.Brand{Colors: map[string]string{"text": "#ffffff", "muted": "#cccccc"}, Fonts: template.BrandFonts{Heading: []string{"Inter"}, Body: []string{"Inter"}}}

func compile(t *testing.T, yaml string) *template.Template {
	t.Helper()
	tm, err := template.Load("t.yaml", []byte(yaml), testBrand)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func sessions(n int) []card.Session {
	var ss []card.Session
	for i := range n {
		ss = append(ss, card.Session{Title: fmt.Sprintf("Talk %d", i+1), Start: "10:00", End: "10:30", Speakers: []card.Person{{Name: "A B", Company: "Org"}}})
	}
	return ss
}

func TestViews(t *testing.T) {
	tests := []struct {
		repeat   string
		perPage  int
		sessions int
		want     []int // talks per card
	}{
		{"", 0, 16, []int{16}},
		{"sessions", 0, 3, []int{1, 1, 1}},
		{"sessions", 0, 0, nil},
		{"sessions", 6, 16, []int{5, 5, 6}}, // spread evenly, not 6, 6, 4
		{"sessions", 6, 6, []int{6}},
		{"sessions", 6, 7, []int{3, 4}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d/%d", tt.repeat, tt.perPage, tt.sessions), func(t *testing.T) {
			c := &card.Card{Title: "x", Sessions: sessions(tt.sessions)}
			vs := Views(c, &template.Template{Repeat: tt.repeat, PerPage: tt.perPage})
			var got []int
			for i, v := range vs {
				got = append(got, len(v.Sessions))
				if v.Page != i+1 || v.Pages != len(vs) {
					t.Errorf("view %d: page %d of %d", i, v.Page, v.Pages)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("talks per card %v, want %v", got, tt.want)
			}
		})
	}
}

// inBox checks every op lies inside the rectangle (with a pixel of slack).
func inBox(t *testing.T, ops []Op, x, y, w, h float64) {
	t.Helper()
	for i, op := range ops {
		if op.X < x-1 || op.Y < y-1 || op.X+op.W > x+w+1 || op.Y+op.H > y+h+1 {
			t.Errorf("op %d (kind %d) at %.0f,%.0f %.0fx%.0f leaves the box %.0f,%.0f %.0fx%.0f", i, op.Kind, op.X, op.Y, op.W, op.H, x, y, w, h)
		}
	}
}

func TestPillsStayInTheirBox(t *testing.T) {
	sh := shaper(t)
	defer sh.Release()
	tm := compile(t, `name: t
width: 1200
height: 630
layers:
  - kind: pills
    items: tags
    box: {x: 740, y: 510, w: 388, h: 44}
    background: "#ffffff20"
    padding_x: 18
    radius: 22
    style: {size: 20, align: end}
`)
	c := &card.Card{Title: "x", Tags: []string{"kubernetes", "networking", "observability", "security", "ebpf"}}
	p, err := Layout(sh, View{Card: c}, tm, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(p.Ops); n == 0 || n%2 != 0 || n/2 >= 5 {
		t.Errorf("%d pills drawn for 5 long tags in a 388 px box: want some, not all", n/2)
	}
	inBox(t, p.Ops, 740, 510, 388, 44)
	// align: end puts the last pill against the right edge.
	last := p.Ops[len(p.Ops)-2]
	if d := 740 + 388 - (last.X + last.W); d < -0.5 || d > 0.5 {
		t.Errorf("last pill ends at %.1f, want the box's right edge 1128", last.X+last.W)
	}
}

func TestPeopleListSaysHowManyMore(t *testing.T) {
	sh := shaper(t)
	defer sh.Release()
	tm := compile(t, `name: t
width: 1080
height: 1080
layers:
  - kind: people
    people: speakers
    box: {x: 80, y: 660, w: 920, h: 270}
    avatar: 76
    gap: 20
    name_style: {size: [22, 32], max_lines: 1}
    org_style: {size: [18, 24], max_lines: 1}
`)
	var speakers []card.Person
	for i := range 9 {
		speakers = append(speakers, card.Person{Name: fmt.Sprintf("Speaker Number%d", i), Company: "Org"})
	}
	p, err := Layout(sh, View{Card: &card.Card{Title: "x", Speakers: speakers}}, tm, nil)
	if err != nil {
		t.Fatal(err)
	}
	inBox(t, p.Ops, 80, 660, 920, 270)
	last := p.Ops[len(p.Ops)-1]
	if last.Kind != OpText || last.Block == nil || len(last.Block.Lines) != 1 {
		t.Fatalf("last op is not a one-line text")
	}
	// 270 px holds rows of 76+20: two people and a "+7 more" line.
	circles := 0
	for _, op := range p.Ops {
		if op.Kind == OpCircle {
			circles++
		}
	}
	if circles != 2 {
		t.Errorf("%d avatars drawn, want 2 (then +7 more)", circles)
	}
}

func TestSessionsRowsFit(t *testing.T) {
	sh := shaper(t)
	defer sh.Release()
	tm := compile(t, `name: t
width: 1080
height: 1350
repeat: sessions
per_page: 6
layers:
  - kind: sessions
    box: {x: 72, y: 330, w: 936, h: 950}
    row_gap: 14
    background: "#ffffff12"
    padding_x: 28
    padding_y: 18
    time_style: {size: [18, 24], max_lines: 2}
    style: {size: [22, 30], max_lines: 2}
    name_style: {size: [17, 21], max_lines: 1, overflow: ellipsis}
`)
	c := &card.Card{Title: "x", Sessions: sessions(16)}
	for _, v := range Views(c, tm) {
		p, err := Layout(sh, v, tm, nil)
		if err != nil {
			t.Fatal(err)
		}
		inBox(t, p.Ops, 72, 330, 936, 950)
		rows := 0
		for _, op := range p.Ops {
			if op.Kind == OpRect {
				rows++
			}
		}
		if rows != len(v.Sessions) {
			t.Errorf("page %d: %d rows for %d talks", v.Page, rows, len(v.Sessions))
		}
	}
}

func TestSmallHelpers(t *testing.T) {
	for in, want := range map[string]string{"Mahé Tardy": "MT", "Mikael Johansson Länsberg": "ML", "山田 太郎": "山", "Arthur Outhenin-Chalandre": "AC", "": "", "bob": "B"} {
		if got := initials(in); got != want {
			t.Errorf("initials(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Wednesday, 25 March": "Wed 25 Mar", "Monday, November 10": "Mon Nov 10", "Day 2": "Day 2"} {
		if got := shortDay(in); got != want {
			t.Errorf("shortDay(%q) = %q, want %q", in, got, want)
		}
	}
	names := [][]string{{"A"}, {"A", "B"}, {"A", "B", "C"}, {"A", "B", "C", "D", "E"}}
	wants := []string{"A", "A & B", "A, B & C", "A, B & 3 more"}
	for i, n := range names {
		if got := joinNames(n); got != wants[i] {
			t.Errorf("joinNames(%v) = %q, want %q", n, got, wants[i])
		}
	}
}

// TestStaticPrefix: card-independent layers come first and are counted,
// so a renderer can draw them once per template.
func TestStaticPrefix(t *testing.T) {
	sh := shaper(t)
	defer sh.Release()
	tm := compile(t, `name: t
width: 100
height: 100
layers:
  - kind: fill
    color: "#000000"
  - kind: rect
    color: "#ffffff"
    box: {x: 1, y: 1, w: 5, h: 5}
  - kind: text
    text: "{{.Title}}"
    style: {size: 12}
  - kind: circle
    color: "#ffffff"
`)
	p, err := Layout(sh, View{Card: &card.Card{Title: "x"}}, tm, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Static != 2 || len(p.Ops) != 4 {
		t.Errorf("static %d of %d ops, want 2 of 4", p.Static, len(p.Ops))
	}
}

// TestStaticPrefixSkipsEmptyLayers: a card-dependent layer that draws
// nothing for a card (the cover of a post without one, an empty text) does
// not end the prefix, so the shapes after it are drawn once per template.
// The key tells the prefixes apart, and mirrored layers of a right-to-left
// card make a prefix of their own.
func TestStaticPrefixSkipsEmptyLayers(t *testing.T) {
	sh := shaper(t)
	defer sh.Release()
	tm := compile(t, `name: t
width: 100
height: 100
layers:
  - kind: fill
    color: "#000000"
  - kind: text
    text: "{{.Summary}}"
    style: {size: 12}
  - kind: circle
    color: "#ffffff80"
    box: {x: 50, y: -20, w: 70, h: 70}
  - kind: rect
    color: "#ffffff"
    box: {x: 4, y: 4, w: 20, h: 2, anchor: top-start}
  - kind: text
    text: "{{.Title}}"
    style: {size: 12}
`)
	type got struct {
		static, ops int
		key         string
	}
	for _, tc := range []struct {
		name string
		card card.Card
		want got
	}{
		{"empty layer skipped", card.Card{Title: "x"}, got{3, 4, "3"}},
		{"layer drawn ends it", card.Card{Title: "x", Summary: "y"}, got{1, 5, "1"}},
		{"mirrored for RTL", card.Card{Title: "שלום עולם"}, got{3, 4, "3-rtl"}},
	} {
		p, err := Layout(sh, View{Card: &tc.card}, tm, nil)
		if err != nil {
			t.Fatal(err)
		}
		if g := (got{p.Static, len(p.Ops), p.StaticKey}); g != tc.want {
			t.Errorf("%s: static %d of %d ops, key %q; want %d of %d, %q", tc.name, g.static, g.ops, g.key, tc.want.static, tc.want.ops, tc.want.key)
		}
	}
}

// TestMirrorRTL: layers anchored at start or end are mirrored, with their
// content (avatar beside the name, pill order, start and end alignment), on
// a card whose title reads right to left; left and right anchors are not.
func TestMirrorRTL(t *testing.T) {
	sh := shaper(t)
	defer sh.Release()
	tm := compile(t, `
name: t
width: 1200
height: 630
layers:
  - kind: text
    text: '{{.Lang}}'
    box: {x: 72, y: 86, w: 388, h: 40, anchor: top-end}
    style: {size: 26, max_lines: 1, align: end}
  - kind: text
    text: '{{.Lang}}'
    box: {x: 72, y: 150, w: 388, h: 40, anchor: top-right}
    style: {size: 26, max_lines: 1, align: end}
  - kind: people
    people: authors
    box: {x: 72, y: 500, w: 640, h: 64, anchor: top-start}
    avatar: 56
    name_style: {size: 24, max_lines: 1}
  - kind: pills
    items: tags
    box: {x: 72, y: 76, w: 388, h: 44, anchor: bottom-end}
    padding_x: 18
    style: {size: 20, align: end}
`)
	type geo struct{ date, fixed, avatar, name, pill1, pill2 float64 }
	measure := func(title string) geo {
		c := &card.Card{Title: title, Lang: "10 March 2025", Authors: []card.Person{{Name: "Sara"}}, Tags: []string{"Cilium", "eBPF"}}
		p, err := Layout(sh, View{Card: c}, tm, nil)
		if err != nil {
			t.Fatal(err)
		}
		var g geo
		var texts, circles, rects []Op
		for _, op := range p.Ops {
			switch op.Kind {
			case OpText:
				texts = append(texts, op)
			case OpCircle:
				circles = append(circles, op)
			case OpRect:
				rects = append(rects, op)
			}
		}
		// Texts: date, fixed date, initials, name, two pill labels.
		if len(texts) != 6 || len(circles) != 1 || len(rects) != 2 {
			t.Fatalf("%d texts, %d circles, %d rects; want 6, 1, 2", len(texts), len(circles), len(rects))
		}
		ink := func(op Op) float64 { return op.X + op.Block.Lines[0].XPx }
		g.date, g.fixed = ink(texts[0]), ink(texts[1])
		g.avatar, g.name = circles[0].X, ink(texts[3])
		g.pill1, g.pill2 = rects[0].X, rects[1].X
		return g
	}
	ltr := measure("Release notes")
	rtl := measure("ملاحظات الإصدار")
	if !(ltr.date > 900 && math.Abs(rtl.date-72) < 0.5) {
		t.Errorf("end-anchored, end-aligned date starts at x=%.0f (LTR), %.0f (RTL); want at the right, then at x=72 (end is left on an RTL card)", ltr.date, rtl.date)
	}
	if ltr.fixed != rtl.fixed {
		t.Errorf("top-right date moved: x=%.0f (LTR), %.0f (RTL)", ltr.fixed, rtl.fixed)
	}
	if !(ltr.avatar < ltr.name && rtl.avatar > rtl.name && rtl.avatar > 1000 && rtl.name > 800) {
		t.Errorf("avatar x=%.0f name x=%.0f (LTR), avatar x=%.0f name x=%.0f (RTL); want the name beside the avatar, on the right for RTL", ltr.avatar, ltr.name, rtl.avatar, rtl.name)
	}
	if !(ltr.pill1 < ltr.pill2 && ltr.pill1 > 700 && rtl.pill1 > rtl.pill2 && rtl.pill2 < 300) {
		t.Errorf("pills at x=%.0f, %.0f (LTR), %.0f, %.0f (RTL); want the first on the start side, the group at the end", ltr.pill1, ltr.pill2, rtl.pill1, rtl.pill2)
	}
}
