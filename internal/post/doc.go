// Package post reads a blog post file: it splits and decodes the front matter
// (YAML ---, TOML +++ or JSON {}) and keeps the body as bytes. It interprets
// nothing; package card gives the fields their meaning.
//
// Front matter is found after an optional UTF-8 byte order mark and optional
// blank lines (as Hugo does): a line holding only --- opens YAML closed by
// the next such line, +++ does the same for TOML, and a { followed by a
// quoted key (or }) opens a JSON object that must end on its own line. A file
// without any of these has no front matter and is all body.
//
// Values are normalised to string, bool, int64, float64, time.Time, []any,
// map[string]any and nil. Unquoted YAML timestamps (2024-05-22,
// 2024-05-22T10:00:00.000Z, and the Jekyll form 2013-11-22 05:00:00 +0000)
// and TOML date-times become time.Time; dates without a zone and TOML local
// date-times are read as UTC wall-clock time. Quoted YAML strings stay
// strings.
//
// Files are UTF-8. A UTF-16 or UTF-32 file that starts with a byte-order
// mark (as Windows PowerShell writes them) is decoded, and a file whose
// lines end with CR alone (classic Mac OS) is read with LF line endings;
// both add a warning to Post.Warnings. Invalid UTF-8 or a NUL byte in the
// front matter is an error naming its line and column.
//
// A YAML mapping that repeats a key keeps the last value, as Jekyll does,
// with a warning naming both lines; TOML forbids repeated keys and JSON
// parsers disagree on which one wins, so there it is an error.
//
// Errors are *Error values carrying the 1-based file line where known, and
// wrap one of the sentinels ErrUnclosed, ErrTooLarge, ErrDuplicateKey,
// ErrSyntax, ErrNotMapping or ErrEncoding, or the I/O error from reading.
//
// # Security considerations
//
// Posts may come from people other than the operator, so every input is
// bounded before it is parsed: files larger than MaxFileBytes are refused
// (Read checks the size with Stat and reads through an io.LimitReader, so a
// growing or lying file cannot make it read more), and a front matter block
// larger than MaxFrontMatterBytes is refused before any decoder sees it.
// YAML anchors and aliases are expanded by this package, not by the YAML
// library, with a budget of MaxValues values and MaxDepth levels of nesting
// that also applies to TOML and JSON, so a "billion laughs" document or a
// self-referencing alias fails fast with ErrTooLarge instead of exhausting
// memory. Parse keeps no global state and is safe for concurrent use.
package post
