// Package fonts embeds ogcard's default font set: Inter for Latin, Greek and
// Cyrillic; Noto Sans Arabic, Hebrew, Thai, Devanagari, Bengali and Tamil; a
// bold Noto Sans CJK subset with Droid Sans Fallback behind it for CJK;
// Noto Emoji, and Twemoji's SVGs to draw emoji in colour. Where each file comes from, and its licence, is in README.md
// beside this file; SHA256SUMS pins the exact bytes the golden images need.
//
// Only cmd/ imports this package; everything else takes an fs.FS.
package fonts

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"strings"
	"sync"
)

// FS holds the font files, their licences and SHA256SUMS. Its
// ReadFileString gives a font file's bytes in place, without a copy.
var FS = Set{files}

//go:embed *.otf *.ttf twemoji-*-svg.tar.gz SHA256SUMS LICENSE-*
var files embed.FS

// Set is an embedded font folder, an fs.FS. A Set is safe for concurrent
// use.
type Set struct{ embed.FS }

// ReadFileString returns the bytes of the font file name as a string that
// points into the binary's read-only data, and whether Set has that font
// file. Unlike ReadFile it does not copy: the ~12 MB of fonts a server
// keeps for its whole life stay out of the heap, where the memory limit
// and the collector's pacing would count them. Only the files SHA256SUMS
// pins (the fonts and the Twemoji archive) are held this way.
func (Set) ReadFileString(name string) (string, bool) {
	s, ok := inPlace[name]
	return s, ok
}

// Sum returns the SHA-256 of the font file name as SHA256SUMS pins it, and
// whether it pins that file. A caller that keys caches by the fonts' bytes
// takes it instead of hashing ~12 MB at start, which would also bring every
// page of every font into memory (resident, counted in RSS) where a site
// that sets no CJK text reads a few pages of the CJK fonts. TestSums keeps
// SHA256SUMS true to the files.
func (Set) Sum(name string) ([sha256.Size]byte, bool) {
	sum, ok := pinned()[name]
	return sum, ok
}

var pinned = sync.OnceValue(func() map[string][sha256.Size]byte {
	m := map[string][sha256.Size]byte{}
	data, _ := files.ReadFile("SHA256SUMS")
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		hexSum, name, _ := strings.Cut(sc.Text(), "  ")
		var sum [sha256.Size]byte
		if b, err := hex.DecodeString(hexSum); err == nil && len(b) == len(sum) {
			copy(sum[:], b)
			m[name] = sum
		}
	}
	return m
})

// inPlace holds the same files again, one string each: the linker stores an
// embedded file's bytes once however many directives name it, and a string,
// unlike a []byte, can be handed out without a copy.
var inPlace = map[string]string{
	"DroidSansFallback.ttf":          droidSansFallback,
	"Inter-Bold.otf":                 interBold,
	"Inter-Regular.otf":              interRegular,
	"Inter-SemiBold.otf":             interSemiBold,
	"NotoEmoji-Regular.ttf":          notoEmojiRegular,
	"NotoSansArabic-Bold.ttf":        notoSansArabicBold,
	"NotoSansArabic-Regular.ttf":     notoSansArabicRegular,
	"NotoSansBengali-Bold.ttf":       notoSansBengaliBold,
	"NotoSansBengali-Regular.ttf":    notoSansBengaliRegular,
	"NotoSansCJK-Bold-subset.otf":    notoSansCJKBoldSubset,
	"NotoSansDevanagari-Bold.ttf":    notoSansDevanagariBold,
	"NotoSansDevanagari-Regular.ttf": notoSansDevanagariRegular,
	"NotoSansHebrew-Bold.ttf":        notoSansHebrewBold,
	"NotoSansHebrew-Regular.ttf":     notoSansHebrewRegular,
	"NotoSansTamil-Bold.ttf":         notoSansTamilBold,
	"NotoSansTamil-Regular.ttf":      notoSansTamilRegular,
	"NotoSansThai-Bold.ttf":          notoSansThaiBold,
	"NotoSansThai-Regular.ttf":       notoSansThaiRegular,
	"twemoji-16.0.1-svg.tar.gz":      twemoji1601Svg,
}

//go:embed DroidSansFallback.ttf
var droidSansFallback string

//go:embed Inter-Bold.otf
var interBold string

//go:embed Inter-Regular.otf
var interRegular string

//go:embed Inter-SemiBold.otf
var interSemiBold string

//go:embed NotoEmoji-Regular.ttf
var notoEmojiRegular string

//go:embed NotoSansArabic-Bold.ttf
var notoSansArabicBold string

//go:embed NotoSansArabic-Regular.ttf
var notoSansArabicRegular string

//go:embed NotoSansBengali-Bold.ttf
var notoSansBengaliBold string

//go:embed NotoSansBengali-Regular.ttf
var notoSansBengaliRegular string

//go:embed NotoSansCJK-Bold-subset.otf
var notoSansCJKBoldSubset string

//go:embed NotoSansDevanagari-Bold.ttf
var notoSansDevanagariBold string

//go:embed NotoSansDevanagari-Regular.ttf
var notoSansDevanagariRegular string

//go:embed NotoSansHebrew-Bold.ttf
var notoSansHebrewBold string

//go:embed NotoSansHebrew-Regular.ttf
var notoSansHebrewRegular string

//go:embed NotoSansTamil-Bold.ttf
var notoSansTamilBold string

//go:embed NotoSansTamil-Regular.ttf
var notoSansTamilRegular string

//go:embed NotoSansThai-Bold.ttf
var notoSansThaiBold string

//go:embed NotoSansThai-Regular.ttf
var notoSansThaiRegular string

//go:embed twemoji-16.0.1-svg.tar.gz
var twemoji1601Svg string

var _ fs.ReadFileFS = FS
