// Package assets embeds ogcard's built-in templates and default brand. They
// are also the examples users copy (`ogcard templates og`).
//
// Only cmd/ imports this package; everything else takes an fs.FS.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed templates/*.yaml brand.yaml
var files embed.FS

// Templates holds the built-in templates, one YAML file each.
var Templates, _ = fs.Sub(files, "templates")

// Brand is the default brand's YAML.
var Brand, _ = fs.ReadFile(files, "brand.yaml")
