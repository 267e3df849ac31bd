package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/config"
	"github.com/ogcard/ogcard/internal/permalink"
	"github.com/ogcard/ogcard/internal/render"
	"github.com/ogcard/ogcard/internal/safefile"
	"github.com/ogcard/ogcard/internal/template"
)

// rendererSpec is what a command knows when it builds its Renderer.
type rendererSpec struct {
	configPath string // --config; "" to look for ogcard.yaml
	searchFrom string // folder where the search for ogcard.yaml starts ("" is the working directory)
	urls       string // --urls: the generator whose page URLs to follow; "" for the config's
	// note receives the line that says which config is used (nil: none).
	note      io.Writer
	site      string   // --site
	cardRoot  string   // card URL paths are derived relative to this
	templates []string // --template values: built-in names or template files
	extraDir  string   // --templates DIR of extra *.yaml
	// contentRoot is what relative card sources are relative to (serve).
	contentRoot string
	// oneCoreEncode keeps each PNG encode on its render's goroutine, for
	// commands that already run one render per core.
	oneCoreEncode bool
}

// loadRenderer finds and loads ogcard.yaml, and builds the Renderer with
// the embedded fonts and templates under it. It returns the config too
// (nil when there is none) and the template names to render, with template
// files resolved to the names they declare.
func loadRenderer(spec rendererSpec) (*render.Renderer, *config.Config, []string, error) {
	var cfg *config.Config
	path := spec.configPath
	searched := ""
	if path == "" {
		var repo string
		path, searched, repo = findConfig(spec.searchFrom)
		if repo != "" && repo != searched {
			searched += " or the folders above it up to the repository's root " + repo
		} else if repo == "" {
			searched += " or the folders above it"
		}
	}
	if path != "" {
		var err error
		if cfg, err = config.Load(path); err != nil {
			return nil, nil, nil, err
		}
		if spec.note != nil {
			fmt.Fprintf(spec.note, "ogcard: using config %s\n", path)
		}
	} else if spec.note != nil {
		fmt.Fprintf(spec.note, "ogcard: using the built-in brand (no %s in %s)\n", config.FileName, searched)
	}
	style, err := permalink.ParseStyle(spec.urls)
	if err != nil {
		return nil, nil, nil, err
	}
	o := render.Options{
		Fonts: fonts.FS, Templates: assets.Templates,
		Brand: assets.Brand, BrandName: "built-in brand.yaml",
		SiteName: spec.site, Config: cfg,
		ExtraTemplates: map[string][]byte{},
		ContentRoot:    spec.contentRoot,
	}
	if spec.oneCoreEncode {
		o.EncodeConcurrency = 1
	}
	root := spec.cardRoot
	if root == "" && cfg != nil {
		// The config marks the content root: URL paths derive from it. Hugo
		// and Zola keep posts in the content folder beside their config.
		root = filepath.Dir(cfg.Path)
		st := style
		if spec.urls == "" {
			st = cfg.URLs
		}
		if c := filepath.Join(root, "content"); (st == permalink.Hugo || st == permalink.Zola) && isDir(c) {
			root = c
		}
	}
	if root != "" || spec.urls != "" {
		o.Card = &card.Options{Root: root}
		if spec.urls != "" {
			o.Card.URLs = style
		}
	}
	if spec.extraDir != "" {
		files, err := filepath.Glob(filepath.Join(spec.extraDir, "*.yaml"))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("templates: %w", err)
		}
		if len(files) == 0 {
			return nil, nil, nil, fmt.Errorf("templates %s: no *.yaml files", spec.extraDir)
		}
		for _, f := range files {
			if err := addTemplateFile(o.ExtraTemplates, f); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	// Names to render: the flags', else the config's, else og. Entries
	// that are files are loaded and replaced by the name they declare.
	wanted := spec.templates
	base := ""
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
			if err := addTemplateFile(o.ExtraTemplates, p); err != nil {
				return nil, nil, nil, err
			}
			data = o.ExtraTemplates[p]
		}
		f, err := template.Decode(p, data)
		if err != nil {
			return nil, nil, nil, err
		}
		n := f.Name
		if n == "" {
			n = trimExt(filepath.Base(p))
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		names = []string{"og"}
	}
	r, err := render.New(o)
	if err != nil {
		return nil, nil, nil, err
	}
	return r, cfg, names, nil
}

func addTemplateFile(m map[string][]byte, path string) error {
	data, err := safefile.ReadPath(path, 1<<20)
	if err != nil {
		return fmt.Errorf("template %s: %w", path, err)
	}
	m[path] = data
	return nil
}

func trimExt(s string) string { return s[:len(s)-len(filepath.Ext(s))] }

// findConfig is the one rule every command follows when --config is not
// given: the ogcard.yaml in dir (the content folder for build and serve,
// the post's folder for render, inspect and meta, the working directory
// otherwise), else in the nearest folder above it, up to and including the
// repository's root (a folder holding .git) or the file system's root. It
// returns the file, or "" and the absolute folder the search started in,
// with the repository's root when the search stopped there.
func findConfig(dir string) (file, searched, repo string) {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", dir, ""
	}
	for d := abs; ; {
		if p := config.Find(d); p != "" {
			return p, abs, ""
		}
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return "", abs, d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", abs, ""
		}
		d = parent
	}
}

// cfgFile is the config's path, "" for none.
func cfgFile(c *config.Config) string {
	if c == nil {
		return ""
	}
	return c.Path
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
