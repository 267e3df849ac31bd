// Package render is ogcard's facade: one Renderer holds the parsed fonts,
// compiled templates and brand, and turns posts into encoded PNG cards.
//
// A Renderer is immutable after New and safe for concurrent use; the batch
// build and the server share one.
package render

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/config"
	"github.com/ogcard/ogcard/internal/fields"
	"github.com/ogcard/ogcard/internal/layout"
	"github.com/ogcard/ogcard/internal/palette"
	"github.com/ogcard/ogcard/internal/pngenc"
	"github.com/ogcard/ogcard/internal/post"
	"github.com/ogcard/ogcard/internal/raster"
	"github.com/ogcard/ogcard/internal/safefile"
	"github.com/ogcard/ogcard/internal/template"
	"github.com/ogcard/ogcard/internal/text"
)

// Version is part of every cache key. Bump it when a change to the code
// changes the pixels of existing cards, so incremental builds redraw them.
const Version = "ogcard-render-2"

// Options configure New. Fonts and Templates are required.
type Options struct {
	Fonts     fs.FS  // font files at the top level
	Templates fs.FS  // *.yaml templates at the top level
	Brand     []byte // brand YAML
	BrandName string // the brand's file name, for errors
	// ExtraTemplates are template files (path -> bytes) added after the
	// built-ins; one with a built-in's name replaces it.
	ExtraTemplates map[string][]byte
	// Card configures post normalisation (nil means defaults).
	Card *card.Options
	// SiteName overrides the brand's name on cards when set.
	SiteName string
	// Config is the site's ogcard.yaml (nil: the built-in brand alone).
	Config *config.Config
	// MaxBytes is the size a card should stay under: WhatsApp drops link
	// previews over about 300 KB. 0 means DefaultMaxBytes; -1 none.
	MaxBytes int
	// EncodeConcurrency bounds the goroutines one PNG encode may use: 0
	// means GOMAXPROCS (fastest single card), 1 the calling goroutine
	// only. (The build and the server leave it at 0: with a worker per
	// core already, setting 1 measured no different on the corpus.)
	EncodeConcurrency int
	// ContentRoot is the folder that relative card sources (Card.Source)
	// are relative to, for speaker photos; "" means the working directory.
	ContentRoot string
}

// DefaultMaxBytes is the default byte budget of a card.
const DefaultMaxBytes = 300_000

// maxFontBytes caps each font file New reads.
const maxFontBytes = 32 << 20

// Renderer renders cards. Safe for concurrent use.
type Renderer struct {
	*shared
	cardOpts    *card.Options
	contentRoot string
}

// shared is what the Renderers WithRoots derives share: fonts, templates,
// brand and caches.
type shared struct {
	lib       *text.Library
	templates *template.Set
	brand     *template.Brand
	inputs    string         // hash of fonts, brand and Version
	encoder   pngenc.Encoder // see New for why its filter is None

	mu          sync.Mutex
	backgrounds map[string]*image.RGBA  // bgKey -> the static layers, drawn once
	opaque      map[string]bool         // bgKey -> that background is opaque
	indexers    map[string]*lazyIndexer // bgKey and inks -> their palette

	maxBytes      int
	fontBytes     int64
	logo, artwork image.Image // the brand's, decoded once
	avatars       avatarCache
	covers        avatarCache // posts' cover pictures, few and large
	usesCover     bool        // some template draws the post's cover picture
	canvases      sync.Pool   // *canvas, reused once encoded
	paletted      sync.Pool   // *pngenc.Paletted, reused once encoded
	pngBufs       sync.Pool   // *bytes.Buffer, from Recycle
}

// canvas is a pooled card canvas that remembers what it holds: the
// background bg (a pointer into shared.backgrounds, of the same size as
// img) everywhere outside dirty, the rectangles the card's own layers
// painted. Drawing the next card over the same background then restores
// those rectangles, a fraction of the canvas, instead of copying all of
// its 3 MB. A canvas whose pixels are unknown has bg nil.
type canvas struct {
	img   *image.RGBA
	bg    *image.RGBA
	dirty []image.Rectangle
}

// pooled returns a canvas from the pool, refitted to w×h, or a new one.
func (r *Renderer) pooled(w, h int) *canvas {
	cv, _ := r.canvases.Get().(*canvas)
	if cv != nil && cv.fit(w, h) {
		return cv
	}
	return &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h))}
}

// fit reshapes cv to w×h over the same buffer if it is large enough.
func (cv *canvas) fit(w, h int) bool {
	img, ok := refit(cv.img, w, h)
	if ok {
		cv.img = img
	}
	return ok
}

// maxDirty bounds the rectangles a canvas tracks; a card that paints more
// (a line-up of many rows, say) clears its canvas whole next time.
const maxDirty = 512

// clear sets cv's pixels to bg's: only the dirty rectangles when cv
// already holds bg elsewhere, else every pixel.
func (cv *canvas) clear(bg *image.RGBA) {
	img := cv.img
	if cv.bg != bg || img.Rect != bg.Rect || len(cv.dirty) > maxDirty {
		copy(img.Pix, bg.Pix)
	} else {
		for _, d := range cv.dirty {
			n := 4 * d.Dx()
			for y := d.Min.Y; y < d.Max.Y; y++ {
				o := img.PixOffset(d.Min.X, y)
				copy(img.Pix[o:o+n], bg.Pix[o:o+n])
			}
		}
	}
	cv.bg, cv.dirty = bg, cv.dirty[:0]
}

// refit returns img as a w×h image over the same buffer, if the buffer is
// large enough. One pool serves every template's size: under mixed
// traffic a canvas of the wrong size used to be dropped and 3-6 MB
// allocated in its place, most of serve's garbage; the pool now fills with
// canvases of the largest size, which fit every card.
func refit(img *image.RGBA, w, h int) (*image.RGBA, bool) {
	n := 4 * w * h
	if w <= 0 || h <= 0 || cap(img.Pix) < n {
		return nil, false
	}
	img.Pix, img.Stride, img.Rect = img.Pix[:n], 4*w, image.Rect(0, 0, w, h)
	return img, true
}

// New parses fonts, the brand and the templates once.
func New(o Options) (*Renderer, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", Version)
	lib := text.NewLibrary(nil)
	var fontBytes int64
	names, err := fs.Glob(o.Fonts, "*")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	// A brand that asks for monochrome emoji gets Noto Emoji's outlines in
	// the text colour: the colour pictures are not loaded at all.
	mono := o.Config != nil && o.Config.File.Emoji == "monochrome"
	for _, n := range names {
		if !isFont(n) && !text.IsEmojiSVGs(n) || mono && text.IsEmojiSVGs(n) {
			continue
		}
		if ip, ok := o.Fonts.(inPlaceFS); ok {
			if s, ok := ip.ReadFileString(n); ok {
				if text.IsEmojiSVGs(n) {
					err = lib.AddEmojiSVGsString(n, s)
				} else {
					_, err = lib.AddString(n, s)
				}
				if err != nil {
					return nil, err
				}
				sum, ok := ip.Sum(n)
				if !ok {
					fh := sha256.New()
					io.WriteString(fh, s)
					copy(sum[:], fh.Sum(nil))
				}
				fmt.Fprintf(h, "font %s %x\n", n, sum)
				fontBytes += int64(len(s)) // parsed; the file is not copied
				continue
			}
		}
		data, err := safefile.ReadFS(o.Fonts, n, maxFontBytes)
		if err != nil {
			return nil, fmt.Errorf("font %s: %w", n, err)
		}
		if text.IsEmojiSVGs(n) {
			err = lib.AddEmojiSVGs(n, data)
		} else {
			_, err = lib.Add(n, data)
		}
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(h, "font %s %x\n", n, sum)
		fontBytes += 2 * int64(len(data)) // the file and its parse
	}
	var userFamilies []string
	if o.Config != nil {
		names := make([]string, 0, len(o.Config.Fonts))
		for n := range o.Config.Fonts {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			data := o.Config.Fonts[n]
			f, err := lib.Add(n, data)
			if err != nil {
				return nil, fmt.Errorf("config %s: %w", o.Config.Path, err)
			}
			if !slices.Contains(userFamilies, f.Family) {
				userFamilies = append(userFamilies, f.Family)
			}
			fmt.Fprintf(h, "font %s %x\n", n, sha256.Sum256(data))
			fontBytes += 2 * int64(len(data)) // the file and its parse
		}
	}
	if len(lib.Fonts()) == 0 {
		return nil, fmt.Errorf("no fonts found: the font folder needs .ttf or .otf files")
	}
	brandName := o.BrandName
	if brandName == "" {
		brandName = "brand.yaml"
	}
	brand, err := template.DecodeBrand(brandName, o.Brand)
	if err != nil {
		return nil, err
	}
	cardOpts := o.Card
	var logo, artwork image.Image
	if c := o.Config; c != nil {
		for _, role := range []struct {
			key      string
			families []string
		}{{"fonts.heading", c.File.Fonts.Heading}, {"fonts.body", c.File.Fonts.Body}} {
			for _, fam := range role.families {
				if !lib.HasFamily(fam) {
					return nil, &config.Error{Path: c.Path, Key: role.key, Err: fmt.Errorf("%w: no loaded font has the family %q: add its files under fonts.files, or name one of %s", config.ErrInvalid, fam, strings.Join(lib.Families(), ", "))}
				}
			}
		}
		applyConfig(brand, c, userFamilies)
		logo, artwork = c.Logo, c.Background
		// What the config means, not its bytes: a comment or the list of
		// templates to build changes no card's pixels. Fonts and images are
		// hashed below; field overrides show in the card's own fields.
		meaning, _ := json.Marshal(struct {
			Site   string
			Colors map[string]string // encoding/json sorts map keys
			Fonts  config.Fonts
			Mono   bool `json:",omitempty"` // absent by default: existing keys stay
		}{c.File.Site, c.File.Colors, c.File.Fonts, mono})
		fmt.Fprintf(h, "config %x\n", sha256.Sum256(meaning))
		for _, b := range c.ImageBytes {
			fmt.Fprintf(h, "image %x\n", sha256.Sum256(b))
		}
		if len(c.File.Fields) > 0 || c.URLs != "" || c.Authors != nil {
			opts := card.Options{}
			if cardOpts != nil {
				opts = *cardOpts
			}
			if len(c.File.Fields) > 0 {
				opts.Fields = card.DefaultFields()
				for k, v := range c.File.Fields {
					opts.Fields[k] = v
				}
			}
			if opts.URLs == "" {
				opts.URLs = c.URLs // a --urls flag wins
			}
			if opts.Authors == nil {
				opts.Authors = c.Authors
			}
			cardOpts = &opts
		}
	}
	if o.SiteName != "" {
		brand.Name = o.SiteName
	}
	// The budget decides whether a card is cut to fewer colours.
	fmt.Fprintf(h, "budget %d\n", budget(o.MaxBytes))
	fmt.Fprintf(h, "brand %x\n", sha256.Sum256(o.Brand))
	fmt.Fprintf(h, "site %q\n", brand.Name)
	set, err := template.LoadSet(o.Templates, brand)
	if err != nil {
		return nil, err
	}
	extraFiles := map[string][]byte{}
	for n, b := range o.ExtraTemplates {
		extraFiles[n] = b
	}
	if o.Config != nil {
		for n, b := range o.Config.TemplateFiles {
			extraFiles[filepath.Join(filepath.Dir(o.Config.Path), n)] = b
		}
	}
	extra := make([]string, 0, len(extraFiles))
	for n := range extraFiles {
		extra = append(extra, n)
	}
	sort.Strings(extra)
	for _, n := range extra {
		t, err := template.Load(n, extraFiles[n], brand)
		if err != nil {
			return nil, err
		}
		set.Add(t)
	}
	if err := fields.CheckSet(set, extraFiles); err != nil {
		return nil, err
	}
	usesCover := false
	for _, n := range set.Names() {
		t, _ := set.Get(n)
		usesCover = usesCover || hasCoverLayer(t.Layers)
	}
	return &Renderer{cardOpts: cardOpts, contentRoot: o.ContentRoot, shared: &shared{
		usesCover: usesCover,
		lib:       lib, templates: set, brand: brand,
		logo: logo, artwork: artwork, maxBytes: budget(o.MaxBytes),
		fontBytes: fontBytes,
		avatars:   avatarCache{m: map[string]image.Image{}, digests: map[string]string{}},
		inputs:    hex.EncodeToString(h.Sum(nil)),
		// Gradients are drawn as shifted copies of one row, which deflate
		// matches without any filter: on the reference card None gives
		// 129 KB in ~5 ms, Up 181 KB in ~7 ms, Adaptive 179 KB in ~16 ms.
		encoder:     pngenc.Encoder{Filter: pngenc.FilterNone, Concurrency: max(o.EncodeConcurrency, 0)},
		backgrounds: map[string]*image.RGBA{},
		opaque:      map[string]bool{},
		indexers:    map[string]*lazyIndexer{},
	}}, nil
}

// WithRoots returns a Renderer that shares r's fonts, templates, brand and
// caches, with card Root cardRoot (URL paths derive from post paths
// relative to it) and ContentRoot contentRoot (where relative sources'
// photos are read): the batch build and the server read posts by
// different paths, and one parse of the fonts serves both.
func (r *Renderer) WithRoots(cardRoot, contentRoot string) *Renderer {
	opts := r.cardOpts
	if opts != nil || cardRoot != "" {
		o := card.Options{}
		if opts != nil {
			o = *opts
		}
		o.Root = cardRoot
		opts = &o
	}
	return &Renderer{shared: r.shared, cardOpts: opts, contentRoot: contentRoot}
}

// hasCoverLayer reports whether ls draws the post's cover picture.
func hasCoverLayer(ls []template.CLayer) bool {
	for i := range ls {
		if ls[i].Kind == "image" && ls[i].Src == "cover" || hasCoverLayer(ls[i].Children) {
			return true
		}
	}
	return false
}

func budget(n int) int {
	switch {
	case n == 0:
		return DefaultMaxBytes
	case n < 0:
		return 0
	}
	return n
}

func isFont(name string) bool {
	n := len(name)
	return n > 4 && (name[n-4:] == ".ttf" || name[n-4:] == ".otf" || name[n-4:] == ".TTF" || name[n-4:] == ".OTF")
}

// FontBytes is, for callers that size memory limits, the size of the font
// files the Renderer loaded, counted twice where New copied a file into the
// heap and once where it reads the file in place (fonts.FS's stay in the
// binary, out of the heap). Parsed tables take more than the one count (28
// MB for all of fonts.FS's 9.3 MB of fonts, each parsed on first use):
// callers' fixed allowance covers the rest.
func (r *Renderer) FontBytes() int64 { return r.fontBytes }

// inPlaceFS is an fs.FS that gives some of its files' bytes without a copy,
// as a string that stays where it is (fonts.FS: in the binary), and their
// pinned SHA-256, so that New need not read every page of every font.
type inPlaceFS interface {
	ReadFileString(name string) (string, bool)
	Sum(name string) ([sha256.Size]byte, bool)
}

// InputsKey hashes everything besides a post's own file that decides its
// cards: the renderer's inputs (fonts, brand, config, budget, Version), the
// card options (field overrides, root), the named templates' sources and
// extra, caller-given words (build options). Equal keys and an unchanged
// post file mean unchanged cards, unless the cards show photos.
func (r *Renderer) InputsKey(templates []string, extra ...string) (string, error) {
	h := sha256.New()
	h.Write([]byte(r.inputs))
	opts, err := json.Marshal(r.cardOpts)
	if err != nil {
		return "", err
	}
	h.Write(opts)
	for _, name := range templates {
		t, err := r.template(name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "\ntemplate %s %x", t.Name, sha256.Sum256(t.Source))
	}
	for _, e := range extra {
		fmt.Fprintf(h, "\n%q", e)
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// HasPhotos reports whether any card of c may show a photo read from disk
// (a person's photo or the post's cover picture).
func HasPhotos(c *card.Card) bool {
	if c.Cover != "" {
		return true
	}
	for _, p := range c.People() {
		if p.Avatar != "" {
			return true
		}
	}
	return false
}

// Templates returns the names of the templates the Renderer knows.
func (r *Renderer) Templates() []string { return r.templates.Names() }

// Template returns a compiled template by name.
func (r *Renderer) Template(name string) (*template.Template, bool) { return r.templates.Get(name) }

// Card normalises a parsed post, fills in the brand's site name, finds
// speakers' photos saved beside the post under their names (mahe-tardy.jpg)
// and warns about photos it cannot show (AvatarWarnings).
func (r *Renderer) Card(p *post.Post) (*card.Card, error) {
	c, err := card.FromPost(p, r.cardOpts)
	if err != nil {
		return c, err
	}
	if c.Site == "" {
		c.Site = r.brand.Name
	}
	r.folderPhotos(c)
	c.Warnings = append(c.Warnings, r.AvatarWarnings(c)...)
	if r.usesCover && c.Cover != "" {
		if w := r.CoverWarning(c); w != "" {
			c.Warnings = append(c.Warnings, w)
		}
	}
	return c, nil
}

// Image is an encoded card.
type Image struct {
	Template      string
	Suffix        string // "" for one card per post; "01".. per session, "1of3".. per line-up page
	Width, Height int
	PNG           []byte // the encoded card; nil when JPEG is set
	JPEG          []byte // the encoded card when it was asked for as JPEG
	Key           string // the cache key it was rendered for
	Warnings      []string

	buf *bytes.Buffer // holds PNG, for Recycle
}

// Recycle hands im's PNG buffer back for later cards; im.PNG must not be
// used after. A batch build calls it once a card is written: the buffers
// were a sixth of its allocation. Images never recycled are collected as
// usual.
func (r *Renderer) Recycle(im *Image) {
	if im == nil || im.buf == nil {
		return
	}
	im.buf.Reset()
	r.pngBufs.Put(im.buf)
	im.buf, im.PNG = nil, nil
}

// Data returns the encoded card, PNG or JPEG.
func (im *Image) Data() []byte {
	if im.JPEG != nil {
		return im.JPEG
	}
	return im.PNG
}

// MIME returns the card's media type: image/png or image/jpeg.
func (im *Image) MIME() string {
	if im.JPEG != nil {
		return "image/jpeg"
	}
	return "image/png"
}

// ErrUnknownTemplate is returned for a template name the Renderer lacks.
var ErrUnknownTemplate = errors.New("unknown template")

// ErrNoCards is returned when a repeating template (one card per session)
// has nothing to repeat over: the post lists no sessions.
var ErrNoCards = errors.New("the post lists no sessions for this template")

func (r *Renderer) template(name string) (*template.Template, error) {
	t, ok := r.templates.Get(name)
	if !ok {
		return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownTemplate, name, strings.Join(r.templates.Names(), ", "))
	}
	return t, nil
}

// Key returns the cache key of c drawn with template name: a hash of every
// input that changes the pixels (the card's fields, the template, brand,
// fonts, images and Version). It is cheap: nothing is drawn. It fails when
// a photo the card names is not a regular file (a named pipe, a folder).
func (r *Renderer) Key(c *card.Card, name string) (string, error) {
	t, err := r.template(name)
	if err != nil {
		return "", err
	}
	fields := *c
	fields.Source, fields.Warnings = "", nil
	js, err := json.Marshal(&fields)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write([]byte(r.inputs))
	fmt.Fprintf(h, "\ntemplate %s %x\n", t.Name, sha256.Sum256(t.Source))
	h.Write(js)
	if HasPhotos(c) {
		// Photos are read from the post's folder: their bytes count too.
		a, err := r.avatarHash(c)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "avatars %s\n", a)
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// Render draws the first card of c with the named template and encodes it
// as PNG. For templates that make several cards, see RenderAll.
func (r *Renderer) Render(ctx context.Context, c *card.Card, name string) (*Image, error) {
	return r.RenderAs(ctx, c, name, Format{})
}

// RenderAs is Render in format f.
func (r *Renderer) RenderAs(ctx context.Context, c *card.Card, name string, f Format) (*Image, error) {
	imgs, err := r.render(ctx, c, name, 1, f)
	if err != nil {
		return nil, err
	}
	return imgs[0], nil
}

// RenderAll draws every card the template makes of c: one, one per
// session, or one per line-up page.
func (r *Renderer) RenderAll(ctx context.Context, c *card.Card, name string) ([]*Image, error) {
	return r.render(ctx, c, name, -1, Format{})
}

// RenderAllAs is RenderAll in format f.
func (r *Renderer) RenderAllAs(ctx context.Context, c *card.Card, name string, f Format) ([]*Image, error) {
	return r.render(ctx, c, name, -1, f)
}

// cardsOf returns template name, the key of c drawn with it and the cards
// (views) it makes of c; ErrNoCards when it makes none.
func (r *Renderer) cardsOf(c *card.Card, name string) (*template.Template, string, []layout.View, error) {
	t, err := r.template(name)
	if err != nil {
		return nil, "", nil, err
	}
	key, err := r.Key(c, name)
	if err != nil {
		return nil, "", nil, err
	}
	views := layout.Views(c, t)
	if len(views) == 0 {
		return nil, "", nil, ErrNoCards
	}
	return t, key, views, nil
}

func (r *Renderer) render(ctx context.Context, c *card.Card, name string, limit int, f Format) ([]*Image, error) {
	t, key, views, err := r.cardsOf(c, name)
	if err != nil {
		return nil, err
	}
	if limit > 0 && len(views) > limit {
		views = views[:limit]
	}
	var out []*Image
	for _, v := range views {
		img, err := r.encodeView(ctx, t, v, cardKey(key, suffixOf(t, v)), f)
		if err != nil {
			return nil, err
		}
		out = append(out, img)
	}
	return out, nil
}

// encodeView draws one card and encodes it as PNG, or as f asks.
func (r *Renderer) encodeView(ctx context.Context, t *template.Template, v layout.View, key string, f Format) (*Image, error) {
	cv, plan, err := r.drawCanvas(ctx, v, t)
	if err != nil {
		return nil, err
	}
	// The canvas goes back to the pool once encoded: at 3 MB a card,
	// reusing it keeps a batch build's heap flat. Encoding only reads it,
	// so it still holds its background outside cv.dirty.
	defer r.canvases.Put(cv)
	return r.encode(ctx, t, v, cv, plan, key, f)
}

// encode encodes a card drawn on cv as PNG, within the byte budget if it
// can, or as f asks (JPEG).
func (r *Renderer) encode(ctx context.Context, t *template.Template, v layout.View, cv *canvas, plan *layout.Plan, key string, f Format) (*Image, error) {
	img := cv.img
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if f.Kind == JPEG {
		data, err := encodeJPEG(img, f.Quality)
		if err != nil {
			return nil, err
		}
		return &Image{Template: t.Name, Suffix: suffixOf(t, v), Width: plan.Width, Height: plan.Height, JPEG: data, Key: key, Warnings: plan.Warnings}, nil
	}
	buf, _ := r.pngBufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
		buf.Grow(64 << 10)
	}
	enc := r.encoder
	// Layers drawn over an opaque background keep it opaque, so the
	// encoder need not scan for alpha.
	enc.Opaque = r.isOpaque(bgKey(t, plan))
	indexed := false
	if enc.Opaque {
		var err error
		if indexed, err = r.encodeIndexed(buf, enc, t, plan, cv); err != nil {
			return nil, err
		}
	}
	if !indexed {
		if err := enc.Encode(buf, img); err != nil {
			return nil, fmt.Errorf("encode: %w", err)
		}
	}
	warnings := plan.Warnings
	if r.maxBytes > 0 && buf.Len() > r.maxBytes {
		data, note, err := r.shrink(img, enc, buf.Len())
		if err != nil {
			return nil, err
		}
		buf.Reset()
		buf.Write(data)
		warnings = append(slices.Clone(warnings), note)
	}
	return &Image{Template: t.Name, Suffix: suffixOf(t, v), Width: plan.Width, Height: plan.Height, PNG: buf.Bytes(), Key: key, Warnings: warnings, buf: buf}, nil
}

// indexedLevel is the zlib level of paletted cards. At levels 1 to 5
// pngenc compresses paletted images with its own image-aware deflate
// encoder, which writes the same bytes at each: the reference og card is
// 51.1 KB with it and the largest card of any built-in template 131.5 KB,
// against 50.7 and 132.4 KB with klauspost/compress at level 5 (63.7 and
// 157 KB at level 1), for 12.5 million instructions per og card against
// level 5's 17.9 and level 1's 11.3 (callgrind), and in CPU time 1.5 ms
// against 2.75 and 1.5 (medians on a shared machine; pngenc's
// BenchmarkEncodePaletted). Level 6 would go back to klauspost: 48.8 KB,
// and slower.
const indexedLevel = 5

// encodeIndexed writes img as a paletted PNG when that loses nothing
// visible (see palette.Indexer) and reports whether it did. One byte per
// pixel instead of three is a third of the data to compress: cards come
// out at about half the size and encode in about half the time.
func (r *Renderer) encodeIndexed(buf *bytes.Buffer, enc pngenc.Encoder, t *template.Template, plan *layout.Plan, cv *canvas) (bool, error) {
	img := cv.img
	li := r.indexer(t, plan)
	pm, ok := r.paletted.Get().(*pngenc.Paletted)
	if !ok {
		pm = new(pngenc.Paletted)
	}
	pm.Reshape(img.Rect) // Index writes every pixel
	defer r.paletted.Put(pm)
	var res palette.Result
	if cv.bg == li.bg && li.base != nil && img.Rect == li.bg.Rect {
		// The canvas is the background outside the rectangles the
		// card's layers painted (cv.dirty): its indices there are the
		// background's.
		res = li.ix.IndexOver(&pm.Paletted, img, li.base, cv.dirty)
	} else {
		res = li.ix.Index(&pm.Paletted, img)
	}
	if res.Visible(img.Rect.Dx() * img.Rect.Dy()) {
		return false, nil
	}
	enc.Level, enc.InPalette = indexedLevel, true // Index writes only palette indices
	if err := enc.Encode(buf, pm); err != nil {
		return false, fmt.Errorf("encode: %w", err)
	}
	return true, nil
}

// indexer returns the palette of a template's cards whose background is
// plan's and whose card-dependent layers use the inks of plan, built on
// first use.
func (r *Renderer) indexer(t *template.Template, plan *layout.Plan) *lazyIndexer {
	var inks []color.NRGBA
	var key strings.Builder
	key.WriteString(bgKey(t, plan))
	for _, op := range plan.Ops[plan.Static:] {
		switch op.Kind {
		case layout.OpText, layout.OpRect, layout.OpCircle:
			inks = append(inks, op.Color)
		case layout.OpGradient:
			inks = append(inks, op.Colors...)
		}
	}
	slices.SortFunc(inks, func(p, q color.NRGBA) int {
		return cmp.Compare(uint32(p.R)<<24|uint32(p.G)<<16|uint32(p.B)<<8|uint32(p.A), uint32(q.R)<<24|uint32(q.G)<<16|uint32(q.B)<<8|uint32(q.A))
	})
	inks = slices.Compact(inks)
	for _, c := range inks {
		fmt.Fprintf(&key, " %02x%02x%02x%02x", c.R, c.G, c.B, c.A)
	}
	r.mu.Lock()
	li, ok := r.indexers[key.String()]
	if !ok {
		li = &lazyIndexer{}
		r.indexers[key.String()] = li
	}
	bg := r.backgrounds[bgKey(t, plan)]
	r.mu.Unlock()
	// Built outside r.mu, once: a card that needs it meanwhile waits
	// rather than building it again (a corpus build's two workers built
	// 3 of its 11 palettes twice, 10-20 ms each).
	li.once.Do(func() {
		defer func() {
			if v := recover(); v != nil {
				li.failed = fmt.Sprint(v)
			}
		}()
		li.ix = newIndexer(bg, inks, raster.RowShifts(plan.Ops[:plan.Static], bg.Rect.Dy()))
		li.bg, li.base = bg, li.ix.Background(bg)
	})
	if li.ix == nil || li.failed != "" {
		// Every card of this palette reports the first card's panic
		// (a bug), which the build turns into its error.
		panic("palette: " + li.failed)
	}
	return li
}

// newIndexer is palette.NewIndexer; tests count its calls.
var newIndexer = palette.NewIndexer

// lazyIndexer is a palette built on first use, with the indices of the
// background it was built from (nil when they cannot stand for a card's:
// see palette.Indexer.Background).
type lazyIndexer struct {
	once   sync.Once
	ix     *palette.Indexer
	bg     *image.RGBA
	base   *palette.Base
	failed string // the panic that stopped the build, if one did
}

// shrink brings a card over the byte budget under it if it can: first the
// same pixels compressed harder, then 256 colours with dithering. It says
// what it did, since either costs time and the second costs colour.
func (r *Renderer) shrink(img *image.RGBA, enc pngenc.Encoder, size int) ([]byte, string, error) {
	var buf bytes.Buffer
	enc.Level, enc.Filter = 6, pngenc.FilterAdaptive
	if err := enc.Encode(&buf, img); err != nil {
		return nil, "", fmt.Errorf("encode: %w", err)
	}
	if buf.Len() <= r.maxBytes {
		return buf.Bytes(), fmt.Sprintf("card is %d KB at fast compression, over the %d KB budget; compressed harder to %d KB", size/1000, r.maxBytes/1000, buf.Len()/1000), nil
	}
	hard := bytes.Clone(buf.Bytes())
	// Fewer colours, until the card fits: each step halves the palette,
	// and dithering keeps gradients smooth.
	var best []byte
	colours := 0
	for _, n := range []int{256, 128, 64} {
		buf.Reset()
		if err := (&pngenc.Encoder{Level: 6}).Encode(&buf, palette.Quantize(img, n)); err != nil {
			return nil, "", fmt.Errorf("encode: %w", err)
		}
		if best == nil || buf.Len() < len(best) {
			best, colours = bytes.Clone(buf.Bytes()), n
		}
		if buf.Len() <= r.maxBytes {
			break
		}
	}
	if len(best) >= len(hard) {
		return hard, fmt.Sprintf("card is %d KB, over the %d KB budget even in fewer colours; simplify its background (photos compress poorly) or raise the budget", len(hard)/1000, r.maxBytes/1000), nil
	}
	buf.Reset()
	buf.Write(best)
	note := fmt.Sprintf("card is %d KB, over the %d KB budget; written in %d colours (%d KB)", size/1000, r.maxBytes/1000, colours, buf.Len()/1000)
	if buf.Len() > r.maxBytes {
		note += ", still over budget: simplify its background or raise the budget"
	}
	return buf.Bytes(), note, nil
}

// CardRef names one card a template makes of a post, without drawing it.
type CardRef struct {
	Suffix string // "" for a template's single card; "03", "2of3" otherwise
	Key    string // its cache key
}

// Cards lists the cards template name makes of c, with their keys: one,
// one per session, one per line-up page, or none for a repeating template
// and a post without sessions. Nothing is drawn.
func (r *Renderer) Cards(c *card.Card, name string) ([]CardRef, error) {
	t, err := r.template(name)
	if err != nil {
		return nil, err
	}
	key, err := r.Key(c, name)
	if err != nil {
		return nil, err
	}
	var refs []CardRef
	for _, v := range layout.Views(c, t) {
		refs = append(refs, CardRef{Suffix: suffixOf(t, v), Key: cardKey(key, suffixOf(t, v))})
	}
	return refs, nil
}

// RenderCard draws and encodes the one card of c that ref names, as Cards
// listed it (its key is not computed again).
func (r *Renderer) RenderCard(ctx context.Context, c *card.Card, name string, ref CardRef) (*Image, error) {
	t, err := r.template(name)
	if err != nil {
		return nil, err
	}
	for _, v := range layout.Views(c, t) {
		if suffixOf(t, v) == ref.Suffix {
			return r.encodeView(ctx, t, v, ref.Key, Format{})
		}
	}
	return nil, fmt.Errorf("template %s makes no card %q of this post", name, ref.Suffix)
}

// cardKey is the key of one card of a multi-card template.
func cardKey(key, suffix string) string {
	if suffix == "" {
		return key
	}
	sum := sha256.Sum256([]byte(key + "/" + suffix))
	return hex.EncodeToString(sum[:])[:32]
}

// suffixOf names one card of a repeating template: "03" for the third
// session, "2of3" for the second line-up page.
func suffixOf(t *template.Template, v layout.View) string {
	switch {
	case t.Repeat == "":
		return ""
	case t.PerPage == 0:
		return fmt.Sprintf("%02d", v.Page)
	default:
		return fmt.Sprintf("%dof%d", v.Page, v.Pages)
	}
}

// Draw lays out and paints the first card of c without encoding it.
func (r *Renderer) Draw(ctx context.Context, c *card.Card, name string) (*image.RGBA, *layout.Plan, error) {
	t, err := r.template(name)
	if err != nil {
		return nil, nil, err
	}
	views := layout.Views(c, t)
	if len(views) == 0 {
		return nil, nil, ErrNoCards
	}
	return r.draw(ctx, views[0], t)
}

// DrawAll lays out and paints every card of c, for tests and previews.
func (r *Renderer) DrawAll(ctx context.Context, c *card.Card, name string) ([]*image.RGBA, error) {
	t, err := r.template(name)
	if err != nil {
		return nil, err
	}
	var out []*image.RGBA
	for _, v := range layout.Views(c, t) {
		img, _, err := r.draw(ctx, v, t)
		if err != nil {
			return nil, err
		}
		out = append(out, img)
	}
	return out, nil
}

// draw lays out and paints one card on a canvas that becomes the
// caller's (Draw, DrawAll): it never goes back to the pool.
func (r *Renderer) draw(ctx context.Context, v layout.View, t *template.Template) (*image.RGBA, *layout.Plan, error) {
	cv, plan, err := r.drawCanvas(ctx, v, t)
	if err != nil {
		return nil, nil, err
	}
	return cv.img, plan, nil
}

// drawCanvas is draw on a pooled canvas that records what the card's
// layers painted, for a caller that puts it back into the pool with its
// pixels unchanged (encodeView, Inspect's Release).
func (r *Renderer) drawCanvas(ctx context.Context, v layout.View, t *template.Template) (*canvas, *layout.Plan, error) {
	sh := r.lib.Shaper()
	plan, err := layout.Layout(sh, v, t, r)
	sh.Release()
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	cv := r.pooled(plan.Width, plan.Height)
	r.paint(cv, t, plan)
	return cv, plan, nil
}

// paint draws plan, a card of t, on cv, which must be plan's size.
func (r *Renderer) paint(cv *canvas, t *template.Template, plan *layout.Plan) {
	r.paintOps(cv, t, plan, plan.Ops[plan.Static:])
}

// paintOps draws ops over the background of plan, a card of t, on cv,
// which must be plan's size.
func (r *Renderer) paintOps(cv *canvas, t *template.Template, plan *layout.Plan, ops []layout.Op) {
	cv.clear(r.background(t, plan))
	cv.dirty = raster.PaintDirty(cv.img, r.lib, ops, cv.dirty)
}

// background returns the card-independent layers of plan, drawn once per
// template and prefix (a template has few: with and without a cover, say).
func (r *Renderer) background(t *template.Template, plan *layout.Plan) *image.RGBA {
	key := bgKey(t, plan)
	r.mu.Lock()
	defer r.mu.Unlock()
	if bg, ok := r.backgrounds[key]; ok {
		return bg
	}
	bg := image.NewRGBA(image.Rect(0, 0, plan.Width, plan.Height))
	raster.Paint(bg, r.lib, plan.Ops[:plan.Static])
	r.backgrounds[key] = bg
	r.opaque[key] = bg.Opaque()
	return bg
}

// bgKey names the background of plan, a card of t.
func bgKey(t *template.Template, plan *layout.Plan) string {
	return t.Name + "/" + plan.StaticKey
}

func (r *Renderer) isOpaque(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.opaque[name]
}

// Brand returns the brand's logo or background artwork (layout.Images).
func (r *Renderer) Brand(name string) image.Image {
	switch name {
	case "logo":
		return r.logo
	case "background":
		return r.artwork
	}
	return nil
}

// applyConfig lays a site's ogcard.yaml over the built-in brand.
func applyConfig(b *template.Brand, c *config.Config, userFamilies []string) {
	if c.File.Site != "" {
		b.Name = c.File.Site
	}
	if b.Colors == nil {
		b.Colors = map[string]string{}
	}
	for k, v := range c.File.Colors {
		b.Colors[k] = v
	}
	// Fonts named for one role stay in that role: a brand that sets only
	// heading fonts keeps the default body font. Font files given with no
	// role at all serve both.
	heading, body := c.File.Fonts.Heading, c.File.Fonts.Body
	if len(heading) == 0 && len(body) == 0 {
		heading, body = userFamilies, userFamilies
	}
	b.Fonts.Heading = append(slices.Clone(heading), b.Fonts.Heading...)
	b.Fonts.Body = append(slices.Clone(body), b.Fonts.Body...)
}
