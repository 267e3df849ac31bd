package card

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// dayPattern finds a calendar day in running text: "Monday, 23 March",
// "Tue 24 Mar 2026", "Wednesday, November 6, 2023", "March 23rd". The
// groups are: weekday, day, month, year (day-first), or weekday, month,
// day, year (month-first).
var dayPattern = regexp.MustCompile(`(?i)(?:\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?,?\s+)?` +
	`(?:\b(\d{1,2})(?:st|nd|rd|th)?\.?\s+(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?(?:,?\s+(\d{4})\b)?` +
	`|\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?)`)

// mayNameDay is a necessary condition for dayPattern to match in s: an
// ASCII digit (\d) and the first three letters of a month in any case,
// where (?i) also folds "ſ" (U+017F) to "s". Most of the paragraphs
// ParseSessions looks at name no month, and running the pattern over them
// was a third of its time on the corpus.
func mayNameDay(s string) bool {
	if !strings.ContainsAny(s, "0123456789") {
		return false
	}
	if strings.ContainsRune(s, 'ſ') {
		return true
	}
	for i := 0; i+3 <= len(s); i++ {
		// b|0x20 is a lower-case letter only when b is an ASCII letter.
		switch uint32(s[i]|0x20)<<16 | uint32(s[i+1]|0x20)<<8 | uint32(s[i+2]|0x20) {
		case 'j'<<16 | 'a'<<8 | 'n', 'f'<<16 | 'e'<<8 | 'b', 'm'<<16 | 'a'<<8 | 'r', 'a'<<16 | 'p'<<8 | 'r',
			'm'<<16 | 'a'<<8 | 'y', 'j'<<16 | 'u'<<8 | 'n', 'j'<<16 | 'u'<<8 | 'l', 'a'<<16 | 'u'<<8 | 'g',
			's'<<16 | 'e'<<8 | 'p', 'o'<<16 | 'c'<<8 | 't', 'n'<<16 | 'o'<<8 | 'v', 'd'<<16 | 'e'<<8 | 'c':
			return true
		}
	}
	return false
}

// calDay is a day as a text names it: Weekday is -1 and Year 0 when the
// text does not say.
type calDay struct {
	Weekday time.Weekday
	Day     int
	Month   time.Month
	Year    int
}

// parseCalDay reads the first day in s, as dayPattern finds it.
func parseCalDay(s string) (calDay, bool) {
	m := dayPattern.FindStringSubmatch(s)
	if m == nil {
		return calDay{}, false
	}
	return calDayFrom(m)
}

func calDayFrom(m []string) (calDay, bool) {
	d := calDay{Weekday: -1}
	day, mon, year := m[2], m[3], m[4]
	if day == "" {
		day, mon, year = m[6], m[5], m[7]
	}
	d.Day, _ = strconv.Atoi(day)
	d.Year, _ = strconv.Atoi(year)
	d.Month = monthOf(mon)
	if d.Month == 0 || d.Day < 1 || d.Day > 31 {
		return calDay{}, false
	}
	if m[1] != "" {
		d.Weekday = weekdayOf(m[1])
	}
	return d, true
}

func monthOf(s string) time.Month {
	s = strings.ToLower(s)
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(strings.ToLower(m.String()), s[:min(3, len(s))]) {
			return m
		}
	}
	return 0
}

func weekdayOf(s string) time.Weekday {
	s = strings.ToLower(s)
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.HasPrefix(strings.ToLower(d.String()), s[:min(3, len(s))]) {
			return d
		}
	}
	return -1
}

// oneDayIn returns the day a section's lead sentence names, as written
// ("Monday, 23 March"), when it names exactly one and no range of days:
// "from 23 to 26 March" says nothing about which day a talk is on.
func oneDayIn(s string) (string, bool) {
	if !mayNameDay(s) {
		return "", false
	}
	if utf8.RuneCountInString(s) > 2000 {
		s = string([]rune(s)[:2000])
	}
	locs := dayPattern.FindAllStringIndex(s, 3)
	if len(locs) != 1 {
		return "", false
	}
	before := strings.ToLower(strings.TrimRight(s[:locs[0][0]], " "))
	for _, sep := range []string{"-", "–", "—", " to", " until", " and", "&", "through"} {
		if strings.HasSuffix(before, sep) {
			return "", false // "23–26 March": the match is a range's end
		}
	}
	day := strings.TrimRight(s[locs[0][0]:locs[0][1]], " ,.")
	return day, true
}

// capQuote shortens a heading quoted in a note.
func capQuote(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}

// resolve gives d a year: its own, else the first of base, base+1 and
// base-1 whose calendar has d's weekday on d's date (events are announced
// in the year before), else base.
func (d calDay) resolve(base int) (time.Time, bool) {
	if d.Year != 0 {
		t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
		return t, t.Day() == d.Day
	}
	if base == 0 {
		return time.Time{}, false
	}
	for _, y := range []int{base, base + 1, base - 1} {
		t := time.Date(y, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
		if t.Day() != d.Day {
			continue // 29 February
		}
		if d.Weekday < 0 || t.Weekday() == d.Weekday {
			return t, true
		}
	}
	return time.Time{}, false
}

// yearIn finds a plausible event year ("Europe 2026") in s, or 0.
var yearWord = regexp.MustCompile(`\b(19[9]\d|2[01]\d\d)\b`)

func yearIn(s string) int {
	if m := yearWord.FindString(s); m != "" {
		y, _ := strconv.Atoi(m)
		return y
	}
	return 0
}

// eventDay reads a front matter event.start or event.end.
func (c *converter) eventDay(key string, v any) (time.Time, error) {
	t, _, err := c.dateValue(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", key, err)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
}

// schedule gives every session a zone, a calendar date and the line a card
// prints, and the event its dates when front matter does not give them.
//
// The zone is stated once per post (front matter event.timezone, else the
// first zone any talk line gives) and shown on every card. A talk's day is
// its own line's, else its section's (heading or lead sentence), else the
// event's when the event is one day long.
func (c *converter) schedule(start, end time.Time) {
	ev := &c.card.Event
	ss := c.card.Sessions
	if ev.Zone == "" {
		for _, s := range ss {
			if s.Zone != "" {
				ev.Zone = s.Zone
				break
			}
		}
		if ev.Zone != "" {
			for i := range ss {
				if ss[i].Zone == "" && ss[i].Start != "" {
					ss[i].Zone, ss[i].ZoneFrom = ev.Zone, "first zone in the post"
				}
			}
		}
	} else {
		for i := range ss {
			if ss[i].Zone == "" && ss[i].Start != "" {
				ss[i].Zone, ss[i].ZoneFrom = ev.Zone, "front matter event.timezone"
			}
		}
	}
	base := 0
	switch {
	case !start.IsZero():
		base = start.Year()
	case yearIn(ev.Name) != 0:
		base = yearIn(ev.Name)
	case yearIn(c.card.Title) != 0:
		base = yearIn(c.card.Title)
	case !c.card.Date.IsZero():
		base = c.card.Date.Year()
	}
	oneDay := !start.IsZero() && (end.IsZero() || end.Equal(start))
	var first, last time.Time
	var sources []string
	for i := range ss {
		s := &ss[i]
		if s.Day == "" && oneDay {
			s.Day, s.DayFrom = start.Format("Monday, 2 January"), "event dates"
		}
		if d, ok := parseCalDay(s.Day); ok {
			if t, ok := d.resolve(base); ok {
				s.Date = t.Format(time.DateOnly)
				if first.IsZero() || t.Before(first) {
					first = t
				}
				if t.After(last) {
					last = t
				}
				from := "talk lines"
				if s.DayFrom != "" {
					from = s.DayFrom
				}
				note := t.Format("2 January") + " (" + from + ")"
				if !containsString(sources, note) {
					sources = append(sources, note)
				}
			} else if d.Weekday >= 0 {
				c.warnf("session %q: %q names a weekday that is not on that date in %d, %d or %d; check the day", s.Title, s.Day, base-1, base, base+1)
			}
		}
	}
	// A talk the post gives no day for, between two talks of its section
	// on the same day, is on that day: a schedule lists talks in order.
	for i := range ss {
		s := &ss[i]
		if s.Date == "" && s.Day == "" && i > 0 && i+1 < len(ss) {
			prev, next := ss[i-1], ss[i+1]
			if prev.Date != "" && prev.Date == next.Date && prev.Section == s.Section && next.Section == s.Section {
				s.Date, s.Day, s.DayFrom = prev.Date, prev.Day, "the talks before and after it"
			}
		}
		s.When = when(*s)
	}
	switch {
	case !start.IsZero():
		if end.IsZero() {
			end = start
		}
		ev.Start, ev.End = start.Format(time.DateOnly), end.Format(time.DateOnly)
		if ev.Dates == "" {
			ev.Dates = spanText(start, end)
		}
		ev.DatesFrom = "front matter event.start, event.end"
	case ev.Dates != "":
		ev.DatesFrom = "front matter"
	case !first.IsZero():
		ev.Start, ev.End = first.Format(time.DateOnly), last.Format(time.DateOnly)
		ev.Dates = spanText(first, last)
		ev.DatesFrom = "the talks' days: " + strings.Join(sources, ", ")
	default:
		if ev.Dates = dayRange(ss); ev.Dates != "" {
			ev.DatesFrom = "the talks' days as written"
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// spanText writes "23 March", "23–26 March" or "31 March – 2 April".
func spanText(a, b time.Time) string {
	switch {
	case a.Equal(b):
		return a.Format("2 January")
	case a.Month() == b.Month() && a.Year() == b.Year():
		return fmt.Sprintf("%d–%s", a.Day(), b.Format("2 January"))
	default:
		return a.Format("2 January") + " – " + b.Format("2 January")
	}
}

// when writes the line a session card prints: "Mon 23 March · 14:10–14:35
// CET"; parts the post does not give are left out.
func when(s Session) string {
	var parts []string
	if t, err := time.Parse(time.DateOnly, s.Date); err == nil {
		parts = append(parts, t.Format("Mon 2 January"))
	} else if s.Day != "" {
		parts = append(parts, s.Day)
	}
	tm := s.Start
	if s.Start != "" && s.End != "" {
		tm = s.Start + "–" + s.End
	}
	if tm != "" && s.Zone != "" {
		tm += " " + s.Zone
	}
	if tm != "" {
		parts = append(parts, tm)
	}
	return strings.Join(parts, " · ")
}
