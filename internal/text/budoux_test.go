package text

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestBudouXMatchesReference: the Go port splits every sentence of
// testdata/budoux-sentences.txt (BudouX's own test sentences and card
// titles) exactly as BudouX 0.9.2 does (recorded by budoux/convert.sh).
func TestBudouXMatchesReference(t *testing.T) {
	data, err := os.ReadFile("testdata/budoux-reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref []struct {
		Lang     string
		Sentence string
		Phrases  []string
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatalf("testdata/budoux-reference.json: %v", err)
	}
	models, err := loadPhraseModels()
	if err != nil {
		t.Fatal(err)
	}
	if len(ref) < 15 {
		t.Fatalf("%d reference sentences, want at least 15", len(ref))
	}
	for _, r := range ref {
		rs := []rune(r.Sentence)
		b := models[r.Lang].boundaries(rs)
		var got []string
		start := 0
		for i := 1; i <= len(rs); i++ {
			if i == len(rs) || b[i] {
				got = append(got, string(rs[start:i]))
				start = i
			}
		}
		if !slices.Equal(got, r.Phrases) {
			t.Errorf("%s %q:\n got %q\nwant %q", r.Lang, r.Sentence, got, r.Phrases)
		}
	}
}

// TestBudouXSyntheticModels: BudouX's parser_test.ts cases.
func TestBudouXSyntheticModels(t *testing.T) {
	tests := []struct {
		model string
		want  []string
	}{
		{`{"UW4": {"a": 10000}}`, []string{"abcde", "abcd"}},
		{`{"UW4": {"b": 10000}}`, []string{"a", "bcdea", "bcd"}},
	}
	for _, tt := range tests {
		m, err := parsePhraseModel([]byte(tt.model))
		if err != nil {
			t.Fatal(err)
		}
		rs := []rune("abcdeabcd")
		b := m.boundaries(rs)
		var got []string
		start := 0
		for i := 1; i <= len(rs); i++ {
			if i == len(rs) || b[i] {
				got = append(got, string(rs[start:i]))
				start = i
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("model %s: %q, want %q", tt.model, got, tt.want)
		}
	}
}
