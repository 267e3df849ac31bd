package uba

import (
	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"
)

// Direction is a paragraph direction for Levels.
type Direction int

const (
	Auto Direction = iota // from the first strong character (rules P2, P3)
	LTR
	RTL
)

// Levels returns the resolved embedding level of each rune of the
// single paragraph rs (rules P2 to I2 and L1 with the paragraph as one
// line) and the paragraph's level. Explicit formatting characters and BN
// get the level of the character before them. A paragraph separator
// inside rs is treated as the paragraph's end.
func Levels(rs []rune, dir Direction) (levels []int8, paraLevel int8) {
	if len(rs) == 0 {
		if dir == RTL {
			return nil, 1
		}
		return nil, 0
	}
	types := make([]Class, len(rs))
	pairTypes := make([]bracketType, len(rs))
	pairValues := make([]rune, len(rs))
	for i, r := range rs {
		// Brackets with canonical decompositions (U+2329, U+232A) pair
		// as their decompositions do (BD16).
		if d := norm.NFD.PropertiesString(string(r)).Decomposition(); d != nil {
			r = []rune(string(d))[0]
		}
		p, _ := bidi.LookupRune(r)
		types[i] = p.Class()
		switch {
		case !p.IsBracket():
		case p.IsOpeningBracket():
			pairTypes[i], pairValues[i] = bpOpen, r
		default:
			if o, ok := closerOpener[r]; ok {
				pairTypes[i], pairValues[i] = bpClose, o
			}
		}
	}
	lvl := implicitLevel
	switch dir {
	case LTR:
		lvl = 0
	case RTL:
		lvl = 1
	}
	p, err := newParagraph(types, pairTypes, pairValues, lvl)
	if err != nil {
		// newParagraph only checks that the slices made above agree, so
		// this is unreachable; the paragraph direction is a safe answer.
		levels = make([]int8, len(rs))
		if dir == RTL {
			for i := range levels {
				levels[i] = 1
			}
			return levels, 1
		}
		return levels, 0
	}
	ls := p.getLevels([]int{len(types)})
	levels = make([]int8, len(ls))
	for i, l := range ls {
		levels[i] = int8(l)
	}
	return levels, int8(p.embeddingLevel)
}

// VisualOrder returns the indexes of items with the given levels in visual
// order, left to right (rule L2): from the highest level down to the lowest
// odd one, every maximal sequence at that level or higher is reversed.
func VisualOrder(levels []int8) []int {
	order := make([]int, len(levels))
	for i := range order {
		order[i] = i
	}
	var hi, loOdd int8 = 0, 127
	for _, l := range levels {
		hi = max(hi, l)
		if l%2 == 1 {
			loOdd = min(loOdd, l)
		}
	}
	for l := hi; l >= loOdd && l > 0; l-- {
		for i := 0; i < len(order); {
			if levels[order[i]] < l {
				i++
				continue
			}
			j := i
			for j < len(order) && levels[order[j]] >= l {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				order[a], order[b] = order[b], order[a]
			}
			i = j
		}
	}
	return order
}
