package post

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf16"

	"github.com/ogcard/ogcard/internal/safefile"
)

func date(y int, m time.Month, d, h, mi, s, ns int) time.Time {
	return time.Date(y, m, d, h, mi, s, ns, time.UTC)
}

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		format   Format
		front    map[string]any
		keyLines map[string]int
		bodyLine int
		body     string // checked when not "-"
	}{
		{
			name:     "yaml basic",
			in:       "---\ntitle: Hello\ndraft: false\nweight: 3\nratio: 1.5\n---\n# Body\n",
			format:   FormatYAML,
			front:    map[string]any{"title": "Hello", "draft": false, "weight": int64(3), "ratio": 1.5},
			keyLines: map[string]int{"title": 2, "draft": 3, "weight": 4, "ratio": 5},
			bodyLine: 7,
			body:     "# Body\n",
		},
		{
			name: "yaml dates quoted and unquoted",
			in: "---\nunquoted: 2024-05-22\nquoted: \"2024-05-22\"\nsingle: '2024-05-22'\n" +
				"millis: 2024-05-22T10:00:00.000Z\noffset: 2024-05-22T10:00:00+00:00\n" +
				"jekyll: 2013-11-22 05:00:00 +0000\nzoned: 2013-11-22 05:00:00 -07:00\n" +
				"slashes: 2024/05/22\ntagged: !!str 2024-05-22\n---\nbody",
			format: FormatYAML,
			front: map[string]any{
				"unquoted": date(2024, 5, 22, 0, 0, 0, 0),
				"quoted":   "2024-05-22",
				"single":   "2024-05-22",
				"millis":   date(2024, 5, 22, 10, 0, 0, 0),
				"offset":   date(2024, 5, 22, 10, 0, 0, 0),
				"jekyll":   date(2013, 11, 22, 5, 0, 0, 0),
				"zoned":    date(2013, 11, 22, 12, 0, 0, 0),
				"slashes":  "2024/05/22",
				"tagged":   "2024-05-22",
			},
			keyLines: map[string]int{"unquoted": 2, "quoted": 3, "single": 4, "millis": 5, "offset": 6,
				"jekyll": 7, "zoned": 8, "slashes": 9, "tagged": 10},
			bodyLine: 12,
			body:     "body",
		},
		{
			name: "yaml types are not checked here",
			in: "---\ntitle: [1, 2]\nnothing: ~\nempty:\nbig: 18446744073709551615\nhex: 0x1F\n" +
				"inf: .inf\nauthor:\n  name: Mikael Johansson Länsberg\n  tags: [a]\n---\n",
			format: FormatYAML,
			front: map[string]any{
				"title":   []any{int64(1), int64(2)},
				"nothing": nil,
				"empty":   nil,
				"big":     float64(math.MaxUint64),
				"hex":     int64(31),
				"inf":     math.Inf(1),
				"author":  map[string]any{"name": "Mikael Johansson Länsberg", "tags": []any{"a"}},
			},
			keyLines: map[string]int{"title": 2, "nothing": 3, "empty": 4, "big": 5, "hex": 6, "inf": 7, "author": 8},
			bodyLine: 12,
			body:     "",
		},
		{
			name:     "yaml after blank lines as Hugo reads it",
			in:       "\n  \n---\ntitle: x\n---\nbody\n",
			format:   FormatYAML,
			front:    map[string]any{"title": "x"},
			keyLines: map[string]int{"title": 4},
			bodyLine: 6,
			body:     "body\n",
		},
		{
			name:     "yaml empty front matter",
			in:       "---\n---\nbody\n",
			format:   FormatYAML,
			front:    map[string]any{},
			keyLines: map[string]int{},
			bodyLine: 3,
			body:     "body\n",
		},
		{
			name:     "yaml comments only",
			in:       "---\n# nothing yet\n---\n",
			format:   FormatYAML,
			front:    map[string]any{},
			keyLines: map[string]int{},
			bodyLine: 4,
			body:     "",
		},
		{
			name:     "yaml null document",
			in:       "---\n~\n---\n",
			format:   FormatYAML,
			front:    map[string]any{},
			keyLines: map[string]int{},
			bodyLine: 4,
			body:     "",
		},
		{
			name:     "yaml crlf",
			in:       "---\r\ntitle: CRLF\r\ndate: 2024-05-22T10:00:00.000Z\r\n---\r\nBody\r\n",
			format:   FormatYAML,
			front:    map[string]any{"title": "CRLF", "date": date(2024, 5, 22, 10, 0, 0, 0)},
			keyLines: map[string]int{"title": 2, "date": 3},
			bodyLine: 5,
			body:     "Body\r\n",
		},
		{
			name:     "yaml bom",
			in:       "\ufeff---\ntitle: BOM\n---\nBody\n",
			format:   FormatYAML,
			front:    map[string]any{"title": "BOM"},
			keyLines: map[string]int{"title": 2},
			bodyLine: 4,
			body:     "Body\n",
		},
		{
			name:     "yaml delimiters with trailing spaces",
			in:       "---  \ntitle: x\n---\t\nbody",
			format:   FormatYAML,
			front:    map[string]any{"title": "x"},
			keyLines: map[string]int{"title": 2},
			bodyLine: 4,
			body:     "body",
		},
		{
			name:     "yaml closed at end of file",
			in:       "---\ntitle: x\n---",
			format:   FormatYAML,
			front:    map[string]any{"title": "x"},
			keyLines: map[string]int{"title": 2},
			bodyLine: 4,
			body:     "",
		},
		{
			name: "yaml merge keys",
			in: "---\nbase: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n<<: {merged: yes, base: no}\n" +
				"after: 1\n---\n",
			format: FormatYAML,
			front: map[string]any{
				"base":   map[string]any{"x": int64(1), "y": int64(2)},
				"item":   map[string]any{"x": int64(1), "y": int64(3)},
				"merged": "yes",
				"after":  int64(1),
			},
			keyLines: map[string]int{"base": 2, "item": 3, "merged": 6, "after": 7},
			bodyLine: 9,
			body:     "",
		},
		{
			name:     "yaml lone CR counts as a line break for yaml but not for the file",
			in:       "---\na: \"x\ry\"\nb: 1\n---\n",
			format:   FormatYAML,
			front:    map[string]any{"a": "x y", "b": int64(1)},
			keyLines: map[string]int{"a": 2, "b": 3},
			bodyLine: 5,
			body:     "",
		},
		{
			name: "toml",
			in: "+++\ntitle = \"Announcing Rust 1.0\"\ndate = 2015-05-15T10:00:00Z\nlocal = 2015-05-15\n" +
				"localdt = 2015-05-15T10:30:00\ntags = [\n  [\"a\"],\n  \"b\",\n]\nn = 7\n" +
				"\"quoted key\" = 1.5\ndotted.part = true\n\n[extra]\nteam = \"Core\"\n\n[[sessions]]\n" +
				"title = \"one\"\n[[sessions]]\ntitle = \"two\"\n+++\n\nBody\n",
			format: FormatTOML,
			front: map[string]any{
				"title":      "Announcing Rust 1.0",
				"date":       date(2015, 5, 15, 10, 0, 0, 0),
				"local":      date(2015, 5, 15, 0, 0, 0, 0),
				"localdt":    date(2015, 5, 15, 10, 30, 0, 0),
				"tags":       []any{[]any{"a"}, "b"},
				"n":          int64(7),
				"quoted key": 1.5,
				"dotted":     map[string]any{"part": true},
				"extra":      map[string]any{"team": "Core"},
				"sessions":   []any{map[string]any{"title": "one"}, map[string]any{"title": "two"}},
			},
			keyLines: map[string]int{"title": 2, "date": 3, "local": 4, "localdt": 5, "tags": 6, "n": 10,
				"quoted key": 11, "dotted": 12, "extra": 14, "sessions": 17},
			bodyLine: 22,
			body:     "\nBody\n",
		},
		{
			name:     "toml multi-line string hides key-like lines",
			in:       "+++\nsummary = \"\"\"\ntitle = not a key\n\"\"\"\ntitle = \"real\"\n+++\n",
			format:   FormatTOML,
			front:    map[string]any{"summary": "title = not a key\n", "title": "real"},
			keyLines: map[string]int{"summary": 2, "title": 5},
			bodyLine: 7,
			body:     "",
		},
		{
			name: "toml brackets and dots in strings and comments are not nesting",
			in: "+++\na = \"" + strings.Repeat("[{.", 100) + "\"\nb = '" + strings.Repeat("[{.", 100) + "'\n" +
				"c = \"\"\"\n" + strings.Repeat("[{.", 100) + "\n\"\"\"\nd = 1 # " + strings.Repeat("[{.", 100) + "\n" +
				"e = [" + strings.Repeat("1.5, ", 100) + "]\n+++\n",
			format: FormatTOML,
			front: map[string]any{
				"a": strings.Repeat("[{.", 100),
				"b": strings.Repeat("[{.", 100),
				"c": strings.Repeat("[{.", 100) + "\n",
				"d": int64(1),
				"e": slices.Repeat([]any{1.5}, 100),
			},
			keyLines: map[string]int{"a": 2, "b": 3, "c": 4, "d": 7, "e": 8},
			bodyLine: 10,
			body:     "",
		},
		{
			name:     "toml bom and crlf",
			in:       "\ufeff+++\r\ntitle = \"BOM\"\r\n+++\r\nBody\r\n",
			format:   FormatTOML,
			front:    map[string]any{"title": "BOM"},
			keyLines: map[string]int{"title": 2},
			bodyLine: 4,
			body:     "Body\r\n",
		},
		{
			name:     "toml empty",
			in:       "+++\n+++\n",
			format:   FormatTOML,
			front:    map[string]any{},
			keyLines: map[string]int{},
			bodyLine: 3,
			body:     "",
		},
		{
			name: "json",
			in: "{\n  \"title\": \"JSON\",\n  \"date\": \"2024-05-22T10:00:00Z\",\n  \"tags\": [\"a\", 1, 2.5, null, true],\n" +
				"  \"nested\": {\"title\": \"inner\"}, \"same_line\": 1\n}\n\nBody\n",
			format: FormatJSON,
			front: map[string]any{
				"title":     "JSON",
				"date":      "2024-05-22T10:00:00Z",
				"tags":      []any{"a", int64(1), 2.5, nil, true},
				"nested":    map[string]any{"title": "inner"},
				"same_line": int64(1),
			},
			keyLines: map[string]int{"title": 2, "date": 3, "tags": 4, "nested": 5, "same_line": 5},
			bodyLine: 7,
			body:     "\nBody\n",
		},
		{
			name:     "json on one line after a bom",
			in:       "\ufeff{\"title\": \"x\"}  \nBody",
			format:   FormatJSON,
			front:    map[string]any{"title": "x"},
			keyLines: map[string]int{"title": 1},
			bodyLine: 2,
			body:     "Body",
		},
		{
			name:     "json empty object at end of file",
			in:       "{}",
			format:   FormatJSON,
			front:    map[string]any{},
			keyLines: map[string]int{},
			bodyLine: 2,
			body:     "",
		},
		{
			name:     "json crlf",
			in:       "{\r\n\"a\": 1,\r\n\"b\": 2\r\n}\r\nBody\r\n",
			format:   FormatJSON,
			front:    map[string]any{"a": int64(1), "b": int64(2)},
			keyLines: map[string]int{"a": 2, "b": 3},
			bodyLine: 5,
			body:     "Body\r\n",
		},
		{
			name:     "no front matter",
			in:       "# Only a heading\n\nText.\n",
			format:   FormatNone,
			front:    map[string]any{},
			keyLines: map[string]int{},
			bodyLine: 1,
			body:     "# Only a heading\n\nText.\n",
		},
		{
			name:     "no front matter with bom",
			in:       "\ufeff# Heading\n",
			format:   FormatNone,
			front:    map[string]any{},
			keyLines: map[string]int{},
			bodyLine: 1,
			body:     "# Heading\n",
		},
		{
			name:     "empty file",
			in:       "",
			format:   FormatNone,
			front:    map[string]any{},
			keyLines: map[string]int{},
			bodyLine: 1,
			body:     "",
		},
		{
			name:     "mdx expression is not json",
			in:       "{/* a comment */}\n# Title\n",
			format:   FormatNone,
			front:    map[string]any{},
			keyLines: map[string]int{},
			bodyLine: 1,
			body:     "{/* a comment */}\n# Title\n",
		},
		{
			name:     "dashes with text are not a delimiter",
			in:       "--- not front matter\n",
			format:   FormatNone,
			front:    map[string]any{},
			keyLines: map[string]int{},
			bodyLine: 1,
			body:     "--- not front matter\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("content/x.md", []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if p.Path != "content/x.md" {
				t.Errorf("Path = %q, want content/x.md", p.Path)
			}
			if p.Format != tt.format {
				t.Errorf("Format = %q, want %q", p.Format, tt.format)
			}
			if !sameValue(p.Front, tt.front) {
				t.Errorf("Front =\n%s\nwant\n%s", dump(p.Front), dump(tt.front))
			}
			if !reflect.DeepEqual(p.KeyLines, tt.keyLines) {
				t.Errorf("KeyLines = %v, want %v", p.KeyLines, tt.keyLines)
			}
			if p.BodyLine != tt.bodyLine {
				t.Errorf("BodyLine = %d, want %d", p.BodyLine, tt.bodyLine)
			}
			if string(p.Body) != tt.body {
				t.Errorf("Body = %q, want %q", p.Body, tt.body)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    error  // sentinel
		line    int    // want Error.Line
		key     string // want Error.Key
		message string // substring of Error()
	}{
		{
			name:    "yaml unclosed",
			in:      "---\ntitle: never closed\n\nBody text.\n",
			want:    ErrUnclosed,
			line:    1,
			message: "post content/x.md: line 1: unclosed front matter: the --- on this line opens yaml front matter that is never closed; close it with a line containing only ---",
		},
		{
			name:    "yaml unclosed after blank lines",
			in:      "\n\n---\ntitle: x",
			want:    ErrUnclosed,
			line:    3,
			message: "close it with a line containing only ---",
		},
		{
			name:    "toml unclosed",
			in:      "+++\ntitle = \"x\"\n---\n",
			want:    ErrUnclosed,
			line:    1,
			message: "close it with a line containing only +++",
		},
		{
			name:    "json unclosed",
			in:      "{\n  \"title\": \"x\",\n",
			want:    ErrUnclosed,
			line:    1,
			message: "close the object with a matching }",
		},
		{
			name:    "json unclosed runs into the body",
			in:      "{\n  \"title\": \"x\",\n\nBody\n",
			want:    ErrSyntax,
			line:    4,
			message: "invalid character 'B'",
		},
		{
			name:    "toml duplicate key",
			in:      "+++\ntitle = \"x\"\ntitle = \"y\"\n+++\n",
			want:    ErrDuplicateKey,
			line:    3,
			key:     "title",
			message: `post content/x.md: line 3: key "title": duplicate key (first at line 2): TOML forbids duplicate keys; remove one`,
		},
		{
			name:    "toml duplicate table",
			in:      "+++\n[extra]\na = 1\n[extra]\nb = 2\n+++\n",
			want:    ErrDuplicateKey,
			line:    4,
			key:     "extra",
			message: "(first at line 2)",
		},
		{
			name:    "json duplicate key",
			in:      "{\n\"title\": \"x\",\n\"title\": \"y\"\n}\n",
			want:    ErrDuplicateKey,
			line:    3,
			key:     "title",
			message: `post content/x.md: line 3: key "title": duplicate key (first at line 2): JSON parsers disagree on which value wins`,
		},
		{
			name:    "json duplicate nested key",
			in:      "{\"a\": {\"b\": 1,\n\"b\": 2}}\n",
			want:    ErrDuplicateKey,
			line:    2,
			key:     "a.b",
			message: "(first at line 1)",
		},
		{
			name:    "yaml syntax",
			in:      "---\ntitle: x\ntags: [a,\n---\n",
			want:    ErrSyntax,
			line:    3,
			message: "syntax error: yaml: did not find expected node content",
		},
		{
			name:    "yaml syntax in tab indentation",
			in:      "\n---\ntitle: x\n\tbad: tab\n---\n",
			want:    ErrSyntax,
			line:    4,
			message: "yaml:",
		},
		{
			name:    "yaml invalid explicit int",
			in:      "---\nn: !!int abc\n---\n",
			want:    ErrSyntax,
			line:    2,
			key:     "n",
			message: `"abc" is not a valid int`,
		},
		{
			name:    "toml syntax",
			in:      "+++\ntitle = \"x\"\ndate =\n+++\n",
			want:    ErrSyntax,
			line:    3,
			message: "syntax error: toml:",
		},
		{
			name:    "json syntax",
			in:      "{\n\"title\": x\n}\n",
			want:    ErrSyntax,
			line:    2,
			message: "syntax error: json:",
		},
		{
			name:    "json text after closing brace",
			in:      "{\"title\": \"x\"} Body\n",
			want:    ErrSyntax,
			line:    1,
			message: "start the body on the next line",
		},
		{
			name:    "yaml list",
			in:      "---\n- a list\n- not a mapping\n---\n",
			want:    ErrNotMapping,
			line:    2,
			message: "front matter is not a mapping: yaml: got a list; write key: value pairs",
		},
		{
			name:    "yaml scalar",
			in:      "---\njust some text\n---\n",
			want:    ErrNotMapping,
			line:    2,
			message: "got a single value (str)",
		},
		{
			name:    "yaml two documents",
			in:      "---\na: 1\n--- second\n---\n",
			want:    ErrSyntax,
			line:    3,
			message: "more than one document",
		},
		{
			name:    "yaml key is a list",
			in:      "---\n? [a, b]\n: c\n---\n",
			want:    ErrSyntax,
			line:    2,
			message: "keys must be plain text",
		},
		{
			name:    "yaml alias cycle",
			in:      "---\na: &a [*a]\n---\n",
			want:    ErrSyntax,
			line:    2,
			key:     "a",
			message: "alias *a refers to a value that contains it",
		},
		{
			name:    "yaml billion laughs",
			in:      mustRead(t, "testdata/aliases.md"),
			want:    ErrTooLarge,
			line:    7,
			key:     "f",
			message: "more than 100000 values",
		},
		{
			name:    "yaml deep nesting",
			in:      "---\na: " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n---\n",
			want:    ErrTooLarge,
			line:    2,
			key:     "a",
			message: "deeper than 64 levels",
		},
		{
			name:    "toml deep nesting",
			in:      "+++\na = 1\nb = " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n+++\n",
			want:    ErrTooLarge,
			line:    3,
			message: "toml: front matter nests deeper than 64 levels",
		},
		{
			name:    "toml deep inline tables",
			in:      "+++\na = " + strings.Repeat("{b=", 100) + "1" + strings.Repeat("}", 100) + "\n+++\n",
			want:    ErrTooLarge,
			line:    2,
			message: "toml: front matter nests deeper than 64 levels",
		},
		{
			name:    "toml key with too many parts",
			in:      "+++\n\na" + strings.Repeat(".a", 100) + " = 1\n+++\n",
			want:    ErrTooLarge,
			line:    3,
			message: "toml: a key has more than 64 dotted parts",
		},
		{
			name:    "json deep nesting",
			in:      `{"a": ` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "}\n",
			want:    ErrTooLarge,
			line:    1,
			key:     "a",
			message: "deeper than 64 levels",
		},
		{
			name:    "yaml oversized front matter",
			in:      "---\n" + strings.Repeat("k: 0123456789\n", MaxFrontMatterBytes/14+1) + "---\n",
			want:    ErrTooLarge,
			line:    1,
			message: "longer than 65536 bytes",
		},
		{
			name:    "yaml oversized and unclosed",
			in:      "---\n" + strings.Repeat("x", MaxFrontMatterBytes+10),
			want:    ErrTooLarge,
			line:    1,
			message: "longer than 65536 bytes",
		},
		{
			name:    "toml oversized front matter",
			in:      "+++\n" + strings.Repeat("# comment line\n", MaxFrontMatterBytes/15+1) + "+++\n",
			want:    ErrTooLarge,
			line:    1,
			message: "longer than 65536 bytes",
		},
		{
			name:    "json oversized front matter",
			in:      "{\"a\": \"" + strings.Repeat("x", MaxFrontMatterBytes) + "\"}\n",
			want:    ErrTooLarge,
			line:    1,
			message: "longer than 65536 bytes",
		},
		{
			name:    "yaml latin-1 byte",
			in:      "---\ntitle: x\nauthor: Ren\xe9 Roe\n---\n",
			want:    ErrEncoding,
			line:    3,
			message: "post content/x.md: line 3: not UTF-8 text: column 12: byte 0xE9 is not UTF-8 (the file may be Latin-1 or Windows-1252); save it as UTF-8",
		},
		{
			name:    "yaml nul byte",
			in:      "---\ntitle: x\n\nsummary: a\x00b\n---\n",
			want:    ErrEncoding,
			line:    4,
			message: "line 4: not UTF-8 text: column 11: a NUL byte in the front matter",
		},
		{
			name:    "toml invalid utf-8 after multibyte text",
			in:      "+++\ntitle = \"héllo \xff\"\n+++\n",
			want:    ErrEncoding,
			line:    2,
			message: "column 16: byte 0xFF",
		},
		{
			name:    "json invalid utf-8 in a string",
			in:      "{\n\"title\": \"x\",\n\"summary\": \"caf\xe9\"\n}\n",
			want:    ErrEncoding,
			line:    3,
			message: "column 16: byte 0xE9 is not UTF-8",
		},
		{
			name:    "json nul byte",
			in:      "{\n\"title\": \"x\x00\"\n}\n",
			want:    ErrEncoding,
			line:    2,
			message: "column 12: a NUL byte",
		},
		{
			name:    "utf-16le without a byte-order mark",
			in:      utf16le("---\ntitle: x\n---\n"),
			want:    ErrEncoding,
			line:    1,
			message: "post content/x.md: line 1: not UTF-8 text: the file looks like UTF-16LE without a byte-order mark (every other byte is zero); save it as UTF-8",
		},
		{
			name:    "utf-16be without a byte-order mark",
			in:      utf16be("---\ntitle: x\n---\n"),
			want:    ErrEncoding,
			message: "UTF-16BE without a byte-order mark",
		},
		{
			name:    "utf-16le unpaired surrogate",
			in:      "\xff\xfe" + utf16le("---\ntitle: x\n") + "\x00\xd8" + utf16le("\n---\n"),
			want:    ErrEncoding,
			line:    3,
			message: "not UTF-8 text: UTF-16LE: unpaired surrogate",
		},
		{
			name:    "utf-16 odd length",
			in:      "\xfe\xff" + utf16be("---\ntitle: x\n---\n") + "\x00",
			want:    ErrEncoding,
			message: "UTF-16BE: the file ends inside a character",
		},
		{
			name:    "utf-32le code point out of range",
			in:      "\xff\xfe\x00\x00" + utf32le("---\ntitle: ") + "\x00\x00\x11\x00",
			want:    ErrEncoding,
			line:    2,
			message: "UTF-32LE: invalid code point 0x110000",
		},
		{
			name:    "oversized file",
			in:      strings.Repeat("x", MaxFileBytes+1),
			want:    ErrTooLarge,
			message: "post content/x.md: too large: file has 8388609 bytes, the limit is 8388608",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("content/x.md", []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse = %v, want error %v", dump(p.Front), tt.want)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Parse error %q is not %v", err, tt.want)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error %q (%T) is not an *Error", err, err)
			}
			if pe.Path != "content/x.md" {
				t.Errorf("Error.Path = %q, want content/x.md", pe.Path)
			}
			if tt.line != 0 && pe.Line != tt.line {
				t.Errorf("Error.Line = %d, want %d (%v)", pe.Line, tt.line, err)
			}
			if pe.Key != tt.key {
				t.Errorf("Error.Key = %q, want %q", pe.Key, tt.key)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("Error() = %q, want it to contain %q", err, tt.message)
			}
		})
	}
}

// TestParseWarnings checks input Parse accepts with a warning: text in
// UTF-16 or UTF-32 with a byte-order mark, CR-only line endings, and YAML
// keys written twice (the last wins, as in Jekyll).
func TestParseWarnings(t *testing.T) {
	const post = "---\ntitle: Grüße 😀\ndate: 2024-01-02\n---\nBody\n"
	utf16Warning := func(name string) string {
		return "the file is " + name + " (it starts with a byte-order mark); ogcard decoded it, but site generators may not: save it as UTF-8"
	}
	const crWarning = "the file's lines end with CR alone (classic Mac OS); ogcard read them as line breaks, " +
		"but other tools may see one long line: save it with LF line endings"
	tests := []struct {
		name     string
		in       string
		title    any
		dateLine int
		body     string
		bodyLine int
		warnings []string
	}{
		{"utf-8", post, "Grüße 😀", 3, "Body\n", 5, nil},
		{"utf-8 with byte-order mark", "\xef\xbb\xbf" + post, "Grüße 😀", 3, "Body\n", 5, nil},
		{"crlf", strings.ReplaceAll(post, "\n", "\r\n"), "Grüße 😀", 3, "Body\r\n", 5, nil},
		{"utf-16le", "\xff\xfe" + utf16le(post), "Grüße 😀", 3, "Body\n", 5, []string{utf16Warning("UTF-16LE")}},
		{"utf-16be", "\xfe\xff" + utf16be(post), "Grüße 😀", 3, "Body\n", 5, []string{utf16Warning("UTF-16BE")}},
		{"utf-32le", "\xff\xfe\x00\x00" + utf32le(post), "Grüße 😀", 3, "Body\n", 5, []string{utf16Warning("UTF-32LE")}},
		{"utf-32be", "\x00\x00\xfe\xff" + utf32be(post), "Grüße 😀", 3, "Body\n", 5, []string{utf16Warning("UTF-32BE")}},
		{"cr only", strings.ReplaceAll(post, "\n", "\r"), "Grüße 😀", 3, "Body\n", 5, []string{crWarning}},
		{"utf-16le with cr only", "\xff\xfe" + utf16le(strings.ReplaceAll(post, "\n", "\r")), "Grüße 😀", 3, "Body\n", 5,
			[]string{utf16Warning("UTF-16LE"), crWarning}},
		{"yaml key repeated", "---\ntitle: News\ndate: 2024-01-02\ntitle: Nachrichten\n---\n", "Nachrichten", 3, "", 6,
			[]string{`line 4: key "title" repeats the one on line 2; the value on line 4 is used, as Jekyll does; remove one of them`}},
		{"yaml nested key repeated", "---\ntitle: x\nauthor:\n  name: a\n\n  name: b\n---\n", "x", 0, "", 8,
			[]string{`line 6: key "author.name" repeats the one on line 4; the value on line 6 is used, as Jekyll does; remove one of them`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse("content/x.md", []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse error: %v", err)
			}
			if p.Front["title"] != tt.title {
				t.Errorf("title = %q, want %q", p.Front["title"], tt.title)
			}
			if got := p.Line("date"); got != tt.dateLine {
				t.Errorf("Line(date) = %d, want %d", got, tt.dateLine)
			}
			if string(p.Body) != tt.body || p.BodyLine != tt.bodyLine {
				t.Errorf("Body = %q on line %d, want %q on line %d", p.Body, p.BodyLine, tt.body, tt.bodyLine)
			}
			if !slices.Equal(p.Warnings, tt.warnings) {
				t.Errorf("Warnings = %q, want %q", p.Warnings, tt.warnings)
			}
		})
	}
	t.Run("repeated key's line", func(t *testing.T) {
		p, err := Parse("content/x.md", []byte("---\ntitle: News\ntitle: Nachrichten\n---\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Line("title"); got != 3 {
			t.Errorf("Line(title) = %d, want 3 (the value used)", got)
		}
	})
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"all parts", &Error{Path: "a.md", Line: 3, Key: "title", Err: ErrDuplicateKey}, `post a.md: line 3: key "title": duplicate key`},
		{"no line", &Error{Path: "a.md", Key: "title", Err: ErrSyntax}, `post a.md: key "title": syntax error`},
		{"no key", &Error{Path: "a.md", Line: 1, Err: ErrUnclosed}, "post a.md: line 1: unclosed front matter"},
		{"no path", &Error{Line: 2, Err: ErrNotMapping}, "post: line 2: front matter is not a mapping"},
		{"no err", &Error{Path: "a.md"}, "post a.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLineAndKeyError(t *testing.T) {
	p, err := Parse("content/x.md", []byte("---\ntitle: x\ndate: 2024-13-45\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key  string
		line int
		want string
	}{
		{"date", 3, `post content/x.md: line 3: key "date": month out of range`},
		{"missing", 0, `post content/x.md: key "missing": month out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := p.Line(tt.key); got != tt.line {
				t.Errorf("Line(%q) = %d, want %d", tt.key, got, tt.line)
			}
			cause := errors.New("month out of range")
			err := p.KeyError(tt.key, cause)
			if err == nil || err.Error() != tt.want {
				t.Errorf("KeyError(%q) = %v, want %q", tt.key, err, tt.want)
			}
			if !errors.Is(err, cause) {
				t.Errorf("KeyError(%q) does not wrap its cause", tt.key)
			}
		})
	}
	if err := p.KeyError("date", nil); err != nil {
		t.Errorf("KeyError(date, nil) = %v, want nil", err)
	}
	var nilPost *Post
	if got := nilPost.Line("title"); got != 0 {
		t.Errorf("nil Post Line = %d, want 0", got)
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.md")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: Read must refuse it from its size, without reading it.
	if err := f.Truncate(MaxFileBytes + 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		path   string
		want   error // sentinel, or nil for success
		format Format
	}{
		{"yaml file", "testdata/yaml.md", nil, FormatYAML},
		{"toml file", "testdata/toml.md", nil, FormatTOML},
		{"json file", "testdata/json.md", nil, FormatJSON},
		{"missing file", filepath.Join(dir, "missing.md"), fs.ErrNotExist, ""},
		{"too large", big, ErrTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Read(tt.path)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("Read(%s) error = %v, want %v", tt.path, err, tt.want)
				}
				if !strings.HasPrefix(err.Error(), "post "+tt.path+": ") {
					t.Errorf("Read error %q does not start with the path", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read(%s): %v", tt.path, err)
			}
			if p.Format != tt.format || p.Front["title"] == nil || p.Line("title") != 2 {
				t.Errorf("Read(%s) = format %q, title %v at line %d; want format %q, title at line 2",
					tt.path, p.Format, p.Front["title"], p.Line("title"), tt.format)
			}
		})
	}
}

func TestReadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"posts/a.md":   {Data: []byte("---\ntitle: A\n---\nBody\n")},
		"posts/dir":    {Mode: fs.ModeDir},
		"posts/bad.md": {Data: []byte("---\ntitle: A\n")},
	}
	tests := []struct {
		name    string
		file    string
		want    error // sentinel, or nil for success
		message string
	}{
		{"post", "posts/a.md", nil, ""},
		{"missing", "posts/none.md", fs.ErrNotExist, "post posts/none.md: "},
		{"directory", "posts/dir", safefile.ErrNotRegular, "post posts/dir: open: is a folder, not a regular file"},
		{"unclosed", "posts/bad.md", ErrUnclosed, "post posts/bad.md: line 1: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ReadFS(fsys, tt.file)
			if tt.message == "" {
				if err != nil {
					t.Fatalf("ReadFS(%s): %v", tt.file, err)
				}
				if p.Front["title"] != "A" || string(p.Body) != "Body\n" || p.BodyLine != 4 {
					t.Errorf("ReadFS(%s) = title %v, body %q at line %d", tt.file, p.Front["title"], p.Body, p.BodyLine)
				}
				return
			}
			if err == nil {
				t.Fatalf("ReadFS(%s) succeeded, want error", tt.file)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("ReadFS(%s) error = %v, want %v", tt.file, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.message) {
				t.Errorf("ReadFS(%s) error = %q, want prefix %q", tt.file, err, tt.message)
			}
		})
	}
}

// TestCorpus parses every post of the shared corpus of real sites: none may
// panic, and every failure is listed.
func TestCorpus(t *testing.T) {
	dir := os.Getenv("OGCARD_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not found at %s (set OGCARD_CORPUS to its folder): %v", dir, err)
	}
	counts := map[Format]int{}
	var failures []string
	total := 0
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".md", ".mdx", ".markdown":
		default:
			return nil
		}
		if e.IsDir() {
			return nil
		}
		total++
		p, err := Read(path)
		if err != nil {
			failures = append(failures, err.Error())
			return nil
		}
		counts[p.Format]++
		checkInvariants(t, path, mustReadBytes(t, path), p)
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	if total == 0 {
		t.Fatalf("no posts under %s", dir)
	}
	t.Logf("%d files: yaml %d, toml %d, json %d, none %d, errors %d", total,
		counts[FormatYAML], counts[FormatTOML], counts[FormatJSON], counts[FormatNone], len(failures))
	for _, f := range failures {
		t.Logf("error: %s", f)
	}
	// Real posts all parse; a handful of failures would be worth a look,
	// more means the parser regressed.
	if len(failures) > total/100 {
		t.Errorf("%d of %d corpus files failed to parse", len(failures), total)
	}
}

func FuzzParse(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*.md"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.md", data)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %q (%T) is not an *Error", err, err)
			}
			if lines := bytes.Count(textOf(data), []byte("\n")) + 1; pe.Line < 0 || pe.Line > lines {
				t.Fatalf("error line %d outside the file's %d lines: %v", pe.Line, lines, err)
			}
			return
		}
		checkInvariants(t, "fuzz.md", data, p)
	})
}

// textOf returns data as Parse reads it: as UTF-8 with LF line endings,
// without a byte-order mark; data itself when it cannot be decoded.
func textOf(data []byte) []byte {
	if text, _, err := decodeText("", data); err == nil {
		return text
	}
	return data
}

// checkInvariants checks what holds for every successful Parse of data.
func checkInvariants(t *testing.T, name string, data []byte, p *Post) {
	t.Helper()
	data = textOf(data)
	lines := bytes.Count(data, []byte("\n")) + 1
	for key, line := range p.KeyLines {
		if line < 1 || line > lines {
			t.Errorf("%s: KeyLines[%q] = %d, outside the file's %d lines", name, key, line, lines)
		}
		if _, ok := p.Front[key]; !ok {
			t.Errorf("%s: KeyLines has %q, which Front lacks", name, key)
		}
	}
	if p.BodyLine < 1 || p.BodyLine > lines+1 {
		t.Errorf("%s: BodyLine = %d, file has %d lines", name, p.BodyLine, lines)
	}
	if !bytes.HasSuffix(data, p.Body) {
		t.Errorf("%s: Body is not the end of the file", name)
	}
	if got := bytes.Count(data[:len(data)-len(p.Body)], []byte("\n")) + 1; len(p.Body) > 0 && got != p.BodyLine {
		t.Errorf("%s: Body starts on line %d, BodyLine = %d", name, got, p.BodyLine)
	}
	checkTypes(t, name, p.Front, 0)
}

// checkTypes fails when v holds a type outside the normalised set.
func checkTypes(t *testing.T, name string, v any, depth int) {
	t.Helper()
	if depth > MaxDepth+1 {
		t.Errorf("%s: value nests deeper than MaxDepth", name)
		return
	}
	switch x := v.(type) {
	case nil, string, bool, int64, float64, time.Time:
	case []any:
		for _, item := range x {
			checkTypes(t, name, item, depth+1)
		}
	case map[string]any:
		for _, item := range x {
			checkTypes(t, name, item, depth+1)
		}
	default:
		t.Errorf("%s: value of type %T outside the normalised types", name, v)
	}
}

// sameValue compares normalised values, times by instant.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, sameValue)
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// dump formats a front matter map with types, keys sorted.
func dump(m map[string]any) string {
	var b strings.Builder
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "  %s: %T %v\n", k, m[k], m[k])
	}
	return b.String()
}

func mustReadBytes(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	return string(mustReadBytes(t, path))
}

// utf16le encodes s as UTF-16LE, without a byte-order mark.
func utf16le(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return string(b)
}

// utf16be encodes s as UTF-16BE, without a byte-order mark.
func utf16be(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.BigEndian.AppendUint16(b, u)
	}
	return string(b)
}

// utf32le and utf32be encode s as UTF-32, without a byte-order mark.
func utf32le(s string) string {
	var b []byte
	for _, r := range s {
		b = binary.LittleEndian.AppendUint32(b, uint32(r))
	}
	return string(b)
}

func utf32be(s string) string {
	var b []byte
	for _, r := range s {
		b = binary.BigEndian.AppendUint32(b, uint32(r))
	}
	return string(b)
}
