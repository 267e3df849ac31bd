package post

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// json decodes a JSON front matter object starting at byte start, on file
// line openLine. The object ends with its closing }; the rest of that line
// must be blank and the body starts on the next line.
//
// The object is read token by token (json.Decoder.Token) rather than with
// json.Unmarshal, which keeps the last of two equal keys silently: the token
// offsets give each key's line and duplicates are caught at every level.
func (d *decoder) json(start, openLine int) error {
	d.post.Format = FormatJSON
	limit := min(len(d.data), start+MaxFrontMatterBytes)
	c := &jsonConv{d: d, base: start, line: openLine}
	c.dec = json.NewDecoder(bytes.NewReader(d.data[start:limit]))
	c.dec.UseNumber()
	front, err := c.object(0, "", true)
	if err != nil {
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) && limit < len(d.data):
			return d.errorf(openLine, "", "%w: the JSON front matter opened on this line is longer than %d bytes; "+
				"shorten it (long text belongs in the body) or check that its braces match",
				ErrTooLarge, MaxFrontMatterBytes)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return d.errorf(openLine, "", "%w: the { on this line opens JSON front matter that is never closed; "+
				"close the object with a matching }", ErrUnclosed)
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			// A NUL or a Latin-1 byte is a syntax error to encoding/json;
			// say what it is instead. The offsets of Token's errors may
			// point before the bad byte, but not before its line.
			end := lineEnd(d.data, start+max(int(se.Offset), int(c.dec.InputOffset())))
			if err := d.checkText(d.data[start:end], openLine); err != nil {
				return err
			}
		}
		var pe *Error
		if errors.As(err, &pe) {
			return err
		}
		if se != nil {
			return d.errorf(c.lineAt(int(se.Offset)), "", "%w: json: %s", ErrSyntax, se.Error())
		}
		return d.errorf(c.lineAt(int(c.dec.InputOffset())), "", "%w: json: %s", ErrSyntax, err.Error())
	}
	end := start + int(c.dec.InputOffset())
	// encoding/json turns invalid UTF-8 in strings into U+FFFD silently.
	if err := d.checkText(d.data[start:end], openLine); err != nil {
		return err
	}
	d.post.Front = front
	closeLine := c.lineAt(int(c.dec.InputOffset()) - 1)
	next := lineEnd(d.data, end)
	if len(bytes.TrimSpace(d.data[end:next])) != 0 {
		return d.errorf(closeLine, "", "%w: json: text after the } that closes the front matter; "+
			"start the body on the next line", ErrSyntax)
	}
	d.post.Body = d.data[next:]
	d.post.BodyLine = closeLine + 1
	return nil
}

// jsonConv converts JSON tokens to normalised values.
type jsonConv struct {
	d    *decoder
	dec  *json.Decoder
	base int // offset of the decoder's input in d.data
	// line is the file line at offset off (relative to base); offsets only
	// grow, so lineAt counts forward from the last answer.
	line, off int
}

// lineAt returns the file line of offset off, relative to the decoder's
// input.
func (c *jsonConv) lineAt(off int) int {
	off = max(0, min(off, len(c.d.data)-c.base))
	if off < c.off {
		c.line, c.off = c.line-bytes.Count(c.d.data[c.base+off:c.base+c.off], []byte("\n")), off
		return c.line
	}
	c.line += bytes.Count(c.d.data[c.base+c.off:c.base+off], []byte("\n"))
	c.off = off
	return c.line
}

// fail returns an *Error at the decoder's current offset.
func (c *jsonConv) fail(key string, err error) error {
	return &Error{Path: c.d.post.Path, Line: c.lineAt(int(c.dec.InputOffset())), Key: key, Err: err}
}

// value reads one value at nesting depth depth under key path.
func (c *jsonConv) value(depth int, path string) (any, error) {
	if err := c.d.count(depth); err != nil {
		return nil, c.fail(path, err)
	}
	tok, err := c.dec.Token()
	if err != nil {
		return nil, eofIsUnexpected(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return c.members(depth, path, false)
		}
		if t != '[' {
			return nil, c.fail(path, fmt.Errorf("%w: json: unexpected %v", ErrSyntax, t))
		}
		list := []any{}
		for c.dec.More() {
			v, err := c.value(depth+1, path)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		if _, err := c.dec.Token(); err != nil { // ]
			return nil, eofIsUnexpected(err)
		}
		return list, nil
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i, nil
		}
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, c.fail(path, fmt.Errorf("%w: json: number %s: %w", ErrSyntax, t, err))
		}
		return f, nil // ±Inf when out of range, as YAML's .inf
	case string, bool, nil:
		return t, nil
	}
	return nil, c.fail(path, fmt.Errorf("%w: json: unexpected token %v", ErrSyntax, tok))
}

// object reads the top-level object, including its opening {.
func (c *jsonConv) object(depth int, path string, top bool) (map[string]any, error) {
	if err := c.d.count(depth); err != nil {
		return nil, c.fail(path, err)
	}
	tok, err := c.dec.Token()
	if err != nil {
		return nil, eofIsUnexpected(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, c.fail(path, fmt.Errorf("%w: json: front matter must be an object", ErrNotMapping))
	}
	return c.members(depth, path, top)
}

// members reads an object's members after its { up to and including its }.
// For the top-level object (top) it records each key's line in KeyLines.
func (c *jsonConv) members(depth int, path string, top bool) (map[string]any, error) {
	m := map[string]any{}
	lines := map[string]int{}
	for c.dec.More() {
		tok, err := c.dec.Token()
		if err != nil {
			return nil, eofIsUnexpected(err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, c.fail(path, fmt.Errorf("%w: json: object key is not a string", ErrSyntax))
		}
		// The offset is just past the key; a JSON string holds no raw
		// newline, so the key starts on the same line.
		line := c.lineAt(int(c.dec.InputOffset()) - 1)
		full := joinKey(path, key)
		if first, dup := lines[key]; dup {
			return nil, &Error{Path: c.d.post.Path, Line: line, Key: full,
				Err: fmt.Errorf("%w (first at line %d): JSON parsers disagree on which value wins, so ogcard refuses it; "+
					"remove one", ErrDuplicateKey, first)}
		}
		lines[key] = line
		v, err := c.value(depth+1, full)
		if err != nil {
			return nil, err
		}
		m[key] = v
		if top {
			c.d.post.KeyLines[key] = line
		}
	}
	if _, err := c.dec.Token(); err != nil { // }
		return nil, eofIsUnexpected(err)
	}
	return m, nil
}

// eofIsUnexpected turns io.EOF inside a value into io.ErrUnexpectedEOF.
func eofIsUnexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
