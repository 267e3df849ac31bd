package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ogcard/ogcard"
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
}

// loadRenderer finds ogcard.yaml (ogcard.FindConfig's rule, unless
// --config names one) and builds the Renderer with the embedded fonts and
// templates under it. It returns the template names to render: the
// flags', else the config's, else og, with template files resolved to the
// names they declare.
func loadRenderer(spec rendererSpec) (*ogcard.Renderer, []string, error) {
	path := spec.configPath
	if path == "" {
		path = ogcard.FindConfig(spec.searchFrom)
	}
	r, err := ogcard.New(&ogcard.Options{
		ConfigFile: path, SiteName: spec.site, Templates: spec.templates,
		TemplateDir: spec.extraDir, ContentRoot: spec.cardRoot, URLs: spec.urls,
	})
	if err != nil {
		return nil, nil, err
	}
	if spec.note != nil {
		if path != "" {
			fmt.Fprintf(spec.note, "ogcard: using config %s\n", path)
		} else {
			fmt.Fprintf(spec.note, "ogcard: using the built-in brand (no %s in %s)\n", ogcard.ConfigFileName, searched(spec.searchFrom))
		}
	}
	return r, r.DefaultTemplates(), nil
}

// searched says where ogcard.FindConfig looked from dir: the absolute
// folder and the folders above it, up to the repository's root when the
// search stopped there.
func searched(dir string) string {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			if d == abs {
				return abs
			}
			return abs + " or the folders above it up to the repository's root " + d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs + " or the folders above it"
		}
		d = parent
	}
}
