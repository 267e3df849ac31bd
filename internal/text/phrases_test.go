package text

import (
	"strings"
	"testing"
	"unicode"
)

// lineStarts returns the rune index at which each line after the first
// starts (its lowest glyph cluster).
func lineStarts(b Block) []int {
	var out []int
	for i, l := range b.Lines {
		lo := 1 << 30
		for _, r := range l.Runs {
			for _, g := range r.Glyphs {
				lo = min(lo, g.Cluster)
			}
		}
		if i > 0 {
			out = append(out, lo)
		}
	}
	return out
}

// TestPhraseBreaks: at every width from narrow to wide, lines break only
// where a reader expects: between BudouX phrases in Japanese and Chinese,
// between words in Korean and Thai. No line overflows its box.
func TestPhraseBreaks(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	models, err := loadPhraseModels()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, lang, text string
	}{
		{"japanese", "ja", "クラウドネイティブなネットワークセキュリティの最前線"},
		{"japanese title", "ja", "Kubernetes 1.30：「Uwubernetes」リリースのお知らせ、新機能と非推奨になった機能のまとめ"},
		{"chinese", "zh-hans", "在 React 中使用服务器组件获取数据的新方法以及它为什么比以前的客户端渲染方法更快更简单"},
		{"traditional chinese", "zh-hant", "雲原生網路安全的最新發展與實務經驗分享"},
		{"thai", "th", "การประชุมนักพัฒนาซอฟต์แวร์โอเพนซอร์สประจำปี สรุปความสามารถใหม่และสิ่งที่ควรตรวจสอบ"},
		{"korean", "", "Kubernetes 1.30 출시: 클러스터 관리자를 위한 새로운 기능과 주요 변경 사항 정리"},
	}
	st := Style{Families: []string{"Inter"}, Weight: 700, MaxSizePx: 40, MaxLines: 20, Overflow: Fail}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := []rune(tt.text)
			if tt.lang != "" && tt.lang != "th" && cjkLanguage(rs) != tt.lang {
				t.Errorf("cjkLanguage(%q) = %s, want %s", tt.text, cjkLanguage(rs), tt.lang)
			}
			allowed := make([]bool, len(rs)+1)
			if tt.lang != "" {
				allowed = models[tt.lang].boundaries(rs)
			}
			uax := sh.prepare(tt.text, st).uax
			for i := 1; i < len(rs); i++ {
				allowed[i] = allowed[i] || isSpace(rs[i-1])
				if !unicode.In(rs[i-1], unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Hangul) &&
					!unicode.In(rs[i], unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Hangul) {
					allowed[i] = uax[i] // Latin and punctuation: UAX #14's business
				}
			}
			// The widest phrase bounds the narrowest box tested.
			widest, start := 0.0, 0
			for i := 1; i <= len(rs); i++ {
				if i == len(rs) || allowed[i] {
					widest = max(widest, sh.Measure(strings.TrimSpace(string(rs[start:i])), st))
					start = i
				}
			}
			checked := 0
			for w := widest + 1; w <= widest*4; w += 7 {
				st := st
				st.Balance = checked%2 == 1 // balancing must not split phrases either
				b, err := sh.Layout(tt.text, st, w, 2000)
				if err != nil {
					t.Fatalf("width %.0f: %v", w, err)
				}
				for _, s := range lineStarts(b) {
					if !allowed[s] {
						t.Errorf("width %.0f: a line starts inside a phrase, at %q|%q: %q", w, string(rs[max(0, s-4):s]), string(rs[s:min(len(rs), s+4)]), lineStrings(tt.text, b))
					}
				}
				for i, l := range b.Lines {
					if l.XPx+l.WidthPx > w+0.01 {
						t.Errorf("width %.0f: line %d is %.1f px wide", w, i, l.WidthPx)
					}
				}
				checked++
			}
			if checked < 10 {
				t.Errorf("only %d widths checked", checked)
			}
		})
	}
}

// TestPhraseWiderThanLine: a phrase that cannot fit falls back to UAX #14
// in Japanese (ネットワーク breaks between kana, after the longest piece
// that fits) and to graphemes in Thai; nothing overflows, and kinsoku
// holds in the fallback too.
func TestPhraseWiderThanLine(t *testing.T) {
	sh := lib(t).Shaper()
	defer sh.Release()
	st := Style{Families: []string{"Inter"}, Weight: 700, MaxSizePx: 40, MaxLines: 20, Overflow: Fail}
	for _, s := range []string{"ネットワーク。", "คลัสเตอร์"} {
		full := sh.Measure(s, st)
		b, err := sh.Layout(s, st, full*0.6, 2000)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Lines) != 2 {
			t.Errorf("Layout(%q, %.0f px) = %d lines %q, want 2", s, full*0.6, len(b.Lines), lineStrings(s, b))
		}
		for i, l := range b.Lines {
			if l.WidthPx > full*0.6+0.01 {
				t.Errorf("Layout(%q): line %d is %.1f px wide in a %.1f px box", s, i, l.WidthPx, full*0.6)
			}
		}
		if ls := lineStrings(s, b); len(ls) == 2 && strings.HasPrefix(ls[1], "。") {
			t.Errorf("Layout(%q): line starts with 。: %q", s, ls)
		}
	}
}
