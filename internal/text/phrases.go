package text

import (
	"strings"
	"unicode"
)

// phraseBreaks narrows UAX #14's break opportunities (uax) to the breaks a
// reader expects in a headline:
//
//   - Japanese and Chinese break between phrases (BudouX), not between any
//     two characters: ネットワーク stays whole. Only UAX #14's breaks are
//     kept, so kinsoku (no line starting with 、。」) still holds.
//   - Korean breaks between words only (CSS word-break: keep-all).
//   - Thai, written without spaces, breaks between words (BudouX's Thai
//     model), never inside one: UAX #14 leaves Thai to a dictionary.
//
// A phrase wider than its line falls back to uax (fitFrom), a Thai word to
// grapheme boundaries. The result has the same length as uax.
func phraseBreaks(rs []rune, uax, grapheme []bool) []bool {
	out := make([]bool, len(uax))
	copy(out, uax)
	var cjk, thai, hangul bool
	for _, r := range rs {
		cjk = cjk || isCJK(r)
		thai = thai || unicode.Is(unicode.Thai, r)
		hangul = hangul || unicode.Is(unicode.Hangul, r)
	}
	if !cjk && !thai && !hangul {
		return out
	}
	models, err := loadPhraseModels()
	if err != nil {
		// The models are embedded and tested: unreachable short of a
		// broken build. UAX #14 alone still sets the text.
		return out
	}
	var cjkB, thaiB []bool
	if cjk {
		cjkB = models[cjkLanguage(rs)].boundaries(rs)
	}
	if thai {
		thaiB = models["th"].boundaries(rs)
	}
	for i := 1; i < len(rs); i++ {
		a, b := rs[i-1], rs[i]
		switch {
		case cjk && (isCJK(a) || isCJK(b)) && !isSpace(a) && !isSpace(b):
			out[i] = uax[i] && cjkB[i]
		case hangul && (isHangul(a) && isLetterOrDigit(b) || isLetterOrDigit(a) && isHangul(b)):
			out[i] = false
		case thai && unicode.Is(unicode.Thai, a) && unicode.Is(unicode.Thai, b):
			out[i] = thaiB[i] && grapheme[i]
		}
	}
	return out
}

// isCJK reports Han, kana and the CJK punctuation and full-width forms set
// among them.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF || r == 0x30FC
}

func isHangul(r rune) bool { return unicode.Is(unicode.Hangul, r) }

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Common characters written differently in simplified and traditional
// Chinese, pair by pair.
const (
	simplifiedOnly  = "们这个说国来时会为对发网体点关开让应过还资讯经实现务门问间级组从见无种东车长书学业电动"
	traditionalOnly = "們這個說國來時會為對發網體點關開讓應過還資訊經實現務門問間級組從見無種東車長書學業電動"
)

// cjkLanguage picks the BudouX model for rs: Japanese when it has kana,
// else traditional Chinese when it has more traditional-only than
// simplified-only common characters, else simplified Chinese.
func cjkLanguage(rs []rune) string {
	simp, trad := 0, 0
	for _, r := range rs {
		switch {
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			return "ja"
		case strings.ContainsRune(simplifiedOnly, r):
			simp++
		case strings.ContainsRune(traditionalOnly, r):
			trad++
		}
	}
	if trad > simp {
		return "zh-hant"
	}
	return "zh-hans"
}
