package ogcard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ogcard/ogcard/internal/build"
	"github.com/ogcard/ogcard/internal/site"
)

// ManifestName is the manifest's file name in a build's output folder.
const ManifestName = "ogcard-manifest.json"

// ManifestVersion is the version of the manifest format Build writes and
// ReadManifest reads. A manifest of another version is refused by
// ReadManifest and MergeManifests (ErrManifest); Build then rebuilds every
// card rather than misread it.
const ManifestVersion = 1

// BuildOptions configure Build. Root and either OutDir or Colocate are
// required; every other zero value is the default given.
type BuildOptions struct {
	// Root is the content folder. Every Markdown file under it (.md, .mdx,
	// .markdown; dotfiles, dot-folders and node_modules skipped) is a
	// post; URL paths and the manifest's paths are relative to it.
	Root string
	// OutDir receives the cards, by URL path (OutDir/blog/x.png; templates
	// other than og add -TEMPLATE), and the manifest. With Colocate it
	// holds the manifest only and may be "" (the manifest then goes in
	// Root).
	OutDir string
	// Colocate writes each card at the path the post's own image field
	// (ogImage, image, ...) names, relative to the post's folder.
	Colocate bool
	// Force lets Colocate overwrite a file the manifest does not list as
	// ogcard's own.
	Force bool
	// Templates are the templates drawn per post; nil means the Renderer's
	// DefaultTemplates.
	Templates []string
	// Include keeps only files whose slash path under Root matches one of
	// these globs ("**" matches whole folders); nil means all. Exclude
	// skips files and folders matching any of its globs.
	Include, Exclude []string
	// Shard and Shards build part Shard of Shards (0 <= Shard < Shards), a
	// stable split by path for a CI matrix; Shards <= 1 builds everything.
	Shard, Shards int
	// Jobs is the number of render workers; 0 means GOMAXPROCS.
	Jobs int
	// Drafts builds draft posts too; by default they are skipped.
	Drafts bool
	// FailFast stops the build at the first failed post.
	FailFast bool
	// Progress, when set, is called after each card is rendered or fails,
	// never concurrently with itself. It must return quickly.
	Progress func(BuildProgress)
	// NoLint skips checking each drawn card with Lint's rules; by default
	// their findings at warning level and above join CardWarnings.
	NoLint bool
	// StateFile is where the build keeps what it needs for the next run
	// (keys, source paths, sizes and times, in the Manifest format); ""
	// means OutDir/ManifestName. Card paths in it stay relative to OutDir.
	StateFile string
}

// BuildProgress is a snapshot of a build's render phase.
type BuildProgress struct {
	Done, Total int           // cards
	Elapsed     time.Duration // since the build started
}

// BuildReport says what a build did.
type BuildReport struct {
	Posts     int // posts found (after sharding); the outcomes below add up to it
	Rendered  int // posts built with at least one card drawn
	Unchanged int // posts built with no card drawn: every card (there may be none) was in place
	// Skipped counts posts not built, by reason ("not a post", "draft", ...).
	Skipped map[string]int
	Failed  int // posts that failed
	// Interrupted counts posts left unfinished because the build was
	// cancelled (or stopped by FailFast); the next build finishes them.
	Interrupted    int
	CardsRendered  int            // cards drawn and written, of every post
	CardsUnchanged int            // cards whose key and file matched the manifest: not drawn
	Removed        int            // cards of posts that are gone, or no longer built, deleted
	Failures       []BuildFailure // one per failed post, sorted by path
	// Warnings are about the build itself: an unreadable manifest, stale
	// temporary files removed.
	Warnings []string
	// CardWarnings are things writers may fix, "path: warning".
	CardWarnings []string
	Manifest     string        // the manifest file written, "" if none
	Elapsed      time.Duration // the whole build's
	Cancelled    bool          // the context was cancelled before the build finished
	// PeakRSSBytes is the process's peak resident memory when the build
	// ended, 0 where the system does not say.
	PeakRSSBytes int64
	// DefaultNamed lists the page bundles (index.md) without an ogImage
	// whose cards a Colocate build named DefaultColocateName beside them.
	DefaultNamed []string
}

// DefaultColocateName is the card a Colocate build writes in a page
// bundle's folder when its post names no ogImage; other templates' cards
// are og-session-01.png and so on.
const DefaultColocateName = "og.png"

// BuildFailure is one post that could not be built.
type BuildFailure struct {
	Path   string `json:"path"`           // the post's file: Root joined with its path under it
	Line   int    `json:"line,omitempty"` // 1-based; 0 when unknown
	Reason string `json:"reason"`         // what went wrong and, where it helps, what to do
}

// String reads "path:line: reason" (or "path: reason").
func (f BuildFailure) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", f.Path, f.Line, f.Reason)
	}
	return fmt.Sprintf("%s: %s", f.Path, f.Reason)
}

// Build renders the cards of every post under opts.Root, incrementally: a
// card whose key and file match the last build's manifest is not drawn
// again, and a post whose file and inputs are unchanged is not even read.
// Posts render on opts.Jobs workers; each card is written to a temporary
// file and renamed, so an interrupted build leaves no partial PNG. The
// manifest (ManifestName, in OutDir) lists every post's cards, for a site's
// <meta> tags and for the next build.
//
// A failed post does not stop the build (unless FailFast) and is not an
// error: it is in BuildReport.Failures, and its previous cards stay. The
// error is for what stops the whole build: bad options (wrapping
// ErrBuildConfig; nothing written), an unwritable output folder or
// manifest, or ctx's error when cancelled (the manifest is still written
// with the work done). The report is never nil.
func (r *Renderer) Build(ctx context.Context, opts BuildOptions) (*BuildReport, error) {
	tmpls := opts.Templates
	if len(tmpls) == 0 {
		tmpls = r.defaults
	}
	bo := build.Options{
		Root: opts.Root, OutDir: opts.OutDir, Colocate: opts.Colocate, Force: opts.Force,
		Templates: tmpls, Site: site.Options{Include: opts.Include, Exclude: opts.Exclude},
		Shard: opts.Shard, Shards: opts.Shards, Jobs: opts.Jobs, Drafts: opts.Drafts, FailFast: opts.FailFast,
		StateFile: opts.StateFile,
	}
	if !opts.NoLint {
		bo.Lint = r.linter
	}
	if opts.Progress != nil {
		bo.Progress = func(p build.Progress) { opts.Progress(BuildProgress(p)) }
	}
	// URL paths derive from the build's root; posts are read by their
	// path under it, so photos need no other folder.
	rep, err := build.Build(ctx, r.r.WithRoots(opts.Root, ""), bo)
	out := &BuildReport{PeakRSSBytes: build.PeakRSS()}
	if rep != nil {
		*out = BuildReport{
			Posts: rep.Posts, Rendered: rep.Rendered, Unchanged: rep.Unchanged, Skipped: rep.Skipped,
			Failed: rep.Failed, Interrupted: rep.Interrupted, CardsRendered: rep.CardsRendered,
			CardsUnchanged: rep.CardsUnchanged, Removed: rep.Removed, Warnings: rep.Warnings, CardWarnings: rep.CardWarnings,
			Manifest: rep.Manifest, Elapsed: rep.Elapsed, Cancelled: rep.Cancelled, PeakRSSBytes: out.PeakRSSBytes,
			DefaultNamed: rep.DefaultNamed,
		}
		for _, f := range rep.Failures {
			out.Failures = append(out.Failures, BuildFailure(f))
		}
	}
	return out, convertErr(err)
}

// Manifest lists the cards of a site as Build wrote them. Posts are sorted
// by Source, each post's outputs by template and card.
type Manifest struct {
	Version  int            `json:"version"`  // ManifestVersion
	Renderer string         `json:"renderer"` // the renderer version that drew the cards
	Posts    []ManifestPost `json:"posts"`    // every post built, failed or unchanged
}

// ManifestPost is one post's entry in a Manifest.
type ManifestPost struct {
	Source  string           `json:"source"`         // slash path relative to the content root
	URLPath string           `json:"urlPath"`        // "/blog/2026/01/23/slug"
	Page    string           `json:"page,omitempty"` // the page's URL as the site generator makes it ("/posts/x/"), with Options.URLs
	Slug    string           `json:"slug"`           // last segment of URLPath
	Title   string           `json:"title"`          // the card's title
	Outputs []ManifestOutput `json:"outputs"`        // its card files
	// Error is set when the post's latest build failed; Outputs are then
	// those of an earlier, good build.
	Error string `json:"error,omitempty"`
	// Warnings are the card's warnings (author data, photos, front
	// matter), which a build that does not read the post again repeats.
	Warnings []string `json:"warnings,omitempty"`
}

// ManifestOutput is one card file in a Manifest.
type ManifestOutput struct {
	File     string `json:"file"`           // slash path relative to the manifest's folder
	Template string `json:"template"`       // the template's name
	Card     string `json:"card,omitempty"` // Image.Suffix: "03", "2of3"; "" for a template's only card
	Width    int    `json:"width"`          // pixels
	Height   int    `json:"height"`         // pixels
	Bytes    int64  `json:"bytes"`          // file size
	Key      string `json:"key"`            // Image.Key
	Alt      string `json:"alt,omitempty"`  // alternative text: what the card says
	// Warnings are what drawing the card warned (a title shrunk, a glyph
	// missing), which a build that does not draw it again repeats.
	Warnings []string `json:"warnings,omitempty"`
}

// ReadManifest reads a manifest file. A missing file gives an error
// wrapping fs.ErrNotExist; a malformed one, or one of another format
// version, an error wrapping ErrManifest.
func ReadManifest(file string) (*Manifest, error) {
	m, err := build.ReadManifest(file)
	if err != nil {
		return nil, convertErr(err)
	}
	return fromManifest(m), nil
}

// MergeManifests merges the manifests of shard builds (BuildOptions.Shard)
// into one, written atomically to outDir/ManifestName, and returns it.
// Output paths are rebased from each input's folder onto outDir. A post or
// a card file listed twice, or inputs of different renderer versions, give
// an error wrapping ErrManifest.
func MergeManifests(outDir string, files []string) (*Manifest, error) {
	dest := filepath.Join(outDir, ManifestName)
	m, err := build.MergeManifests(dest, files)
	if err != nil {
		return nil, convertErr(err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	if err := m.WriteFile(dest); err != nil {
		return nil, err
	}
	return fromManifest(m), nil
}

func fromManifest(m *build.Manifest) *Manifest {
	out := &Manifest{Version: m.Version, Renderer: m.Renderer, Posts: make([]ManifestPost, len(m.Posts))}
	for i, p := range m.Posts {
		mp := ManifestPost{Source: p.Source, URLPath: p.URLPath, Page: p.Page, Slug: p.Slug, Title: p.Title, Error: p.Error, Warnings: p.Warnings, Outputs: make([]ManifestOutput, len(p.Outputs))}
		for j, o := range p.Outputs {
			mp.Outputs[j] = ManifestOutput(o)
		}
		out.Posts[i] = mp
	}
	return out
}
