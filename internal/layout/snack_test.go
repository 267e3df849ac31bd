package layout

import (
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/template"
)

// builtin compiles a built-in template from assets/templates.
func builtin(t *testing.T, name string) *template.Template {
	t.Helper()
	data, err := os.ReadFile("../../assets/templates/" + name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	brand := &template.Brand{Colors: map[string]string{
		"text": "#ffffff", "muted": "#cccccc", "background": "#000000", "background2": "#111111", "accent": "#38bdf8", "avatar": "#38bdf8",
	}, Fonts: template.BrandFonts{Heading: []string{"Inter"}, Body: []string{"Inter"}}}
	tm, err := template.Load(name+".yaml", data, brand)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// TestSessionCardBalances: a short title with two speakers sits as one
// group centred between the header and the footer. The old fixed boxes
// left a 250 px hole between the title and the speakers.
func TestSessionCardBalances(t *testing.T) {
	tm := builtin(t, "session")
	sh := shaper(t)
	defer sh.Release()
	people := []card.Person{{Name: "Hemanth Malla", Role: "Co-Chair"}, {Name: "Mahé Tardy", Role: "Co-Chair"}}
	for _, title := range []string{"Welcome", "Welcome + Opening Remarks", "It Is Always DNS… Even at the Edge: Taming Proxy-Only Lookups With Cilium and eBPF"} {
		t.Run(title, func(t *testing.T) {
			c := &card.Card{Title: "Post", Sessions: []card.Session{{Title: title, When: "Mon 23 March · 13:25–13:30 CET", Speakers: people}}}
			p, err := Layout(sh, Views(c, tm)[0], tm, nil)
			if err != nil {
				t.Fatal(err)
			}
			// The title is the largest text; speakers are 76 px circles.
			var head Op
			for _, op := range p.Ops {
				if op.Kind == OpText && (head.Block == nil || op.Block.SizePx > head.Block.SizePx) {
					head = op
				}
			}
			firstRow, lastRow := math.Inf(1), 0.0
			for _, op := range p.Ops {
				if op.Kind == OpCircle && op.W == 76 {
					firstRow, lastRow = math.Min(firstRow, op.Y), math.Max(lastRow, op.Y+op.H)
				}
			}
			if head.Block == nil || lastRow == 0 {
				t.Fatalf("title or speakers not laid out")
			}
			// The speakers start right under the title: the stack's 56 px.
			if gap := firstRow - (head.Y + head.H); gap < 50 || gap > 62 {
				t.Errorf("%.0f px between the title and the first speaker, want 56", gap)
			}
			// As much room above the group as below it.
			const top, bottom = 236.0, 236.0 + 690
			if above, below := head.Y-top, bottom-lastRow; math.Abs(above-below) > 2 {
				t.Errorf("%.0f px above the group and %.0f below; want them equal", above, below)
			}
		})
	}
}

// TestSpeakerViews: one card per speaker, with their talks in time order;
// front matter speakers without a talk keep a card; no talks, no cards.
func TestSpeakerViews(t *testing.T) {
	tm := builtin(t, "speaker")
	ann, bob := card.Person{Name: "Ann Lee"}, card.Person{Name: "Bob Ray"}
	c := &card.Card{Sessions: []card.Session{
		{Title: "Late", Date: "2026-03-24", Start: "09:00", Speakers: []card.Person{ann}},
		{Title: "Early", Date: "2026-03-23", Start: "14:00", Speakers: []card.Person{ann, bob}},
	}}
	got := ""
	for _, v := range Views(c, tm) {
		var titles []string
		for _, s := range v.Sessions {
			titles = append(titles, s.Title)
		}
		got += fmt.Sprintf("%s %d/%d %v; ", v.Speaker.Name, v.Page, v.Pages, titles)
	}
	if want := "Ann Lee 1/2 [Early Late]; Bob Ray 2/2 [Early]; "; got != want {
		t.Errorf("Views = %q, want %q", got, want)
	}
	c.Speakers = []card.Person{bob, {Name: "Cy Dee"}}
	if vs := Views(c, tm); len(vs) != 2 || vs[1].Speaker.Name != "Cy Dee" || len(vs[1].Sessions) != 0 {
		t.Errorf("front matter speakers: %d views, want Bob Ray and Cy Dee (no talks)", len(vs))
	}
	if vs := Views(&card.Card{Speakers: []card.Person{ann}}, tm); len(vs) != 0 {
		t.Errorf("a post without talks makes %d speaker cards, want 0", len(vs))
	}
}

// TestSpeakerCardFits: every talk of a three-talk speaker is shown whole
// (no ellipsis) inside the card, above the footer.
func TestSpeakerCardFits(t *testing.T) {
	tm := builtin(t, "speaker")
	sh := shaper(t)
	defer sh.Release()
	bill := card.Person{Name: "Bill Mulligan", Company: "Isovalent at Cisco"}
	titles := []string{
		"Project Lightning Talk: Translating eBPF Into Business Value: Lessons From The Cilium Website",
		"Sponsored Keynote - Built in the Open: Why Cisco Is Betting on eBPF, Cilium, and Tetragon",
		"10 Years of Cilium: Connecting, Securing, and Simplifying the Cloud Native Stack",
	}
	c := &card.Card{}
	for i, ti := range titles {
		c.Sessions = append(c.Sessions, card.Session{Title: ti, When: fmt.Sprintf("Mon 23 March · 1%d:00–1%d:30 CET", i, i), Speakers: []card.Person{bill}})
	}
	p, err := Layout(sh, Views(c, tm)[0], tm, nil)
	if err != nil {
		t.Fatal(err)
	}
	texts := 0
	for _, op := range p.Ops {
		if op.Kind != OpText {
			continue
		}
		texts++
		if op.Block.Truncated {
			t.Errorf("text at y %.0f (size %.0f) is cut with an ellipsis", op.Y, op.Block.SizePx)
		}
		if op.Y < 1256 && op.Y+op.H > 1256 {
			t.Errorf("text at y %.0f ends at %.0f, below the footer rule at 1256", op.Y, op.Y+op.H)
		}
	}
	// Eyebrow, monogram, name, company, and a day line and title per talk.
	if want := 4 + 2*len(titles); texts != want {
		t.Errorf("%d texts laid out, want %d", texts, want)
	}
}
