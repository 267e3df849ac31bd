package fonts

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
	"testing"
)

// TestSums pins the font bytes: golden images are only reproducible with
// exactly these files.
func TestSums(t *testing.T) {
	sums, err := fs.ReadFile(FS, "SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	sc := bufio.NewScanner(strings.NewReader(string(sums)))
	for sc.Scan() {
		want, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS: malformed line %q", sc.Text())
		}
		data, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: sha256 %s, want %s", name, got, want)
		}
		seen++
	}
	if seen != 19 {
		t.Errorf("SHA256SUMS lists %d files, want 19", seen)
	}
	fonts, _ := fs.Glob(FS, "*.[ot]tf")
	emoji, _ := fs.Glob(FS, "twemoji-*")
	fonts = append(fonts, emoji...)
	if len(fonts) != seen {
		t.Errorf("%d font files embedded, %d pinned: pin every shipped font", len(fonts), seen)
	}
}
