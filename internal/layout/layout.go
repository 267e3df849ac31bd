// Package layout places a card's content on a template: it turns a Card and
// a compiled Template into a Plan, positioned shapes and glyph runs with no
// pixels, so geometry can be tested with numbers.
package layout

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/template"
	"github.com/ogcard/ogcard/internal/text"
)

// OpKind says what an Op draws.
type OpKind int

const (
	OpGradient OpKind = iota // linear gradient over the rectangle
	OpRect                   // filled rectangle, rounded by Radius
	OpCircle                 // filled ellipse inscribed in the rectangle
	OpText                   // Block drawn with its top-left corner at X, Y
	OpImage                  // Image fitted into the rectangle
)

// Op is one drawing step. Coordinates are canvas pixels.
type Op struct {
	Kind       OpKind
	X, Y, W, H float64
	Color      color.NRGBA   // fill or text colour, alpha already scaled by opacity
	Colors     []color.NRGBA // gradient stops
	AngleDeg   float64
	RadiusPx   float64
	Block      *text.Block

	Image  image.Image // OpImage: the source, any size
	Fit    string      // cover or contain
	Blur   float64     // Gaussian sigma in pixels
	Darken float64     // 0..1 black over the image
	Circle bool        // clip to the inscribed circle (avatars)
}

// View is what one card shows: the post's card and, for templates that
// repeat, the session or the page of sessions this card is about. Template
// texts see its fields ({{.Title}}, {{.Session.Title}}, {{.Page}}).
type View struct {
	*card.Card
	Session  *card.Session  // repeat: sessions, one card per talk
	Speaker  *card.Person   // repeat: speakers, one card per speaker
	Sessions []card.Session // this card's talks (a line-up page, a speaker's), else all
	Page     int            // 1-based page of a line-up
	Pages    int
}

// Views returns the cards template t makes from c: one for plain
// templates, one per session, or one per page of PerPage sessions.
// A repeating template makes no card for a post without sessions.
func Views(c *card.Card, t *template.Template) []View {
	if t.Repeat == "" {
		return []View{{Card: c, Sessions: c.Sessions, Page: 1, Pages: 1}}
	}
	if t.Repeat == "speakers" {
		return speakerViews(c)
	}
	n := len(c.Sessions)
	if t.PerPage == 0 {
		vs := make([]View, n)
		for i := range c.Sessions {
			vs[i] = View{Card: c, Session: &c.Sessions[i], Sessions: c.Sessions[i : i+1], Page: i + 1, Pages: n}
		}
		return vs
	}
	pages := (n + t.PerPage - 1) / t.PerPage
	var vs []View
	for p := 0; p < pages; p++ {
		// Spread talks evenly over the pages rather than leaving a last
		// card with one talk on it.
		lo, hi := p*n/pages, (p+1)*n/pages
		vs = append(vs, View{Card: c, Sessions: c.Sessions[lo:hi], Page: p + 1, Pages: pages})
	}
	return vs
}

// speakerViews makes one card per speaker of c's talks (front matter
// speakers first), each with the talks that speaker gives, in the post's
// order. A post without talks makes none: a speaker card announces a talk.
// Front matter speakers who give none of the listed talks still get a card.
func speakerViews(c *card.Card) []View {
	people := c.Speakers
	if len(people) == 0 {
		for _, s := range c.Sessions {
			for _, p := range s.Speakers {
				if !slices.ContainsFunc(people, func(q card.Person) bool { return strings.EqualFold(q.Name, p.Name) }) {
					people = append(people, p)
				}
			}
		}
	}
	if len(c.Sessions) == 0 {
		return nil
	}
	var vs []View
	for i := range people {
		p := &people[i]
		var talks []card.Session
		for _, s := range c.Sessions {
			if slices.ContainsFunc(s.Speakers, func(q card.Person) bool { return strings.EqualFold(q.Name, p.Name) }) {
				talks = append(talks, s)
			}
		}
		// In time order: a post lists talks by track, a speaker's card
		// reads as their week.
		slices.SortStableFunc(talks, func(a, b card.Session) int {
			if a.Date == "" || b.Date == "" {
				return 0
			}
			return strings.Compare(a.Date+" "+a.Start, b.Date+" "+b.Start)
		})
		vs = append(vs, View{Card: c, Speaker: p, Sessions: talks})
	}
	for i := range vs {
		vs[i].Page, vs[i].Pages = i+1, len(vs)
	}
	return vs
}

// Images supplies pictures to layout. Methods return nil when there is none.
type Images interface {
	Brand(name string) image.Image                  // "logo" or "background"
	Avatar(c *card.Card, p card.Person) image.Image // a speaker's or author's photo
	Cover(c *card.Card) image.Image                 // the post's own cover picture
}

// Plan is a laid-out card.
type Plan struct {
	Width, Height int
	Ops           []Op
	// Static is how many leading Ops do not depend on the card, so a
	// renderer may draw them once per template and reuse the pixels.
	// Layers that draw nothing for this card (an image layer of a post
	// without a cover) do not end the prefix, so the shapes after them are
	// drawn once too, and their colours are known to the palette.
	Static int
	// StaticKey tells apart the prefixes a template's cards may have: the
	// same key means the same Ops[:Static]. A background drawn once is
	// kept per template and StaticKey.
	StaticKey string
	Warnings  []string
}

// Layout lays v out on t. sh is used for text and must not be shared with
// another goroutine during the call; imgs may be nil.
func Layout(sh *text.Shaper, v View, t *template.Template, imgs Images) (*Plan, error) {
	p := &Plan{Width: t.Width, Height: t.Height}
	l := layouter{sh: sh, view: v, card: v.Card, plan: p, imgs: imgs, perPage: t.PerPage}
	// A post whose title reads right to left gets a mirrored card where
	// the template says start and end.
	rtl := v.Card != nil && text.IsRTL(v.Card.Title)
	static, mirrored := true, false
	for i := range t.Layers {
		layer := &t.Layers[i]
		start := len(p.Ops)
		mirror := rtl && layer.Mirror
		l.alignDir = text.Auto
		if mirror {
			l.alignDir = text.RTL
		}
		if err := l.layer(layer); err != nil {
			return nil, fmt.Errorf("template %s: layer %d (%s): %w", t.Name, i, layer.Kind, err)
		}
		if mirror {
			mirrorOps(p.Ops[start:], float64(t.Width))
		}
		if static && len(p.Ops) > start {
			if dependsOnCard(layer) {
				static = false
			} else {
				p.Static = len(p.Ops)
				mirrored = mirrored || mirror
			}
		}
	}
	// The prefix is fixed by the template but for its length (which
	// layers drew nothing before it ended) and the mirroring of its
	// layers for a right-to-left title.
	p.StaticKey = strconv.Itoa(p.Static)
	if mirrored {
		p.StaticKey += "-rtl"
	}
	if len(l.missing) > 0 {
		p.Warnings = append(p.Warnings, missingWarning(l.missing))
	}
	return p, nil
}

// mirrorOps reflects ops across the vertical centre line of a canvas
// width w wide. Their content is not flipped: a text block's lines keep
// their place in it (set for the mirrored direction already), an image is
// drawn as it is.
func mirrorOps(ops []Op, w float64) {
	for i := range ops {
		ops[i].X = w - ops[i].X - ops[i].W
		if ops[i].Kind == OpGradient {
			ops[i].AngleDeg = 180 - ops[i].AngleDeg
		}
	}
}

// dependsOnCard reports whether what a layer draws may differ from card to
// card. A mirrored layer's ops differ only with the title's direction,
// which Plan.StaticKey records.
func dependsOnCard(l *template.CLayer) bool {
	switch l.Kind {
	case "fill", "gradient", "rect", "circle":
		return false
	case "image":
		return l.Src != "background" && l.Src != "logo"
	}
	return true
}

type layouter struct {
	sh   *text.Shaper
	view View
	card *card.Card
	plan *Plan
	imgs Images

	perPage int // the template's sessions per card, for row heights

	missing []rune // characters no font has, over all of the card's texts

	alignDir text.Direction // what start and end mean: RTL in a mirrored layer
}

func withOpacity(c color.NRGBA, o float64) color.NRGBA {
	c.A = uint8(math.Round(float64(c.A) * o))
	return c
}

func (l *layouter) layer(ly *template.CLayer) error {
	switch ly.Kind {
	case "fill":
		l.plan.Ops = append(l.plan.Ops, Op{Kind: OpRect, X: ly.X, Y: ly.Y, W: ly.W, H: ly.H, Color: withOpacity(ly.Color, ly.Opacity)})
	case "gradient":
		stops := make([]color.NRGBA, len(ly.Colors))
		for i, c := range ly.Colors {
			stops[i] = withOpacity(c, ly.Opacity)
		}
		l.plan.Ops = append(l.plan.Ops, Op{Kind: OpGradient, X: ly.X, Y: ly.Y, W: ly.W, H: ly.H, Colors: stops, AngleDeg: ly.Angle})
	case "rect":
		l.plan.Ops = append(l.plan.Ops, Op{Kind: OpRect, X: ly.X, Y: ly.Y, W: ly.W, H: ly.H, Color: withOpacity(ly.Color, ly.Opacity), RadiusPx: ly.Radius})
	case "circle":
		l.plan.Ops = append(l.plan.Ops, Op{Kind: OpCircle, X: ly.X, Y: ly.Y, W: ly.W, H: ly.H, Color: withOpacity(ly.Color, ly.Opacity)})
	case "text":
		s, err := l.expand(ly)
		if err != nil {
			return err
		}
		if s == "" {
			return nil
		}
		b, err := l.text(s, ly.Style, ly.W, ly.H)
		if err != nil {
			return err
		}
		l.plan.Ops = append(l.plan.Ops, Op{Kind: OpText, X: ly.X, Y: ly.Y, W: ly.W, H: ly.H, Color: withOpacity(ly.Style.Color, ly.Opacity), Block: b})
	case "stack":
		return l.stack(ly)
	case "pills":
		return l.pills(ly)
	case "people":
		return l.people(ly)
	case "image":
		if l.imgs == nil {
			return nil
		}
		var img image.Image
		if ly.Src == "cover" {
			img = l.imgs.Cover(l.card)
		} else {
			img = l.imgs.Brand(ly.Src)
		}
		if img == nil {
			return nil // a template may name a logo the brand does not have
		}
		l.plan.Ops = append(l.plan.Ops, Op{Kind: OpImage, X: ly.X, Y: ly.Y, W: ly.W, H: ly.H, Image: img, Fit: ly.Fit, Blur: ly.Blur, Darken: ly.Darken, Color: color.NRGBA{A: uint8(255 * ly.Opacity)}})
	case "sessions":
		return l.sessions(ly)
	}
	return nil
}

// expand executes a layer's text template over the card.
func (l *layouter) expand(ly *template.CLayer) (string, error) {
	if ly.Text == nil {
		return "", nil
	}
	var b strings.Builder
	w := &limitWriter{w: &b, n: 8 << 10}
	if err := ly.Text.Execute(w, l.view); err != nil {
		return "", fmt.Errorf("text: %w", err)
	}
	s := strings.TrimSpace(b.String())
	if ly.Style.Uppercase {
		s = strings.ToUpper(s)
	}
	return s, nil
}

type limitWriter struct {
	w interface{ WriteString(string) (int, error) }
	n int
}

var errTextTooLong = errors.New("template text expands to over 8 KiB")

func (lw *limitWriter) Write(p []byte) (int, error) {
	if len(p) > lw.n {
		return 0, errTextTooLong
	}
	lw.n -= len(p)
	return lw.w.WriteString(string(p))
}

func (l *layouter) text(s string, st template.Style, w, h float64) (*text.Block, error) {
	b, err := l.sh.Layout(s, l.textStyle(st), w, h)
	if err != nil {
		return nil, err
	}
	l.noteMissing(b)
	return &b, nil
}

// noteMissing remembers the characters no font had, for the one warning
// Layout gives about them.
func (l *layouter) noteMissing(b text.Block) {
	for _, r := range b.Missing {
		if !slices.Contains(l.missing, r) {
			l.missing = append(l.missing, r)
		}
	}
}

// missingWarning is one line about every character no font had, with the
// scripts they belong to, rather than a line per character:
// `no font has 2 characters: "ሀ" U+1200 (Ethiopic), "ᚠ" U+16A0 (Runic); they are left out; add a font with the Ethiopic and Runic scripts`.
func missingWarning(rs []rune) string {
	var chars, scripts []string
	for _, r := range rs {
		sc := scriptOf(r)
		chars = append(chars, fmt.Sprintf("%q %U (%s)", r, r, sc))
		if !slices.Contains(scripts, sc) {
			scripts = append(scripts, sc)
		}
	}
	noun, them := "character", "it is"
	if len(rs) > 1 {
		noun, them = "characters", "they are"
	}
	what := strings.Join(scripts, ", ")
	if n := len(scripts); n > 1 {
		what = strings.Join(scripts[:n-1], ", ") + " and " + scripts[n-1]
	}
	plural := ""
	if len(scripts) > 1 {
		plural = "s"
	}
	return fmt.Sprintf("no font has %d %s: %s; %s left out; add a font with the %s script%s", len(rs), noun, strings.Join(chars, ", "), them, what, plural)
}

// scriptOf names r's Unicode script ("Ethiopic"), or "Unknown".
func scriptOf(r rune) string {
	for _, name := range scriptNames() {
		if unicode.Is(unicode.Scripts[name], r) {
			return strings.ReplaceAll(name, "_", " ")
		}
	}
	return "Unknown"
}

var scriptNames = sync.OnceValue(func() []string {
	names := make([]string, 0, len(unicode.Scripts))
	for name := range unicode.Scripts {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
})

func (l *layouter) textStyle(st template.Style) text.Style {
	ts := textStyle(st)
	ts.AlignDir = l.alignDir
	return ts
}

func textStyle(st template.Style) text.Style {
	ts := text.Style{
		Families: st.Families, Weight: st.Weight,
		MaxSizePx: st.MaxPx, MinSizePx: st.MinPx,
		LineHeight: st.LineHeight, MaxLines: st.MaxLines,
		Balance: st.Balance,
	}
	switch st.Overflow {
	case "ellipsis":
		ts.Overflow = text.Ellipsis
	case "fail":
		ts.Overflow = text.Fail
	}
	switch st.Align {
	case "center":
		ts.Align = text.Center
	case "end":
		ts.Align = text.End
	}
	return ts
}

// stack lays text, people and (on a speaker card) sessions children out top
// to bottom; each takes the height its content needs (a text its lines,
// people and talks their rows), so the
// group can be aligned in the box as a whole: a short title does not leave
// a hole above the speakers. A child's box height caps its own height; a
// text or sessions child's gap replaces the stack's gap above it.
func (l *layouter) stack(ly *template.CLayer) error {
	var items []Op
	y := 0.0
	remaining := ly.H
	for i := range ly.Children {
		ch := &ly.Children[i]
		var s string
		var ps []card.Person
		switch ch.Kind {
		case "text":
			var err error
			if s, err = l.expand(ch); err != nil {
				return err
			}
			if s == "" {
				continue
			}
		case "people":
			if ps = l.persons(ch.People); len(ps) == 0 {
				continue
			}
		case "sessions":
			if l.view.Speaker == nil {
				return fmt.Errorf("a stack holds the talks of a speaker card only; put a line-up's sessions layer outside the stack")
			}
			if len(l.view.Sessions) == 0 {
				continue
			}
		default:
			return fmt.Errorf("stack children must be text, people or sessions layers, not %s", ch.Kind)
		}
		if len(items) > 0 {
			gap := ly.Gap
			if ch.Kind != "people" && ch.Gap > 0 {
				gap = ch.Gap // a people layer's gap is between its rows
			}
			y += gap
			remaining -= gap
		}
		if remaining <= 1 {
			break
		}
		// Keep room for one line (or row) of each later child, so a long
		// title shrinks instead of pushing the summary or speakers out.
		reserve, rows := 0.0, false
		for j := i + 1; j < len(ly.Children); j++ {
			next := &ly.Children[j]
			switch next.Kind {
			case "people":
				// Up to four rows, so a long title shrinks before more
				// than one speaker goes into "+N more".
				av, n := avatarSize(next), float64(min(len(l.persons(next.People)), 4))
				gap := next.Gap
				if gap == 0 {
					gap = av * 0.3
				}
				reserve += ly.Gap + n*av + max(n-1, 0)*gap
				rows = true
				continue
			case "sessions":
				reserve += ly.Gap + next.H
				rows = true
				continue
			}
			st := next.Style
			lh := st.LineHeight
			if lh == 0 {
				lh = 1.2
			}
			reserve += ly.Gap + st.MinPx*lh*float64(min(max(st.MaxLines, 1), 2))
		}
		// Text alone gives up its reservation when it would take more than
		// half the room; speakers and talks below keep theirs, up to half.
		avail := remaining
		switch {
		case remaining-reserve > remaining/2:
			avail = remaining - reserve
		case rows:
			avail = remaining / 2
		}
		if ch.H > 0 && ch.H < ly.H {
			avail = math.Min(avail, ch.H)
		}
		if ch.Kind == "sessions" {
			sub := *ch
			sub.X, sub.Y, sub.W, sub.H = ly.X, 0, ly.W, avail
			start := len(l.plan.Ops)
			h, err := l.talks(&sub, l.view.Sessions, false)
			ops := slices.Clone(l.plan.Ops[start:])
			l.plan.Ops = l.plan.Ops[:start]
			if err != nil {
				return err
			}
			for _, op := range ops {
				op.Y += y
				items = append(items, op)
			}
			y += h
			remaining -= h
			continue
		}
		if ch.Kind == "people" {
			h, ops, err := l.peopleOps(ch, ps, ly.X, ly.W, avail)
			if err != nil {
				return err
			}
			for _, op := range ops {
				op.Y += y
				items = append(items, op)
			}
			y += h
			remaining -= h
			continue
		}
		b, err := l.text(s, ch.Style, ly.W, avail)
		if err != nil {
			return err
		}
		items = append(items, Op{Kind: OpText, X: ly.X, Y: y, W: ly.W, H: b.HeightPx, Color: withOpacity(ch.Style.Color, ch.Opacity), Block: b})
		y += b.HeightPx
		remaining -= b.HeightPx
	}
	off := ly.Y
	switch ly.VAlign {
	case "center":
		off += (ly.H - y) / 2
	case "bottom":
		off += ly.H - y
	}
	for _, op := range items {
		op.Y += off
		l.plan.Ops = append(l.plan.Ops, op)
	}
	return nil
}

// avatarSize is a people layer's avatar diameter in pixels.
func avatarSize(ly *template.CLayer) float64 {
	if ly.AvatarPx > 0 {
		return ly.AvatarPx
	}
	return math.Min(ly.H, 64)
}

// peopleOps lays people out as a list at y = 0 in a box at most maxH
// tall, and returns the height the rows take and their ops. A layer too
// narrow for names shows the first person's photo alone, centred.
func (l *layouter) peopleOps(ly *template.CLayer, ps []card.Person, x, w, maxH float64) (float64, []Op, error) {
	av := avatarSize(ly)
	if ly.W < av+40 {
		// Too narrow for names: the first person's photo alone, centred,
		// in a ring of the layer's colour (a speaker card's portrait).
		start := len(l.plan.Ops)
		cx := x + (w-av)/2
		ring := ly.Color
		ring.A = 255
		l.plan.Ops = append(l.plan.Ops, Op{Kind: OpCircle, X: cx - 8, Y: 0, W: av + 16, H: av + 16, Color: ring})
		err := l.avatar(ly, ps[0], cx, 8, av, 0)
		ops := slices.Clone(l.plan.Ops[start:])
		l.plan.Ops = l.plan.Ops[:start]
		return av + 16, ops, err
	}
	gap := ly.Gap
	if gap == 0 {
		gap = av * 0.3
	}
	rows := max(1, int((maxH+gap)/(av+gap)))
	if rows < len(ps) {
		// Not everyone fits a row of their own: overlapping photos beside
		// the names ("A, B & 3 more") say more than "+4 more".
		rows = 1
	}
	rows = min(rows, len(ps))
	h := float64(rows)*av + float64(rows-1)*gap
	sub := *ly
	sub.X, sub.Y, sub.W, sub.H = x, 0, w, h
	start := len(l.plan.Ops)
	var err error
	if rows > 1 || len(ps) == 1 {
		err = l.peopleList(&sub, ps, av)
	} else {
		err = l.people(&sub)
	}
	ops := slices.Clone(l.plan.Ops[start:])
	l.plan.Ops = l.plan.Ops[:start]
	return h, ops, err
}

// pills draws one rounded label per tag, left to right (or right to left
// for align: end), as many as fit.
func (l *layouter) pills(ly *template.CLayer) error {
	var items []string
	switch ly.Items {
	case "tags":
		items = l.card.Tags
	case "categories":
		items = l.card.Categories
	case "tags+categories":
		items = append(append([]string(nil), l.card.Tags...), l.card.Categories...)
	}
	if ly.MaxItems > 0 && len(items) > ly.MaxItems {
		items = items[:ly.MaxItems]
	}
	gap := ly.Gap
	if gap == 0 {
		gap = 10
	}
	st := l.textStyle(ly.Style)
	st.MaxLines = 1
	if st.Overflow == text.Shrink {
		st.Overflow = text.Ellipsis
	}
	lineH := st.MaxSizePx * 1.2
	var ops []Op
	used := 0.0
	maxPill := ly.W * 0.6
	for _, it := range items {
		label := strings.TrimSpace(ly.Prefix + it)
		if ly.Style.Uppercase {
			label = strings.ToUpper(label)
		}
		if label == "" {
			continue
		}
		b, err := l.sh.Layout(label, st, maxPill-2*ly.PaddingX, lineH)
		if err != nil {
			return err
		}
		l.noteMissing(b)
		w := b.WidthPx + 2*ly.PaddingX
		if used+w > ly.W+0.01 {
			break
		}
		ops = append(ops, Op{Kind: OpRect, W: w, H: ly.H, Color: withOpacity(ly.Background, ly.Opacity), RadiusPx: math.Min(ly.Radius, ly.H/2)})
		b.Lines[0].XPx = 0
		ops = append(ops, Op{Kind: OpText, X: ly.PaddingX, Y: (ly.H - b.HeightPx) / 2, W: b.WidthPx, H: b.HeightPx, Color: withOpacity(ly.Style.Color, ly.Opacity), Block: &b})
		used += w + gap
	}
	used -= gap
	x := ly.X
	if ly.Style.Align == "end" {
		x = ly.X + ly.W - used
	}
	for i := 0; i < len(ops); i += 2 {
		bg, label := ops[i], ops[i+1]
		bg.X, bg.Y = x, ly.Y
		label.X += x
		label.Y += ly.Y
		l.plan.Ops = append(l.plan.Ops, bg, label)
		x += bg.W + gap
	}
	return nil
}

// people draws the authors or speakers. In a box tall enough for two rows
// it lists them, photo (or initials), name and affiliation each, ending in
// "+N more" when not all fit; otherwise it overlaps up to three avatars
// beside the joined names.
func (l *layouter) people(ly *template.CLayer) error {
	ps := l.persons(ly.People)
	if len(ps) == 0 {
		return nil
	}
	av := ly.AvatarPx
	if av == 0 {
		av = math.Min(ly.H, 64)
	}
	if ly.H >= 2*av+8 {
		return l.peopleList(ly, ps, av)
	}
	shown := min(len(ps), 3)
	step := av * 0.7
	cy := ly.Y + (ly.H-av)/2
	for i := shown - 1; i >= 0; i-- {
		if err := l.avatar(ly, ps[i], ly.X+float64(i)*step, cy, av, i); err != nil {
			return err
		}
	}
	tx := ly.X + float64(shown-1)*step + av + 18
	tw := ly.X + ly.W - tx
	if tw < 40 {
		return nil
	}
	names := make([]string, len(ps))
	var orgs []string
	for i, p := range ps {
		names[i] = p.Name
		if org := affiliation(p); org != "" && !contains(orgs, org) {
			orgs = append(orgs, org)
		}
	}
	return l.nameBlock(ly, joinNames(names), strings.Join(orgs, " · "), tx, ly.Y, tw, ly.H)
}

// persons returns the people a layer shows: a session card's speakers, or
// the post's speakers (else everyone speaking in its sessions), or authors.
func (l *layouter) persons(which string) []card.Person {
	if which == "speaker" {
		if l.view.Speaker == nil {
			return nil
		}
		return []card.Person{*l.view.Speaker}
	}
	if which != "speakers" {
		return l.card.Authors
	}
	if l.view.Session != nil {
		return l.view.Session.Speakers
	}
	if len(l.card.Speakers) > 0 {
		return l.card.Speakers
	}
	var out []card.Person
	seen := map[string]bool{}
	for _, s := range l.view.Sessions {
		for _, p := range s.Speakers {
			if !seen[p.Name] {
				seen[p.Name] = true
				out = append(out, p)
			}
		}
	}
	return out
}

func affiliation(p card.Person) string {
	if p.Company != "" {
		return p.Company
	}
	return p.Role
}

// peopleList stacks one row per person, as many as fit.
func (l *layouter) peopleList(ly *template.CLayer, ps []card.Person, av float64) error {
	gap := ly.Gap
	if gap == 0 {
		gap = av * 0.3
	}
	rows := int((ly.H + gap) / (av + gap))
	shown := len(ps)
	if shown > rows {
		shown = rows - 1 // the last row says "+N more"
	}
	y := ly.Y
	for i := 0; i < shown; i++ {
		if err := l.avatar(ly, ps[i], ly.X, y, av, i); err != nil {
			return err
		}
		tx := ly.X + av + 20
		if err := l.nameBlock(ly, ps[i].Name, affiliation(ps[i]), tx, y, ly.X+ly.W-tx, av); err != nil {
			return err
		}
		y += av + gap
	}
	if shown < len(ps) {
		more := fmt.Sprintf("+%d more", len(ps)-shown)
		b, err := l.text(more, ly.OrgStyle, ly.W, av)
		if err != nil {
			return err
		}
		l.plan.Ops = append(l.plan.Ops, Op{Kind: OpText, X: ly.X, Y: y + (av-b.HeightPx)/2, W: ly.W, H: b.HeightPx, Color: ly.OrgStyle.Color, Block: b})
	}
	return nil
}

// avatar draws a person's photo in a circle, or their initials on the
// layer's colour.
func (l *layouter) avatar(ly *template.CLayer, p card.Person, x, y, av float64, i int) error {
	if ly.Background.A > 0 {
		ring := ly.Background
		ring.A = 255
		l.plan.Ops = append(l.plan.Ops, Op{Kind: OpCircle, X: x - 3, Y: y - 3, W: av + 6, H: av + 6, Color: ring})
	}
	if l.imgs != nil && p.Avatar != "" {
		if img := l.imgs.Avatar(l.card, p); img != nil {
			l.plan.Ops = append(l.plan.Ops, Op{Kind: OpImage, X: x, Y: y, W: av, H: av, Image: img, Fit: "cover", Circle: true, Color: color.NRGBA{A: 255}})
			return nil
		}
	}
	fill := ly.Color
	if fill.A == 0 {
		fill = color.NRGBA{0x38, 0xbd, 0xf8, 0xff}
	}
	l.plan.Ops = append(l.plan.Ops, Op{Kind: OpCircle, X: x, Y: y, W: av, H: av, Color: tint(fill, i)})
	ini := initials(p.Name)
	if ini == "" {
		return nil
	}
	st := l.textStyle(ly.NameStyle)
	st.MaxSizePx, st.MinSizePx, st.MaxLines, st.Align, st.Balance = av*0.38, av*0.25, 1, text.Center, false
	st.Weight = 700
	b, err := l.sh.Layout(ini, st, av*0.8, av*0.6)
	if err != nil {
		return err
	}
	l.noteMissing(b)
	col := color.NRGBA{0x0b, 0x15, 0x33, 0xff}
	if ly.Background.A > 0 {
		col = ly.Background
		col.A = 255
	}
	l.plan.Ops = append(l.plan.Ops, Op{Kind: OpText, X: x + av*0.1, Y: y + (av-b.HeightPx)/2, W: av * 0.8, H: b.HeightPx, Color: col, Block: &b})
	return nil
}

// nameBlock sets a name and an affiliation, each fitted on its own, as a
// pair centred vertically in the box and starting at its left edge
// whatever the script's direction; at its right edge in a mirrored layer,
// beside the avatar there.
func (l *layouter) nameBlock(ly *template.CLayer, name, org string, x, y, w, h float64) error {
	nb, err := l.text(name, ly.NameStyle, w, h)
	if err != nil {
		return err
	}
	var ob *text.Block
	if org != "" {
		ob, err = l.text(org, ly.OrgStyle, w, h)
		if err != nil {
			return err
		}
	}
	total := nb.HeightPx
	if ob != nil {
		total += ob.HeightPx
	}
	for _, b := range []*text.Block{nb, ob} {
		if b != nil {
			for i := range b.Lines {
				b.Lines[i].XPx = 0
				if l.alignDir == text.RTL {
					b.Lines[i].XPx = w - b.Lines[i].WidthPx
				}
			}
		}
	}
	top := y + (h-total)/2
	l.plan.Ops = append(l.plan.Ops, Op{Kind: OpText, X: x, Y: top, W: w, H: nb.HeightPx, Color: ly.NameStyle.Color, Block: nb})
	if ob != nil {
		l.plan.Ops = append(l.plan.Ops, Op{Kind: OpText, X: x, Y: top + nb.HeightPx, W: w, H: ob.HeightPx, Color: ly.OrgStyle.Color, Block: ob})
	}
	return nil
}

// sessions lists this card's talks, one row each: the time in a left
// column, the title, and the speakers under it.
func (l *layouter) sessions(ly *template.CLayer) error {
	ss := l.view.Sessions
	if len(ss) == 0 {
		return nil
	}
	if l.view.Speaker != nil {
		_, err := l.talks(ly, ss, true)
		return err
	}
	gap := ly.RowGap
	// Rows keep about the height a full page gives them: a last page or a
	// short line-up is not stretched over the whole box.
	rows := len(ss)
	if l.view.Pages > 0 && l.perPage > rows {
		rows = max(rows, l.perPage-1)
	}
	rowH := (ly.H - gap*float64(rows-1)) / float64(rows)
	timeW := 0.0
	if ly.TimeStyle.MaxPx > 0 {
		timeW = ly.TimeStyle.MaxPx * 5.2
	}
	multiDay := false
	for _, s := range ss {
		multiDay = multiDay || (s.Day != "" && s.Day != ss[0].Day)
	}
	y := ly.Y
	for _, s := range ss {
		if ly.Background.A > 0 {
			l.plan.Ops = append(l.plan.Ops, Op{Kind: OpRect, X: ly.X, Y: y, W: ly.W, H: rowH, Color: ly.Background, RadiusPx: ly.Radius})
		}
		pad := ly.PaddingX
		x := ly.X + pad
		inner := ly.W - 2*pad
		t := timeRange(s)
		if multiDay && s.Day != "" {
			// Talks of several days share this card: say which.
			t = strings.TrimSpace(shortDay(s.Day) + "\n" + s.Start)
		}
		if t != "" && timeW > 0 {
			b, err := l.text(t, ly.TimeStyle, timeW, rowH)
			if err != nil {
				return err
			}
			l.plan.Ops = append(l.plan.Ops, Op{Kind: OpText, X: x, Y: y + (rowH-b.HeightPx)/2, W: timeW, H: b.HeightPx, Color: ly.TimeStyle.Color, Block: b})
		}
		if timeW > 0 {
			x += timeW + 16
			inner -= timeW + 16
		}
		var names []string
		var orgs []string
		for _, p := range s.Speakers {
			names = append(names, p.Name)
			if a := affiliation(p); a != "" && !contains(orgs, a) {
				orgs = append(orgs, a)
			}
		}
		who := joinNames(names)
		if len(orgs) > 0 {
			who += " · " + strings.Join(orgs, ", ")
		}
		var wb *text.Block
		var err error
		if who != "" {
			if wb, err = l.text(who, ly.NameStyle, inner, rowH/2); err != nil {
				return err
			}
		}
		titleH := rowH - 2*ly.PaddingY
		if wb != nil {
			titleH -= wb.HeightPx + 4
		}
		tb, err := l.text(s.Title, ly.Style, inner, math.Max(titleH, 1))
		if err != nil {
			return err
		}
		total := tb.HeightPx
		if wb != nil {
			total += wb.HeightPx + 4
		}
		ty := y + (rowH-total)/2
		l.plan.Ops = append(l.plan.Ops, Op{Kind: OpText, X: x, Y: ty, W: inner, H: tb.HeightPx, Color: ly.Style.Color, Block: tb})
		if wb != nil {
			l.plan.Ops = append(l.plan.Ops, Op{Kind: OpText, X: x, Y: ty + tb.HeightPx + 4, W: inner, H: wb.HeightPx, Color: ly.NameStyle.Color, Block: wb})
		}
		y += rowH + gap
	}
	return nil
}

// talks lists a speaker card's talks, one row each: the talk's day, date,
// time and zone over its title, then whoever shares the stage. Rows take
// at most the height a two-talk card gives them and the group is centred in the
// box, so one talk is not stretched over the whole box.
//
// It returns the height the rows take; with center false they start at
// the box's top.
func (l *layouter) talks(ly *template.CLayer, ss []card.Session, center bool) (float64, error) {
	gap := ly.RowGap
	rows := max(len(ss), 2)
	rowH := (ly.H - gap*float64(rows-1)) / float64(rows)
	type row struct{ when, title, with *text.Block }
	var laid []row
	var heights []float64
	for _, s := range ss {
		inner := ly.W - 2*ly.PaddingX
		var r row
		var err error
		used := 2 * ly.PaddingY
		if s.When != "" {
			if r.when, err = l.text(s.When, ly.TimeStyle, inner, rowH/3); err != nil {
				return 0, err
			}
			used += r.when.HeightPx + 6
		}
		var others []string
		for _, p := range s.Speakers {
			if !strings.EqualFold(p.Name, l.view.Speaker.Name) {
				others = append(others, p.Name)
			}
		}
		if len(others) > 0 {
			if r.with, err = l.text("with "+joinNames(others), ly.NameStyle, inner, rowH/3); err != nil {
				return 0, err
			}
			used += r.with.HeightPx + 6
		}
		if r.title, err = l.text(s.Title, ly.Style, inner, math.Max(rowH-used, 1)); err != nil {
			return 0, err
		}
		laid = append(laid, r)
		heights = append(heights, used+r.title.HeightPx)
	}
	// Every row as tall as the tallest, so the cards' boxes line up.
	h := 0.0
	for _, x := range heights {
		h = math.Max(h, x)
	}
	total := h*float64(len(laid)) + gap*float64(len(laid)-1)
	y := ly.Y
	if center {
		y += math.Max(0, (ly.H-total)/2)
	}
	for _, r := range laid {
		if ly.Background.A > 0 {
			l.plan.Ops = append(l.plan.Ops, Op{Kind: OpRect, X: ly.X, Y: y, W: ly.W, H: h, Color: ly.Background, RadiusPx: ly.Radius})
		}
		x, ty := ly.X+ly.PaddingX, y+ly.PaddingY
		for _, b := range []struct {
			b   *text.Block
			col color.NRGBA
		}{{r.when, ly.TimeStyle.Color}, {r.title, ly.Style.Color}, {r.with, ly.NameStyle.Color}} {
			if b.b == nil {
				continue
			}
			l.plan.Ops = append(l.plan.Ops, Op{Kind: OpText, X: x, Y: ty, W: ly.W - 2*ly.PaddingX, H: b.b.HeightPx, Color: b.col, Block: b.b})
			ty += b.b.HeightPx + 6
		}
		y += h + gap
	}
	return total, nil
}

// shortDay abbreviates "Wednesday, 25 March" to "Wed 25 Mar"; other
// shapes are kept as written.
func shortDay(day string) string {
	weekday, date, ok := strings.Cut(day, ", ")
	if !ok {
		return day
	}
	f := strings.Fields(date)
	if len(f) != 2 {
		return day
	}
	abbr := func(s string) string {
		r := []rune(s)
		return string(r[:min(3, len(r))])
	}
	if _, err := strconv.Atoi(f[0]); err == nil {
		return abbr(weekday) + " " + f[0] + " " + abbr(f[1])
	}
	return abbr(weekday) + " " + abbr(f[0]) + " " + f[1] // "November 10"
}

// timeRange writes "13:35–14:00", or the start alone.
func timeRange(s card.Session) string {
	switch {
	case s.Start != "" && s.End != "":
		return s.Start + "–" + s.End
	default:
		return s.Start
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// joinNames writes "A", "A & B", "A, B & C" and "A, B & 3 more".
func joinNames(names []string) string {
	switch n := len(names); {
	case n == 1:
		return names[0]
	case n == 2:
		return names[0] + " & " + names[1]
	case n <= 3:
		return strings.Join(names[:n-1], ", ") + " & " + names[n-1]
	default:
		return fmt.Sprintf("%s, %s & %d more", names[0], names[1], n-2)
	}
}

// initials returns up to two letters: the first of the first and last
// words ("Mahé Tardy" -> "MT"); for scripts without case, the first letter.
func initials(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '-' })
	var out []rune
	for i, w := range words {
		if i != 0 && i != len(words)-1 {
			continue
		}
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				out = append(out, unicode.ToUpper(r))
				break
			}
		}
	}
	if len(out) > 0 && !unicode.IsUpper(out[0]) {
		return string(out[:1])
	}
	return string(out)
}

// tint varies the avatar colour a little per person so overlapping
// circles stay distinct.
func tint(c color.NRGBA, i int) color.NRGBA {
	f := 1 - 0.12*float64(i)
	return color.NRGBA{uint8(float64(c.R) * f), uint8(float64(c.G) * f), uint8(float64(c.B) * f), c.A}
}
