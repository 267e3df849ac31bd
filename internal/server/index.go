package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/render"
	"github.com/ogcard/ogcard/internal/safefile"
	"github.com/ogcard/ogcard/internal/site"
)

// entry is one servable post of the index. It is immutable once published,
// except for keys, a cache of render keys by template name.
type entry struct {
	rel    string
	mod    time.Time
	size   int64
	photos string     // size and time of the photos the card names: keys go stale when they change
	card   *card.Card // nil when the file is not served (skipped, draft, broken)
	keys   sync.Map   // template name -> *renderKey; "cards "+name -> []render.CardRef
}

// snapshot is the index at one moment; requests read it without locks.
type snapshot struct {
	byPath map[string]*entry // URL path -> post
	byRel  map[string]*entry // every scanned file, served or not, for reuse
	list   []*entry          // served posts, newest first, for the preview page
}

// problem is a file the index could not use, for the log.
type problem struct {
	rel string
	err error
}

// refresh rescans the content tree and re-reads only files whose size or
// modification time changed, then publishes a new snapshot. Files are read
// through s.root, so a symlink out of the tree fails to open.
func (s *Server) refresh(ctx context.Context) (changed int, problems []problem, err error) {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	entries, err := site.Scan(ctx, s.cfg.Content, site.Options{Include: s.cfg.Include, Exclude: s.cfg.Exclude})
	if err != nil {
		return 0, nil, err
	}
	prev := s.index.Load()
	next := &snapshot{byPath: map[string]*entry{}, byRel: make(map[string]*entry, len(entries))}
	for _, se := range entries {
		if err := ctx.Err(); err != nil {
			return 0, nil, err
		}
		info, err := s.root.Stat(se.Rel)
		if err != nil {
			problems = append(problems, problem{se.Rel, err})
			continue
		}
		if !info.Mode().IsRegular() {
			problems = append(problems, problem{se.Rel, &fs.PathError{Op: "open", Path: se.Rel, Err: &safefile.NotRegularError{Mode: info.Mode()}}})
			continue
		}
		if old := prev.byRel[se.Rel]; old != nil && old.size == info.Size() && old.mod.Equal(info.ModTime()) {
			if sig := s.photoSig(old.rel, old.card); sig == old.photos {
				next.byRel[se.Rel] = old
				continue
			}
			// A speaker's photo changed: same card, new keys and pixels.
			changed++
			e := &entry{rel: old.rel, mod: old.mod, size: old.size, card: old.card, photos: s.photoSig(old.rel, old.card)}
			if err := s.warmKey(e); err != nil {
				problems = append(problems, problem{se.Rel, err})
			}
			next.byRel[se.Rel] = e
			continue
		}
		changed++
		e := &entry{rel: se.Rel, mod: info.ModTime(), size: info.Size()}
		c, err := s.readCard(se.Rel)
		var skip *card.SkipError
		switch {
		case errors.As(err, &skip):
		case err != nil:
			problems = append(problems, problem{se.Rel, err})
		case c.Draft:
		default:
			e.card = c
			e.photos = s.photoSig(se.Rel, c)
			if err := s.warmKey(e); err != nil {
				problems = append(problems, problem{se.Rel, err})
			}
		}
		next.byRel[se.Rel] = e
	}
	if len(next.byRel) != len(prev.byRel) {
		changed++ // files removed or unreadable now
	}
	// entries are sorted by Rel, so the first file claiming a URL path wins,
	// the same on every refresh.
	for _, se := range entries {
		e := next.byRel[se.Rel]
		if e == nil || e.card == nil {
			continue
		}
		if other, dup := next.byPath[e.card.URLPath]; dup {
			problems = append(problems, problem{e.rel, fmt.Errorf("URL path %s is already %s's; not served", e.card.URLPath, other.rel)})
			continue
		}
		next.byPath[e.card.URLPath] = e
		next.list = append(next.list, e)
	}
	slices.SortStableFunc(next.list, func(a, b *entry) int {
		if c := b.card.Date.Compare(a.card.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.card.URLPath, b.card.URLPath)
	})
	s.index.Store(next)
	return changed, problems, nil
}

// warmKey computes the key of e's card with the default template when the
// card shows photos, so that photos are hashed here, once per change, on
// the refresh's goroutine rather than on requests' goroutines outside the
// worker pool; and so that a photo that is not a regular file (a named
// pipe) is logged now. The entry is served either way: its requests fail
// with the same error.
func (s *Server) warmKey(e *entry) error {
	if e.card == nil || !render.HasPhotos(e.card) {
		return nil
	}
	_, err := e.key(s.cfg.Renderer, s.cfg.Template)
	return err
}

// readCard reads a post through the content root and normalises it.
func (s *Server) readCard(rel string) (c *card.Card, err error) {
	defer func() {
		if v := recover(); v != nil {
			c, err = nil, fmt.Errorf("post %s: panic: %v", rel, v)
		}
	}()
	s.opens.Add(1)
	// safefile.FS refuses a named pipe or device without blocking on it.
	p, err := post.ReadFS(safefile.FS(s.root), rel)
	if err != nil {
		return nil, err
	}
	return s.cfg.Renderer.Card(p)
}

// poll refreshes the index every interval until ctx is done.
func (s *Server) poll(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.Refresh(ctx)
	}
}

// Refresh rescans the content tree now and logs what it could not use. The
// server also calls it every Config.Poll.
func (s *Server) Refresh(ctx context.Context) error {
	start := time.Now()
	changed, problems, err := s.refresh(ctx)
	if err != nil {
		s.log.Error("index refresh failed", "err", err)
		return fmt.Errorf("index %s: %w", s.cfg.Content, err)
	}
	if changed == 0 {
		return nil // the same problems as last time, already logged
	}
	for _, p := range problems {
		s.log.Warn("post not served", "file", p.rel, "err", p.err)
	}
	s.log.Info("index refreshed", "posts", len(s.index.Load().byPath), "changed", changed, "ms", time.Since(start).Milliseconds())
	return nil
}

// photoSig is the size and modification time of every photo the card
// names, read inside the content root next to the post; "" when none.
func (s *Server) photoSig(rel string, c *card.Card) string {
	if c == nil {
		return ""
	}
	var b strings.Builder
	add := func(p card.Person) {
		if p.Avatar == "" || strings.Contains(p.Avatar, "://") {
			return
		}
		name := filepath.Join(filepath.Dir(rel), filepath.FromSlash(p.Avatar))
		if !filepath.IsLocal(name) {
			return
		}
		if info, err := s.root.Stat(name); err == nil {
			fmt.Fprintf(&b, "%s %d %d;", name, info.Size(), info.ModTime().UnixNano())
		} else {
			fmt.Fprintf(&b, "%s missing;", name)
		}
	}
	for _, p := range c.People() {
		add(p)
	}
	return b.String()
}
