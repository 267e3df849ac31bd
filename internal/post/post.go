package post

// Format names the front matter syntax a post uses.
type Format string

const (
	FormatNone Format = ""     // no front matter at all
	FormatYAML Format = "yaml" // --- ... ---
	FormatTOML Format = "toml" // +++ ... +++
	FormatJSON Format = "json" // { ... } at the top of the file
)

// Post is a file as read. It is immutable after Parse returns.
type Post struct {
	// Path is the file's path as given by the caller (used in errors).
	Path string
	// Format is the front matter syntax found.
	Format Format
	// Front is the decoded front matter. Values are normalised to:
	// string, bool, int64, float64, time.Time, []any, map[string]any (and nil).
	Front map[string]any
	// KeyLines maps each top-level front matter key to its 1-based line in the
	// file (not in the front matter block); 0 or absent when unknown.
	KeyLines map[string]int
	// Body is the content after the front matter, with the BOM stripped.
	Body []byte
	// BodyLine is the 1-based line of the file on which Body starts.
	BodyLine int
	// Warnings are things Parse accepted but a writer may want to fix: a
	// repeated YAML key, a UTF-16 file, CR-only line endings. Each is a
	// sentence without the path ("line 5: key "title" repeats line 2; ...").
	Warnings []string
}

// Line returns the 1-based file line of the top-level front matter key, or 0
// when the key is absent or its line is unknown. It is safe on a nil Post.
func (p *Post) Line(key string) int {
	if p == nil {
		return 0
	}
	return p.KeyLines[key]
}

// KeyError returns err as an *Error about the top-level front matter key,
// carrying the post's path and the key's line, so that callers interpreting
// a field report it as "post content/x.md: line 3: key "date": ...".
// It returns nil when err is nil.
func (p *Post) KeyError(key string, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Key: key, Line: p.Line(key), Err: err}
	if p != nil {
		e.Path = p.Path
	}
	return e
}
