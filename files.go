package ogcard

import (
	"io/fs"
	"path/filepath"

	"github.com/ogcard/ogcard/internal/atomicfile"
	"github.com/ogcard/ogcard/internal/config"
)

// ConfigFileName is the name of a site's config file, which FindConfig
// looks for.
const ConfigFileName = "ogcard.yaml"

// FindConfig returns the path of ConfigFileName in dir or, with parents,
// in the nearest folder above dir that has one; "" when there is none.
func FindConfig(dir string, parents bool) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if p := config.Find(abs); p != "" {
			return p
		}
		parent := filepath.Dir(abs)
		if !parents || parent == abs {
			return ""
		}
		abs = parent
	}
}

// WriteFile writes data to name atomically: to a temporary file in the same
// folder, synced and closed with every error checked, then renamed over
// name. A reader, or a later run after a crash, sees the old content or the
// new, never a truncated file.
func WriteFile(name string, data []byte, perm fs.FileMode) error {
	return atomicfile.WriteFile(name, data, perm)
}
