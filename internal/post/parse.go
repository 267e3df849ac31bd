package post

import (
	"bytes"
	"fmt"
)

// Caps on input, checked before any decoder runs. See the package
// documentation's security considerations.
const (
	// MaxFileBytes is the largest post file accepted, in bytes.
	MaxFileBytes = 8 << 20
	// MaxFrontMatterBytes is the largest front matter block accepted, in
	// bytes, counted from after the opening delimiter line.
	MaxFrontMatterBytes = 64 << 10
	// MaxDepth is the deepest nesting of lists and mappings accepted in
	// front matter.
	MaxDepth = 64
	// MaxValues is the most values (scalars, lists and mappings, counting
	// every expansion of a YAML alias) one front matter may decode to.
	MaxValues = 100_000
)

// Parse splits data, the contents of the file at path, into front matter and
// body and decodes the front matter. Path is used only in errors. The
// returned Post's Body aliases data (unless the text had to be decoded or its
// line endings changed), so data must not be modified afterwards.
// Errors are *Error values; see the package documentation. Parse is safe for
// concurrent use.
func Parse(path string, data []byte) (*Post, error) {
	// The splitting is done here rather than with github.com/adrg/frontmatter
	// (v0.2.0): that library reports neither where the block starts nor
	// where it ends, which KeyLines, BodyLine and error lines need; it
	// silently treats an unclosed block as "no front matter"; it only finds
	// JSON when { and } stand alone on their lines with a blank line after;
	// and it copies the whole file through a bufio.Reader. Finding two
	// delimiter lines is a short loop.
	if len(data) > MaxFileBytes {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: file has %d bytes, the limit is %d",
			ErrTooLarge, len(data), MaxFileBytes)}
	}
	data, warnings, err := decodeText(path, data)
	if err != nil {
		return nil, err
	}
	d := &decoder{
		post: &Post{
			Path:     path,
			Front:    map[string]any{},
			KeyLines: map[string]int{},
			Body:     data,
			BodyLine: 1,
			Warnings: warnings,
		},
		data: data,
	}
	// Hugo skips blank lines before the opening delimiter; so do we.
	off, line := 0, 1
	for off < len(data) {
		end := lineEnd(data, off)
		if len(bytes.TrimSpace(data[off:end])) != 0 {
			break
		}
		off, line = end, line+1
	}
	end := lineEnd(data, off)
	switch opener := string(trimEOL(data[off:end])); {
	case opener == "---":
		err = d.delimited(FormatYAML, "---", end, line)
	case opener == "+++":
		err = d.delimited(FormatTOML, "+++", end, line)
	case isJSONOpener(data[off:]):
		err = d.json(off, line)
	}
	if err != nil {
		return nil, err
	}
	return d.post, nil
}

// decoder holds the state of one Parse call.
type decoder struct {
	post   *Post
	data   []byte // file contents as UTF-8, without the BOM
	values int    // values decoded so far, against MaxValues
}

// errorf returns an *Error for this post.
func (d *decoder) errorf(line int, key string, format string, args ...any) error {
	return &Error{Path: d.post.Path, Line: line, Key: key, Err: fmt.Errorf(format, args...)}
}

// warnf adds a warning to the post.
func (d *decoder) warnf(format string, args ...any) {
	d.post.Warnings = append(d.post.Warnings, fmt.Sprintf(format, args...))
}

// count charges one value at the given depth against the caps.
func (d *decoder) count(depth int) error {
	if depth > MaxDepth {
		return fmt.Errorf("%w: front matter nests deeper than %d levels", ErrTooLarge, MaxDepth)
	}
	d.values++
	if d.values > MaxValues {
		return fmt.Errorf("%w: front matter expands to more than %d values (check YAML aliases)",
			ErrTooLarge, MaxValues)
	}
	return nil
}

// delimited finds the closing delim of a front matter block whose content
// starts at byte start, the line after the opener on line openLine, and
// decodes the block.
func (d *decoder) delimited(f Format, delim string, start, openLine int) error {
	d.post.Format = f
	off, line := start, openLine+1
	for {
		if off-start > MaxFrontMatterBytes {
			return d.errorf(openLine, "", "%w: the %s front matter opened on this line is longer than %d bytes; "+
				"shorten it (long text belongs in the body) or check that it is closed with %s",
				ErrTooLarge, f, MaxFrontMatterBytes, delim)
		}
		if off >= len(d.data) {
			return d.errorf(openLine, "", "%w: the %s on this line opens %s front matter that is never closed; "+
				"close it with a line containing only %s", ErrUnclosed, delim, f, delim)
		}
		end := lineEnd(d.data, off)
		if string(trimEOL(d.data[off:end])) == delim {
			d.post.Body = d.data[end:]
			d.post.BodyLine = line + 1
			block := d.data[start:off]
			if err := d.checkText(block, openLine+1); err != nil {
				return err
			}
			if f == FormatTOML {
				return d.toml(block, openLine)
			}
			return d.yaml(block, openLine, line)
		}
		off, line = end, line+1
	}
}

// isJSONOpener reports whether b starts a JSON object with a quoted key or
// an empty object. Requiring the quote keeps MDX expressions ({/* ... */})
// and Hugo shortcodes ({{< x >}}) at the top of a file in the body.
func isJSONOpener(b []byte) bool {
	if len(b) == 0 || b[0] != '{' {
		return false
	}
	rest := bytes.TrimLeft(b[1:], " \t\r\n")
	return len(rest) > 0 && (rest[0] == '"' || rest[0] == '}')
}

// lineEnd returns the offset just after the line starting at off: past its
// '\n', or len(b) for a last line without one.
func lineEnd(b []byte, off int) int {
	if i := bytes.IndexByte(b[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(b)
}

// trimEOL trims trailing spaces, tabs and the line ending from a line.
func trimEOL(b []byte) []byte {
	return bytes.TrimRight(b, " \t\r\n")
}

// joinKey returns the dotted path of key under parent.
func joinKey(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}
