package card

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDayPrefilters: mayNameDay and mayNameWeekday skip the day patterns
// only where those cannot match, so oneDayIn and dayIn return what the
// patterns alone would: over every line and paragraph of the corpus, and
// over month and weekday names in every case, abbreviated, with the
// letters (?i) folds ("ſ" for s, "K" for k) and without a digit.
func TestDayPrefilters(t *testing.T) {
	var texts []string
	filepath.WalkDir(corpusDir(t), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, ".mdx") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		texts = append(texts, strings.Split(string(data), "\n\n")...)
		texts = append(texts, strings.Split(string(data), "\n")...)
		return nil
	})
	words := []string{"January", "Feb", "march", "APR", "May", "june", "Jul", "AuGuSt", "Sept", "sep", "ſeptember", "ſep",
		"Oct", "NOVEMBER", "dec", "Monday", "tue", "WED", "Thurs", "Friday", "sat", "Sun", "Kelvin", "maps", "decade"}
	for _, w := range words {
		for _, f := range []string{"%s", "%s 23", "23 %s", "Monday, %s 6, 2023", "%s 23rd", "on 3rd %s.", "the %s", "%s, 9"} {
			texts = append(texts, strings.Replace(f, "%s", w, 1))
		}
	}
	if len(texts) < 10000 {
		t.Fatalf("%d texts: the corpus was not read", len(texts))
	}
	skipped := 0
	for _, s := range texts {
		if dayPattern.MatchString(s) && !mayNameDay(s) {
			t.Errorf("dayPattern matches %.80q, which mayNameDay skips", s)
		}
		if monthName.MatchString(s) && !mayNameDay(s) {
			t.Errorf("monthName matches %.80q, which mayNameDay skips", s)
		}
		if weekdayName.MatchString(s) && !mayNameWeekday(s) {
			t.Errorf("weekdayName matches %.80q, which mayNameWeekday skips", s)
		}
		if !mayNameDay(s) {
			skipped++
		}
	}
	// The point of the filter: most paragraphs name no day.
	if skipped < len(texts)/2 {
		t.Errorf("mayNameDay skips %d of %d texts, want most", skipped, len(texts))
	}
	for s, want := range map[string]bool{"12 March": true, "ſep 3": true, "OCT 31": true, "version 1.16": false, "March": false, "Tuesday 3": false} {
		if got := mayNameDay(s); got != want {
			t.Errorf("mayNameDay(%q) = %v, want %v", s, got, want)
		}
	}
}
