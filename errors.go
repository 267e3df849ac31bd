package ogcard

import (
	"errors"
	"fmt"

	"github.com/ogcard/ogcard/internal/build"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/render"
	"github.com/ogcard/ogcard/internal/server"
)

// Sentinel errors, found with errors.Is.
var (
	// ErrUnknownTemplate is a template name the Renderer does not know.
	ErrUnknownTemplate = errors.New("unknown template")
	// ErrNoCards is a repeating template (one card per session) asked to
	// draw a post that lists no sessions.
	ErrNoCards = errors.New("the post lists no sessions for this template")
	// ErrOverBudget is wrapped by *BudgetError.
	ErrOverBudget = errors.New("card over its byte budget")
	// ErrBuildConfig is a Build that did not start because of its options
	// (a bad glob, an unknown template, a missing content folder); nothing
	// was written.
	ErrBuildConfig = errors.New("bad build configuration")
	// ErrManifest is a manifest that cannot be read or merged: malformed,
	// or of a format version this package does not know.
	ErrManifest = errors.New("bad manifest")
	// ErrQueryTooLong is a URL Sign would make longer than a Handler
	// reads (MaxQueryBytes).
	ErrQueryTooLong = errors.New("query too long")
)

// PostError is a post that cannot be read: a syntax error in its front
// matter, a value of the wrong type, a date that is no date, a file too
// large or missing. Its text reads
// `post content/x.md: line 3: key "date": "2024-13-45": month out of range`.
type PostError struct {
	File string // the post's path as given
	Line int    // 1-based line in the file; 0 when unknown
	Key  string // the front matter key at fault ("params.title" when nested); "" when none
	// Err is the cause; PostError's text is Err's. errors.Is(err,
	// fs.ErrNotExist) holds for a missing file.
	Err error
}

// Error returns the message, which names the file, line and key.
func (e *PostError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *PostError) Unwrap() error { return e.Err }

// SkipError is a file that is not turned into a card, and why: not a post
// (a section index, a README, a layout), or no title. Batch callers count
// it apart from failures.
type SkipError struct {
	File   string // the file's path as given
	Reason string // "not a post", "no title"
	Detail string // "section index page", "file name README.md", ...
}

// Error reads "skipped: not a post: section index page".
func (e *SkipError) Error() string {
	if e.Detail == "" {
		return "skipped: " + e.Reason
	}
	return "skipped: " + e.Reason + ": " + e.Detail
}

// BudgetError is a card still over Options.MaxBytes after shrinking, from a
// Renderer with Options.FailOverBudget. It wraps ErrOverBudget.
type BudgetError struct {
	Source   string // the card's post
	Template string // the template's name
	Suffix   string // which card of a multi-card template; see Image.Suffix
	Bytes    int    // the smallest encoding found
	Budget   int    // Options.MaxBytes
}

// Error reads "content/x.md: og card is 412 KB, over the 300 KB budget:
// simplify its background or raise the budget".
func (e *BudgetError) Error() string {
	name := e.Template
	if e.Suffix != "" {
		name += " " + e.Suffix
	}
	return fmt.Sprintf("%s: %s card is %d KB, over the %d KB budget: simplify its background or raise the budget", e.Source, name, e.Bytes/1000, e.Budget/1000)
}

// Unwrap returns ErrOverBudget.
func (e *BudgetError) Unwrap() error { return ErrOverBudget }

// kindError keeps an internal error's text and chain and adds a public
// sentinel to it.
type kindError struct{ err, kind error }

func (e *kindError) Error() string   { return e.err.Error() }
func (e *kindError) Unwrap() []error { return []error{e.err, e.kind} }

// convertErr turns the internal packages' errors into this package's types,
// keeping their text.
func convertErr(err error) error {
	if err == nil {
		return nil
	}
	var pe *post.Error
	var fe *card.FieldError
	switch {
	case errors.As(err, &pe):
		return &PostError{File: pe.Path, Line: pe.Line, Key: pe.Key, Err: err}
	case errors.As(err, &fe):
		return &PostError{File: fe.Path, Line: fe.Line, Key: fe.Key, Err: err}
	case errors.Is(err, render.ErrUnknownTemplate):
		return &kindError{err, ErrUnknownTemplate}
	case errors.Is(err, render.ErrNoCards):
		return &kindError{err, ErrNoCards}
	case errors.Is(err, build.ErrConfig):
		return &kindError{err, ErrBuildConfig}
	case errors.Is(err, build.ErrManifest):
		return &kindError{err, ErrManifest}
	case errors.Is(err, server.ErrQueryTooLong):
		return &kindError{err, ErrQueryTooLong}
	}
	return err
}

// convertPostErr is convertErr for the card of the post at path, which may
// also be skipped.
func convertPostErr(path string, err error) error {
	var se *card.SkipError
	if errors.As(err, &se) {
		return &SkipError{File: path, Reason: se.Reason.String(), Detail: se.Detail}
	}
	return convertErr(err)
}
