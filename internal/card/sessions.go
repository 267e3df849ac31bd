package card

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Limits on ParseSessions' work. A long event post is about 30 KiB and lists
// a few dozen talks.
const (
	// maxSessionBody is the number of body bytes read; the rest is ignored.
	// The corpus' longest post is 173 KB, an event post about 30 KB; goldmark
	// needs up to 2 s for 1 MiB of adversarial lists or emphasis on a shared
	// 2-core machine, a quarter of that for 256 KiB.
	maxSessionBody   = 256 << 10
	maxSessions      = 500 // sessions returned at most
	maxDetailRunes   = 200 // a time or speaker line is short; longer lines are prose
	maxTitleRunes    = 300 // a link text longer than this is not a talk title
	maxInlineNesting = 64  // deeper inline markup is not walked

	// maxBracketWork bounds the product of '[' count and body length read.
	// goldmark rescans the rest of a paragraph for every unclosed link or
	// reference opener ("[a](" repeated 20,000 times takes 15 s), so a body
	// over this budget is cut at a line where the product stays under it:
	// at worst a few hundred milliseconds of parsing. Event posts stay far
	// below it (cilium.io's are under 2e6); only a few very long link-heavy
	// posts of the corpus (5e7 at most) are cut, and they list no talks.
	maxBracketWork = 20_000_000

	// maxLineContainers bounds the blockquote and list markers that open a
	// line ("> > > - a"). goldmark's work grows with the square of that
	// nesting (500,000 levels take minutes); no post nests 32 deep, so the
	// body is cut before such a line.
	maxLineContainers = 32
)

// ParseSessions returns the talks an event post's Markdown body lists, in
// the order it lists them, or nil when it lists none.
//
// A talk is a link (its title and URL) on a line of its own, a list item or
// a heading, with evidence that it is a talk: a time range, or speakers
// together with a link to a schedule, video or event site. It reads the
// shapes cilium.io event posts use:
//
//	[**Title**](https://x.sched.com/event/1)
//	*Name & Name, Org | Monday, 23 March | 13:25 - 13:30 CET*
//
//	[Title - Name, Org; Name, Org](https://sched.co/1)
//
//	**Monday, November 6, 2023 • 9:15 am - 9:40 am**
//
//	- Name (Org) - [Title](https://www.youtube.com/watch?v=1)
//
//	## Title by Name (Org)
//
//	[See on Youtube.](https://www.youtube.com/watch?v=1)
//
// Times are normalised to 24-hour "HH:MM"; Day and Zone are kept as
// written; Section is the nearest heading above the talk that is not itself
// a talk. The work is bounded: at most the first 256 KiB of body are read,
// less when the body is built to make the Markdown parser slow (see
// boundBody), and at most 500 sessions are returned. ParseSessions does not
// keep body and is safe for concurrent use.
func ParseSessions(body []byte) []Session {
	body = boundBody(body)
	if !mayListTalks(body) {
		return nil
	}
	doc := goldmark.New().Parser().Parse(text.NewReader(body))
	blocks := collectBlocks(doc, body)
	return findSessions(blocks)
}

// mayListTalks is a byte-level pre-check: every shape ParseSessions
// accepts needs a link and either a time of day or a schedule, event or
// video link. Most posts have none, and skipping their Markdown parse
// makes a no-op site build ~3x cheaper.
func mayListTalks(body []byte) bool {
	if !bytes.Contains(body, []byte("](")) {
		return false
	}
	for _, s := range [][]byte{[]byte("sched.co"), []byte("sessionize"), []byte("pretalx"), []byte("/event/"), []byte("youtu")} {
		if bytes.Contains(body, s) {
			return true
		}
	}
	return hasTimeRange(body)
}

// hasTimeRange finds a time range ("13:35 - 14:00", "9:15am – 9:20am",
// "9am-10am") by scanning bytes: version numbers like 1.16 do not match,
// and a regexp over every post costs more than the parse it would save.
func hasTimeRange(b []byte) bool {
	for i := 0; i < len(b); i++ {
		end, ok := timeAt(b, i)
		if !ok {
			continue
		}
		j := end
		for j < len(b) && b[j] == ' ' {
			j++
		}
		switch {
		case j < len(b) && b[j] == '-':
			j++
		case bytes.HasPrefix(b[j:], []byte("–")), bytes.HasPrefix(b[j:], []byte("—")):
			j += 3
		case bytes.HasPrefix(b[j:], []byte("to ")):
			j += 2
		default:
			continue
		}
		for j < len(b) && b[j] == ' ' {
			j++
		}
		if _, ok := timeAt(b, j); ok {
			return true
		}
	}
	return false
}

// timeAt reports whether a time of day starts at b[i] ("9:15", "13.30",
// "9am", "9:15 pm") and where it ends. A digit before b[i] is no start.
func timeAt(b []byte, i int) (end int, ok bool) {
	if i >= len(b) || !isDigit(b[i]) || (i > 0 && isDigit(b[i-1])) {
		return 0, false
	}
	j := i + 1
	if j < len(b) && isDigit(b[j]) {
		j++
	}
	clock := false
	if j+2 < len(b) && (b[j] == ':' || b[j] == '.') && isDigit(b[j+1]) && isDigit(b[j+2]) && (j+3 >= len(b) || !isDigit(b[j+3])) {
		j += 3
		clock = true
	}
	k := j
	if k < len(b) && b[k] == ' ' {
		k++
	}
	if k+1 < len(b) && (b[k]|0x20 == 'a' || b[k]|0x20 == 'p') && b[k+1]|0x20 == 'm' {
		return k + 2, true
	}
	return j, clock
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// boundBody cuts body to at most maxSessionBody bytes, to the prefix whose
// '[' count times length stays within maxBracketWork, and before the first
// line opening more than maxLineContainers containers, at a line end. It
// looks at bytes only; the structure is goldmark's to find.
func boundBody(body []byte) []byte {
	end := min(len(body), maxSessionBody)
	brackets := 0
	for i, c := range body[:end] {
		if c == '[' {
			brackets++
			if brackets*(i+1) > maxBracketWork {
				end = i
				break
			}
		}
		if (i == 0 || body[i-1] == '\n') && lineContainers(body[i:end]) > maxLineContainers {
			end = i
			break
		}
	}
	if end == len(body) {
		return body
	}
	if i := bytes.LastIndexByte(body[:end], '\n'); i > 0 {
		return body[:i]
	}
	return nil
}

// lineContainers counts the blockquote and list markers at the start of
// line, stopping one past maxLineContainers.
func lineContainers(line []byte) int {
	n := 0
	for i := 0; i < len(line) && n <= maxLineContainers; i++ {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
		case c == '>':
			n++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			n++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 >= len(line) || (line[j] != '.' && line[j] != ')') || (line[j+1] != ' ' && line[j+1] != '\t') {
				return n
			}
			n++
			i = j
		default:
			return n
		}
	}
	return n
}

// mdBlock is a paragraph, plain list item text or heading, flattened into
// lines of plain text.
type mdBlock struct {
	lines   []mdLine
	heading int // heading level, 0 for other blocks
	list    int // 1-based number of the list holding the block, 0 outside lists
}

// mdLine is one line of a block's text with the links on it.
type mdLine struct {
	text  string
	links []mdLink
}

// mdLink is a link on a line: text[start:end] is its text.
type mdLink struct {
	start, end int
	url        string
}

// collectBlocks flattens the text-bearing blocks of doc in document order.
func collectBlocks(doc ast.Node, src []byte) []mdBlock {
	var blocks []mdBlock
	lists := map[ast.Node]int{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.List:
			lists[n] = len(lists) + 1
		case *ast.Paragraph, *ast.TextBlock:
			b := mdBlock{lines: flattenInline(n, src)}
			if item := n.Parent(); item != nil && item.Kind() == ast.KindListItem {
				b.list = lists[item.Parent()]
			}
			blocks = append(blocks, b)
			return ast.WalkSkipChildren, nil
		case *ast.Heading:
			blocks = append(blocks, mdBlock{lines: flattenInline(n, src), heading: n.Level})
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return blocks
}

// lineBuilder accumulates the lines of one block.
type lineBuilder struct {
	src   []byte
	lines []mdLine
	cur   strings.Builder
	links []mdLink
}

// flattenInline turns a block's inline children into lines of plain text:
// emphasis and code markup dropped, escapes and entities resolved, images
// left out, links recorded with their place in the line.
func flattenInline(block ast.Node, src []byte) []mdLine {
	b := &lineBuilder{src: src}
	for c := block.FirstChild(); c != nil; c = c.NextSibling() {
		b.inline(c, 0)
	}
	b.breakLine()
	return b.lines
}

// inline appends one inline node and its children to the current line.
func (b *lineBuilder) inline(n ast.Node, depth int) {
	if depth > maxInlineNesting {
		return
	}
	switch n := n.(type) {
	case *ast.Text:
		v := n.Value(b.src)
		if !n.IsRaw() {
			v = util.ResolveNumericReferences(util.ResolveEntityNames(util.UnescapePunctuations(v)))
		}
		b.cur.Write(v)
		if n.SoftLineBreak() || n.HardLineBreak() {
			b.breakLine()
		}
		return
	case *ast.String:
		b.cur.Write(n.Value)
		return
	case *ast.Image:
		return
	case *ast.RawHTML:
		var raw strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			raw.Write(seg.Value(b.src))
		}
		if strings.HasPrefix(strings.ToLower(raw.String()), "<br") {
			b.breakLine()
		}
		return
	case *ast.AutoLink:
		start := b.cur.Len()
		b.cur.Write(n.Label(b.src))
		b.links = append(b.links, mdLink{start: start, end: b.cur.Len(), url: string(n.URL(b.src))})
		return
	case *ast.Link:
		start, line := b.cur.Len(), len(b.lines)
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			b.inline(c, depth+1)
		}
		if len(b.lines) == line { // a link broken over lines is not recorded
			b.links = append(b.links, mdLink{start: start, end: b.cur.Len(), url: string(n.Destination)})
		}
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		b.inline(c, depth+1)
	}
}

// breakLine ends the current line, trimming its outer spaces.
func (b *lineBuilder) breakLine() {
	s := b.cur.String()
	trimmed := strings.TrimLeftFunc(s, unicode.IsSpace)
	shift := len(s) - len(trimmed)
	trimmed = strings.TrimRightFunc(trimmed, unicode.IsSpace)
	var links []mdLink
	for _, l := range b.links {
		l.start, l.end = max(l.start-shift, 0), min(max(l.end-shift, 0), len(trimmed))
		if l.start < l.end {
			links = append(links, l)
		}
	}
	if trimmed != "" {
		b.lines = append(b.lines, mdLine{text: trimmed, links: links})
	}
	b.cur.Reset()
	b.links = nil
}

// blockText is the plain text of a block, its lines joined by spaces.
func blockText(b mdBlock) string {
	parts := make([]string, len(b.lines))
	for i, l := range b.lines {
		parts[i] = l.text
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// Talks found without a time, a schedule link or a talk heading are weak
// evidence: a review post's "Resources" list links recordings too. They are
// kept only in a group (one list, or one section outside lists) that holds
// at least minWeakGroup of them, making at least half of its linked lines.
const minWeakGroup = 3

// candidate is a talk found, with what is needed to judge weak evidence.
type candidate struct {
	s      Session
	strong bool // a time, a schedule link or a talk heading
	group  int  // the list or section it was found in
}

// findSessions walks the flattened blocks and keeps the talks.
func findSessions(blocks []mdBlock) []Session {
	var cands []candidate
	linked := map[int]int{} // group -> lines holding a link
	section, sectionDay, dayFrom, sectionNo := "", "", "", 0
	afterHeading := false
	add := func(s Session, strong bool, group int) {
		s.Section = section
		if s.Day == "" && sectionDay != "" {
			s.Day, s.DayFrom = sectionDay, dayFrom
		}
		cands = append(cands, candidate{s: s, strong: strong || s.Start != "" || scheduleURL(s.URL), group: group})
	}
	for i := 0; i < len(blocks) && len(cands) < maxSessions; i++ {
		b := blocks[i]
		next := nextBlockLine(blocks, i)
		if b.heading > 0 {
			if s, ok := headingSession(b, next); ok {
				add(s, true, 0)
				continue
			}
			section, sectionNo = blockText(b), sectionNo+1
			sectionDay, dayFrom = dayIn(section), ""
			if sectionDay != "" {
				dayFrom = fmt.Sprintf("heading %q", capQuote(section))
			}
			afterHeading = true
			continue
		}
		if afterHeading && sectionDay == "" {
			// A section's lead sentence often names the day its talks
			// share: "Join us on **Monday, 23 March**, for ...".
			if lead := blockText(b); !hasTimeRange([]byte(lead)) {
				if day, ok := oneDayIn(lead); ok {
					sectionDay = day
					dayFrom = fmt.Sprintf("lead of section %q", capQuote(section))
				}
			}
		}
		afterHeading = false
		group := -sectionNo - 1
		if b.list > 0 {
			group = b.list
		}
		for j, l := range b.lines {
			if len(l.links) > 0 {
				linked[group]++
			}
			var details []mdLine
			switch {
			case j+1 < len(b.lines):
				details = b.lines[j+1 : min(j+3, len(b.lines))]
			case next != nil:
				details = []mdLine{*next}
				if i+2 < len(blocks) && blocks[i+2].heading == 0 && len(blocks[i+2].lines) > 0 {
					details = append(details, blocks[i+2].lines[0])
				}
			}
			if s, ok := lineSession(l, details); ok {
				add(s, false, group)
				if len(cands) == maxSessions {
					break
				}
			}
		}
	}
	weak := map[int]int{}
	for _, c := range cands {
		if !c.strong {
			weak[c.group]++
		}
	}
	var out []Session
	for _, c := range cands {
		if c.strong || (weak[c.group] >= minWeakGroup && 2*weak[c.group] >= linked[c.group]) {
			out = append(out, c.s)
		}
	}
	return out
}

// nextBlockLine is the first line of the block after blocks[i] when that
// block is not a heading, or nil.
func nextBlockLine(blocks []mdBlock, i int) *mdLine {
	if i+1 >= len(blocks) || blocks[i+1].heading > 0 || len(blocks[i+1].lines) == 0 {
		return nil
	}
	return &blocks[i+1].lines[0]
}

// headingSession reads a heading that is a talk: a heading that is only a
// link (with details below it), or "Title by Name (Org)" followed by a line
// that is only a link to a video or event page.
func headingSession(b mdBlock, next *mdLine) (Session, bool) {
	if len(b.lines) != 1 {
		return Session{}, false
	}
	var details []mdLine
	if next != nil {
		details = []mdLine{*next}
	}
	if s, ok := lineSession(b.lines[0], details); ok {
		return s, true
	}
	if next == nil || len(b.lines[0].links) > 0 {
		return Session{}, false
	}
	l, ok := linkOnly(*next)
	if !ok || !eventURL(l.url) {
		return Session{}, false
	}
	h := b.lines[0].text
	i := strings.LastIndex(h, " by ")
	if i <= 0 {
		return Session{}, false
	}
	people := SplitSpeakers(h[i+len(" by "):])
	if !plausiblePeople(people, true) {
		return Session{}, false
	}
	title := cleanTitle(h[:i])
	if title == "" {
		return Session{}, false
	}
	return Session{Title: title, URL: l.url, Speakers: people}, true
}

// linkOnly returns the link of a line that holds nothing else but symbols
// ("⚡", "-") around it.
func linkOnly(l mdLine) (mdLink, bool) {
	if len(l.links) != 1 {
		return mdLink{}, false
	}
	k := l.links[0]
	if !onlySymbols(l.text[:k.start]) || !onlySymbols(l.text[k.end:]) {
		return mdLink{}, false
	}
	return k, true
}

// onlySymbols reports whether s has no letters or digits.
func onlySymbols(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0
}

// lineSession reads one line that may be a talk, with up to two following
// lines that may carry its speakers, day and time.
func lineSession(l mdLine, details []mdLine) (Session, bool) {
	if len(l.links) == 0 {
		return Session{}, false
	}
	k := l.links[0]
	if k.url == "" || strings.HasPrefix(k.url, "#") {
		return Session{}, false
	}
	prefix, linkText, suffix := l.text[:k.start], l.text[k.start:k.end], l.text[k.end:]
	if utf8.RuneCountInString(linkText) > maxTitleRunes {
		return Session{}, false
	}
	s := Session{URL: k.url}
	var speakersFromText []Person
	switch {
	case onlySymbols(prefix) && onlySymbols(suffix):
		// [Title](url) or [Title - Name, Org](url) on its own line.
		s.Title, speakersFromText = splitTitleSpeakers(linkText)
	case onlySymbols(prefix) && len(l.links) == 1:
		// [Title](url) - Name, Org | 10:00 - 10:30, or [Title](url) by Name.
		s.Title, speakersFromText = splitTitleSpeakers(linkText)
		rest := strings.TrimSpace(suffix)
		if r, ok := cutSpeakerLead(rest); ok {
			d := parseDetail(r)
			if d.speakers == nil && d.start == "" {
				if ps := SplitSpeakers(r); plausiblePeople(ps, false) {
					d.speakers = ps
				}
			}
			applyDetail(&s, d)
		} else {
			d := parseDetail(rest)
			if d.start == "" {
				return Session{}, false // running text after a link
			}
			applyDetail(&s, d)
		}
	case onlySymbols(suffix) && len(l.links) == 1:
		// Name (Org) - [Title](url)
		lead, ok := cutSpeakerTrail(prefix)
		if !ok {
			return Session{}, false
		}
		people := SplitSpeakers(lead)
		if !plausiblePeople(people, true) {
			return Session{}, false
		}
		s.Title, s.Speakers = cleanTitle(linkText), people
	default:
		return Session{}, false
	}
	if s.Title == "" {
		return Session{}, false
	}
	// Only the line right under the link describes it (and, when that
	// line is a day alone, the line after gives the time).
	if s.Start == "" && len(details) > 0 && len(details[0].links) == 0 && utf8.RuneCountInString(details[0].text) <= maxDetailRunes {
		d := parseDetail(details[0].text)
		switch {
		case d.start == "" && d.day != "" && len(details) > 1:
			d2 := parseDetail(details[1].text)
			if d2.start != "" && len(details[1].links) == 0 && utf8.RuneCountInString(details[1].text) <= maxDetailRunes {
				d2.day = d.day
				applyDetail(&s, d2)
			}
		case d.start != "" || d.speakers != nil:
			applyDetail(&s, d)
		}
	}
	if len(s.Speakers) == 0 {
		s.Speakers = speakersFromText
	}
	timed := s.Start != ""
	if !(timed && (len(s.Speakers) > 0 || eventURL(s.URL))) && !(len(s.Speakers) > 0 && eventURL(s.URL)) {
		return Session{}, false
	}
	return s, true
}

// cutSpeakerLead strips the separator that introduces speakers after a
// link: "- Name", "– Name", "by Name".
func cutSpeakerLead(s string) (string, bool) {
	for _, p := range []string{"-", "–", "—", "by ", "with "} {
		if strings.HasPrefix(s, p) {
			return strings.TrimSpace(s[len(p):]), true
		}
	}
	return s, false
}

// cutSpeakerTrail strips the separator that ends speakers before a link:
// "Name (Org) - ", "Name: ".
func cutSpeakerTrail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, p := range []string{"-", "–", "—", ":", "|"} {
		if strings.HasSuffix(s, p) {
			return strings.TrimSpace(strings.TrimSuffix(s, p)), true
		}
	}
	return s, false
}

// detail is what a talk's detail line says.
type detail struct {
	day, start, end, zone string
	speakers              []Person
}

// applyDetail copies what d found into s.
func applyDetail(s *Session, d detail) {
	if d.start != "" {
		s.Start, s.End, s.Zone = d.start, d.end, d.zone
	}
	if d.day != "" {
		s.Day = d.day
	}
	if d.speakers != nil {
		s.Speakers = d.speakers
	}
}

// dashSep matches the dash between a talk title and its speakers: " - ",
// and "Cloud- Name" as sched.com sometimes shortens it.
var dashSep = regexp.MustCompile(`[-–—]\s+`)

// splitTitleSpeakers splits link text "Title - Name, Org" into the title and
// the speakers, when the part after the last such dash reads as people. It
// also reads "Sponsored Keynote: Name, Org". Otherwise the whole text is the
// title.
func splitTitleSpeakers(s string) (string, []Person) {
	s = strings.Join(strings.Fields(s), " ")
	locs := dashSep.FindAllStringIndex(s, -1)
	for i := len(locs) - 1; i >= 0; i-- {
		left, right := s[:locs[i][0]], s[locs[i][1]:]
		if people := SplitSpeakers(right); plausiblePeople(people, true) {
			if t := cleanTitle(left); t != "" {
				return t, people
			}
		}
	}
	if i := strings.LastIndex(s, ": "); i > 0 && strings.HasSuffix(strings.ToLower(s[:i]), "keynote") {
		if people := SplitSpeakers(s[i+2:]); plausiblePeople(people, true) {
			return cleanTitle(s[:i]), people
		}
	}
	return cleanTitle(s), nil
}

// cleanTitle collapses spaces and trims what a split leaves at the ends.
func cleanTitle(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRight(s, " -–—`|,;:")
}

// timeRange matches "13:25 - 13:30 CET", "9:15 am - 9:40 am", "2:50-3:20pm",
// "10:40 - 11:05 AM". It is applied to one short line at a time.
var timeRange = regexp.MustCompile(`(?:^|[^\d:])(\d{1,2})(?::(\d{2}))?\s*((?i:a\.?m\.?|p\.?m\.?))?\s*(?:-|–|—|(?i:to|until))\s*(\d{1,2})(?::(\d{2}))?\s*((?i:a\.?m\.?|p\.?m\.?))?(?:\s*\(?((?:UTC|GMT)[+-]\d{1,2}|[A-Z]{2,5})\)?)?(?:$|[^\w:])`)

// parseDetail reads a detail line: "Name, Org | Monday, 23 March | 09:52 -
// 09:57", "Tuesday, March 19, 2024, 09:00 - 09:10 CET", "Name & Name, Org".
// Speakers are kept only when they read as people.
func parseDetail(line string) detail {
	var d detail
	line = strings.Join(strings.Fields(line), " ")
	rest := line
	for _, m := range timeRange.FindAllStringSubmatchIndex(line, 8) {
		start, end, ok := parseRange(line, m)
		if ok {
			d.start, d.end = start, end
			if m[14] >= 0 {
				if z := line[m[14]:m[15]]; z != "AM" && z != "PM" {
					d.zone = z
				}
			}
			cut := m[15]
			if cut < 0 {
				cut = max(m[13], m[11], m[9])
			}
			rest = line[:m[2]] + " | " + line[cut:]
			break
		}
	}
	explicit := strings.ContainsAny(line, "|•·")
	segs := strings.FieldsFunc(rest, func(r rune) bool { return r == '|' || r == '•' || r == '·' })
	for _, seg := range segs {
		seg = strings.Trim(seg, " ,;-–—")
		if seg == "" {
			continue
		}
		if day := dayIn(seg); day != "" {
			if d.day == "" {
				d.day = day
			}
			continue
		}
		if d.speakers == nil && d.day == "" {
			if ps := SplitSpeakers(seg); plausiblePeople(ps, !explicit) {
				d.speakers = ps
			}
		}
	}
	return d
}

// parseRange turns the submatches of timeRange into 24-hour "HH:MM" times.
func parseRange(line string, m []int) (start, end string, ok bool) {
	group := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return line[m[2*i]:m[2*i+1]]
	}
	h1, min1, ap1 := group(1), group(2), meridiem(group(3))
	h2, min2, ap2 := group(4), group(5), meridiem(group(6))
	if (min1 == "" && ap1 == "" && ap2 == "") || (min2 == "" && ap2 == "") {
		return "", "", false // "2 - 3" is not a time range
	}
	endH, endM, ok := clock(h2, min2, ap2)
	if !ok {
		return "", "", false
	}
	if ap1 == "" && ap2 != "" {
		// "10:40 - 11:05 AM": the start shares the end's half of the day,
		// unless that puts it after the end ("11:30 - 12:30 PM").
		ap1 = ap2
		if h, mm, ok := clock(h1, min1, ap1); ok && h*60+mm > endH*60+endM {
			ap1 = map[string]string{"am": "pm", "pm": "am"}[ap2]
		}
	}
	startH, startM, ok := clock(h1, min1, ap1)
	if !ok {
		return "", "", false
	}
	return fmt.Sprintf("%02d:%02d", startH, startM), fmt.Sprintf("%02d:%02d", endH, endM), true
}

// meridiem normalises "a.m.", "AM", "pm" to "am" or "pm"; "" stays "".
func meridiem(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, ".", ""))
	if s == "am" || s == "pm" {
		return s
	}
	return ""
}

// clock converts an hour, minute and optional "am"/"pm" to a 24-hour time.
func clock(h, m, ap string) (hour, minute int, ok bool) {
	hour, err := strconv.Atoi(h)
	if err != nil {
		return 0, 0, false
	}
	if m != "" {
		if minute, err = strconv.Atoi(m); err != nil || minute > 59 {
			return 0, 0, false
		}
	}
	switch ap {
	case "":
		if hour > 23 {
			return 0, 0, false
		}
	case "am", "pm":
		if hour < 1 || hour > 12 {
			return 0, 0, false
		}
		hour %= 12
		if ap == "pm" {
			hour += 12
		}
	}
	return hour, minute, true
}

// weekdayName and monthName find a weekday, or a month next to a day number.
var (
	weekdayName = regexp.MustCompile(`\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b`)
	monthName   = regexp.MustCompile(`\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?\s*\d|\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b`)
)

// mayNameWeekday is a necessary condition for weekdayName to match in s:
// the first three letters of a weekday.
func mayNameWeekday(s string) bool {
	for _, d := range [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"} {
		if strings.Contains(s, d) {
			return true
		}
	}
	return false
}

// dayIn returns the day a short text names, as written from its weekday (or
// its date when there is no weekday) to its end: "Cloud Native University -
// Monday, November 10," gives "Monday, November 10". It returns "" when s
// names no day or is too long to be a date.
func dayIn(s string) string {
	if utf8.RuneCountInString(s) > 80 || !mayNameWeekday(s) && !mayNameDay(s) {
		return ""
	}
	loc := weekdayName.FindStringIndex(s)
	if loc == nil {
		loc = monthName.FindStringIndex(s)
	}
	if loc == nil {
		return ""
	}
	day := strings.Trim(s[loc[0]:], " ,;:|•·-–—")
	if words := len(strings.Fields(day)); words > 5 {
		return ""
	}
	return day
}

// eventHosts are the hosts whose links make a talk list: schedules, video
// sites and event pages.
var eventHosts = []string{
	"sched.com", "sched.co", "youtube.com", "youtu.be", "vimeo.com",
	"events.linuxfoundation.org", "sessionize.com", "pretalx.com",
	"pretalx.org", "papercall.io", "eventbrite.com", "meetup.com",
	"fosdem.org", "lpc.events", "kubecon.io", "infoq.com",
}

// scheduleHosts are the hosts of conference schedules: a link there names
// a talk even without a time.
var scheduleHosts = []string{"sched.com", "sched.co", "sessionize.com", "pretalx.com", "pretalx.org"}

// scheduleURL reports whether u points at a conference schedule.
func scheduleURL(u string) bool {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" {
		return false
	}
	return hostIn(p.Hostname(), scheduleHosts) || strings.Contains(p.Path, "/event/")
}

// hostIn reports whether host is one of hosts or a subdomain of one.
func hostIn(host string, hosts []string) bool {
	host = strings.ToLower(strings.TrimPrefix(host, "www."))
	for _, h := range hosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return false
}

// eventURL reports whether u points at a schedule, a video or an event site.
func eventURL(u string) bool {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" {
		return false
	}
	if hostIn(p.Hostname(), eventHosts) {
		return true
	}
	host := strings.ToLower(p.Hostname())
	for _, w := range []string{"/event/", "/events/", "/session/", "/sessions/", "/talk/", "/talks/"} {
		if strings.Contains(p.Path, w) {
			return true
		}
	}
	return strings.Contains(host, "summit") || strings.Contains(host, "conf") || strings.HasPrefix(host, "events.")
}
