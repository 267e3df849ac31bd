package card

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"

	"github.com/ogcard/ogcard/internal/permalink"
	"github.com/ogcard/ogcard/internal/post"
)

const (
	defaultMaxTitleRunes = 300
	defaultMaxTextRunes  = 1000
)

// nestedTables are the front matter tables whose keys are tried when no
// top-level key matched: Hugo's params, Zola's extra and taxonomies.
var nestedTables = []string{"params", "extra", "taxonomies"}

// FromPost turns p into a Card: it maps front matter keys onto Card fields
// through opts.Fields, types and normalises the values, and fills gaps from
// the body (title, byline, sessions) and the file path (URL path, date).
//
// It returns a *SkipError for files that are no post or have no title, and a
// *FieldError for a front matter value it cannot use. Drafts are not
// skipped: the Card comes back with Draft set. FromPost does not modify p or
// opts and is safe for concurrent use.
func FromPost(p *post.Post, opts *Options) (*Card, error) {
	if p == nil {
		return nil, errors.New("card: nil post")
	}
	c := newConverter(p, opts)
	if reason := notPostReason(p, c); reason != "" {
		return nil, &SkipError{Reason: NotPost, Detail: reason}
	}
	steps := []func() error{
		c.title, c.summary, c.date, c.authors, c.taxonomies, c.image, c.cover,
		c.urlPath, c.draft, c.lang, c.speakers, c.event,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	if c.card.Title == "" {
		return nil, &SkipError{Reason: NoTitle, Detail: "no title in front matter and no level-1 heading in the body"}
	}
	return c.card, nil
}

// converter holds the state of one FromPost call.
type converter struct {
	p          *post.Post
	fields     FieldMap
	authorMap  map[string]Person
	maxTitle   int
	maxText    int
	loc        *time.Location
	root       string
	urls       permalink.Style
	card       *Card
	sortedKeys []string // p.Front's keys, sorted, for case-insensitive matches
}

func newConverter(p *post.Post, opts *Options) *converter {
	if opts == nil {
		opts = &Options{}
	}
	c := &converter{
		p:         p,
		fields:    DefaultFields(),
		authorMap: opts.Authors,
		maxTitle:  opts.MaxTitleRunes,
		maxText:   opts.MaxTextRunes,
		loc:       opts.Location,
		root:      opts.Root,
		urls:      opts.URLs,
		card:      &Card{Source: p.Path, Warnings: slices.Clone(p.Warnings)}, // the file's: encoding, repeated keys
	}
	for field, keys := range opts.Fields {
		c.fields[field] = keys
	}
	if c.maxTitle <= 0 {
		c.maxTitle = defaultMaxTitleRunes
	}
	if c.maxText <= 0 {
		c.maxText = defaultMaxTextRunes
	}
	if c.loc == nil {
		c.loc = time.UTC
	}
	c.sortedKeys = sortedKeys(p.Front)
	return c
}

// found is one front matter value that matched a field.
type found struct {
	key  string // as written; "extra.author" when nested
	line int    // line of the key (of its table when nested); 0 if unknown
	val  any
}

// lookup returns the first non-empty value of field's keys: exact top-level
// matches first, then case-insensitive ones, then the same in the nested
// tables. skip, when not nil, passes over values that are not meant for the
// field (Jekyll's boolean "published").
func (c *converter) lookup(field string, skip func(key string, v any) bool) (found, bool) {
	keys := c.fields[field]
	front := c.p.Front
	if f, ok := lookupIn(front, c.sortedKeys, keys, skip); ok {
		f.line = c.p.KeyLines[f.key]
		return f, true
	}
	for _, table := range nestedTables {
		tkey, tv, ok := matchKey(front, c.sortedKeys, table)
		if !ok {
			continue
		}
		m, ok := tv.(map[string]any)
		if !ok {
			continue
		}
		if f, ok := lookupIn(m, sortedKeys(m), keys, skip); ok {
			f.key = tkey + "." + f.key
			f.line = c.p.KeyLines[tkey]
			return f, true
		}
	}
	return found{}, false
}

func lookupIn(m map[string]any, sorted []string, keys []string, skip func(string, any) bool) (found, bool) {
	usable := func(k string, v any) bool {
		return !isEmpty(v) && (skip == nil || !skip(k, v))
	}
	for _, k := range keys {
		if v, ok := m[k]; ok && usable(k, v) {
			return found{key: k, val: v}, true
		}
	}
	for _, k := range keys {
		for _, mk := range sorted {
			if mk != k && strings.EqualFold(mk, k) && usable(mk, m[mk]) {
				return found{key: mk, val: m[mk]}, true
			}
		}
	}
	return found{}, false
}

// matchKey finds key in m, exactly or else case-insensitively.
func matchKey(m map[string]any, sorted []string, key string) (string, any, bool) {
	if v, ok := m[key]; ok {
		return key, v, true
	}
	for _, mk := range sorted {
		if strings.EqualFold(mk, key) {
			return mk, m[mk], true
		}
	}
	return "", nil, false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(v) == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

// typeName names a front matter value's type for errors: "a list".
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int, int64, float64:
		return "a number"
	case time.Time:
		return "a date"
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	}
	return fmt.Sprintf("a %T", v)
}

func (c *converter) fieldErr(f found, err error) error {
	return &FieldError{Path: c.p.Path, Line: f.line, Key: f.key, Err: err}
}

func (c *converter) wantErr(f found, want string) error {
	return c.fieldErr(f, fmt.Errorf("want %s, got %s", want, typeName(f.val)))
}

func (c *converter) warnf(format string, args ...any) {
	c.card.Warnings = append(c.card.Warnings, fmt.Sprintf(format, args...))
}

// scalarText returns a string or number value as text.
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case int64:
		return strconv.FormatInt(v, 10), true
	case int:
		return strconv.Itoa(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}

// textField returns the cleaned text of field, capped at max runes.
func (c *converter) textField(field, name string, max int) (string, error) {
	f, ok := c.lookup(field, nil)
	if !ok {
		return "", nil
	}
	s, ok := scalarText(f.val)
	if !ok {
		return "", c.wantErr(f, "a string")
	}
	return c.capText(name, c.cleanField(name, s), max), nil
}

// cleanField is cleanText that warns, naming field, about the control
// characters it removes (an ANSI colour code pasted into a title), and
// returns "" for text with nothing visible in it: a title of zero-width
// spaces is no title.
func (c *converter) cleanField(field, s string) string {
	if ctl := controlRunes(s); len(ctl) > 0 {
		c.warnf("%s: removed %s; they cannot be drawn", field, describeControls(ctl))
	}
	s = cleanText(s)
	if !hasVisible(s) {
		return ""
	}
	return s
}

// isControl reports C0 and C1 control characters other than white space
// (tab, newline, NEL), which cleanText collapses into spaces instead.
func isControl(r rune) bool {
	return unicode.Is(unicode.Cc, r) && !unicode.IsSpace(r)
}

// controlRunes returns the distinct control characters in s, in order.
func controlRunes(s string) []rune {
	var out []rune
	for _, r := range s {
		if isControl(r) && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func describeControls(rs []rune) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = fmt.Sprintf("%U", r)
	}
	noun := "control character"
	if len(rs) > 1 {
		noun += "s"
	}
	return noun + " " + strings.Join(names, ", ")
}

// hasVisible reports whether s has a character that draws something: not
// white space, a format character (ZWJ, ZWNJ, bidi marks, soft hyphen), a
// variation selector or another default-ignorable code point.
func hasVisible(s string) bool {
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.In(r, unicode.Cc, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point) {
			continue
		}
		return true
	}
	return false
}

func (c *converter) capText(name, s string, max int) string {
	out, cut := capRunes(s, max)
	if cut {
		c.warnf("%s cut to %d characters (was %d)", name, max, utf8.RuneCountInString(s))
	}
	return out
}

// capRunes cuts s to at most max runes, ending it with "…" when cut.
func capRunes(s string, max int) (string, bool) {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s, false
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return strings.TrimRightFunc(s[:i], unicode.IsSpace) + "…", true
		}
		n++
	}
	return s, false
}

func (c *converter) title() error {
	t, err := c.textField("title", "title", c.maxTitle)
	if err != nil {
		return err
	}
	if t == "" {
		bt, ctl := bodyTitle(c.p.Body)
		if len(ctl) > 0 {
			c.warnf("title (the level-1 heading): removed %s; they cannot be drawn", describeControls(ctl))
		}
		t = c.capText("title", bt, c.maxTitle)
	}
	c.card.Title = t
	return nil
}

func (c *converter) summary() error {
	s, err := c.textField("summary", "summary", c.maxText)
	c.card.Summary = s
	return err
}

func (c *converter) lang() error {
	s, err := c.textField("lang", "lang", 64)
	c.card.Lang = s
	return err
}

func (c *converter) taxonomies() error {
	var err error
	if c.card.Tags, err = c.listField("tags"); err != nil {
		return err
	}
	c.card.Categories, err = c.listField("categories")
	return err
}

// listField reads a string ("a, b" or "a") or a list of strings and numbers,
// cleaned and deduplicated case-insensitively, in order.
func (c *converter) listField(field string) ([]string, error) {
	f, ok := c.lookup(field, nil)
	if !ok {
		return nil, nil
	}
	return c.stringList(f)
}

// stringList reads f as listField does.
func (c *converter) stringList(f found) ([]string, error) {
	field := f.key
	var raw []string
	switch v := f.val.(type) {
	case []any:
		for _, e := range v {
			s, ok := scalarText(e)
			if !ok {
				if e == nil {
					continue
				}
				return nil, c.fieldErr(f, fmt.Errorf("want a string or a list of strings, got a list with %s", typeName(e)))
			}
			raw = append(raw, s)
		}
	default:
		s, ok := scalarText(v)
		if !ok {
			return nil, c.wantErr(f, "a string or a list of strings")
		}
		raw = strings.Split(s, ",")
	}
	var out []string
	for _, s := range raw {
		s = c.capText(field, c.cleanField(field, s), 200)
		if s == "" || slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, s) }) {
			continue
		}
		out = append(out, s)
	}
	return out, nil
}

func (c *converter) image() error { return c.picture("image", &c.card.Image) }

func (c *converter) cover() error { return c.picture("cover", &c.card.Cover) }

// picture reads an image field: a string, or a map with src (Astro and some
// Hugo themes write image: {src: ..., alt: ...}).
func (c *converter) picture(field string, dst *string) error {
	f, ok := c.lookup(field, nil)
	if !ok {
		return nil
	}
	switch v := f.val.(type) {
	case string:
		*dst = strings.TrimSpace(v)
		return nil
	case map[string]any:
		for _, k := range []string{"src", "url", "path", "image"} {
			if _, iv, ok := matchKey(v, sortedKeys(v), k); ok {
				if s, ok := iv.(string); ok && strings.TrimSpace(s) != "" {
					*dst = strings.TrimSpace(s)
					return nil
				}
			}
		}
		return c.fieldErr(f, errors.New("want a string or a map with src, got a map without it"))
	}
	return c.wantErr(f, "a string")
}

func (c *converter) draft() error {
	if f, ok := c.lookup("draft", nil); ok {
		switch v := f.val.(type) {
		case bool:
			c.card.Draft = v
		case string:
			b, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return c.fieldErr(f, fmt.Errorf("want a boolean, got %q", v))
			}
			c.card.Draft = b
		default:
			return c.wantErr(f, "a boolean")
		}
	}
	// Jekyll marks drafts with published: false.
	if _, v, ok := matchKey(c.p.Front, c.sortedKeys, "published"); ok {
		if b, ok := v.(bool); ok && !b {
			c.card.Draft = true
		}
	}
	return nil
}

// cleanText makes s fit for a card: inline Markdown (emphasis, code, links,
// images) and HTML tags are reduced to their text, entities are decoded,
// control characters are removed, whitespace is collapsed and the result is
// NFC-normalised. Joiners (ZWJ, ZWNJ) and variation selectors stay: they
// change how the text is shaped.
func cleanText(s string) string {
	s = collapseSpace(s)
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, "*_`[]<>&\\!~") {
		s = inlineText([]byte(s))
	}
	return collapseSpace(norm.NFC.String(s))
}

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if isControl(r) {
			// "\x1b[31mred" keeps "[31mred": the code's text is the
			// writer's to fix (warned about), the escape cannot be drawn.
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// inlineParser parses a single paragraph's inline Markdown: it has no block
// parsers other than the paragraph, so "# x" or "1. x" stay text, and no
// paragraph transformers, so "[x]: y" is no link definition.
var inlineParser = sync.OnceValue(func() parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(util.Prioritized(parser.NewParagraphParser(), 1000)),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
	)
})

// inlineText returns the text of src read as one paragraph of inline
// Markdown.
func inlineText(src []byte) string {
	doc := inlineParser().Parse(text.NewReader(src))
	var b strings.Builder
	writeText(&b, doc, src)
	return b.String()
}

// writeText appends the plain text of n's descendants: emphasis and links
// give their text, images their alt text, code spans their code; raw HTML
// is dropped.
func writeText(b *strings.Builder, n ast.Node, src []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(src)
			b.WriteString(html.UnescapeString(string(util.UnescapePunctuations(v))))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.WriteString(html.UnescapeString(string(c.Value)))
		case *ast.CodeSpan:
			for g := c.FirstChild(); g != nil; g = g.NextSibling() {
				if t, ok := g.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				} else if s, ok := g.(*ast.String); ok {
					b.Write(s.Value)
				}
			}
		case *ast.RawHTML, *ast.HTMLBlock:
			// Tags are dropped; the text between them is kept.
		case *ast.AutoLink:
			b.Write(c.Label(src))
		default:
			writeText(b, c, src)
		}
	}
}

// markdownParser parses whole bodies, for their first level-1 heading.
var markdownParser = sync.OnceValue(func() parser.Parser {
	return goldmark.DefaultParser()
})

// bodyTitle returns the cleaned text of the body's first level-1 heading
// (ATX "# X" or setext "X\n==="), or "", and the control characters it
// removed from it.
func bodyTitle(body []byte) (string, []rune) {
	if len(bytes.TrimSpace(body)) == 0 {
		return "", nil
	}
	doc := markdownParser().Parse(text.NewReader(body))
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Level != 1 {
			continue
		}
		var b strings.Builder
		writeText(&b, h, body)
		if t := collapseSpace(norm.NFC.String(b.String())); hasVisible(t) {
			return t, controlRunes(b.String())
		}
	}
	return "", nil
}

// notPostReason says why p is no post, or "" when it is one.
func notPostReason(p *post.Post, c *converter) string {
	rel := strings.ReplaceAll(p.Path, "\\", "/")
	base := path.Base(rel)
	stem := strings.ToLower(strings.TrimSuffix(base, path.Ext(base)))
	if strings.HasPrefix(stem, "_index") {
		return "section index page " + base
	}
	switch stem {
	case "readme", "license", "licence", "copying", "changelog", "contributing", "code_of_conduct", "security", "notice", "authors":
		return "file name " + base
	}
	// LICENSE-DOCS.md, LICENSE-MIT; but not security-advisory.md, a post.
	for _, name := range []string{"license", "licence", "copying"} {
		if strings.HasPrefix(stem, name+"-") || strings.HasPrefix(stem, name+"_") || strings.HasPrefix(stem, name+".") {
			return "file name " + base
		}
	}
	for _, dir := range strings.Split(path.Dir(rel), "/") {
		switch strings.ToLower(dir) {
		case "_templates", "templates", "archetypes", "_layouts", "layouts", "_includes", "partials":
			return "file under " + dir + "/"
		}
	}
	for _, key := range []string{"layout", "template", "type"} {
		_, v, ok := matchKey(p.Front, c.sortedKeys, key)
		if !ok {
			continue
		}
		s, ok := v.(string)
		if !ok {
			continue
		}
		name := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), ".html"))
		switch name {
		case "list", "section", "index", "home", "taxonomy", "term", "terms":
			return fmt.Sprintf("%s %q", key, s)
		}
	}
	return ""
}
