package card

import (
	"os"
	"strings"
	"testing"

	"github.com/ogcard/ogcard/internal/post"
)

// TestScheduleReference checks the promise on the reference post:
// every session card can name day, date and zone, though CiliumCon's talk
// lines give only times and only the first gives a zone.
func TestScheduleReference(t *testing.T) {
	data, err := os.ReadFile("../../testdata/posts/cilium-at-kubecon-eu-2026.md")
	if err != nil {
		t.Fatal(err)
	}
	p, err := post.Parse("cilium-at-kubecon-eu-2026.md", data)
	if err != nil {
		t.Fatal(err)
	}
	c := mustCard(t, p, nil)
	if len(c.Sessions) != 16 {
		t.Fatalf("FromPost(reference) = %d sessions, want 16", len(c.Sessions))
	}
	for i, s := range c.Sessions {
		// "Mon 23 March · 13:25–13:30 CET"
		if f := strings.Split(s.When, " · "); len(f) != 2 || len(strings.Fields(f[0])) != 3 || !strings.HasSuffix(f[1], " CET") {
			t.Errorf("session %d (%q): When = %q, want day, date, time and zone", i, s.Title, s.When)
		}
	}
	wants := map[int]string{
		0:  "Mon 23 March · 13:25–13:30 CET",
		2:  "Mon 23 March · 14:10–14:35 CET",
		11: "Tue 24 March · 14:30–15:00 CET",
		15: "Wed 25 March · 17:30–18:00 CET",
	}
	for i, want := range wants {
		if got := c.Sessions[i].When; got != want {
			t.Errorf("session %d: When = %q, want %q", i, got, want)
		}
	}
	if got := c.Sessions[2].ZoneFrom; got != "first zone in the post" {
		t.Errorf("session 2: ZoneFrom = %q, want %q", got, "first zone in the post")
	}
	ev := c.Event
	if ev.Start != "2026-03-23" || ev.End != "2026-03-25" || ev.Dates != "23–25 March" || ev.Zone != "CET" {
		t.Errorf("Event = %+v, want 2026-03-23 to 2026-03-25, \"23–25 March\", CET", ev)
	}
	if !strings.Contains(ev.DatesFrom, `lead of section "CiliumCon"`) {
		t.Errorf("Event.DatesFrom = %q, want it to name the section lead", ev.DatesFrom)
	}
}

func TestSchedule(t *testing.T) {
	const sched = "https://x.sched.com/event/1"
	talk := func(detail string) string {
		return "[**Talk**](" + sched + ")  \n*Ann Lee, Acme | " + detail + "*\n"
	}
	tests := []struct {
		name        string
		body        string
		kv          []any
		when        string // of the first session
		start, end  string
		dates, from string // Event.Dates, Event.DatesFrom (prefix)
		hashtags    string
	}{
		{
			name: "front matter event first",
			body: "## Talks\n\nJoin us on Tuesday, 24 March.\n\n" + talk("10:00 - 10:30"),
			kv: []any{"title", "T", "date", "2025-12-01", "event", map[string]any{
				"name": "Summit 2026", "start": "2026-03-23", "end": "2026-03-26",
				"place": "Amsterdam", "timezone": "CET", "hashtags": "#Summit #Cloud",
			}},
			when:  "Tue 24 March · 10:00–10:30 CET",
			start: "2026-03-23", end: "2026-03-26", dates: "23–26 March", from: "front matter event.start, event.end",
			hashtags: "#Summit #Cloud",
		},
		{
			name: "one-day event gives the day",
			body: talk("10:00 - 10:30 UTC"),
			kv:   []any{"title", "T", "event", map[string]any{"start": "2026-05-07"}},
			when: "Thu 7 May · 10:00–10:30 UTC", start: "2026-05-07", end: "2026-05-07", dates: "7 May",
			from: "front matter event.start",
		},
		{
			name: "weekday picks the year after the post's",
			body: "## Day one\n\nSee you on **Monday, 23 March** in the morning.\n\n" + talk("09:00 - 09:20"),
			kv:   []any{"title", "Plans", "date", "2025-01-23"},
			when: "Mon 23 March · 09:00–09:20", start: "2026-03-23", end: "2026-03-23", dates: "23 March",
			from: `the talks' days: 23 March (lead of section "Day one")`,
		},
		{
			name: "a range in the lead names no day",
			body: "## Talks\n\nWe are there 23–26 March.\n\n" + talk("09:00 - 09:20"),
			kv:   []any{"title", "Plans", "date", "2026-01-23"},
			when: "09:00–09:20",
		},
		{
			name: "the lead's day is the section's only",
			body: "## A\n\nOn Monday, 23 March:\n\n" + talk("09:00 - 09:20") + "\n## B\n\n" + talk("10:00 - 10:20"),
			kv:   []any{"title", "Plans 2026"},
			when: "Mon 23 March · 09:00–09:20", start: "2026-03-23", end: "2026-03-23", dates: "23 March",
			from: "the talks' days",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCard(t, newPost("content/x.md", tt.body, tt.kv...), nil)
			if len(c.Sessions) == 0 {
				t.Fatalf("FromPost = no sessions")
			}
			if got := c.Sessions[0].When; got != tt.when {
				t.Errorf("Sessions[0].When = %q, want %q", got, tt.when)
			}
			ev := c.Event
			if ev.Start != tt.start || ev.End != tt.end || ev.Dates != tt.dates || !strings.HasPrefix(ev.DatesFrom, tt.from) {
				t.Errorf("Event = start %q end %q dates %q from %q, want %q %q %q %q…", ev.Start, ev.End, ev.Dates, ev.DatesFrom, tt.start, tt.end, tt.dates, tt.from)
			}
			if tt.hashtags != "" && strings.Join(ev.Hashtags, " ") != tt.hashtags {
				t.Errorf("Event.Hashtags = %q, want %q", ev.Hashtags, tt.hashtags)
			}
			if len(c.Sessions) > 1 && c.Sessions[1].Date != "" {
				t.Errorf("Sessions[1].Date = %q: another section's lead gave it a day", c.Sessions[1].Date)
			}
		})
	}
}

func TestEventDateErrors(t *testing.T) {
	for _, ev := range []map[string]any{
		{"start": "2026-03-26", "end": "2026-03-23"},
		{"start": "next week"},
	} {
		_, err := FromPost(newPost("content/x.md", "", "title", "T", "event", ev), nil)
		if err == nil || !strings.Contains(err.Error(), `key "event"`) {
			t.Errorf("FromPost(event: %v) error = %v, want one naming key \"event\"", ev, err)
		}
	}
}

func TestPersonSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Mahé Tardy":                "mahe-tardy",
		"Mikael Johansson Länsberg": "mikael-johansson-lansberg",
		"Arthur Outhenin-Chalandre": "arthur-outhenin-chalandre",
		"  J. R. R. Tolkien ":       "j-r-r-tolkien",
		"山田 太郎":                     "山田-太郎",
		"--":                        "",
	} {
		if got := PersonSlug(in); got != want {
			t.Errorf("PersonSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSpeakerPhotosFromAuthorData: a talk's speaker named in the author
// data gets its photo, matched by id or by name; a photo the post gives
// is kept.
func TestSpeakerPhotosFromAuthorData(t *testing.T) {
	body := "[**Talk**](https://x.sched.com/event/1)  \n*Hemanth Malla & Mahé Tardy, Isovalent | 10:00 - 10:30*\n"
	opts := &Options{Authors: map[string]Person{
		"hemanth":    {Name: "Hemanth Malla", Avatar: "/img/hemanth.png"},
		"Mahé Tardy": {Name: "Mahé T.", Avatar: "/img/mahe.png"},
	}}
	c := mustCard(t, newPost("content/x.md", body, "title", "T"), opts)
	if len(c.Sessions) != 1 || len(c.Sessions[0].Speakers) != 2 {
		t.Fatalf("sessions = %+v", c.Sessions)
	}
	for _, ps := range [][]Person{c.Sessions[0].Speakers, c.Speakers} {
		if ps[0].Avatar != "/img/hemanth.png" || ps[1].Avatar != "/img/mahe.png" {
			t.Errorf("avatars = %q, %q; want /img/hemanth.png (by name), /img/mahe.png (by id)", ps[0].Avatar, ps[1].Avatar)
		}
	}
	c = mustCard(t, newPost("content/x.md", "", "title", "T", "sessions", []any{map[string]any{
		"title": "Talk", "speakers": []any{map[string]any{"name": "Hemanth Malla", "avatar": "own.png"}},
	}}), opts)
	if got := c.Sessions[0].Speakers[0].Avatar; got != "own.png" {
		t.Errorf("front matter avatar = %q, want own.png kept", got)
	}
}

// TestScheduleBetweenTalks: a talk with no day, between two talks of its
// section on one day, is on that day; one at the edge of a section is not.
func TestScheduleBetweenTalks(t *testing.T) {
	const sched = "https://x.sched.com/event/1"
	talk := func(title, detail string) string {
		return "[**" + title + "**](" + sched + ")  \n*Ann Lee, Acme" + detail + "*\n\n"
	}
	body := "## A\n\n" + talk("First", "") + talk("Timed 1", " | Monday, 23 March | 10:00 - 10:20") +
		talk("Middle", "") + talk("Timed 2", " | Monday, 23 March | 12:00 - 12:20") + "## B\n\n" + talk("Other", "") +
		talk("Timed 3", " | Monday, 23 March | 14:00 - 14:20")
	c := mustCard(t, newPost("content/x.md", body, "title", "Plans 2026"), nil)
	got := map[string]string{}
	for _, s := range c.Sessions {
		got[s.Title] = s.Date + " " + s.DayFrom
	}
	want := map[string]string{
		"First": " ", "Timed 1": "2026-03-23 ", "Middle": "2026-03-23 the talks before and after it",
		"Timed 2": "2026-03-23 ", "Other": " ", "Timed 3": "2026-03-23 ",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: date and source %q, want %q", k, got[k], w)
		}
	}
}
