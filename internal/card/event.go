package card

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// event fills Card.Event from front matter, then from what the post
// already says: the days its sessions are on and its tags.
func (c *converter) event() error {
	ev := &c.card.Event
	var start, end time.Time
	var eventTags []string
	if f, ok := c.lookup("event", nil); ok {
		switch v := f.val.(type) {
		case map[string]any:
			for _, k := range sortedKeys(v) {
				val := v[k]
				s, ok := scalarText(val)
				switch strings.ToLower(k) {
				case "start", "end", "from", "to", "start_date", "end_date", "startdate", "enddate":
					t, err := c.eventDay(f.key+"."+k, val)
					if err != nil {
						return c.fieldErr(f, err)
					}
					if strings.HasPrefix(strings.ToLower(k), "start") || strings.ToLower(k) == "from" {
						start = t
					} else {
						end = t
					}
				case "hashtags", "tags":
					sub := found{key: f.key + "." + k, line: f.line, val: val}
					list, err := c.stringList(sub)
					if err != nil {
						return err
					}
					eventTags = list
				case "timezone", "zone", "tz":
					if ok {
						ev.Zone = cleanText(s)
					}
				case "name", "title":
					if ok {
						ev.Name = cleanText(s)
					}
				case "dates", "date":
					if ok {
						ev.Dates = cleanText(s)
					}
				case "location", "place", "venue", "city":
					if ok {
						ev.Place = cleanText(s)
					}
				}
			}
		default:
			s, ok := scalarText(v)
			if !ok {
				return c.wantErr(f, "a string or a mapping (name, dates, location)")
			}
			ev.Name = cleanText(s)
		}
	}
	for _, t := range []struct {
		field string
		dst   *string
	}{{"place", &ev.Place}, {"eventDates", &ev.Dates}} {
		if *t.dst != "" {
			continue
		}
		s, err := c.textField(t.field, t.field, 200)
		if err != nil {
			return err
		}
		*t.dst = s
	}
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		f, _ := c.lookup("event", nil)
		return c.fieldErr(f, fmt.Errorf("end %s is before start %s", end.Format(time.DateOnly), start.Format(time.DateOnly)))
	}
	if start.IsZero() && !end.IsZero() {
		start = end
	}
	tags := eventTags
	if len(tags) == 0 {
		var err error
		if tags, err = c.listField("hashtags"); err != nil {
			return err
		}
	}
	if len(tags) == 0 {
		tags = c.card.Tags
	}
	var words []string
	for _, t := range tags {
		if strings.Count(t, "#") > 1 {
			words = append(words, strings.Fields(t)...) // "#KubeCon #CloudNativeCon"
		} else {
			words = append(words, t)
		}
	}
	for _, t := range words {
		t = strings.Join(strings.Fields(t), "")
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, "#") {
			t = "#" + t
		}
		ev.Hashtags = append(ev.Hashtags, t)
	}
	c.schedule(start, end)
	return nil
}

// dayMonth finds "23 March" or "March 23" in a session's day.
var dayMonth = regexp.MustCompile(`(?i)\b(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|November|December)\b|\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{1,2})\b`)

// dayRange writes the span of the sessions' days: "23 March",
// "23–26 March" or "31 March – 2 April". Days it cannot read are ignored.
func dayRange(ss []Session) string {
	type day struct {
		d int
		m string
	}
	var days []day
	months := "january february march april may june july august september october november december"
	for _, s := range ss {
		m := dayMonth.FindStringSubmatch(s.Day)
		if m == nil {
			continue
		}
		d, mon := m[1], m[2]
		if d == "" {
			d, mon = m[4], m[3]
		}
		var n int
		fmt.Sscan(d, &n)
		days = append(days, day{n, titleCase(mon)})
	}
	if len(days) == 0 {
		return ""
	}
	order := func(x day) int { return strings.Index(months, strings.ToLower(x.m))*100 + x.d }
	first, last := days[0], days[0]
	for _, x := range days {
		if order(x) < order(first) {
			first = x
		}
		if order(x) > order(last) {
			last = x
		}
	}
	switch {
	case first == last:
		return fmt.Sprintf("%d %s", first.d, first.m)
	case first.m == last.m:
		return fmt.Sprintf("%d–%d %s", first.d, last.d, first.m)
	default:
		return fmt.Sprintf("%d %s – %d %s", first.d, first.m, last.d, last.m)
	}
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}
