// Package site discovers the posts of a content tree and splits them into
// shards. It only finds files; turning an entry into a card is Resolve's job,
// through a render.Renderer.
package site

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/render"
)

// Entry is one Markdown file found under a content root.
type Entry struct {
	Rel string // slash path relative to the root: "blog/2024-05-22-hello.md"
	Abs string // the file's path as the OS names it: root joined with Rel
}

// Options filters what Scan returns. The zero value finds every Markdown
// file. Options are read, never modified.
type Options struct {
	// Include keeps only files whose Rel matches one of these globs; empty
	// means all. Globs are path.Match patterns over slash paths where a "**"
	// segment matches zero or more whole segments ("blog/**/*.md").
	Include []string
	// Exclude drops files whose Rel matches one of these globs, and skips
	// folders that match one (a pattern "drafts/**" also prunes "drafts").
	Exclude []string
}

// exts are the extensions of the files Scan returns, lowercased.
var exts = []string{".md", ".mdx", ".markdown"}

// ErrBadPattern reports an include or exclude glob that path.Match rejects.
var ErrBadPattern = errors.New("bad glob pattern")

// Validate reports the first malformed glob of o.
func (o Options) Validate() error {
	for _, list := range [][]string{o.Include, o.Exclude} {
		for _, p := range list {
			if _, err := Match(p, "x"); err != nil {
				return fmt.Errorf("glob %q: %w", p, ErrBadPattern)
			}
		}
	}
	return nil
}

// Scan walks root and returns its Markdown files (.md, .mdx, .markdown, any
// case) sorted by Rel, so the order is the same on every run and machine. It
// skips dotfiles, dot-folders and node_modules, and applies opts' globs. It
// does not follow symbolic links. Markdown names that are not regular files
// (named pipes, sockets, devices) are returned: Resolve reports them. ctx is checked between files; a
// cancelled walk returns ctx's error. An unreadable folder below root fails
// the walk: a build that silently misses part of a site is worse than one
// that stops. Scan is safe for concurrent use.
func Scan(ctx context.Context, root string, opts Options) ([]Entry, error) {
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("site %s: %w", root, err)
	}
	info, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("site: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("site %s: not a folder", root)
	}
	var out []Entry
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if d.IsDir() {
			if strings.HasPrefix(name, ".") || name == "node_modules" || matchAny(opts.Exclude, rel) || matchAny(opts.Exclude, rel+"/") {
				return filepath.SkipDir
			}
			return nil
		}
		// A symbolic link is not followed. Any other Markdown name that is
		// not a regular file (a named pipe, socket or device) is returned,
		// so that reading it reports it by name instead of the build
		// silently missing a post; post.Read refuses it without blocking.
		if strings.HasPrefix(name, ".") || d.Type()&fs.ModeSymlink != 0 || !isMarkdown(name) {
			return nil
		}
		if len(opts.Include) > 0 && !matchAny(opts.Include, rel) {
			return nil
		}
		if matchAny(opts.Exclude, rel) {
			return nil
		}
		out = append(out, Entry{Rel: rel, Abs: p})
		return nil
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return nil, err
		}
		return nil, fmt.Errorf("site %s: %w", root, err)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Rel, b.Rel) })
	return out, nil
}

func isMarkdown(name string) bool {
	lower := strings.ToLower(name)
	for _, e := range exts {
		if strings.HasSuffix(lower, e) && len(lower) > len(e) {
			return true
		}
	}
	return false
}

func matchAny(patterns []string, rel string) bool {
	for _, p := range patterns {
		if ok, _ := Match(p, rel); ok {
			return true
		}
	}
	return false
}

// Match reports whether the slash path name matches pattern: path.Match per
// segment, where a "**" segment matches zero or more segments. A pattern
// with no "/" matches the base name at any depth ("*.mdx", "README.md"), as
// .gitignore does. A trailing "/" in name (a folder) is ignored except that
// "dir/**" then matches "dir/" itself.
func Match(pattern, name string) (bool, error) {
	pattern = strings.TrimPrefix(pattern, "./")
	if _, err := path.Match(strings.ReplaceAll(pattern, "**", "*"), ""); err != nil {
		return false, err
	}
	if !strings.Contains(pattern, "/") {
		base := path.Base(strings.TrimSuffix(name, "/"))
		return path.Match(pattern, base)
	}
	name = strings.TrimSuffix(name, "/")
	return matchSegs(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegs(pat, name []string) (bool, error) {
	for len(pat) > 0 {
		if pat[0] == "**" {
			rest := pat[1:]
			for i := 0; i <= len(name); i++ {
				if ok, err := matchSegs(rest, name[i:]); ok || err != nil {
					return ok, err
				}
			}
			return false, nil
		}
		if len(name) == 0 {
			return false, nil
		}
		ok, err := path.Match(pat[0], name[0])
		if !ok || err != nil {
			return false, err
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0, nil
}

// Shard returns the entries of shard i of n (0 <= i < n), chosen by a hash
// of Rel, so an entry stays in its shard when other files are added or
// removed and every entry is in exactly one shard. The order of entries is
// kept. n <= 1 returns entries unchanged; an i out of range returns nil.
// The result shares no memory with entries' backing array.
func Shard(entries []Entry, i, n int) []Entry {
	if n <= 1 {
		return slices.Clone(entries)
	}
	if i < 0 || i >= n {
		return nil
	}
	var out []Entry
	for _, e := range entries {
		h := fnv.New64a()
		h.Write([]byte(e.Rel))
		if h.Sum64()%uint64(n) == uint64(i) {
			out = append(out, e)
		}
	}
	return out
}

// Resolve reads e's file and turns it into a card with r. r's card options
// should have Root set to the root e was scanned from, so URL paths derive
// from e.Rel. It returns the card even for drafts (Card.Draft is set; the
// caller chooses); a file that is no post, or has no title, gives a
// *card.SkipError, found with errors.As; a malformed file gives a
// *post.Error or *card.FieldError naming the file and line. Resolve is safe
// for concurrent use.
func Resolve(r *render.Renderer, e Entry) (*card.Card, error) {
	p, err := post.Read(e.Abs)
	if err != nil {
		return nil, err
	}
	return r.Card(p)
}
