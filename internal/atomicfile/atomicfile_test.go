package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileReplacesAndLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "card.png")
	for _, content := range []string{"first", "second"} {
		if err := WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Fatalf("ReadFile = %q, %v; want %q", got, err, content)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder has %d entries, want only card.png", len(entries))
	}
}

func TestCleanDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, TempPrefix+"a.png-123"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "keep.png"), []byte("x"), 0o644)
	n, err := CleanDir(dir)
	if err != nil || n != 1 {
		t.Fatalf("CleanDir = %d, %v; want 1, nil", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keep.png")); err != nil {
		t.Error("CleanDir removed a file it did not write")
	}
}

func TestWriteFileMissingDir(t *testing.T) {
	if err := WriteFile(filepath.Join(t.TempDir(), "no", "such", "x.png"), nil, 0o644); err == nil {
		t.Error("WriteFile into a missing folder succeeded")
	}
}
