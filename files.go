package ogcard

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ogcard/ogcard/internal/atomicfile"
	"github.com/ogcard/ogcard/internal/config"
	"github.com/ogcard/ogcard/internal/safefile"
)

// ConfigFileName is the name of a site's config file, which FindConfig
// looks for.
const ConfigFileName = "ogcard.yaml"

// FindConfig returns the site config for dir: ConfigFileName in dir, else
// in the nearest folder above it, up to and including the repository's
// root (a folder holding .git) or the file system's root; "" when there is
// none. It is the rule every ogcard command follows without --config.
func FindConfig(dir string) string {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; {
		if p := config.Find(d); p != "" {
			return p
		}
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// WriteFile writes data to name atomically: to a temporary file in the same
// folder, synced and closed with every error checked, then renamed over
// name. A reader, or a later run after a crash, sees the old content or the
// new, never a truncated file.
func WriteFile(name string, data []byte, perm fs.FileMode) error {
	return atomicfile.WriteFile(name, data, perm)
}

// ReadRegularFile reads the file name, at most limit bytes. Anything but a
// regular file (a named pipe, a device, a folder) is refused at once
// rather than read or waited on, and a larger file is refused. ogcard reads
// every file a user names this way.
func ReadRegularFile(name string, limit int64) ([]byte, error) {
	return safefile.ReadPath(name, limit)
}
