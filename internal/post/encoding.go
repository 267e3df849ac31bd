package post

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Byte-order marks, longest first: the UTF-32LE mark starts with the
// UTF-16LE one.
var boms = []struct {
	mark  []byte
	name  string
	width int  // bytes per code unit; 1 for UTF-8
	big   bool // big-endian
}{
	{[]byte("\xff\xfe\x00\x00"), "UTF-32LE", 4, false},
	{[]byte("\x00\x00\xfe\xff"), "UTF-32BE", 4, true},
	{[]byte("\xef\xbb\xbf"), "UTF-8", 1, false},
	{[]byte("\xff\xfe"), "UTF-16LE", 2, false},
	{[]byte("\xfe\xff"), "UTF-16BE", 2, true},
}

// decodeText returns data as UTF-8 without a byte-order mark and with LF (or
// CRLF) line endings. UTF-16 and UTF-32 with a byte-order mark are decoded
// (what Windows PowerShell 5 writes with > or Out-File), and CR-only line
// endings (classic Mac OS) become LF, each with a warning: the user gets a
// card, and learns why other tools may not read the file. Text that looks
// like UTF-16 without a mark is an error, since guessing could garble it.
func decodeText(path string, data []byte) ([]byte, []string, error) {
	var warnings []string
	for _, b := range boms {
		if !bytes.HasPrefix(data, b.mark) {
			continue
		}
		data = data[len(b.mark):]
		if b.width == 1 {
			break
		}
		text, err := decodeUnits(data, b.width, b.big)
		if err != nil {
			return nil, nil, &Error{Path: path, Line: bytes.Count(text, []byte("\n")) + 1,
				Err: fmt.Errorf("%w: %s: %w; save the file as UTF-8", ErrEncoding, b.name, err)}
		}
		data = text
		warnings = append(warnings, fmt.Sprintf("the file is %s (it starts with a byte-order mark); "+
			"ogcard decoded it, but site generators may not: save it as UTF-8", b.name))
		break
	}
	if name, ok := bomlessUTF16(data); ok {
		return nil, nil, &Error{Path: path, Line: 1, Err: fmt.Errorf("%w: the file looks like %s without a byte-order mark "+
			"(every other byte is zero); save it as UTF-8", ErrEncoding, name)}
	}
	if bytes.IndexByte(data, '\n') < 0 && bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
		warnings = append(warnings, "the file's lines end with CR alone (classic Mac OS); "+
			"ogcard read them as line breaks, but other tools may see one long line: save it with LF line endings")
	}
	return data, warnings, nil
}

// decodeUnits decodes UTF-16 (width 2) or UTF-32 (width 4) to UTF-8. On a
// broken sequence it returns the text decoded so far and an error.
func decodeUnits(data []byte, width int, big bool) ([]byte, error) {
	out := make([]byte, 0, len(data)*3/width)
	unit := func(i int) rune {
		b := data[i : i+width]
		var r uint32
		for k := range width {
			if big {
				r = r<<8 | uint32(b[k])
			} else {
				r |= uint32(b[k]) << (8 * k)
			}
		}
		return rune(r)
	}
	i := 0
	for ; i+width <= len(data); i += width {
		r := unit(i)
		if width == 2 && utf16.IsSurrogate(r) {
			if r >= 0xDC00 || i+2*width > len(data) {
				return out, fmt.Errorf("unpaired surrogate %U at byte %d", r, i)
			}
			r = utf16.DecodeRune(r, unit(i+width))
			if r == utf8.RuneError {
				return out, fmt.Errorf("unpaired surrogate at byte %d", i)
			}
			i += width
		}
		if !utf8.ValidRune(r) {
			return out, fmt.Errorf("invalid code point %#x at byte %d", uint32(r), i)
		}
		out = utf8.AppendRune(out, r)
	}
	if i != len(data) {
		return out, fmt.Errorf("the file ends inside a character (its length is not a multiple of %d bytes)", width)
	}
	return out, nil
}

// bomlessUTF16 reports whether data starts like UTF-16 text without a
// byte-order mark: ASCII characters each paired with a zero byte.
func bomlessUTF16(data []byte) (string, bool) {
	if len(data) < 4 {
		return "", false
	}
	switch {
	case data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0:
		return "UTF-16LE", true
	case data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0:
		return "UTF-16BE", true
	}
	return "", false
}

// checkText returns an ErrEncoding error for the first invalid UTF-8
// sequence or NUL byte in b, a front matter block starting on file line
// line. Decoders would otherwise reject it with a vaguer message or, for
// JSON, silently replace it with U+FFFD.
func (d *decoder) checkText(b []byte, line int) error {
	col := 1 // in characters
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return d.errorf(line, "", "%w: column %d: byte 0x%02X is not UTF-8 (the file may be Latin-1 or Windows-1252); "+
				"save it as UTF-8", ErrEncoding, col, b[i])
		case r == 0:
			return d.errorf(line, "", "%w: column %d: a NUL byte in the front matter; remove it "+
				"(if the file is UTF-16, save it as UTF-8)", ErrEncoding, col)
		case r == '\n':
			line, col = line+1, 0
		}
		col++
		i += size
	}
	return nil
}
