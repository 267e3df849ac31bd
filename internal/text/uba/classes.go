// Package uba is the Unicode Bidirectional Algorithm (UAX #9): embedding
// levels for a paragraph and the visual order of a line. core.go and
// bracket.go are golang.org/x/text/unicode/bidi's port of the Unicode
// reference implementation (x/text v0.44.0, BSD licence in LICENSE), which
// x/text does not export: its public API keeps only each run's direction,
// which loses nested levels ("and مرحبا 2026" in a left-to-right line).
// Changes: the package name, Class.in as a function, and this file.
package uba

import "golang.org/x/text/unicode/bidi"

// Class is a bidi class.
type Class = bidi.Class

const (
	L   = bidi.L
	R   = bidi.R
	EN  = bidi.EN
	ES  = bidi.ES
	ET  = bidi.ET
	AN  = bidi.AN
	CS  = bidi.CS
	B   = bidi.B
	S   = bidi.S
	WS  = bidi.WS
	ON  = bidi.ON
	BN  = bidi.BN
	NSM = bidi.NSM
	AL  = bidi.AL
	LRO = bidi.LRO
	RLO = bidi.RLO
	LRE = bidi.LRE
	RLE = bidi.RLE
	PDF = bidi.PDF
	LRI = bidi.LRI
	RLI = bidi.RLI
	FSI = bidi.FSI
	PDI = bidi.PDI

	unknownClass = ^Class(0)
)
