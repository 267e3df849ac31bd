// Package card turns a post.Post into a Card: the typed, normalised fields a
// template draws. Field aliases of the common site generators map onto it.
package card

import (
	"fmt"
	"time"

	"github.com/ogcard/ogcard/internal/permalink"
)

// Card is what a card shows. The zero value of a field means "absent".
// JSON names are the ones templates and `ogcard inspect` use.
type Card struct {
	Source     string    `json:"source"`               // the post file's path
	Title      string    `json:"title"`                // NFC, whitespace collapsed, rune-capped
	Summary    string    `json:"summary,omitempty"`    // ogSummary, description, summary, excerpt, subtitle
	Date       time.Time `json:"date,omitzero"`        // publication date, in the zone the post gave (UTC if none)
	HasTime    bool      `json:"hasTime,omitempty"`    // Date carries a time of day, not only a day
	Authors    []Person  `json:"authors,omitempty"`    // front matter, else the body's byline
	Tags       []string  `json:"tags,omitempty"`       // deduplicated, in order
	Categories []string  `json:"categories,omitempty"` // deduplicated, in order
	URLPath    string    `json:"urlPath"`              // "/blog/2026/01/23/slug": from path, slug, url or the file path
	Slug       string    `json:"slug"`                 // last segment of URLPath
	PageURL    string    `json:"pageURL,omitempty"`    // the page's URL as the site generator makes it ("/posts/x/"), when Options.URLs names one
	Image      string    `json:"image,omitempty"`      // the post's own social image (ogImage, image, ...), as written
	Cover      string    `json:"cover,omitempty"`      // the post's cover or hero picture (cover, image, heroImage, ...), as written; never ogImage
	Lang       string    `json:"lang,omitempty"`       // BCP 47 tag when the post says
	Draft      bool      `json:"draft,omitempty"`
	Speakers   []Person  `json:"speakers,omitempty"` // front matter speakers, else the union of the sessions'
	Event      Event     `json:"event,omitzero"`     // what an event card announces
	Sessions   []Session `json:"sessions,omitempty"` // talks of an event post
	Site       string    `json:"site,omitempty"`     // site or brand name, filled by the brand config
	Warnings   []string  `json:"warnings,omitempty"` // things a writer may want to fix (not errors)
}

// Event is what an event card announces: from front matter (event:,
// location:, dates:, hashtags:), else derived from the sessions' days and
// the tags.
type Event struct {
	Name     string   `json:"name,omitempty"`     // "KubeCon + CloudNativeCon Europe 2026"
	Dates    string   `json:"dates,omitempty"`    // as written, or "23 March", "23–26 March"
	Place    string   `json:"place,omitempty"`    // "Amsterdam"
	Hashtags []string `json:"hashtags,omitempty"` // with their "#"
	Start    string   `json:"start,omitempty"`    // first day, "2026-03-23"
	End      string   `json:"end,omitempty"`      // last day, "2026-03-26"
	Zone     string   `json:"zone,omitempty"`     // the zone the post's times are in, "CET"
	// DatesFrom says where Dates, Start and End came from: "front matter
	// event.start, event.end", or the talks' days and where each was read.
	DatesFrom string `json:"datesFrom,omitempty"`
}

// People returns everyone the card names: authors, speakers and the
// sessions' speakers, in that order, repeats included.
func (c *Card) People() []Person {
	out := append(append([]Person(nil), c.Authors...), c.Speakers...)
	for _, s := range c.Sessions {
		out = append(out, s.Speakers...)
	}
	return out
}

// Person is an author or speaker.
type Person struct {
	Name    string `json:"name"`
	Role    string `json:"role,omitempty"`    // "Program Committee Co-Chairs", "Maintainer"
	Company string `json:"company,omitempty"` // "Isovalent at Cisco"
	Avatar  string `json:"avatar,omitempty"`  // path or URL as written
}

// Session is one talk of an event post.
type Session struct {
	Title   string `json:"title"`
	URL     string `json:"url,omitempty"`
	Day     string `json:"day,omitempty"`     // as written: "Monday, 23 March"
	Start   string `json:"start,omitempty"`   // "13:35" (24-hour, normalised)
	End     string `json:"end,omitempty"`     // "14:00"
	Zone    string `json:"zone,omitempty"`    // "CET" when given
	Section string `json:"section,omitempty"` // the heading the talk is listed under ("CiliumCon")
	// DayFrom says where Day came from when the talk's own lines do not
	// give it: `lead of section "CiliumCon"`, "event dates".
	DayFrom string `json:"dayFrom,omitempty"`
	// Date is Day as a calendar date ("2026-03-23"), its year taken from
	// the day itself, the event, the title or the post's date, and checked
	// against the weekday when Day names one.
	Date string `json:"date,omitempty"`
	// ZoneFrom says where Zone came from when the talk's own line does not
	// give it: "front matter event.timezone", "first zone in the post".
	ZoneFrom string `json:"zoneFrom,omitempty"`
	// When is what a card prints: "Mon 23 March · 14:10–14:35 CET".
	When     string   `json:"when,omitempty"`
	Speakers []Person `json:"speakers,omitempty"`
}

// Options says how FromPost maps front matter onto a Card. The zero value,
// and a nil *Options, use the defaults. Options are read, never modified, so
// one value may be shared by concurrent calls.
type Options struct {
	// Fields lists, per Card field, the front matter keys to try in order.
	// An entry replaces the default list of that field; fields it does not
	// name keep DefaultFields.
	Fields FieldMap
	// Authors maps author ids (front matter strings such as "lucasfernog",
	// or the X of a body's <BlogAuthor {...authors.X} />) to people.
	Authors map[string]Person
	// MaxTitleRunes caps the title; 0 means 300.
	MaxTitleRunes int
	// MaxTextRunes caps the summary and other text; 0 means 1000.
	MaxTextRunes int
	// Location is the zone of dates written without one; nil means UTC.
	Location *time.Location
	// Root is the content root the post's path is relative to (it is
	// stripped before the URL path is derived); "" means the path is used as
	// given, after its last "content" folder.
	Root string
	// URLs names the site generator whose permalink rules give URLPath and
	// PageURL ("hugo", "jekyll", "zola"); "" or "path" is ogcard's own
	// rule (SlugFromPath and the path, url, permalink and slug fields).
	URLs permalink.Style
}

// FieldMap maps a Card field name ("title", "summary", "date", "authors",
// "tags", "categories", "image", "cover", "path", "slug", "draft", "lang",
// "speakers", "sessions") to the front matter keys to try, in order. A key
// matches case-sensitively first, then case-insensitively; when no
// top-level key matches, the same keys are looked up in the tables "params"
// (Hugo), "extra" and "taxonomies" (Zola).
type FieldMap map[string][]string

// DefaultFields returns the built-in field table, covering Hugo, Jekyll,
// Gatsby, Astro, Zola and Next.js. The caller owns the returned map.
func DefaultFields() FieldMap {
	return FieldMap{
		"title":      {"title", "ogTitle", "og_title"},
		"summary":    {"ogSummary", "description", "summary", "excerpt", "subtitle", "og_description", "ogDescription", "lead"},
		"date":       {"date", "pubDate", "publishDate", "published", "created", "pubdate", "publish_date", "created_at"},
		"authors":    {"authors", "author", "byline"},
		"tags":       {"tags", "keywords"},
		"categories": {"categories", "category"},
		"image":      {"ogImage", "image", "cover", "og_image", "thumbnail", "ogImageUrl", "featured_image", "featuredImage", "heroImage", "banner_image"},
		// A picture drawn on the card (src: cover). Not ogImage and its
		// spellings: that is the card itself, and drawing it would feed a
		// card into the next build of itself.
		"cover":      {"cover", "heroImage", "hero", "featured_image", "featuredImage", "feature_image", "banner_image", "image", "thumbnail"},
		"path":       {"path", "url", "permalink"},
		"slug":       {"slug"},
		"draft":      {"draft"},
		"lang":       {"lang", "language", "locale", "languageCode"},
		"speakers":   {"speakers", "speaker"},
		"sessions":   {"sessions", "talks", "schedule"},
		"event":      {"event", "conference"},
		"place":      {"location", "place", "venue", "city"},
		"eventDates": {"eventDates", "event_dates", "dates"},
		"hashtags":   {"hashtags"},
	}
}

// FieldError is a front matter value FromPost cannot use: the wrong type, or
// a date it cannot read. Err is the cause.
type FieldError struct {
	Path string // the post file's path
	Line int    // 1-based line of the key in the file; 0 when unknown
	Key  string // front matter key as written, "extra.author" when nested
	Err  error
}

// Error reads `post PATH: line N: key "title": want a string, got a list`.
func (e *FieldError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("post %s: line %d: key %q: %v", e.Path, e.Line, e.Key, e.Err)
	}
	return fmt.Sprintf("post %s: key %q: %v", e.Path, e.Key, e.Err)
}

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }

// SkipReason says why a file is not turned into a card.
type SkipReason int

const (
	// NotPost is a file that is no post: a section index (_index.md), a
	// template or archetype, a README or LICENSE, a list layout.
	NotPost SkipReason = iota + 1
	// NoTitle is a post with no title in front matter nor a level-1 heading
	// in its body.
	NoTitle
	// Draft is a draft post. FromPost never returns it (it sets Card.Draft
	// and leaves the choice to the caller); batch callers that skip drafts
	// use it to report why.
	Draft
)

// String returns the reason's name, as used in reports: "not a post",
// "no title", "draft".
func (r SkipReason) String() string {
	switch r {
	case NotPost:
		return "not a post"
	case NoTitle:
		return "no title"
	case Draft:
		return "draft"
	}
	return fmt.Sprintf("skip reason %d", int(r))
}

// SkipError reports a file that is not turned into a card, and why. Callers
// find it with errors.As and count it apart from failures.
type SkipError struct {
	Reason SkipReason
	Detail string // "section index page", "file name README.md", ...
}

// Error reads "skipped: not a post: section index page".
func (e *SkipError) Error() string {
	if e.Detail == "" {
		return "skipped: " + e.Reason.String()
	}
	return "skipped: " + e.Reason.String() + ": " + e.Detail
}
