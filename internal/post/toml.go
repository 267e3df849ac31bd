package post

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// toml decodes a TOML front matter block whose first line is the file line
// after openLine.
//
// BurntSushi/toml reports duplicates and syntax errors with lines but keeps
// key positions private, so KeyLines come from a cheap scan of the block
// (tomlKeyLines) and are kept only for keys the decoder confirmed.
func (d *decoder) toml(block []byte, openLine int) error {
	if line, err := tomlPrecheck(block); err != nil {
		return d.errorf(openLine+line, "", "%w", err)
	}
	lines := tomlKeyLines(block)
	var raw map[string]any
	if err := decodeTOML(block, &raw); err != nil {
		return d.tomlError(err, openLine, lines)
	}
	front := make(map[string]any, len(raw))
	for _, key := range slices.Sorted(maps.Keys(raw)) { // sorted: the same error every time
		val, err := d.tomlValue(raw[key], 1, key)
		if err != nil {
			return d.errorf(openLine+lines[key], key, "%w", err)
		}
		front[key] = val
		if l, ok := lines[key]; ok {
			d.post.KeyLines[key] = openLine + l
		}
	}
	d.post.Front = front
	return nil
}

// tomlPrecheck refuses, before BurntSushi/toml sees them, blocks that nest
// brackets deeper than MaxDepth or write a key with more than MaxDepth dotted
// parts: the decoder's time grows much faster than linearly with both (a
// 60 KB key a.a.a... takes minutes). It returns the block line of the
// problem. Strings and comments are skipped; all else is left to the decoder.
func tomlPrecheck(block []byte) (int, error) {
	line, depth, dots := 1, 0, 0
	for i := 0; i < len(block); i++ {
		switch c := block[i]; c {
		case '\n':
			line++
			dots = 0
		case '#':
			if j := bytes.IndexByte(block[i:], '\n'); j >= 0 {
				i += j - 1
			} else {
				i = len(block)
			}
		case '"', '\'':
			if i+2 < len(block) && block[i+1] == c && block[i+2] == c { // multi-line string
				j := bytes.Index(block[i+3:], block[i:i+3])
				if j < 0 {
					return line, nil // unterminated: the decoder says so
				}
				line += bytes.Count(block[i+3:i+3+j], []byte("\n"))
				i += 3 + j + 2
				continue
			}
			j := i + 1
			for j < len(block) && block[j] != c && block[j] != '\n' {
				if c == '"' && block[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(block) || block[j] == '\n' {
				return line, nil // unterminated: the decoder says so
			}
			i = j
		case '[', '{':
			depth++
			dots = 0
			if depth > MaxDepth {
				return line, fmt.Errorf("%w: toml: front matter nests deeper than %d levels", ErrTooLarge, MaxDepth)
			}
		case ']', '}':
			depth = max(depth-1, 0)
			dots = 0
		case '=', ',':
			dots = 0
		case '.':
			dots++
			if dots >= MaxDepth {
				return line, fmt.Errorf("%w: toml: a key has more than %d dotted parts", ErrTooLarge, MaxDepth)
			}
		}
	}
	return line, nil
}

// decodeTOML runs toml.Decode, turning a panic in the library into an error
// so that no input can crash the caller.
func decodeTOML(block []byte, v *map[string]any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("toml: parser failed: %v", r)
		}
	}()
	_, err = toml.Decode(string(block), v)
	return err
}

// tomlError translates a BurntSushi/toml error to an *Error with the file
// line; "Key 'x' has already been defined." becomes ErrDuplicateKey.
func (d *decoder) tomlError(err error, openLine int, lines map[string]int) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return d.errorf(openLine, "", "%w: %w", ErrSyntax, err)
	}
	line := 0
	if pe.Position.Line > 0 {
		line = openLine + pe.Position.Line
	}
	msg := strings.TrimSuffix(pe.Message, ".")
	if strings.HasSuffix(msg, "has already been defined") {
		key := msg
		if _, after, ok := strings.Cut(msg, "'"); ok {
			key, _, _ = strings.Cut(after, "'")
		}
		if first, ok := lines[key]; ok && openLine+first < line {
			return d.errorf(line, key, "%w (first at line %d): TOML forbids duplicate keys; remove one",
				ErrDuplicateKey, openLine+first)
		}
		return d.errorf(line, key, "%w: TOML forbids duplicate keys; remove one", ErrDuplicateKey)
	}
	return d.errorf(line, "", "%w: toml: %s", ErrSyntax, msg)
}

// tomlValue normalises a value from BurntSushi/toml at nesting depth depth.
func (d *decoder) tomlValue(v any, depth int, path string) (any, error) {
	if err := d.count(depth); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, item := range x {
			val, err := d.tomlValue(item, depth+1, joinKey(path, k))
			if err != nil {
				return nil, err
			}
			m[k] = val
		}
		return m, nil
	case []map[string]any: // array of tables
		return tomlList(d, x, depth, path)
	case []any:
		return tomlList(d, x, depth, path)
	case time.Time:
		switch x.Location().String() {
		case "datetime-local", "date-local", "time-local":
			// Local date-times have no zone: read the wall clock as UTC,
			// as YAML does for dates without one.
			return time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(),
				x.Nanosecond(), time.UTC), nil
		}
		return x, nil
	case string, bool, int64, float64:
		return x, nil
	}
	return nil, fmt.Errorf("%w: toml: unexpected value of type %T", ErrSyntax, v)
}

// tomlKeyLines scans a TOML block for the first line (1-based, in the block)
// of each top-level key: bare or quoted keys (and dotted keys' first part)
// before the first table header, and the first part of each table header. It
// skips multi-line strings; it is a heuristic the caller checks against the
// decoded keys.
func tomlKeyLines(block []byte) map[string]int {
	lines := map[string]int{}
	inTable := false
	multi := "" // the delimiter of an open multi-line string
	open := 0   // unclosed [ and { of a value spanning lines
	for i, raw := range strings.Split(string(block), "\n") {
		s := strings.TrimSpace(raw)
		if multi != "" {
			if strings.Count(s, multi)%2 == 1 {
				multi = ""
			}
			continue
		}
		if open > 0 {
			open += bracketBalance(s)
			continue
		}
		if s == "" || s[0] == '#' {
			continue
		}
		if s[0] == '[' {
			inTable = true
			if key, _, ok := tomlFirstKey(strings.TrimLeft(s, "[ \t")); ok {
				if _, seen := lines[key]; !seen {
					lines[key] = i + 1
				}
			}
			continue
		}
		if !inTable {
			if key, rest, ok := tomlFirstKey(s); ok && rest != "" && (rest[0] == '=' || rest[0] == '.') {
				if _, seen := lines[key]; !seen {
					lines[key] = i + 1
				}
			}
		}
		if _, value, ok := strings.Cut(s, "="); ok {
			open = max(bracketBalance(value), 0)
		}
		for _, q := range []string{`"""`, `'''`} {
			if strings.Count(s, q)%2 == 1 {
				multi = q
				break
			}
		}
	}
	return lines
}

// bracketBalance returns the number of [ and { in s minus the number of ]
// and }, outside strings and comments.
func bracketBalance(s string) int {
	n := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			return n
		case c == '[' || c == '{':
			n++
		case c == ']' || c == '}':
			n--
		}
	}
	return n
}

// tomlFirstKey reads a bare, "basic" or 'literal' key at the start of s and
// returns it with the rest of s after spaces.
func tomlFirstKey(s string) (key, rest string, ok bool) {
	if s == "" {
		return "", "", false
	}
	switch s[0] {
	case '"':
		end := 1
		for end < len(s) && s[end] != '"' {
			if s[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(s) {
			return "", "", false
		}
		k, err := strconv.Unquote(s[:end+1])
		if err != nil {
			return "", "", false
		}
		return k, strings.TrimLeft(s[end+1:], " \t"), true
	case '\'':
		k, after, found := strings.Cut(s[1:], "'")
		if !found {
			return "", "", false
		}
		return k, strings.TrimLeft(after, " \t"), true
	}
	end := 0
	for end < len(s) && isBareKeyByte(s[end]) {
		end++
	}
	if end == 0 {
		return "", "", false
	}
	return s[:end], strings.TrimLeft(s[end:], " \t"), true
}

// isBareKeyByte reports whether c may appear in a bare TOML key.
func isBareKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// tomlList converts each element of an array or array of tables.
func tomlList[T any](d *decoder, x []T, depth int, path string) (any, error) {
	list := make([]any, 0, len(x))
	for _, item := range x {
		val, err := d.tomlValue(item, depth+1, path)
		if err != nil {
			return nil, err
		}
		list = append(list, val)
	}
	return list, nil
}
