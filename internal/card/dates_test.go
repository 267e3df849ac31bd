package card

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ogcard/ogcard/internal/post"
)

func TestParseDate(t *testing.T) {
	plus2 := time.FixedZone("", 2*3600)
	tests := []struct {
		in      string
		want    time.Time
		hasTime bool
	}{
		{"2025-01-23T12:00:00.000Z", time.Date(2025, 1, 23, 12, 0, 0, 0, time.UTC), true},
		{"2015-10-14T19:30:51+02:00", time.Date(2015, 10, 14, 19, 30, 51, 0, plus2), true},
		{"2017-07-08 16:52:23-07:00", time.Date(2017, 7, 8, 23, 52, 23, 0, time.UTC), true},
		{"2013-11-22 5:00:00 +0000", time.Date(2013, 11, 22, 5, 0, 0, 0, time.UTC), true},
		{"2017-10-13 11:57:31 +0100", time.Date(2017, 10, 13, 10, 57, 31, 0, time.UTC), true},
		{"2019-04-29 12:00", time.Date(2019, 4, 29, 12, 0, 0, 0, time.UTC), true},
		{"2019-04-29T12:00", time.Date(2019, 4, 29, 12, 0, 0, 0, time.UTC), true},
		{"2024-05-22", time.Date(2024, 5, 22, 0, 0, 0, 0, time.UTC), false},
		{"2024-5-2", time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC), false},
		{"2024/05/22", time.Date(2024, 5, 22, 0, 0, 0, 0, time.UTC), false},
		{"  2024-05-22 ", time.Date(2024, 5, 22, 0, 0, 0, 0, time.UTC), false},
		{"Wed, 22 May 2024 10:00:00 GMT", time.Date(2024, 5, 22, 10, 0, 0, 0, time.UTC), true},
		{"Wed, 22 May 2024 10:00:00 +0200", time.Date(2024, 5, 22, 8, 0, 0, 0, time.UTC), true},
		{"May 22, 2024", time.Date(2024, 5, 22, 0, 0, 0, 0, time.UTC), false},
		{"may 22, 2024", time.Date(2024, 5, 22, 0, 0, 0, 0, time.UTC), false},
		{"22 May 2024", time.Date(2024, 5, 22, 0, 0, 0, 0, time.UTC), false},
		{"Wednesday, May 22, 2024", time.Date(2024, 5, 22, 0, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, hasTime, err := parseDate(tt.in, time.UTC)
			if err != nil {
				t.Fatalf("parseDate(%q) error: %v", tt.in, err)
			}
			if !got.Equal(tt.want) || hasTime != tt.hasTime {
				t.Errorf("parseDate(%q) = %v, %v, want %v, %v", tt.in, got, hasTime, tt.want, tt.hasTime)
			}
		})
	}
}

func TestParseDateZone(t *testing.T) {
	tests := []struct {
		in     string
		offset int // seconds east of UTC of the result
	}{
		{"2019-04-29 12:00", 3600},  // no zone: Options.Location
		{"2024-05-22", 3600},        // no zone: Options.Location
		{"2015-10-14T19:30:51Z", 0}, // zone given
		{"2015-10-14T19:30:51-07:00", -7 * 3600},
	}
	loc := time.FixedZone("CET", 3600)
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, _, err := parseDate(tt.in, loc)
			if err != nil {
				t.Fatalf("parseDate(%q) error: %v", tt.in, err)
			}
			if _, off := got.Zone(); off != tt.offset {
				t.Errorf("parseDate(%q) = %v, offset %d, want %d", tt.in, got, off, tt.offset)
			}
		})
	}
}

func TestDateErrors(t *testing.T) {
	tests := []struct {
		value string
		want  string
	}{
		{"2024-13-45", `post x.md: line 3: key "date": "2024-13-45": month out of range`},
		{"2024-02-30", `post x.md: line 3: key "date": "2024-02-30": day out of range`},
		{"2024-05-22T25:00:00Z", `post x.md: line 3: key "date": "2024-05-22T25:00:00Z": hour out of range`},
		{"yesterday", `post x.md: line 3: key "date": "yesterday": not a date`},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			_, err := FromPost(newPost("x.md", "", "title", "T", "date", tt.value), nil)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("FromPost() error = %v, want it to start %q", err, tt.want)
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Key != "date" || fe.Line != 3 {
				t.Errorf("error %#v, want a *FieldError for key date, line 3", err)
			}
		})
	}
	t.Run("unwraps to time.ParseError", func(t *testing.T) {
		_, err := FromPost(newPost("x.md", "", "title", "T", "date", "2024-13-45"), nil)
		var pe *time.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("error %v does not unwrap to a *time.ParseError", err)
		}
	})
}

func TestCardDate(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		name     string
		p        *post.Post
		opts     *Options
		want     string // RFC 3339, "" for none
		hasTime  bool
		warnings int
	}{
		{"string", newPost("a.md", "", "title", "T", "date", "2024-05-22T10:00:00+02:00"), nil, "2024-05-22T10:00:00+02:00", true, 0},
		{"yaml time", newPost("a.md", "", "title", "T", "date", time.Date(2024, 5, 22, 0, 0, 0, 0, time.UTC)), nil, "2024-05-22T00:00:00Z", false, 0},
		{"yaml time of day", newPost("a.md", "", "title", "T", "date", time.Date(2024, 5, 22, 9, 30, 0, 0, time.UTC)), nil, "2024-05-22T09:30:00Z", true, 0},
		{"toml local time", newPost("a.md", "", "title", "T", "date", time.Date(2024, 5, 22, 9, 30, 0, 0, time.Local)), &Options{Location: cet}, "2024-05-22T09:30:00+01:00", true, 0},
		{"pubDate", newPost("a.md", "", "title", "T", "pubDate", "2024-05-22"), nil, "2024-05-22T00:00:00Z", false, 0},
		{"date before pubDate", newPost("a.md", "", "title", "T", "pubDate", "2020-01-01", "date", "2024-05-22"), nil, "2024-05-22T00:00:00Z", false, 0},
		{"zola extra date", newPost("a.md", "", "title", "T", "extra", map[string]any{"date": "2024-05-22"}), nil, "2024-05-22T00:00:00Z", false, 0},
		{"location", newPost("a.md", "", "title", "T", "date", "2019-04-29 12:00"), &Options{Location: cet}, "2019-04-29T12:00:00+01:00", true, 0},
		{"path key", newPost("content/x.md", "", "title", "T", "path", "2014/12/12/1.0-Timeline"), nil, "2014-12-12T00:00:00Z", false, 0},
		{"path key one-digit month", newPost("x.md", "", "title", "T", "path", "/blog/2017/6/15/bpf-updates-07"), nil, "2017-06-15T00:00:00Z", false, 0},
		{"url key", newPost("x.md", "", "title", "T", "url", "https://x.org/inside-rust/2024/05/22/foo"), nil, "2024-05-22T00:00:00Z", false, 0},
		{"file folders", newPost("content/blog/2020/12/21/data.md", "", "title", "T"), nil, "2020-12-21T00:00:00Z", false, 0},
		{"file name", newPost("_posts/2024-05-22-title.md", "", "title", "T"), nil, "2024-05-22T00:00:00Z", false, 0},
		{"bundle folder", newPost("posts/2023-10-31-zero-trust/index.md", "", "title", "T"), nil, "2023-10-31T00:00:00Z", false, 0},
		{"no date anywhere", newPost("posts/hello.md", "", "title", "T"), nil, "", false, 0},
		{"impossible day in path", newPost("posts/2023-02-31-x.md", "", "title", "T"), nil, "", false, 0},
		{"year typo warns", newPost("x.md", "", "title", "T", "date", "2025-01-23", "path", "/blog/2026/01/23/x"), nil, "2025-01-23T00:00:00Z", false, 1},
		{"days apart do not warn", newPost("x.md", "", "title", "T", "date", "2019-04-29", "path", "/blog/2019/04/24/x"), nil, "2019-04-29T00:00:00Z", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCard(t, tt.p, tt.opts)
			got := ""
			if !c.Date.IsZero() {
				got = c.Date.Format(time.RFC3339)
			}
			if got != tt.want || c.HasTime != tt.hasTime {
				t.Errorf("Date, HasTime = %q, %v, want %q, %v", got, c.HasTime, tt.want, tt.hasTime)
			}
			if len(c.Warnings) != tt.warnings {
				t.Errorf("Warnings = %q, want %d", c.Warnings, tt.warnings)
			}
		})
	}
}
