// Package fonts embeds ogcard's default font set: Inter for Latin, Greek and
// Cyrillic; Noto Sans Arabic, Hebrew, Thai, Devanagari, Bengali and Tamil; a
// bold Noto Sans CJK subset with Droid Sans Fallback behind it for CJK;
// Noto Emoji, and Twemoji's SVGs to draw emoji in colour. Where each file comes from, and its licence, is in README.md
// beside this file; SHA256SUMS pins the exact bytes the golden images need.
//
// Only cmd/ imports this package; everything else takes an fs.FS.
package fonts

import "embed"

// FS holds the font files, their licences and SHA256SUMS.
//
//go:embed *.otf *.ttf twemoji-*-svg.tar.gz SHA256SUMS LICENSE-*
var FS embed.FS
