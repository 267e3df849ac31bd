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

// TestReadFileString checks that every pinned file is also held in place,
// with the same bytes ReadFile gives and Sum giving their SHA-256, and that
// nothing else is: a file missing from inPlace would be copied into the
// heap again.
func TestReadFileString(t *testing.T) {
	sums, err := fs.ReadFile(FS, "SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	pinned := 0
	for line := range strings.Lines(string(sums)) {
		_, name, _ := strings.Cut(strings.TrimSpace(line), "  ")
		data, err := FS.ReadFile(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s, ok := FS.ReadFileString(name)
		if !ok {
			t.Errorf("ReadFileString(%q) = false, want the file in place: add a //go:embed string for it", name)
			continue
		}
		if s != string(data) {
			t.Errorf("ReadFileString(%q) = %d bytes, differs from ReadFile's %d", name, len(s), len(data))
		}
		if sum, ok := FS.Sum(name); !ok || sum != sha256.Sum256(data) {
			t.Errorf("Sum(%q) = %x, %v; want the file's SHA-256 %x", name, sum, ok, sha256.Sum256(data))
		}
		pinned++
	}
	if len(inPlace) != pinned {
		t.Errorf("%d files held in place, %d pinned", len(inPlace), pinned)
	}
	if _, ok := FS.ReadFileString("SHA256SUMS"); ok {
		t.Errorf("ReadFileString(SHA256SUMS) = true, want only font files")
	}
}
