package text

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ogcard/ogcard/internal/safefile"
)

// TestLoadFSRefusesNonRegular checks a font file that is a named pipe is
// an error naming it, not a blocked read.
func TestLoadFSRefusesNonRegular(t *testing.T) {
	err := NewLibrary(nil).LoadFS(fstest.MapFS{"My.ttf": {Mode: fs.ModeNamedPipe}})
	if !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), "font My.ttf") ||
		!strings.Contains(err.Error(), "named pipe") {
		t.Fatalf("LoadFS = %v, want safefile.ErrNotRegular naming font My.ttf", err)
	}
}
