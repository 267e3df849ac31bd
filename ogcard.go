package ogcard

import (
	"context"
	"fmt"
	"image"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/alt"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/config"
	"github.com/ogcard/ogcard/internal/lint"
	"github.com/ogcard/ogcard/internal/permalink"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/render"
	"github.com/ogcard/ogcard/internal/safefile"
	"github.com/ogcard/ogcard/internal/template"
)

// DefaultMaxBytes is the byte budget of a card when Options.MaxBytes is 0:
// WhatsApp drops link previews over about 300 KB.
const DefaultMaxBytes = 300_000

// MaxPostBytes is the largest post accepted, in bytes, however it is read.
const MaxPostBytes = 8 << 20

// TemplateVersion is the version of the template format this package reads.
// A template may say `version: 1` or nothing; any other version is refused
// with an error naming the file and line.
const TemplateVersion = 1

// Options configure New. The zero value, and a nil *Options, give the
// built-in brand, templates and fonts, the "og" template and a 300 KB
// budget.
type Options struct {
	// ConfigFile is a site's ogcard.yaml: its brand (name, colours, fonts,
	// logo, artwork), the templates to render and field overrides. Files it
	// names are read inside its folder. "" means none: the built-in brand
	// alone. FindConfig finds one.
	ConfigFile string

	// SiteName, when set, replaces the brand's (or the config's) site name
	// on cards.
	SiteName string

	// Templates are the templates rendered by default (DefaultTemplates):
	// built-in names ("og", "session", ...) or template files (*.yaml,
	// read and added, each under the name it declares). nil means the
	// config's list, else ["og"].
	Templates []string

	// TemplateDir is a folder of extra *.yaml templates; one named like a
	// built-in replaces it. "" means none.
	TemplateDir string

	// ContentRoot is the folder URL paths of cards derive from: a post at
	// ContentRoot/blog/x.md gets the URL path /blog/x. "" means the
	// config file's folder when there is one (its content folder for Hugo
	// and Zola URLs), else the path after its last "content" folder. Build
	// and NewHandler take their own content folder.
	ContentRoot string

	// URLs names the site generator whose page URL rules give a card's
	// URLPath and PageURL: "hugo", "jekyll", "zola" or "path" (ogcard's
	// own rule). "" means the config's urls key, else "path".
	URLs string

	// MaxBytes is the size a card should stay under, in bytes. A card over
	// it is compressed harder, then cut to 256 colours or fewer, with a
	// warning. 0 means DefaultMaxBytes; negative means no budget.
	MaxBytes int

	// FailOverBudget makes Render and RenderAll fail with a *BudgetError
	// for a card still over MaxBytes after shrinking, rather than return
	// it with a warning. (Build always writes the card and reports the
	// warning in BuildReport.CardWarnings.)
	FailOverBudget bool

	// Fonts holds the fallback font files (.ttf, .otf) at its top level;
	// the config's fonts are tried before them. nil means the embedded
	// fonts (Inter, Noto Sans Arabic and Hebrew, Droid Sans Fallback, Noto
	// Emoji).
	Fonts fs.FS

	// BuiltinTemplates holds *.yaml templates at its top level. nil means
	// the embedded ones (og, square, portrait, landscape, session, lineup,
	// event).
	BuiltinTemplates fs.FS

	// Brand is the base brand's YAML (name, colours, font roles) that the
	// config is laid over. nil means the embedded brand.
	Brand []byte
}

// Renderer turns posts into cards. It holds the parsed fonts, compiled
// templates and decoded brand images, built once by New. A Renderer is
// immutable and safe for concurrent use; build and serve share one.
type Renderer struct {
	r        *render.Renderer
	defaults []string
	strict   bool
	budget   int
	config   string
	linter   *lint.Linter // the config's lint settings over the defaults
}

// New parses the fonts, brand, config and templates of o. Errors name the
// file (and line, where known) at fault.
func New(o *Options) (*Renderer, error) {
	if o == nil {
		o = &Options{}
	}
	var cfg *config.Config
	if o.ConfigFile != "" {
		var err error
		if cfg, err = config.Load(o.ConfigFile); err != nil {
			return nil, err
		}
	}
	style, err := permalink.ParseStyle(o.URLs)
	if err != nil {
		return nil, err
	}
	ro := render.Options{
		Fonts: o.Fonts, Templates: o.BuiltinTemplates,
		Brand: o.Brand, BrandName: "brand.yaml",
		SiteName: o.SiteName, Config: cfg,
		ExtraTemplates: map[string][]byte{},
		MaxBytes:       o.MaxBytes,
	}
	if ro.Fonts == nil {
		ro.Fonts = fonts.FS
	}
	if ro.Templates == nil {
		ro.Templates = assets.Templates
	}
	if ro.Brand == nil {
		ro.Brand, ro.BrandName = assets.Brand, "built-in brand.yaml"
	}
	root := o.ContentRoot
	if root == "" && cfg != nil {
		// The config marks the content root: URL paths derive from it. Hugo
		// and Zola keep posts in the content folder beside their config.
		root = filepath.Dir(cfg.Path)
		st := style
		if o.URLs == "" {
			st = cfg.URLs
		}
		if c := filepath.Join(root, "content"); (st == permalink.Hugo || st == permalink.Zola) && isDir(c) {
			root = c
		}
	}
	if root != "" || o.URLs != "" {
		ro.Card = &card.Options{Root: root}
		if o.URLs != "" {
			ro.Card.URLs = style
		}
	}
	if o.TemplateDir != "" {
		files, err := filepath.Glob(filepath.Join(o.TemplateDir, "*.yaml"))
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("templates %s: no *.yaml files", o.TemplateDir)
		}
		for _, f := range files {
			if err := addTemplateFile(ro.ExtraTemplates, f); err != nil {
				return nil, err
			}
		}
	}
	// Names to render: the options', else the config's, else og. Entries
	// that are files are loaded and replaced by the name they declare.
	wanted, base := o.Templates, ""
	if len(wanted) == 0 && cfg != nil {
		wanted, base = cfg.File.Templates, filepath.Dir(cfg.Path)
	}
	var names []string
	for _, w := range wanted {
		if !config.IsTemplateFile(w) {
			names = append(names, w)
			continue
		}
		p := w
		var data []byte
		if base != "" {
			// Named by the config: already read, inside its folder, by
			// config.Load; render.New adds it.
			p, data = filepath.Join(base, w), cfg.TemplateFiles[w]
		} else {
			if err := addTemplateFile(ro.ExtraTemplates, p); err != nil {
				return nil, err
			}
			data = ro.ExtraTemplates[p]
		}
		f, err := template.Decode(p, data)
		if err != nil {
			return nil, err
		}
		n := f.Name
		if n == "" {
			b := filepath.Base(p)
			n = b[:len(b)-len(filepath.Ext(b))]
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		names = []string{"og"}
	}
	r, err := render.New(ro)
	if err != nil {
		return nil, err
	}
	linter, err := lint.FromConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &Renderer{r: r, defaults: names, strict: o.FailOverBudget, budget: budgetOf(o.MaxBytes), config: o.ConfigFile, linter: linter}, nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// ConfigFile returns Options.ConfigFile: the site config the Renderer
// uses, "" for none.
func (r *Renderer) ConfigFile() string { return r.config }

func budgetOf(n int) int {
	switch {
	case n == 0:
		return DefaultMaxBytes
	case n < 0:
		return 0
	}
	return n
}

// addTemplateFile reads a template file of at most 1 MiB into m; only a
// regular file is read, never blocking on a pipe.
func addTemplateFile(m map[string][]byte, path string) error {
	data, err := safefile.ReadPath(path, 1<<20)
	if err != nil {
		return fmt.Errorf("template %s: %w", path, err)
	}
	m[path] = data
	return nil
}

// DefaultTemplates returns the names of the templates Options.Templates
// (or the config) asked for, files resolved to the names they declare; at
// least "og". The caller owns the slice.
func (r *Renderer) DefaultTemplates() []string { return slices.Clone(r.defaults) }

// Templates returns the names of every template the Renderer knows, sorted.
// The caller owns the slice.
func (r *Renderer) Templates() []string { return slices.Clone(r.r.Templates()) }

// TemplateInfo describes a compiled template.
type TemplateInfo struct {
	Name        string // what Render and Options.Templates call it
	Description string // one line, from the template's YAML
	Width       int    // pixels
	Height      int    // pixels
	// MultiCard is true for a template that makes several cards of a post:
	// one per session, or line-up pages.
	MultiCard bool
	// Source is the YAML the template was compiled from. Do not modify it.
	Source []byte
}

// Template describes the template called name; ok is false when the
// Renderer has none of that name.
func (r *Renderer) Template(name string) (info TemplateInfo, ok bool) {
	t, ok := r.r.Template(name)
	if !ok {
		return TemplateInfo{}, false
	}
	return TemplateInfo{Name: t.Name, Description: t.Description, Width: t.Width, Height: t.Height, MultiCard: t.Repeat != "", Source: t.Source}, true
}

// FontBytes is, for sizing memory limits, the size in bytes of the font
// files the Renderer loaded, counted twice where a file was copied into the
// heap and once where it is read in place (the default fonts are, from the
// binary). Parsed tables take more still; see MemoryLimit.
func (r *Renderer) FontBytes() int64 { return r.r.FontBytes() }

// ParsePost reads a post (Markdown with YAML, TOML or JSON front matter)
// from data and returns its card's fields. name is the post's path, for
// errors and for its URL path (relative to Options.ContentRoot) and
// speaker photos (read from disk beside it). A file that is no post, or has
// no title, gives a *SkipError; a malformed one a *PostError.
func (r *Renderer) ParsePost(name string, data []byte) (*Card, error) {
	p, err := post.Parse(name, data)
	if err != nil {
		return nil, convertErr(err)
	}
	return r.card(p)
}

// TitleSlug is a file name stem for the card of a post that has no file
// name (read from a pipe, say): its title as a site slugs one, lower case,
// accents dropped, words joined by dashes, at most 80 bytes cut between
// words; "" when the title has no letter or digit.
func TitleSlug(title string) string {
	s := card.PersonSlug(title)
	if len(s) > 80 {
		s = s[:80]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		}
		s = strings.ToValidUTF8(s, "")
	}
	return s
}

// ReadPost is ParsePost over at most MaxPostBytes read from rd.
func (r *Renderer) ReadPost(name string, rd io.Reader) (*Card, error) {
	data, err := safefile.ReadUpTo(rd, MaxPostBytes+1, 0)
	if err != nil {
		return nil, fmt.Errorf("post %s: %w", name, err)
	}
	if len(data) > MaxPostBytes {
		return nil, fmt.Errorf("post %s: over %d bytes", name, MaxPostBytes)
	}
	return r.ParsePost(name, data)
}

// ReadPostFile is ParsePost over the file at path. It refuses anything but
// a regular file and a file over MaxPostBytes without reading it.
func (r *Renderer) ReadPostFile(path string) (*Card, error) {
	p, err := post.Read(path)
	if err != nil {
		return nil, convertErr(err)
	}
	return r.card(p)
}

// ReadPostFS is ParsePost over the file name (a slash path) of fsys, with
// ReadPostFile's limits.
func (r *Renderer) ReadPostFS(fsys fs.FS, name string) (*Card, error) {
	p, err := post.ReadFS(fsys, name)
	if err != nil {
		return nil, convertErr(err)
	}
	return r.card(p)
}

func (r *Renderer) card(p *post.Post) (*Card, error) {
	c, err := r.r.Card(p)
	if err != nil {
		return nil, convertPostErr(p.Path, err)
	}
	return fromCard(c), nil
}

// Image is one encoded card.
type Image struct {
	Template string // the template's name
	// Suffix names the card among a multi-card template's: "" for a
	// template's only card, "03" for the third session's, "2of3" for the
	// second of three line-up pages.
	Suffix        string
	Width, Height int    // pixels
	PNG           []byte // the encoded card, owned by the caller; nil when JPEG is set
	JPEG          []byte // the card encoded as JPEG, when RenderAs was asked for it
	// Key is the card's cache key: a hash of everything that decides its
	// pixels (the card's fields, template, brand, fonts, images and
	// ogcard's renderer version). Equal keys mean equal PNGs.
	Key      string
	Warnings []string // a title shrunk, a glyph no font has, over budget, ...
}

// Render draws the first card template name makes of c and encodes it as
// PNG. For templates that make several cards (MultiCard), see RenderAll.
// Errors: ErrUnknownTemplate, ErrNoCards (a repeating template and a post
// without sessions), *BudgetError with FailOverBudget, or ctx's error.
func (r *Renderer) Render(ctx context.Context, c *Card, template string) (*Image, error) {
	img, err := r.r.Render(ctx, toCard(c), template)
	if err != nil {
		return nil, convertErr(err)
	}
	return r.image(img, c.Source)
}

// RenderAll draws and encodes every card template name makes of c, in
// order: one, one per session, or one per line-up page.
func (r *Renderer) RenderAll(ctx context.Context, c *Card, template string) ([]*Image, error) {
	imgs, err := r.r.RenderAll(ctx, toCard(c), template)
	if err != nil {
		return nil, convertErr(err)
	}
	out := make([]*Image, len(imgs))
	for i, img := range imgs {
		if out[i], err = r.image(img, c.Source); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *Renderer) image(img *render.Image, source string) (*Image, error) {
	if r.strict && r.budget > 0 && len(img.PNG) > r.budget {
		return nil, &BudgetError{Source: source, Template: img.Template, Suffix: img.Suffix, Bytes: len(img.PNG), Budget: r.budget}
	}
	return &Image{Template: img.Template, Suffix: img.Suffix, Width: img.Width, Height: img.Height, PNG: img.PNG, Key: img.Key, Warnings: img.Warnings}, nil
}

// Draw lays out and paints the first card template name makes of c,
// without encoding it: the pixels as Render would encode them, before any
// cut to fewer colours. The caller owns the image.
func (r *Renderer) Draw(ctx context.Context, c *Card, template string) (*image.RGBA, error) {
	img, _, err := r.r.Draw(ctx, toCard(c), template)
	if err != nil {
		return nil, convertErr(err)
	}
	return img, nil
}

// DrawAll is Draw for every card template name makes of c.
func (r *Renderer) DrawAll(ctx context.Context, c *Card, template string) ([]*image.RGBA, error) {
	imgs, err := r.r.DrawAll(ctx, toCard(c), template)
	if err != nil {
		return nil, convertErr(err)
	}
	return imgs, nil
}

// CardRef names one card a template makes of a post, without drawing it.
type CardRef struct {
	Suffix string // Image.Suffix: "" for a template's only card, "03", "2of3"
	Key    string // Image.Key
	Alt    string // alternative text: what the card says, for its <img alt> or og:image:alt
}

// Cards lists the cards template name makes of c, in RenderAll's order,
// with their keys, without drawing anything: a caller can tell from them
// which cards it already has, and name their files. A repeating template
// and a post without sessions give none.
func (r *Renderer) Cards(c *Card, template string) ([]CardRef, error) {
	ic := toCard(c)
	refs, err := r.r.Cards(ic, template)
	if err != nil {
		return nil, convertErr(err)
	}
	t, _ := r.r.Template(template)
	out := make([]CardRef, len(refs))
	for i, ref := range refs {
		out[i] = CardRef{Suffix: ref.Suffix, Key: ref.Key, Alt: alt.Text(ic, t, ref.Suffix)}
	}
	return out, nil
}
