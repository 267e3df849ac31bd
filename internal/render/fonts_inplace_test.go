package render

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/ogcard/ogcard/assets"
	"github.com/ogcard/ogcard/fonts"
)

// TestFontsInPlace checks that fonts read in place from fonts.FS (pinned
// sums, no copy) key cards exactly as the same files read and hashed from
// a plain folder, and that FontBytes counts them once, not twice.
func TestFontsInPlace(t *testing.T) {
	copied := fstest.MapFS{}
	names, err := fs.Glob(fonts.FS, "*")
	if err != nil {
		t.Fatal(err)
	}
	var files int64
	for _, n := range names {
		data, err := fs.ReadFile(fonts.FS, n)
		if err != nil {
			t.Fatal(err)
		}
		copied[n] = &fstest.MapFile{Data: data, Mode: 0o644}
		if _, ok := fonts.FS.ReadFileString(n); ok {
			files += int64(len(data))
		}
	}
	inPlace, err := New(Options{Fonts: fonts.FS, Templates: assets.Templates, Brand: assets.Brand})
	if err != nil {
		t.Fatal(err)
	}
	read, err := New(Options{Fonts: copied, Templates: assets.Templates, Brand: assets.Brand})
	if err != nil {
		t.Fatal(err)
	}
	k1, err := inPlace.InputsKey([]string{"og"})
	if err != nil {
		t.Fatal(err)
	}
	k2, err := read.InputsKey([]string{"og"})
	if err != nil {
		t.Fatal(err)
	}
	if k1 != k2 {
		t.Errorf("InputsKey with fonts in place = %s, read from a folder = %s; want the same", k1, k2)
	}
	if got := inPlace.FontBytes(); got != files {
		t.Errorf("FontBytes() in place = %d, want %d (the files once)", got, files)
	}
	if got := read.FontBytes(); got != 2*files {
		t.Errorf("FontBytes() read from a folder = %d, want %d (the files twice)", got, 2*files)
	}
}
