package ogcard

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/ogcard/ogcard/internal/lint"
	"github.com/ogcard/ogcard/internal/site"
)

// LintOptions configure Lint. Root or Files is required.
type LintOptions struct {
	// Root is a content folder: every Markdown post under it is checked
	// (dotfiles, dot-folders and node_modules skipped), drafts included.
	// URL paths derive from it, as in Build.
	Root string
	// Files are post files checked instead of a folder.
	Files []string
	// Templates are the templates whose cards are checked; nil means the
	// Renderer's DefaultTemplates.
	Templates []string
	// Jobs is the number of render workers; 0 means GOMAXPROCS.
	Jobs int
}

// LintFinding is one problem with one card, as `ogcard lint` prints it.
type LintFinding struct {
	Post    string `json:"post"`    // the post's file
	Card    string `json:"card"`    // "og", "session-03", "lineup-2of3"
	Rule    string `json:"rule"`    // one of LintRules
	Level   string `json:"level"`   // "info", "warning" or "error"
	Message string `json:"message"` // what is wrong, with the numbers measured
	Fix     string `json:"fix"`     // what to change
}

// String writes the finding on one line: post, card, level, rule, what
// is wrong and what to change.
func (f LintFinding) String() string {
	return fmt.Sprintf("%s: %s: %s %s: %s; %s", f.Post, f.Card, f.Level, f.Rule, f.Message, f.Fix)
}

// LintReport is what Lint found.
type LintReport struct {
	Posts    int           // posts checked (files that are no post are skipped)
	Cards    int           // cards drawn and checked
	Findings []LintFinding // sorted by post, card and rule
	Failures []error       // posts that could not be read or rendered
	Errors   int           // findings at level error: `ogcard lint` exits 1 when any
}

// LintRules returns the names of Lint's rules, which ogcard.yaml's lint
// section switches (level: off, info, warning, error) and tunes (value).
func LintRules() []string { return lint.Rules() }

// Lint renders every card the templates make of the posts and checks it
// as platforms show it: text cut off or under 6 px when the card is shown
// 400 px wide, text contrast against the pixels behind it under WCAG AA,
// text or logo outside X's 2:1 crop or WhatsApp's centre square, PNGs
// over a platform's byte limit or under its minimum size, characters no
// font has, and posts whose cards are identical. The config's lint
// section sets each rule's level and threshold. It is safe for concurrent
// use; renders run on Jobs goroutines and stop when ctx is done.
func (r *Renderer) Lint(ctx context.Context, o LintOptions) (*LintReport, error) {
	tmpls := o.Templates
	if len(tmpls) == 0 {
		tmpls = r.defaults
	}
	for _, t := range tmpls {
		if _, ok := r.r.Template(t); !ok {
			return nil, fmt.Errorf("lint: %w %q", ErrUnknownTemplate, t)
		}
	}
	var entries []site.Entry
	rr := r.r
	switch {
	case o.Root != "":
		var err error
		if entries, err = site.Scan(ctx, o.Root, site.Options{}); err != nil {
			return nil, convertErr(err)
		}
		rr = r.r.WithRoots(o.Root, "")
	default:
		for _, f := range o.Files {
			entries = append(entries, site.Entry{Rel: filepath.Base(f), Abs: f})
		}
	}
	rep, err := r.linter.Site(ctx, rr, entries, tmpls, o.Jobs)
	if err != nil {
		return nil, err
	}
	out := &LintReport{Posts: rep.Posts, Cards: rep.Cards, Failures: rep.Failures}
	for _, f := range rep.Findings {
		out.Findings = append(out.Findings, LintFinding{Post: f.Post, Card: f.Card, Rule: f.Rule, Level: f.Level.String(), Message: f.Message, Fix: f.Fix})
		if f.Level == lint.Error {
			out.Errors++
		}
	}
	return out, nil
}
