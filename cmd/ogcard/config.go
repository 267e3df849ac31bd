package main

import (
	"github.com/ogcard/ogcard"
)

// rendererSpec is what a command knows when it builds its Renderer.
type rendererSpec struct {
	configPath string   // --config; "" to look for ogcard.yaml
	searchFrom string   // folder where the search for ogcard.yaml starts
	searchUp   bool     // also look in the folders above searchFrom
	site       string   // --site
	cardRoot   string   // card URL paths are derived relative to this
	templates  []string // --template values: built-in names or template files
	extraDir   string   // --templates DIR of extra *.yaml
}

// loadRenderer finds ogcard.yaml and builds the Renderer with the embedded
// fonts and templates under it. It returns the template names to render:
// the flags', else the config's, else og, with template files resolved to
// the names they declare.
func loadRenderer(spec rendererSpec) (*ogcard.Renderer, []string, error) {
	path := spec.configPath
	if path == "" && spec.searchFrom != "" {
		path = ogcard.FindConfig(spec.searchFrom, spec.searchUp)
	}
	r, err := ogcard.New(&ogcard.Options{
		ConfigFile: path, SiteName: spec.site, Templates: spec.templates,
		TemplateDir: spec.extraDir, ContentRoot: spec.cardRoot,
	})
	if err != nil {
		return nil, nil, err
	}
	return r, r.DefaultTemplates(), nil
}
