package post

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors wrapped by *Error; test for them with errors.Is.
var (
	// ErrUnclosed means a front matter block was opened but never closed.
	ErrUnclosed = errors.New("unclosed front matter")
	// ErrTooLarge means the file, the front matter block, its nesting or
	// its alias expansion is over one of the package's caps.
	ErrTooLarge = errors.New("too large")
	// ErrDuplicateKey means a TOML or JSON mapping defines the same key
	// twice. (YAML keeps the last, as Jekyll does, with a warning.)
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrSyntax means the front matter is not valid YAML, TOML or JSON.
	ErrSyntax = errors.New("syntax error")
	// ErrNotMapping means the front matter is a list or a scalar rather than
	// key: value pairs.
	ErrNotMapping = errors.New("front matter is not a mapping")
	// ErrEncoding means the file is not text Parse can read: invalid UTF-8
	// or a NUL byte in the front matter, UTF-16 without a byte-order mark,
	// or a broken UTF-16 or UTF-32 sequence.
	ErrEncoding = errors.New("not UTF-8 text")
)

// Error is an error about one post file. Its text reads like
// `post content/x.md: line 3: key "title": duplicate key (first at line 2)`;
// parts that are unknown are left out.
type Error struct {
	// Path is the file's path as given to Parse, Read or ReadFS.
	Path string
	// Line is the 1-based line in the file, or 0 when unknown.
	Line int
	// Key is the front matter key concerned, dotted for nested keys
	// ("params.title"), or "" when the error is not about one key.
	Key string
	// Err is the underlying error; it wraps one of the package's sentinels
	// or an I/O error.
	Err error
}

// Error returns the message, starting with "post" and the path.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("post")
	if e.Path != "" {
		b.WriteString(" ")
		b.WriteString(e.Path)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, ": key %q", e.Key)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
