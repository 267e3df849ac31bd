package atomicfile

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
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

// TestWriteFileReplacesTheFile: the new content arrives as another file
// renamed over the path, never by rewriting the old file in place, so a
// reader holding the old file keeps reading the old content whole.
func TestWriteFileReplacesTheFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "card.png")
	if err := WriteFile(p, []byte("old content"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	held, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if err := WriteFile(p, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(before, after) {
		t.Errorf("WriteFile rewrote %s in place (same file before and after), want a new file renamed over it", p)
	}
	if after.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", after.Mode().Perm())
	}
	var old bytes.Buffer
	if _, err := old.ReadFrom(held); err != nil || old.String() != "old content" {
		t.Errorf("a reader of the old file read %q, %v; want %q", old.String(), err, "old content")
	}
}

// TestWriteFileReadersSeeWholeFiles: a reader polling the path while it is
// rewritten again and again sees one whole version or the other, never a
// truncated or mixed file.
func TestWriteFileReadersSeeWholeFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "card.png")
	versions := [][]byte{bytes.Repeat([]byte("a"), 1<<20), bytes.Repeat([]byte("b"), 1<<20+7)}
	if err := WriteFile(p, versions[0], 0o644); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	reads, bad := 0, 0
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			data, err := os.ReadFile(p)
			reads++
			if err != nil || !bytes.Equal(data, versions[0]) && !bytes.Equal(data, versions[1]) {
				if bad++; bad <= 3 {
					t.Errorf("read %d bytes (%v), want one whole version (%d or %d bytes)", len(data), err, len(versions[0]), len(versions[1]))
				}
			}
		}
	})
	deadline := time.Now().Add(time.Second)
	writes := 0
	for ; writes < 200 && time.Now().Before(deadline); writes++ {
		if err := WriteFile(p, versions[(writes+1)%2], 0o644); err != nil {
			t.Error(err)
			break
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d writes, %d reads, %d bad", writes, reads, bad)
	if reads < 10 {
		t.Errorf("only %d reads during %d writes: the test proved nothing", reads, writes)
	}
}

// TestBatch: a Batch writes whole files by rename, as WriteFile does, with
// the asked permissions and no temporary file left; Sync empties what it
// has to sync, and keeps it when a file cannot be synced, so that a later
// Sync (before the caller records the file) tries again.
func TestBatch(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	var b Batch
	for i, p := range []string{filepath.Join(dir, "a.png"), filepath.Join(sub, "b.png")} {
		data := bytes.Repeat([]byte{byte(i + 1)}, 100_000)
		if err := b.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%s: %d bytes (%v), want %d", p, len(got), err, len(data))
		}
		if st, _ := os.Stat(p); st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", p, st.Mode().Perm())
		}
	}
	if n, _ := CleanDir(dir); n != 0 {
		t.Errorf("%d temporary files left", n)
	}
	if len(b.pending) != 2 {
		t.Fatalf("%d files to sync, want 2", len(b.pending))
	}
	if err := b.Sync(); err != nil || len(b.pending) != 0 {
		t.Fatalf("Sync: %v, %d left; want none", err, len(b.pending))
	}
	// A file whose folder is gone cannot be synced: Sync says so and keeps it.
	if err := b.WriteFile(filepath.Join(sub, "c.png"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(sub); err != nil {
		t.Fatal(err)
	}
	if err := b.Sync(); err == nil || len(b.pending) != 1 {
		t.Errorf("Sync of a vanished file: %v, %d kept; want an error and 1", err, len(b.pending))
	}
	if err := syncFiles([]string{filepath.Join(dir, "a.png")}); err != nil {
		t.Errorf("syncFiles: %v", err)
	}
}

// TestWriteFilePerm: the file gets the permissions asked for, not the
// temporary file's 0600, written alone or in a batch.
func TestWriteFilePerm(t *testing.T) {
	dir := t.TempDir()
	var b Batch
	for name, write := range map[string]func(string) error{
		"alone": func(p string) error { return WriteFile(p, []byte("x"), 0o644) },
		"batch": func(p string) error { return b.WriteFile(p, []byte("x"), 0o644) },
	} {
		p := filepath.Join(dir, name+".png")
		if err := write(p); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want -rw-r--r--", name, fi.Mode().Perm())
		}
	}
}
