package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ogcard/ogcard"
)

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

const buildSynopsis = `build CONTENT_DIR -o OUT_DIR [flags]
       ogcard build CONTENT_DIR --colocate [flags]
       ogcard build --merge-manifests -o OUT_DIR SHARD_MANIFEST.json...

Renders the card of every post under CONTENT_DIR (.md, .mdx, .markdown;
dotfiles, dot-folders and node_modules are skipped), in parallel. Cards go
to OUT_DIR by URL path (/blog/x gives OUT_DIR/blog/x.png; templates other
than og add -TEMPLATE), or with --colocate next to each post at the path
its ogImage/image names. Files are written to a temporary name and renamed.

The build keeps its state (per post its source, URL path, title and each
card's file, template, size, alt text and key) in .ogcard/state-NAME.json
beside ogcard.yaml, else in CONTENT_DIR (NAME: OUT_DIR's path from there,
static/og giving static-og, or a hash when OUT_DIR is elsewhere), or at
--state FILE; never in OUT_DIR. A card whose key and file match the state
is not drawn again.
--manifest FILE --base-url URL also writes what site templates read.

--shard i/n builds one of n deterministic parts (0 <= i < n) for a CI
matrix, keeping its state in OUT_DIR/` + ogcard.ManifestName + `;
--merge-manifests then merges those files into OUT_DIR, rebasing their
file paths.

The summary counts posts by outcome (rendered: a card drawn; unchanged:
every card already in place, or none to make; skipped; failed;
interrupted), which add up to the posts found, then cards. A build killed
or cancelled at any moment is finished by the next run, which leaves
OUT_DIR as a clean build would.

Exit status: 0 when every post was built or skipped, 1 when any failed
(listed as path:line: reason) or the build was interrupted, 2 for usage or
configuration errors.`

func runBuild(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "build", buildSynopsis, "ogcard build content -o public/og --jobs 4")
	out := fs.String("o", "", "output `folder` of the cards")
	colocate := fs.Bool("colocate", false, "write each card next to its post, at the path its ogImage/image names (page bundles without one: og.png)")
	force := fs.Bool("force", false, "with --colocate, overwrite image files ogcard did not write")
	var tmpls, include, exclude listFlag
	fs.Var(&tmpls, "template", "template `names` drawn per post, repeatable or comma-separated (default og)")
	fs.Var(&include, "include", "only build files matching this `glob` (repeatable; ** matches folders)")
	fs.Var(&exclude, "exclude", "skip files and folders matching this `glob` (repeatable)")
	drafts := fs.Bool("drafts", false, "build draft posts too")
	jobs := fs.Int("jobs", 0, "render `workers` (default GOMAXPROCS)")
	failFast := fs.Bool("fail-fast", false, "stop at the first failed post")
	shard := fs.String("shard", "", "build shard `i/n` of the posts only (0 <= i < n)")
	jsonOut := fs.Bool("json", false, "print a JSON report on standard output")
	verbose := fs.Bool("v", false, "list the cards' warnings (titles shrunk, glyphs missing, ...)")
	cfgPath := fs.String("config", "", "site config `file` (default: CONTENT_DIR/ogcard.yaml when it exists)")
	tmplDir := fs.String("templates", "", "`folder` of extra *.yaml templates; one named like a built-in replaces it")
	siteName := fs.String("site", "", "site `name` shown on cards (default: the brand's)")
	merge := fs.Bool("merge-manifests", false, "merge the shard manifests given as arguments into -o")
	noLint := fs.Bool("no-lint", false, "do not check drawn cards with ogcard lint's rules (their findings are card warnings)")
	sf := addSiteFlags(fs)
	watchFlag := fs.Bool("watch", false, "after building, rebuild what changes under CONTENT_DIR until Ctrl-C (beside hugo server)")
	memMiB := fs.Int("memory-limit", 0, "soft heap limit in `MiB` (0: automatic from fonts and --jobs; -1: none; GOMEMLIMIT overrides it)")
	pos, code, done := parseFlags(e, fs, args)
	if done {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "ogcard build: "+format+"\n", a...)
		fmt.Fprintln(e.stderr, "Run 'ogcard build --help' for the flags.")
		return exitUsage
	}
	if *merge {
		if err := sf.check(); err != nil {
			return usageErr("%v", err)
		}
		return mergeManifests(e, *out, pos, sf, usageErr)
	}
	if len(pos) != 1 {
		return usageErr("want exactly one CONTENT_DIR, got %d arguments", len(pos))
	}
	if *out == "" && !*colocate {
		return usageErr("want -o OUT_DIR (or --colocate)")
	}
	if *watchFlag {
		if *shard != "" || *jsonOut {
			return usageErr("--watch builds the whole site for a person watching: not with --shard or --json")
		}
		return watchBuild(ctx, e, pos[0], *out, args)
	}
	if *jobs < 0 || *jobs > 1024 {
		return usageErr("--jobs %d: want 0 (GOMAXPROCS) to 1024", *jobs)
	}
	opts := ogcard.BuildOptions{
		Root: pos[0], OutDir: *out, Colocate: *colocate, Force: *force,
		Templates: tmpls, Include: include, Exclude: exclude,
		Jobs: *jobs, Drafts: *drafts, FailFast: *failFast,
	}
	if *shard != "" {
		i, n, err := parseShard(*shard)
		if err != nil {
			return usageErr("--shard: %v", err)
		}
		opts.Shard, opts.Shards = i, n
	}
	if err := sf.check(); err != nil {
		return usageErr("%v", err)
	}
	r, names, err := loadRenderer(rendererSpec{
		configPath: *cfgPath, searchFrom: pos[0], site: *siteName,
		cardRoot: pos[0], templates: tmpls, extraDir: *tmplDir,
		urls: *sf.urls, note: e.stderr,
	})
	if err != nil {
		return usageErr("%v", err)
	}
	if err := sf.stateFile(e, &opts, r.ConfigFile()); err != nil {
		return usageErr("%v", err)
	}
	opts.NoLint = *noLint
	opts.Templates = names
	// A soft limit makes the collector reclaim each card's garbage before
	// the heap doubles: peak RSS on the whole corpus goes from ~155 MiB to
	// ~110. Automatic: room for the fonts (Renderer.FontBytes),
	// 16 MiB per render worker and 64 MiB for the rest; a fixed limit below
	// the live heap would make the collector run without pause.
	if os.Getenv("GOMEMLIMIT") == "" && *memMiB >= 0 {
		limit := int64(*memMiB) << 20
		if limit == 0 {
			workers := opts.Jobs
			if workers <= 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			limit = 64<<20 + r.FontBytes() + int64(workers)*16<<20
		}
		debug.SetMemoryLimit(limit)
		if os.Getenv("GOGC") == "" {
			// Under the limit, the collector's goal is the limit's once
			// the heap is large; while it is small (posts being read),
			// GOGC=100 collected every 10 ms or so: 31 of a corpus
			// build's 46 collections came before the first card.
			debug.SetGCPercent(400)
		}
	}
	prog := newProgress(e.stderr, *jsonOut)
	opts.Progress = prog.update
	rep, err := r.Build(ctx, opts)
	prog.finish()
	if e.built != nil && rep != nil {
		e.built(rep)
	}
	if errors.Is(err, ogcard.ErrBuildConfig) {
		return usageErr("%v", err)
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	if *verbose {
		for _, w := range rep.CardWarnings {
			fmt.Fprintf(e.stderr, "warning: %s\n", w)
		}
	}
	for _, f := range rep.Failures {
		fmt.Fprintln(e.stderr, f.String())
	}
	if n := len(rep.DefaultNamed); n > 0 {
		more := "; -v lists them"
		if *verbose {
			more = ":"
		}
		fmt.Fprintf(e.stderr, "note: %s without ogImage: each card is written as %s beside its index.md (set ogImage to name it)%s\n",
			plural(n, "page bundle"), ogcard.DefaultColocateName, more)
		if *verbose {
			for _, p := range rep.DefaultNamed {
				fmt.Fprintf(e.stderr, "  %s\n", p)
			}
		}
	}
	if err == nil {
		err = sf.writeManifest(e, rep)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard build: %v\n", err)
	}
	if *jsonOut {
		writeJSONReport(e.stdout, rep, err)
	} else {
		fmt.Fprintln(e.stdout, summary(rep))
		if n := len(rep.CardWarnings); n > 0 && !*verbose {
			fmt.Fprintf(e.stdout, "%s (-v lists them)\n", plural(n, "card warning"))
		}
	}
	if err != nil || rep.Failed > 0 {
		return exitFail
	}
	return exitOK
}

// parseShard reads "i/n".
func parseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	if ok {
		i, err = strconv.Atoi(a)
		if err == nil {
			n, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("%q: want i/n with 0 <= i < n, like 0/4", s)
	}
	return i, n, nil
}

func mergeManifests(e *env, out string, files []string, sf *siteFlags, usageErr func(string, ...any) int) int {
	if out == "" || len(files) == 0 {
		return usageErr("--merge-manifests wants -o OUT_DIR and at least one manifest file")
	}
	dest := filepath.Join(out, ogcard.ManifestName)
	m, err := ogcard.MergeManifests(out, files)
	if err != nil {
		fmt.Fprintf(e.stderr, "ogcard build: %v\n", err)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "merged %d manifests, %d posts, into %s\n", len(files), len(m.Posts), dest)
	if err := sf.writeManifest(e, &ogcard.BuildReport{Manifest: dest}); err != nil {
		fmt.Fprintf(e.stderr, "ogcard build: %v\n", err)
		return exitFail
	}
	return exitOK
}

// summary reads "1595 posts: 1589 rendered, 0 unchanged, 6 skipped (1
// draft, 5 not a post), 0 failed; 1605 cards drawn, 0 unchanged, in
// 9.8s": posts by outcome (they add up to the posts found), then cards.
func summary(rep *ogcard.BuildReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d rendered, %d unchanged", plural(rep.Posts, "post"), rep.Rendered, rep.Unchanged)
	if n := skippedTotal(rep); n > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(rep.Skipped)) {
			if len(rep.Skipped) == 1 {
				parts = append(parts, k)
			} else {
				parts = append(parts, fmt.Sprintf("%d %s", rep.Skipped[k], k))
			}
		}
		fmt.Fprintf(&b, ", %d skipped (%s)", n, strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, ", %d failed", rep.Failed)
	if rep.Interrupted > 0 {
		fmt.Fprintf(&b, ", %d interrupted", rep.Interrupted)
	}
	fmt.Fprintf(&b, "; %s drawn, %d unchanged", plural(rep.CardsRendered, "card"), rep.CardsUnchanged)
	if rep.Removed > 0 {
		fmt.Fprintf(&b, ", %d removed", rep.Removed)
	}
	fmt.Fprintf(&b, ", in %.1fs", rep.Elapsed.Seconds())
	if rep.Cancelled {
		b.WriteString(" (cancelled)")
	}
	return b.String()
}

func skippedTotal(rep *ogcard.BuildReport) int {
	n := 0
	for _, v := range rep.Skipped {
		n += v
	}
	return n
}

func writeJSONReport(w io.Writer, rep *ogcard.BuildReport, err error) {
	type report struct {
		Posts          int                   `json:"posts"` // the outcomes below add up to it
		Rendered       int                   `json:"rendered"`
		Unchanged      int                   `json:"unchanged"`
		Skipped        map[string]int        `json:"skipped"`
		Failed         int                   `json:"failed"`
		Interrupted    int                   `json:"interrupted"`
		CardsRendered  int                   `json:"cardsRendered"`
		CardsUnchanged int                   `json:"cardsUnchanged"`
		Removed        int                   `json:"removed"`
		Failures       []ogcard.BuildFailure `json:"failures"`
		Warnings       []string              `json:"warnings"`
		CardWarnings   int                   `json:"cardWarnings"`
		Manifest       string                `json:"manifest,omitempty"`
		Seconds        float64               `json:"seconds"`
		CardsPerSecond float64               `json:"cardsPerSecond"`
		PeakRSSBytes   int64                 `json:"peakRSSBytes"`
		Cancelled      bool                  `json:"cancelled"`
		Error          string                `json:"error,omitempty"`
	}
	out := report{
		Posts: rep.Posts, Rendered: rep.Rendered, Unchanged: rep.Unchanged, Skipped: rep.Skipped,
		Failed: rep.Failed, Interrupted: rep.Interrupted, CardsRendered: rep.CardsRendered,
		CardsUnchanged: rep.CardsUnchanged, Removed: rep.Removed, Failures: rep.Failures, Warnings: rep.Warnings, CardWarnings: len(rep.CardWarnings),
		Manifest: rep.Manifest, Seconds: rep.Elapsed.Seconds(), PeakRSSBytes: rep.PeakRSSBytes, Cancelled: rep.Cancelled,
	}
	if out.Failures == nil {
		out.Failures = []ogcard.BuildFailure{}
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	if s := rep.Elapsed.Seconds(); s > 0 {
		out.CardsPerSecond = float64(rep.CardsRendered) / s
	}
	if err != nil {
		out.Error = err.Error()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

// progress shows the render phase: a bar redrawn with \r at most 10 times a
// second on a terminal; outside one (piped, or CI set) a plain line at most
// every 5 seconds. Its methods are safe for concurrent use.
type progress struct {
	w     io.Writer
	tty   bool
	off   bool
	mu    sync.Mutex
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w, off: quiet, last: time.Now()}
	if f, ok := w.(*os.File); ok && os.Getenv("CI") == "" && os.Getenv("TERM") != "dumb" {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(s ogcard.BuildProgress) {
	if p.off {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	every := 5 * time.Second
	if p.tty {
		every = 100 * time.Millisecond
	}
	if s.Done < s.Total && now.Sub(p.last) < every {
		return
	}
	if !p.tty && s.Done == s.Total && !p.drawn {
		return // a fast build needs no progress lines, only the summary
	}
	p.last = now
	rate := float64(s.Done) / max(s.Elapsed.Seconds(), 1e-3)
	left := ""
	if rate > 0 && s.Done < s.Total {
		left = fmt.Sprintf(", %s left", (time.Duration(float64(s.Total-s.Done)/rate) * time.Second).Round(time.Second))
	}
	if p.tty {
		const width = 30
		n := width * s.Done / max(s.Total, 1)
		fmt.Fprintf(p.w, "\r[%s%s] %d/%d cards, %.0f/s%s\033[K", strings.Repeat("=", n), strings.Repeat(" ", width-n), s.Done, s.Total, rate, left)
	} else {
		fmt.Fprintf(p.w, "ogcard build: %d/%d cards, %.0f/s%s\n", s.Done, s.Total, rate, left)
	}
	p.drawn = true
}

// finish ends the bar's line so what follows starts on its own.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drawn {
		fmt.Fprintln(p.w)
	}
}

var _ flag.Value = (*listFlag)(nil)

// plural says "1 post", "2 posts".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
