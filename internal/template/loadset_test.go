package template

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ogcard/ogcard/internal/safefile"
)

// TestLoadSetRefusesNonRegular checks a template file that is a named pipe
// or over the cap is an error naming it, not a blocked or unbounded read.
func TestLoadSetRefusesNonRegular(t *testing.T) {
	for name, tt := range map[string]struct {
		file fstest.MapFile
		want error
	}{
		"fifo":      {fstest.MapFile{Mode: fs.ModeNamedPipe}, safefile.ErrNotRegular},
		"too large": {fstest.MapFile{Data: make([]byte, maxFileBytes+1)}, safefile.ErrTooLarge},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := LoadSet(fstest.MapFS{"x.yaml": &tt.file}, brand)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "template x.yaml") {
				t.Fatalf("LoadSet = %v, want %v naming template x.yaml", err, tt.want)
			}
		})
	}
}
