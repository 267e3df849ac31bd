// Package build renders the cards of every post of a site: in parallel,
// incrementally (a card whose key is in the manifest and whose file is in
// place is not drawn again), with atomic writes, and with a manifest for the
// site's templates. One bad post is reported and the others are built.
package build

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ogcard/ogcard/internal/alt"
	"github.com/ogcard/ogcard/internal/atomicfile"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/lint"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/render"
	"github.com/ogcard/ogcard/internal/site"
)

// ErrConfig wraps errors in Options: the build did not start and wrote
// nothing. Callers map it to a usage exit code.
var ErrConfig = errors.New("bad build configuration")

// Options configure Build. Root and either OutDir or Colocate are required.
type Options struct {
	// Root is the content folder; post paths in the manifest are relative
	// to it. The Renderer's card options should have the same Root so URL
	// paths derive from it.
	Root string
	// OutDir receives the cards (by URL path: OutDir/blog/x.png) and the
	// manifest. With Colocate it holds the manifest only, and may be ""
	// (the manifest then goes in Root).
	OutDir string
	// Colocate writes each card at the path the post's own image field
	// (ogImage, image, ...) names, relative to the post's folder.
	Colocate bool
	// Force lets Colocate overwrite a file the manifest does not list as
	// ogcard's own.
	Force bool
	// Templates are the template names drawn per post; nil means "og".
	Templates []string
	// Site filters the files of Root.
	Site site.Options
	// Shard and Shards select shard Shard of Shards (0 <= Shard < Shards);
	// Shards <= 1 builds everything.
	Shard, Shards int
	// Jobs is the number of render workers; <= 0 means GOMAXPROCS.
	Jobs int
	// Drafts builds draft posts too; by default they are skipped.
	Drafts bool
	// StateFile is where the build keeps what it needs for the next run
	// (keys, source paths, sizes and times, in the Manifest format); ""
	// means OutDir/ManifestName. Card paths in it stay relative to OutDir.
	StateFile string
	// FailFast stops the build at the first failed post.
	FailFast bool
	// Lint, when set, checks each card drawn (not those unchanged) and
	// adds its findings to the card warnings (ogcard lint's rules).
	Lint *lint.Linter
	// Progress, when set, is called after each card is rendered or fails,
	// never concurrently with itself. It must return quickly.
	Progress func(Progress)
}

// Progress is a snapshot of the render phase.
type Progress struct {
	Done, Total int // cards
	Elapsed     time.Duration
}

// Report says what a build did. Posts, Rendered, Unchanged, Skipped,
// Failed and Interrupted count posts: each post found has exactly one
// outcome, so Rendered + Unchanged + the Skipped total + Failed +
// Interrupted == Posts (Build checks it and fails when it does not hold).
// CardsRendered and CardsUnchanged count card files.
type Report struct {
	Posts     int // posts found (after sharding)
	Rendered  int // posts built with at least one card drawn
	Unchanged int // posts built with no card drawn: every card (there may be none) was in place
	// Skipped counts posts not built, by reason ("not a post", "draft", ...).
	Skipped map[string]int
	Failed  int // posts that failed
	// Interrupted counts posts left unfinished because the build was
	// cancelled (or stopped by FailFast); the next build finishes them.
	Interrupted    int
	CardsRendered  int       // cards drawn and written, of every post
	CardsUnchanged int       // cards whose key and file matched the manifest: not drawn
	Removed        int       // cards of posts that are gone, or paths no longer built, deleted
	Failures       []Failure // one per failed post, sorted by path
	// Warnings are about the build itself: an unreadable manifest, stale
	// temporary files removed.
	Warnings []string
	// CardWarnings are things writers may fix, "path: warning".
	CardWarnings []string
	Manifest     string // the manifest file written, "" if none
	// DefaultNamed lists the page bundles (index.md) without an ogImage
	// whose cards --colocate named DefaultColocateName in their folder.
	DefaultNamed []string
	Elapsed      time.Duration
	Cancelled    bool // the context was cancelled before the build finished
}

// Failure is one post that could not be built.
type Failure struct {
	Path   string `json:"path"`           // the post's file, Root joined with its relative path
	Line   int    `json:"line,omitempty"` // 1-based, 0 when unknown
	Reason string `json:"reason"`
}

// String reads "path:line: reason" (or "path: reason").
func (f Failure) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", f.Path, f.Line, f.Reason)
	}
	return fmt.Sprintf("%s: %s", f.Path, f.Reason)
}

// item is one post as it moves through the build.
type item struct {
	e     site.Entry
	c     *card.Card
	skip  string // skip reason, "" when built
	fail  error  // set by one goroutine at a time: resolve, plan, or under Build's mutex
	slots []slot
	// planned is set once the post's cards are known and placed; slots
	// may then be empty (a multi-card template with nothing to repeat).
	planned bool

	size, mod int64 // the post file's size and modification time (Unix ns)
	reused    *Post // the previous manifest's entry, when nothing it depends on changed
}

// slot is one template's card of one post.
type slot struct {
	tmpl, key string
	suffix    string  // which card of a multi-card template ("03", "2of3"); "" for one
	dest      string  // OS path of the card
	file      string  // manifest path of the card
	alt       string  // its alternative text
	old       *Output // this template's output in the previous manifest
	out       *Output // the output now on disk: new, unchanged, or old
	render    bool
	unchanged bool
	drawn     bool // rendered and written by this build
}

// Build renders the cards of the posts under opts.Root with r, writes the
// manifest and returns a report. A failed post does not stop the build
// (unless FailFast) and is not an error: it is in Report.Failures. The error
// is for what stops the whole build: bad options (wrapping ErrConfig,
// nothing written), an unwritable output folder or manifest, or ctx's
// error when cancelled (the manifest is still written with the work done).
// r is shared by the workers; Build starts at most opts.Jobs goroutines that
// render, and holds at most one image per worker in memory.
func Build(ctx context.Context, r *render.Renderer, opts Options) (*Report, error) {
	start := time.Now()
	rep := &Report{Skipped: map[string]int{}}
	tmpls := opts.Templates
	if len(tmpls) == 0 {
		tmpls = []string{"og"}
	}
	if err := validate(r, &opts, tmpls); err != nil {
		return rep, err
	}
	entries, err := site.Scan(ctx, opts.Root, opts.Site)
	if err != nil {
		if ctx.Err() != nil {
			return rep, err
		}
		return rep, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	entries = site.Shard(entries, opts.Shard, opts.Shards)
	rep.Posts = len(entries)

	manDir := opts.OutDir
	if manDir == "" {
		manDir = opts.Root
	}
	manFile := filepath.Join(manDir, ManifestName)
	if opts.StateFile != "" {
		manFile = opts.StateFile
		if err := os.MkdirAll(filepath.Dir(manFile), 0o755); err != nil {
			return rep, fmt.Errorf("state folder: %w", err)
		}
	}
	cleanDone := func() {}
	if !opts.Colocate {
		if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
			return rep, fmt.Errorf("output folder: %w", err)
		}
		// Temporary files an interrupted build left are looked for on
		// the other core while posts are checked and read (in a no-op
		// build of a dated blog, a folder per post to list), and gone
		// before this build writes any file.
		cleaned := make(chan int, 1)
		go func() { cleaned <- cleanOutput(opts.OutDir) }()
		cleanDone = sync.OnceFunc(func() {
			if n := <-cleaned; n > 0 {
				rep.Warnings = slices.Insert(rep.Warnings, 0, fmt.Sprintf("removed %d temporary files left by an interrupted build", n))
			}
		})
		defer cleanDone() // a build that stops early still waits for it
	} else if opts.OutDir != "" {
		if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
			return rep, fmt.Errorf("output folder: %w", err)
		}
	}
	old := map[string]*Post{}
	oldMan, err := ReadManifest(manFile)
	if err == nil {
		for i := range oldMan.Posts {
			old[oldMan.Posts[i].Source] = &oldMan.Posts[i]
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%v; rebuilding every card", err))
	}

	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex // guards item.fail after planning, done, Progress calls
	failed := func(it *item, err error) {
		mu.Lock()
		if it.fail == nil {
			it.fail = err
		}
		mu.Unlock()
		if opts.FailFast {
			cancel()
		}
	}

	// A post whose file, renderer inputs and build options are all as the
	// last build recorded, and whose cards are on disk, is not read again:
	// on a site where nothing changed that is most of a no-op build's time.
	inputs, err := r.InputsKey(tmpls, fmt.Sprint(opts.Drafts, opts.Colocate, entryFormat))
	if err != nil {
		return rep, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	items := make([]item, len(entries))
	for i, e := range entries {
		items[i].e = e
	}
	parallel(runCtx, jobs, len(items), func(i int) {
		it := &items[i]
		if info, err := os.Stat(it.e.Abs); err == nil {
			it.size, it.mod = info.Size(), info.ModTime().UnixNano()
			if prev := old[it.e.Rel]; prev != nil && prev.Error == "" && !prev.Photos && prev.Inputs == inputs &&
				prev.SourceSize == it.size && prev.SourceMod == it.mod && outputsIntact(manDir, prev) {
				it.reused = prev
				return
			}
		}
		c, err := resolve(r, it.e)
		var skip *card.SkipError
		switch {
		case errors.As(err, &skip):
			it.skip = skip.Reason.String()
		case err != nil:
			failed(it, err)
		case c.Draft && !opts.Drafts:
			it.skip = card.Draft.String()
		default:
			it.c = c
		}
	})

	cleanDone()

	// Planning is serial so collisions are reported the same way each run.
	taken := map[string]string{} // dest -> source that writes it
	cleaned := map[string]bool{}
	var tasks [][2]int
	for i := range items {
		if p := items[i].reused; p != nil {
			for _, o := range p.Outputs {
				taken[filepath.Join(manDir, filepath.FromSlash(o.File))] = items[i].e.Abs
			}
		}
	}
	for i := range items {
		it := &items[i]
		if it.c == nil || it.fail != nil || runCtx.Err() != nil {
			continue
		}
		if opts.Colocate {
			if colocateName(it) {
				rep.DefaultNamed = append(rep.DefaultNamed, it.e.Abs)
			}
		}
		prev := old[it.e.Rel]
		for _, tm := range tmpls {
			// A template makes one card, one per session, or one per
			// line-up page; a post without sessions gets none of the
			// latter, which is no failure.
			refs, err := r.Cards(it.c, tm)
			if err != nil {
				failed(it, err)
				break
			}
			t, _ := r.Template(tm)
			for _, ref := range refs {
				it.slots = append(it.slots, slot{tmpl: tm, suffix: ref.Suffix, key: ref.Key, alt: alt.Text(it.c, t, ref.Suffix)})
			}
		}
		if it.fail != nil {
			continue
		}
		if err := plan(r, &opts, manDir, it, prev, taken, cleaned); err != nil {
			if errors.Is(err, errNoImage) {
				it.skip, it.slots = "no image path", nil
				continue
			}
			failed(it, err)
			continue
		}
		it.planned = true
		for j := range it.slots {
			if it.slots[j].render {
				tasks = append(tasks, [2]int{i, j})
			}
		}
	}

	// pending keeps, in every manifest this build writes, the files an
	// earlier build may have left that no entry lists; the last write
	// removes them (see manifestOf).
	pruneStale := !opts.Colocate && opts.Shards <= 1
	var oldPending []string
	if pruneStale && oldMan != nil {
		oldPending = oldMan.Pending
	}
	// Cards are written unsynced and made durable together before each
	// state that records them as done (a record of a card lost to a power
	// failure would be trusted by the next build).
	cards := new(atomicfile.Batch)
	// A killed build keeps the work done so far for the next run: a
	// checkpoint takes the state under mu and saves it outside, so the
	// other writers go on while one waits for the disk (a sync of the
	// cards written so far took a tenth of a second of a corpus build,
	// with every writer and then every renderer stopped behind it).
	// Saves are one at a time, and one older than the state on disk is
	// dropped. Best effort: the final write reports errors.
	var (
		saveMu         sync.Mutex
		states, stored int // states taken (under mu); the newest written (under saveMu)
	)
	snapshot := func() (*Manifest, int) { // with mu held
		states++
		return manifestOf(items, old, oldPending, inputs, pruneStale), states
	}
	save := func(m *Manifest, n int) {
		saveMu.Lock()
		defer saveMu.Unlock()
		if n < stored {
			return
		}
		if syncCards(cards) == nil && m.write(manFile) == nil {
			stored = n
		}
	}
	if len(tasks) > 0 {
		// Before the first card is written, so that a build killed at any
		// moment has listed every file it may have written.
		mu.Lock()
		m, n := snapshot()
		mu.Unlock()
		save(m, n)
	}

	// Rendering is CPU-bound and runs on jobs workers; writing waits on
	// fsync and runs on more, so the disk does not idle the CPUs. The
	// channel between them bounds the encoded PNGs held in memory.
	total, done := len(tasks), 0
	lastSave := time.Now()
	warned := map[string]bool{} // a post's cards share warnings (missing glyphs): one line each
	finish := func(it *item, s *slot, out *Output, warns []string, err error) {
		mu.Lock()
		if err == nil {
			out.Warnings = warns
			s.out = out
			s.drawn = true
			for _, w := range warns {
				if line := it.e.Abs + ": " + w; !warned[line] {
					warned[line] = true
					rep.CardWarnings = append(rep.CardWarnings, line)
				}
			}
		}
		done++
		var state *Manifest
		var n int
		if time.Since(lastSave) >= checkpointEvery {
			lastSave = time.Now()
			state, n = snapshot()
		}
		if opts.Progress != nil {
			opts.Progress(Progress{Done: done, Total: total, Elapsed: time.Since(start)})
		}
		mu.Unlock()
		if state != nil {
			save(state, n)
		}
		if err != nil && runCtx.Err() == nil {
			failed(it, err)
		}
	}
	type write struct {
		it  *item
		s   *slot
		img *render.Image
	}
	writes := make(chan write, jobs)
	var writers sync.WaitGroup
	for range min(writersPerJob*jobs, max(total, 1)) {
		writers.Go(func() {
			for w := range writes {
				out, err := writeCard(cards, w.s, w.img)
				r.Recycle(w.img) // written: its buffer serves a later card
				finish(w.it, w.s, out, w.img.Warnings, err)
			}
		})
	}
	parallel(runCtx, jobs, len(tasks), func(k int) {
		it := &items[tasks[k][0]]
		s := &it.slots[tasks[k][1]]
		img, err := renderCard(runCtx, r, opts.Lint, it.c, s)
		if err != nil {
			finish(it, s, nil, nil, err)
			return
		}
		writes <- write{it, s, img} // writers never stop early, so this cannot block forever
	})
	close(writes)
	writers.Wait()

	m := manifestOf(items, old, oldPending, inputs, pruneStale)
	// Warnings of what this build did not read or draw again are those the
	// state kept, so that -v lists the same warnings on every run.
	warn := func(it *item, ws []string) {
		for _, w := range ws {
			rep.CardWarnings = append(rep.CardWarnings, it.e.Abs+": "+w)
		}
	}
	for i := range items {
		it := &items[i]
		switch {
		case it.reused != nil:
			warn(it, it.reused.Warnings)
			for _, o := range it.reused.Outputs {
				warn(it, o.Warnings)
			}
		case it.c != nil && it.fail == nil && it.skip == "":
			warn(it, it.c.Warnings)
			for _, s := range it.slots {
				if s.unchanged {
					warn(it, s.out.Warnings)
				}
			}
		}
	}
	rep.count(items, len(tasks))
	slices.SortFunc(rep.Failures, func(a, b Failure) int { return strings.Compare(a.Path, b.Path) })
	rep.Cancelled = ctx.Err() != nil
	// Stale files go before the manifest that no longer lists them is
	// written: a build killed in between leaves them listed in the old
	// one, and the next build removes them.
	rep.Removed = removeStale(manDir, m.Pending)
	m.Pending = nil
	if err := syncCards(cards); err != nil {
		rep.Elapsed = time.Since(start)
		return rep, fmt.Errorf("cards written but not synced to disk, so the build state was not saved: %w", err)
	}
	// A build that saved no state on the way and ends with the state it
	// read (a no-op rebuild) leaves the file as it is: encoding and
	// writing the same megabyte again was a sixth of a no-op build.
	if states > 0 || oldMan == nil || !sameManifest(m, oldMan) {
		if err := m.write(manFile); err != nil {
			rep.Elapsed = time.Since(start)
			return rep, err
		}
	}
	rep.Manifest = manFile
	rep.Elapsed = time.Since(start)
	if err := rep.check(m); err != nil {
		return rep, err
	}
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("build cancelled: %w", err)
	}
	return rep, nil
}

// ErrCounts reports a build whose counts do not add up: a bug in ogcard,
// never in the posts. The manifest written may not be trusted.
var ErrCounts = errors.New("build counts do not add up")

// count sets the outcome of each post and the card counts; tasks is the
// number of cards planned for drawing.
func (rep *Report) count(items []item, tasks int) {
	for i := range items {
		it := &items[i]
		switch {
		case it.skip != "":
			rep.Skipped[it.skip]++
			continue
		case it.fail != nil:
			rep.Failed++
			rep.Failures = append(rep.Failures, failure(it.e.Abs, it.fail))
		case it.reused != nil:
			rep.Unchanged++
			rep.CardsUnchanged += len(it.reused.Outputs)
			continue
		case !it.planned:
			rep.Interrupted++
			continue
		}
		drawn, done := 0, 0
		for _, s := range it.slots {
			if s.drawn {
				drawn++
			}
			if s.unchanged {
				rep.CardsUnchanged++
			}
			if s.out != nil {
				done++
			}
		}
		rep.CardsRendered += drawn
		switch {
		case it.fail != nil:
		case done < len(it.slots):
			rep.Interrupted++
		case drawn > 0:
			rep.Rendered++
		default:
			rep.Unchanged++
		}
	}
}

// check verifies that every post found has one outcome, that no card
// was drawn beyond those planned, and that the manifest's finished
// entries list exactly the cards counted.
func (rep *Report) check(m *Manifest) error {
	skipped := 0
	for _, n := range rep.Skipped {
		skipped += n
	}
	if sum := rep.Rendered + rep.Unchanged + skipped + rep.Failed + rep.Interrupted; sum != rep.Posts {
		return fmt.Errorf("%w: %d rendered + %d unchanged + %d skipped + %d failed + %d interrupted = %d posts, but %d were found",
			ErrCounts, rep.Rendered, rep.Unchanged, skipped, rep.Failed, rep.Interrupted, sum, rep.Posts)
	}
	if rep.Failed == 0 && rep.Interrupted == 0 {
		listed, posts := 0, 0
		for _, p := range m.Posts {
			listed += len(p.Outputs)
			posts++
		}
		if posts != rep.Rendered+rep.Unchanged || listed != rep.CardsRendered+rep.CardsUnchanged {
			return fmt.Errorf("%w: the manifest lists %d posts and %d cards, but %d posts and %d cards (%d drawn, %d unchanged) were built",
				ErrCounts, posts, listed, rep.Rendered+rep.Unchanged, rep.CardsRendered+rep.CardsUnchanged, rep.CardsRendered, rep.CardsUnchanged)
		}
	}
	return nil
}

// removeStale deletes files an earlier build wrote that no entry lists
// any more (posts deleted, moved to another URL path, templates no longer
// built, cards an interrupted build may have written) and returns how
// many it deleted. Only .png files inside dir are touched.
func removeStale(dir string, files []string) int {
	n := 0
	for _, f := range files {
		if !filepath.IsLocal(filepath.FromSlash(f)) || !strings.HasSuffix(f, ".png") {
			continue
		}
		if removeFile(filepath.Join(dir, filepath.FromSlash(f))) == nil {
			n++
		}
	}
	return n
}

func validate(r *render.Renderer, opts *Options, tmpls []string) error {
	if opts.Root == "" {
		return fmt.Errorf("%w: no content folder", ErrConfig)
	}
	if info, err := os.Stat(opts.Root); err != nil {
		return fmt.Errorf("%w: content folder: %w", ErrConfig, err)
	} else if !info.IsDir() {
		return fmt.Errorf("%w: content folder %s is not a folder", ErrConfig, opts.Root)
	}
	if opts.OutDir == "" && !opts.Colocate {
		return fmt.Errorf("%w: no output folder", ErrConfig)
	}
	if opts.Shards > 1 && (opts.Shard < 0 || opts.Shard >= opts.Shards) {
		return fmt.Errorf("%w: shard %d/%d: want 0 <= i < n", ErrConfig, opts.Shard, opts.Shards)
	}
	if err := opts.Site.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	seen := map[string]bool{}
	for _, t := range tmpls {
		if _, ok := r.Template(t); !ok {
			return fmt.Errorf("%w: unknown template %q (known: %s)", ErrConfig, t, strings.Join(r.Templates(), ", "))
		}
		if seen[t] {
			return fmt.Errorf("%w: template %q named twice", ErrConfig, t)
		}
		seen[t] = true
	}
	return nil
}

// resolve is site.Resolve with a panic turned into an error, so one post
// cannot take the build down.
func resolve(r *render.Renderer, e site.Entry) (c *card.Card, err error) {
	defer func() {
		if v := recover(); v != nil {
			c, err = nil, fmt.Errorf("internal error: panic: %v", v)
		}
	}()
	return site.Resolve(r, e)
}

var errNoImage = errors.New("no image path")

// DefaultColocateName is the card --colocate writes in a page bundle's
// folder (beside its index.md) when the post names no ogImage; other
// templates' cards are og-session-01.png and so on.
const DefaultColocateName = "og.png"

// colocateName prepares a post for --colocate. A page bundle without an
// image path gets DefaultColocateName (and colocateName reports true). A
// cover picture that is the card's own path is not drawn: the card would
// show the previous build of itself, and every build would change it.
func colocateName(it *item) bool {
	named := false
	if strings.TrimSpace(it.c.Image) == "" && isBundle(it.e.Rel) {
		it.c.Image, named = DefaultColocateName, true
	}
	if it.c.Cover != "" && path.Clean(strings.TrimSpace(it.c.Cover)) == path.Clean(strings.TrimSpace(it.c.Image)) {
		it.c.Warnings = append(it.c.Warnings, fmt.Sprintf("cover %q is where --colocate writes this card, so it is not drawn on it; name the card with ogImage", it.c.Cover))
		it.c.Cover = ""
	}
	return named
}

// isBundle reports whether a post's path (slash-separated) is a page
// bundle's: index.md (.mdx, .markdown) in a folder of its own.
func isBundle(rel string) bool {
	base := path.Base(rel)
	return path.Dir(rel) != "." && strings.TrimSuffix(base, path.Ext(base)) == "index"
}

// plan sets each slot's destination and key and decides whether it needs a
// render. taken maps destinations to the sources writing them.
func plan(r *render.Renderer, opts *Options, manDir string, it *item, prev *Post, taken map[string]string, cleaned map[string]bool) error {
	for j := range it.slots {
		s := &it.slots[j]
		key := s.key
		var err error
		if s.dest, err = destination(opts, it, s.tmpl, s.suffix); err != nil {
			return err
		}
		if s.file, err = relFile(manDir, s.dest); err != nil {
			return err
		}
		if prev != nil {
			for k := range prev.Outputs {
				if o := &prev.Outputs[k]; o.Template == s.tmpl && o.File == s.file {
					s.old = o
				}
			}
		}
		if other, ok := taken[s.dest]; ok {
			return fmt.Errorf("output %s is also the card of %s", s.dest, other)
		}
		taken[s.dest] = it.e.Abs
		info, statErr := os.Stat(s.dest)
		if statErr == nil && !info.Mode().IsRegular() {
			return fmt.Errorf("output %s exists and is not a file", s.dest)
		}
		if opts.Colocate {
			dir := filepath.Dir(s.dest)
			if !cleaned[dir] {
				cleaned[dir] = true
				atomicfile.CleanDir(dir) // best effort: a missing folder has nothing to clean
			}
			ours := prev != nil && slices.ContainsFunc(prev.Outputs, func(o Output) bool { return o.File == s.file })
			if statErr == nil && !ours && !opts.Force {
				return fmt.Errorf("output %s exists and ogcard did not write it; pass --force to overwrite it", s.dest)
			}
		}
		if s.old != nil && s.old.Key == key && s.old.File == s.file && statErr == nil && info.Size() == s.old.Bytes {
			o := *s.old
			o.Alt = s.alt // a state written before alt texts has none
			s.out = &o
			s.unchanged = true
			continue
		}
		s.render = true
	}
	return nil
}

// destination returns the OS path of a post's card for template tmpl:
// <url path>.png for og, <url path>-<template>.png for others, and
// <url path>-<template>-<suffix>.png for each card of a multi-card one.
func destination(opts *Options, it *item, tmpl, suffix string) (string, error) {
	name := ""
	if tmpl != "og" {
		name = "-" + tmpl
	}
	if suffix != "" {
		name += "-" + suffix
	}
	if !opts.Colocate {
		p := strings.TrimPrefix(it.c.URLPath, "/")
		if p == "" {
			p = "index"
		}
		p += name + ".png"
		if !filepath.IsLocal(filepath.FromSlash(p)) {
			return "", fmt.Errorf("url path %q gives an output outside the output folder", it.c.URLPath)
		}
		return filepath.Join(opts.OutDir, filepath.FromSlash(p)), nil
	}
	img := strings.TrimSpace(it.c.Image)
	if i := strings.IndexAny(img, "?#"); i >= 0 {
		img = img[:i]
	}
	if img == "" {
		return "", errNoImage
	}
	if strings.Contains(img, "://") || strings.HasPrefix(img, "//") {
		return "", fmt.Errorf("image %q is a URL: --colocate needs a file path", it.c.Image)
	}
	if !strings.EqualFold(path.Ext(img), ".png") {
		return "", fmt.Errorf("image %q is not a .png file, and ogcard writes PNG", it.c.Image)
	}
	if name != "" {
		img = strings.TrimSuffix(img, path.Ext(img)) + name + ".png"
	}
	// "/x.png" is relative to the content root; "x.png" to the post's folder.
	var rel string
	if strings.HasPrefix(img, "/") {
		rel = path.Clean(strings.TrimLeft(img, "/"))
	} else {
		rel = path.Join(path.Dir(it.e.Rel), img)
	}
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return "", fmt.Errorf("image %q is outside the content folder", it.c.Image)
	}
	return filepath.Join(opts.Root, filepath.FromSlash(rel)), nil
}

// checkpointEvery is how often the manifest is saved during a build. A
// variable so tests can save after every card.
var checkpointEvery = 2 * time.Second

// entryFormat is part of every entry's Inputs: entries written by builds
// that recorded unfinished posts as finished (outputs: []) then no longer
// match, so their posts are planned again rather than trusted.
const entryFormat = "entries-v2"

// writeFile, writeCardFile and removeFile are the build's only ways to
// change files in the output folder (folders aside), so tests can stop a
// build at any write, or inside one. Cards go through a Batch, which
// syncCards makes durable.
var (
	writeFile     = atomicfile.WriteFile
	writeCardFile = (*atomicfile.Batch).WriteFile
	syncCards     = (*atomicfile.Batch).Sync
	removeFile    = os.Remove
	// cleanOutput is cleanTree, which a test slows down to show that no
	// card is written before it is done.
	cleanOutput = cleanTree
)

// manifestOf assembles the manifest of items, true to the disk at any
// moment of the build, so that a build killed right after writing it
// leaves a manifest the next build can trust:
//
//   - A finished post (every card written or found in place, maybe none)
//     gets an entry with its source's size and time and the Inputs key,
//     which lets the next build skip it.
//   - A post planned but unfinished lists the cards written so far and
//     the earlier build's cards not yet redrawn, without size, time or
//     Inputs, so the next build plans it again.
//   - A failed post keeps its previous entry (its cards stay on disk) with
//     the error; a post not yet planned keeps its previous entry.
//
// With prune, Pending lists every file that may be on disk from this or an
// earlier build and that no entry lists: the old manifest's cards and
// Pending, and the cards this build may be writing. Callers hold the lock
// that guards the items' results.
func manifestOf(items []item, old map[string]*Post, oldPending []string, inputs string, prune bool) *Manifest {
	m := &Manifest{Version: ManifestVersion, Renderer: render.Version}
	var maybe []string // files this build or an earlier one may have written
	for i := range items {
		it := &items[i]
		prev := old[it.e.Rel]
		switch {
		case it.reused != nil:
			m.Posts = append(m.Posts, own(*it.reused))
			continue
		case it.skip != "":
			continue
		case it.fail != nil:
			if prev != nil {
				p := own(*prev)
				p.Error = failure(it.e.Abs, it.fail).String()
				m.Posts = append(m.Posts, p)
			}
			continue
		case !it.planned:
			// Not resolved or planned (cancelled): keep what the last build made.
			if prev != nil {
				m.Posts = append(m.Posts, own(*prev))
			}
			continue
		}
		p := Post{Source: it.e.Rel, URLPath: it.c.URLPath, Page: it.c.PageURL, Slug: it.c.Slug, Title: it.c.Title, Outputs: []Output{},
			Warnings: it.c.Warnings}
		finished := true
		for _, s := range it.slots {
			switch {
			case s.out != nil:
				p.Outputs = append(p.Outputs, *s.out)
			case s.old != nil:
				finished = false
				p.Outputs = append(p.Outputs, *s.old) // not redrawn yet: the old file may still be on disk
			default:
				finished = false
				maybe = append(maybe, s.file)
			}
		}
		if finished {
			p.SourceSize, p.SourceMod, p.Inputs, p.Photos = it.size, it.mod, inputs, render.HasPhotos(it.c)
		}
		m.Posts = append(m.Posts, p)
	}
	if !prune {
		return m
	}
	for _, p := range old {
		for _, o := range p.Outputs {
			maybe = append(maybe, o.File)
		}
	}
	maybe = append(maybe, oldPending...)
	listed := map[string]bool{}
	for _, p := range m.Posts {
		for _, o := range p.Outputs {
			listed[o.File] = true
		}
	}
	for _, f := range maybe {
		if !listed[f] {
			listed[f] = true
			m.Pending = append(m.Pending, f)
		}
	}
	return m
}

// sameManifest reports whether m, once sorted, holds what old (as read
// from its file) does. Slices nil on one side and empty on the other
// count as different: the caller then writes, which is always safe.
func sameManifest(m, old *Manifest) bool {
	m.sort()
	return reflect.DeepEqual(m, old)
}

// own returns p with an Outputs slice of its own: a state is sorted and
// written outside Build's mutex while the next may be taken from the same
// previous entries.
func own(p Post) Post {
	p.Outputs = slices.Clone(p.Outputs)
	return p
}

// writersPerJob is how many file writers run per render worker: a write
// is mostly waiting for fsync.
const writersPerJob = 4

// renderCard draws one card, turning a panic into an error so one post
// cannot take the build down.
func renderCard(ctx context.Context, r *render.Renderer, l *lint.Linter, c *card.Card, s *slot) (img *render.Image, err error) {
	defer func() {
		if v := recover(); v != nil {
			img, err = nil, fmt.Errorf("template %s: internal error: panic: %v", s.tmpl, v)
		}
	}()
	ref := render.CardRef{Suffix: s.suffix, Key: s.key}
	if l == nil {
		img, err = r.RenderCard(ctx, c, s.tmpl, ref)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", s.tmpl, err)
		}
		return img, nil
	}
	in, err := r.InspectCard(ctx, c, s.tmpl, ref)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", s.tmpl, err)
	}
	name := lint.CardName(s.tmpl, s.suffix)
	findings := l.Check(&lint.Card{Post: c.Source, Name: name, Bytes: len(in.PNG), Pixels: in.Pixels, NoText: in.NoText, Plan: in.Plan, Logo: in.Logo})
	r.Release(in)
	for _, f := range findings {
		if f.Level >= lint.Warning {
			in.Warnings = append(in.Warnings, fmt.Sprintf("%s: lint %s %s: %s; %s", name, f.Level, f.Rule, f.Message, f.Fix))
		}
	}
	return in.Image, nil
}

// writeCard writes img atomically at s.dest, in batch b, and returns its
// manifest entry.
func writeCard(b *atomicfile.Batch, s *slot, img *render.Image) (*Output, error) {
	if err := makeDir(filepath.Dir(s.dest)); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	if err := writeCardFile(b, s.dest, img.PNG, 0o644); err != nil {
		return nil, err
	}
	return &Output{File: s.file, Template: s.tmpl, Card: s.suffix, Width: img.Width, Height: img.Height, Bytes: int64(len(img.PNG)), Key: img.Key, Alt: s.alt}, nil
}

// makeDir makes dir and its parents as os.MkdirAll does, but tries dir
// itself first: a card's folder is most often new under an existing one
// (a cold build of a dated blog makes a folder per post), where MkdirAll
// spends three system calls (two stats, one mkdir) and this one.
func makeDir(dir string) error {
	err := os.Mkdir(dir, 0o755)
	if err == nil || errors.Is(err, fs.ErrExist) {
		// An existing file of that name fails the card's write, which
		// names it.
		return nil
	}
	return os.MkdirAll(dir, 0o755)
}

// parallel calls f(0..n-1) on at most jobs goroutines, handing out i in
// order, and stops handing out work once ctx is done.
func parallel(ctx context.Context, jobs, n int, f func(i int)) {
	if n == 0 {
		return
	}
	// Workers take the next index from a counter: a feeding goroutine
	// and an unbuffered channel cost a hand-over per task, and with as
	// many workers as cores the feeder had to wait for a core each time.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(jobs, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}

// cleanTree removes atomicfile's temporary files under dir, and returns how
// many it removed. Errors are ignored: cleaning is best effort.
func cleanTree(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && atomicfile.IsTemp(d.Name()) {
			if removeFile(p) == nil {
				n++
			}
		}
		return nil
	})
	return n
}

// failure turns a post's error into "path:line: reason" parts, dropping the
// path and line the error text repeats.
func failure(file string, err error) Failure {
	f := Failure{Path: file, Reason: err.Error()}
	var pe *post.Error
	var fe *card.FieldError
	switch {
	case errors.As(err, &pe):
		f.Line = pe.Line
		f.Reason = strings.TrimPrefix(f.Reason, "post "+pe.Path+": ")
	case errors.As(err, &fe):
		f.Line = fe.Line
		f.Reason = strings.TrimPrefix(f.Reason, "post "+fe.Path+": ")
	}
	if f.Line > 0 {
		f.Reason = strings.TrimPrefix(f.Reason, "line "+strconv.Itoa(f.Line)+": ")
	}
	return f
}

// outputsIntact reports whether every card a manifest entry lists is on
// disk with its recorded size.
func outputsIntact(dir string, p *Post) bool {
	for _, o := range p.Outputs {
		info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(o.File)))
		if err != nil || !info.Mode().IsRegular() || info.Size() != o.Bytes {
			return false
		}
	}
	return true
}
