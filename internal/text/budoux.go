package text

import (
	"embed"
	"encoding/json"
	"fmt"
	"sync"
	"unicode/utf8"
)

// The BudouX 0.9.2 phrase models (Apache-2.0, see budoux/NOTICE).
//
//go:embed budoux/*.json
var budouxFS embed.FS

// phraseModel is a BudouX model: for each of 13 features (the characters
// around a boundary, one to three at a time), a weight per string. A
// boundary is a phrase break when the sum of its features' weights exceeds
// half the sum of all the model's weights (BudouX's base score).
type phraseModel struct {
	total int // the sum of all weights
	feats [13]map[string]int
}

// budouxFeatures are the model's feature names and the rune range each
// reads relative to boundary i (between rune i-1 and rune i), as in
// BudouX's parser.ts.
var budouxFeatures = [13]struct {
	name     string
	from, to int
}{
	{"UW1", -3, -2}, {"UW2", -2, -1}, {"UW3", -1, 0}, {"UW4", 0, 1}, {"UW5", 1, 2}, {"UW6", 2, 3},
	{"BW1", -2, 0}, {"BW2", -1, 1}, {"BW3", 0, 2},
	{"TW1", -3, 0}, {"TW2", -2, 1}, {"TW3", -1, 2}, {"TW4", 0, 3},
}

var (
	phraseModelsOnce sync.Once
	phraseModels     map[string]*phraseModel
	phraseModelsErr  error
)

// loadPhraseModels parses the embedded models once, on the first text that
// needs one.
func loadPhraseModels() (map[string]*phraseModel, error) {
	phraseModelsOnce.Do(func() {
		phraseModels = make(map[string]*phraseModel)
		for _, lang := range []string{"ja", "zh-hans", "zh-hant", "th"} {
			data, err := budouxFS.ReadFile("budoux/" + lang + ".json")
			if err == nil {
				phraseModels[lang], err = parsePhraseModel(data)
			}
			if err != nil {
				phraseModelsErr = fmt.Errorf("text: budoux/%s.json: %w", lang, err)
				return
			}
		}
	})
	return phraseModels, phraseModelsErr
}

func parsePhraseModel(data []byte) (*phraseModel, error) {
	var raw map[string]map[string]int
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	m := &phraseModel{}
	for i, f := range budouxFeatures {
		m.feats[i] = raw[f.name]
	}
	for _, group := range raw { // BudouX's base score counts every group
		for _, w := range group {
			m.total += w
		}
	}
	return m, nil
}

// boundaries returns b with b[i] true where BudouX puts a phrase break
// before rs[i]. Like BudouX, it reads text outside rs as empty, so a
// feature reaching past either end only matches shorter keys, which no
// model has.
func (m *phraseModel) boundaries(rs []rune) []bool {
	b := make([]bool, len(rs)+1)
	var buf []byte
	for i := 1; i < len(rs); i++ {
		score := 0
		for k, f := range budouxFeatures {
			from, to := min(max(i+f.from, 0), len(rs)), min(max(i+f.to, 0), len(rs))
			if from >= to {
				continue
			}
			buf = appendRunes(buf[:0], rs[from:to])
			score += m.feats[k][string(buf)] // no allocation: map index by converted bytes
		}
		b[i] = 2*score > m.total
	}
	return b
}

func appendRunes(b []byte, rs []rune) []byte {
	for _, r := range rs {
		b = utf8.AppendRune(b, r)
	}
	return b
}
