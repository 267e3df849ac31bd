package card

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dateLayout is one accepted way of writing a date.
type dateLayout struct {
	layout  string
	hasTime bool
}

// dateLayouts are tried in order. Numeric months, days and hours take one or
// two digits ("2006-1-2" reads "2024-05-22" and "2024-5-22"); fractional
// seconds are accepted after seconds without being in a layout.
var dateLayouts = []dateLayout{
	{"2006-1-2T15:04:05Z07:00", true},
	{"2006-1-2T15:04:05", true},
	{"2006-1-2T15:04Z07:00", true},
	{"2006-1-2T15:04", true},
	{"2006-1-2 15:04:05Z07:00", true},
	{"2006-1-2 15:04:05 Z07:00", true},
	{"2006-1-2 15:04:05-0700", true},
	{"2006-1-2 15:04:05 -0700", true},
	{"2006-1-2 15:04:05 -0700 MST", true},
	{"2006-1-2 15:04:05 MST", true},
	{"2006-1-2 15:04:05", true},
	{"2006-1-2 15:04Z07:00", true},
	{"2006-1-2 15:04 Z07:00", true},
	{"2006-1-2 15:04 -0700", true},
	{"2006-1-2 15:04", true},
	{"2006/1/2 15:04:05 -0700", true},
	{"2006/1/2 15:04:05", true},
	{"2006/1/2 15:04", true},
	{"2006-1-2", false},
	{"2006/1/2", false},
	{time.RFC1123, true},
	{time.RFC1123Z, true},
	{"Mon, 2 Jan 2006 15:04:05 MST", true},
	{"Mon, 2 Jan 2006 15:04:05 -0700", true},
	{time.RFC850, true},
	{time.RFC822, true},
	{time.RFC822Z, true},
	{time.UnixDate, true},
	{"January 2, 2006 15:04", true},
	{"January 2, 2006", false},
	{"Jan 2, 2006", false},
	{"January 2 2006", false},
	{"Jan 2 2006", false},
	{"2 January 2006", false},
	{"2 Jan 2006", false},
	{"Monday, January 2, 2006", false},
	{"Mon, January 2, 2006", false},
	{"Mon, 2 Jan 2006", false},
	{"Mon, Jan 2, 2006", false},
}

// errNotDate is the cause of a date error when no layout fits at all.
var errNotDate = errors.New("not a date (want a form such as 2006-01-02, 2006-01-02T15:04:05Z or January 2, 2006)")

// rangeError is a date of a known form with a field out of range ("month
// out of range"). It prints only that, as the value is already quoted.
type rangeError struct{ pe *time.ParseError }

func (e *rangeError) Error() string { return strings.TrimPrefix(e.pe.Message, ": ") }
func (e *rangeError) Unwrap() error { return e.pe }

// parseDate reads s in any of dateLayouts; dates without a zone are in loc.
// hasTime reports whether s gave a time of day.
func parseDate(s string, loc *time.Location) (t time.Time, hasTime bool, err error) {
	s = strings.Join(strings.Fields(s), " ")
	var firstRange error
	for _, l := range dateLayouts {
		t, err := time.ParseInLocation(l.layout, s, loc)
		if err == nil {
			return t, l.hasTime, nil
		}
		var pe *time.ParseError
		if firstRange == nil && errors.As(err, &pe) && strings.Contains(pe.Message, "out of range") {
			firstRange = &rangeError{pe}
		}
	}
	if firstRange != nil {
		return time.Time{}, false, firstRange
	}
	return time.Time{}, false, errNotDate
}

// dateValue reads a front matter date: a string or a time.Time.
func (c *converter) dateValue(v any) (time.Time, bool, error) {
	switch v := v.(type) {
	case time.Time:
		if v.Location() == time.Local {
			// A zoneless date-time as decoded by TOML: give it our zone.
			v = time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), c.loc)
		}
		hasTime := v.Hour() != 0 || v.Minute() != 0 || v.Second() != 0 || v.Nanosecond() != 0
		return v, hasTime, nil
	case string:
		t, hasTime, err := parseDate(v, c.loc)
		if err != nil {
			return time.Time{}, false, fmt.Errorf("%q: %w", strings.TrimSpace(v), err)
		}
		return t, hasTime, nil
	}
	return time.Time{}, false, fmt.Errorf("want a date, got %s", typeName(v))
}

// date sets Date and HasTime from front matter, else from a date in the
// front matter path or URL ("/blog/2019/04/29/foo"), else from the file
// path ("2024/05/22/foo.md", "2024-05-22-foo.md").
func (c *converter) date() error {
	// Jekyll's "published: false" is a draft flag, not a date.
	isFlag := func(key string, v any) bool {
		_, ok := v.(bool)
		return ok && strings.EqualFold(key, "published")
	}
	var pathDay time.Time
	var pathSource string
	if f, ok := c.lookup("path", nil); ok {
		if s, ok := f.val.(string); ok {
			if d, ok := dateInPath(s, c.loc); ok {
				pathDay, pathSource = d, fmt.Sprintf("key %q", f.key)
			}
		}
	}
	if pathDay.IsZero() {
		if d, ok := dateInPath(c.relPath(), c.loc); ok {
			pathDay, pathSource = d, "file path"
		}
	}
	f, ok := c.lookup("date", isFlag)
	if !ok {
		if !pathDay.IsZero() {
			c.card.Date = pathDay
		}
		return nil
	}
	t, hasTime, err := c.dateValue(f.val)
	if err != nil {
		return c.fieldErr(f, err)
	}
	c.card.Date, c.card.HasTime = t, hasTime
	if !pathDay.IsZero() {
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.loc)
		// Posts are often dated a few days after their folder or URL was
		// made; a month or more apart is more likely a typo in the year.
		if d := day.Sub(pathDay); d > 31*24*time.Hour || d < -31*24*time.Hour {
			c.warnf("date %s (key %q) differs from the date %s in the %s", t.Format(time.DateOnly), f.key, pathDay.Format(time.DateOnly), pathSource)
		}
	}
	return nil
}

// dateInPath finds a date in a URL or file path: three segments
// "YYYY/M/D" or a segment starting "YYYY-MM-DD". It returns midnight in loc.
func dateInPath(p string, loc *time.Location) (time.Time, bool) {
	segs := strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' })
	for i, s := range segs {
		if i+2 < len(segs) && isDigits(s, 4, 4) && isDigits(segs[i+1], 1, 2) && isDigits(segs[i+2], 1, 2) {
			if t, ok := makeDay(s, segs[i+1], segs[i+2], loc); ok {
				return t, true
			}
		}
		if len(s) >= 10 && s[4] == '-' && s[7] == '-' && (len(s) == 10 || strings.ContainsRune("-_.", rune(s[10]))) &&
			isDigits(s[:4], 4, 4) && isDigits(s[5:7], 2, 2) && isDigits(s[8:10], 2, 2) {
			if t, ok := makeDay(s[:4], s[5:7], s[8:10], loc); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func isDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// makeDay builds a valid day in a plausible year, or reports false.
func makeDay(y, m, d string, loc *time.Location) (time.Time, bool) {
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	if yi < 1990 || yi > 2200 || mi < 1 || mi > 12 || di < 1 || di > 31 {
		return time.Time{}, false
	}
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, loc)
	if t.Day() != di {
		return time.Time{}, false
	}
	return t, true
}
