// Package alt writes the alternative text of a card: what the image says,
// for og:image:alt and twitter:image:alt, so a reader who cannot see the
// card learns what it announces. Text is plain (callers escape it).
package alt

import (
	"strconv"
	"strings"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/template"
)

// maxRunes caps an alt text; screen readers read all of it, and Open Graph
// consumers cut long ones anyway.
const maxRunes = 420

// Text returns the alt text of the card template t makes of c, where
// suffix names which card of a multi-card template ("03": the third
// session, "2of3": the second line-up page; "" for a single card).
func Text(c *card.Card, t *template.Template, suffix string) string {
	var s string
	switch {
	case t == nil || t.Repeat == "" || suffix == "":
		s = plain(c)
	case strings.Contains(suffix, "of"):
		page, _ := strconv.Atoi(suffix[:strings.Index(suffix, "of")])
		s = lineup(c, t, page)
	default:
		n, _ := strconv.Atoi(suffix)
		if n < 1 || n > len(c.Sessions) {
			s = plain(c)
		} else {
			s = session(c, &c.Sessions[n-1])
		}
	}
	if r := []rune(s); len(r) > maxRunes {
		s = string(r[:maxRunes-1]) + "…"
	}
	return s
}

// plain reads "Title, by A and B — Site".
func plain(c *card.Card) string {
	s := c.Title
	if names := names(c.Authors); names != "" {
		s += ", by " + names
	}
	if c.Site != "" && c.Site != c.Title {
		s += " — " + c.Site
	}
	return s
}

// session reads "Talk: Title, by A and B, Monday 13:35–14:00 — Event".
func session(c *card.Card, ss *card.Session) string {
	s := "Talk: " + ss.Title
	if names := names(ss.Speakers); names != "" {
		s += ", by " + names
	}
	when := strings.TrimSpace(ss.Day + " " + ss.Start)
	if ss.End != "" && ss.Start != "" {
		when += "–" + ss.End
	}
	if when != "" {
		s += ", " + when
	}
	return s + " — " + event(c)
}

// lineup reads "Line-up 2 of 3, Event: Talk A; Talk B".
func lineup(c *card.Card, t *template.Template, page int) string {
	views := layout.Views(c, t)
	if page < 1 || page > len(views) {
		return plain(c)
	}
	v := views[page-1]
	titles := make([]string, len(v.Sessions))
	for i, ss := range v.Sessions {
		titles[i] = ss.Title
	}
	s := "Line-up"
	if v.Pages > 1 {
		s += " " + strconv.Itoa(v.Page) + " of " + strconv.Itoa(v.Pages)
	}
	return s + ", " + event(c) + ": " + strings.Join(titles, "; ")
}

func event(c *card.Card) string {
	if c.Event.Name != "" {
		return c.Event.Name
	}
	return c.Title
}

// names joins people's names: "A", "A and B", "A, B and C".
func names(people []card.Person) string {
	var ns []string
	for _, p := range people {
		if p.Name != "" {
			ns = append(ns, p.Name)
		}
	}
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}
