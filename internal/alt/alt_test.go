package alt

import (
	"strings"
	"testing"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/template"
)

func TestText(t *testing.T) {
	c := &card.Card{Title: "Hello", Site: "Blog",
		Authors: []card.Person{{Name: "Ann"}, {Name: "Bob"}, {Name: "Cy"}},
		Event:   card.Event{Name: "Conf 2026"},
		Sessions: []card.Session{
			{Title: "Talk one", Day: "Monday", Start: "13:35", End: "14:00", Speakers: []card.Person{{Name: "Dee"}}},
			{Title: "Talk two"}, {Title: "Talk three"},
		}}
	one := &template.Template{Name: "og"}
	per := &template.Template{Name: "session", Repeat: "sessions"}
	page := &template.Template{Name: "lineup", Repeat: "sessions", PerPage: 2}
	tests := []struct {
		name   string
		t      *template.Template
		suffix string
		want   string
	}{
		{"single", one, "", "Hello, by Ann, Bob and Cy — Blog"},
		{"session", per, "01", "Talk: Talk one, by Dee, Monday 13:35–14:00 — Conf 2026"},
		{"session without details", per, "02", "Talk: Talk two — Conf 2026"},
		{"session out of range", per, "09", "Hello, by Ann, Bob and Cy — Blog"},
		{"line-up page", page, "2of2", "Line-up 2 of 2, Conf 2026: Talk two; Talk three"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(c, tt.t, tt.suffix); got != tt.want {
				t.Errorf("Text(%s, %q) = %q, want %q", tt.t.Name, tt.suffix, got, tt.want)
			}
		})
	}
	long := &card.Card{Title: strings.Repeat("word ", 200)}
	if n := len([]rune(Text(long, one, ""))); n != maxRunes {
		t.Errorf("a long title gives %d runes, want %d", n, maxRunes)
	}
}
