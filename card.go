package ogcard

import (
	"time"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/fields"
)

// Card is what a card shows: a post's fields, typed and normalised. The
// zero value of a field means "absent". The JSON names are the ones
// templates and `ogcard inspect` use. A Card may be built by hand and
// rendered; Source then decides only where speaker photos are read.
type Card struct {
	Source     string    `json:"source"`               // the post file's path
	Title      string    `json:"title"`                // NFC, whitespace collapsed, at most 300 characters
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
	Cover      string    `json:"cover,omitempty"`      // the post's cover picture (cover, image, heroImage, ...; never ogImage), as written: what templates draw with src: cover
	Lang       string    `json:"lang,omitempty"`       // BCP 47 tag when the post says
	Draft      bool      `json:"draft,omitempty"`      // the post says it is a draft
	Speakers   []Person  `json:"speakers,omitempty"`   // front matter speakers, else the union of the sessions'
	Event      Event     `json:"event,omitzero"`       // what an event card announces
	Sessions   []Session `json:"sessions,omitempty"`   // talks of an event post
	Site       string    `json:"site,omitempty"`       // site or brand name
	Warnings   []string  `json:"warnings,omitempty"`   // things a writer may want to fix (not errors)
}

// Event is what an event card announces: from front matter (event:,
// location:, dates:, hashtags:), else derived from the sessions and tags.
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

// Person is an author or speaker.
type Person struct {
	Name    string `json:"name"`              // "Mahé Tardy"
	Role    string `json:"role,omitempty"`    // "Program Committee Co-Chairs", "Maintainer"
	Company string `json:"company,omitempty"` // "Isovalent at Cisco"
	Avatar  string `json:"avatar,omitempty"`  // photo path (relative to the post) or URL, as written; URLs are not fetched
}

// Session is one talk of an event post.
type Session struct {
	Title   string `json:"title"`             // the talk's title
	URL     string `json:"url,omitempty"`     // the talk's page, as linked
	Day     string `json:"day,omitempty"`     // as written: "Monday, 23 March"
	Start   string `json:"start,omitempty"`   // "13:35" (24-hour)
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
	Speakers []Person `json:"speakers,omitempty"` // in the order given
}

// The conversions below copy field by field: the public types are the
// internal ones' mirror, so the API does not move when the internals do.
// TestCardMirrorsInternal keeps the two field lists equal.

func fromCard(c *card.Card) *Card {
	if c == nil {
		return nil
	}
	return &Card{
		Source: c.Source, Title: c.Title, Summary: c.Summary, Date: c.Date, HasTime: c.HasTime,
		Authors: fromPeople(c.Authors), Tags: c.Tags, Categories: c.Categories,
		URLPath: c.URLPath, PageURL: c.PageURL, Slug: c.Slug, Image: c.Image, Cover: c.Cover, Lang: c.Lang, Draft: c.Draft,
		Speakers: fromPeople(c.Speakers),
		Event:    Event(c.Event),
		Sessions: fromSessions(c.Sessions), Site: c.Site, Warnings: c.Warnings,
	}
}

func toCard(c *Card) *card.Card {
	if c == nil {
		return &card.Card{}
	}
	return &card.Card{
		Source: c.Source, Title: c.Title, Summary: c.Summary, Date: c.Date, HasTime: c.HasTime,
		Authors: toPeople(c.Authors), Tags: c.Tags, Categories: c.Categories,
		URLPath: c.URLPath, PageURL: c.PageURL, Slug: c.Slug, Image: c.Image, Cover: c.Cover, Lang: c.Lang, Draft: c.Draft,
		Speakers: toPeople(c.Speakers),
		Event:    card.Event(c.Event),
		Sessions: toSessions(c.Sessions), Site: c.Site, Warnings: c.Warnings,
	}
}

func fromPeople(ps []card.Person) []Person {
	if ps == nil {
		return nil
	}
	out := make([]Person, len(ps))
	for i, p := range ps {
		out[i] = Person(p)
	}
	return out
}

func toPeople(ps []Person) []card.Person {
	if ps == nil {
		return nil
	}
	out := make([]card.Person, len(ps))
	for i, p := range ps {
		out[i] = card.Person(p)
	}
	return out
}

func fromSessions(ss []card.Session) []Session {
	if ss == nil {
		return nil
	}
	out := make([]Session, len(ss))
	for i, s := range ss {
		out[i] = Session{Title: s.Title, URL: s.URL, Day: s.Day, Start: s.Start, End: s.End, Zone: s.Zone, Section: s.Section,
			DayFrom: s.DayFrom, Date: s.Date, ZoneFrom: s.ZoneFrom, When: s.When, Speakers: fromPeople(s.Speakers)}
	}
	return out
}

func toSessions(ss []Session) []card.Session {
	if ss == nil {
		return nil
	}
	out := make([]card.Session, len(ss))
	for i, s := range ss {
		out[i] = card.Session{Title: s.Title, URL: s.URL, Day: s.Day, Start: s.Start, End: s.End, Zone: s.Zone, Section: s.Section,
			DayFrom: s.DayFrom, Date: s.Date, ZoneFrom: s.ZoneFrom, When: s.When, Speakers: toPeople(s.Speakers)}
	}
	return out
}

// TemplateJSON returns c as indented JSON under the names template texts
// use ({{.Title}}, {{.Event.Name}}): "Title", "Event": {"Name": ...},
// empty fields left out. It is what `ogcard inspect` prints.
func (c *Card) TemplateJSON() ([]byte, error) { return fields.JSON(toCard(c)) }

// TemplateField is one name a template text may use.
type TemplateField struct {
	Name    string // ".Title", ".Event.Name", ".Sessions[].Title"
	Type    string // "text", "list of text", "date", "number", "yes/no", "list of people", ...
	Example string // a value, from a sample card
}

// TemplateFields lists every name template texts may use, with its type
// and an example.
func TemplateFields() []TemplateField {
	var out []TemplateField
	for _, f := range fields.List() {
		out = append(out, TemplateField(f))
	}
	return out
}
