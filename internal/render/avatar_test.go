package render

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ogcard/ogcard/internal/card"
	"github.com/ogcard/ogcard/internal/imageio"
)

// pngBytes encodes a w×h image; with declare > 0 its header then claims
// declare×declare pixels (a decompression bomb's header).
func pngBytes(t *testing.T, w, h, declare int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if declare > 0 {
		// IHDR: length at 8, type at 12, width and height at 16 and 20, CRC at 29.
		binary.BigEndian.PutUint32(b[16:], uint32(declare))
		binary.BigEndian.PutUint32(b[20:], uint32(declare))
		binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	}
	return b
}

// TestAvatarWarnings checks that every photo a card cannot show is named,
// with its field and the reason, while initials stand in for it.
func TestAvatarWarnings(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "post")
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(root, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "folder.png"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("outside.png", pngBytes(t, 2, 2, 0))
	write("post/ok.png", pngBytes(t, 2, 2, 0))
	write("post/corrupt.png", pngBytes(t, 2, 2, 0)[:40])
	write("post/anim.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	write("post/bomb.png", pngBytes(t, 2, 2, 40000))
	if err := os.Symlink(filepath.Join(root, "outside.png"), filepath.Join(dir, "link.png")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.png"), 0o644); err != nil {
		t.Fatal(err)
	}
	big, err := os.Create(filepath.Join(dir, "big.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(imageio.MaxBytes + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	big.Close()

	r := renderer(t)
	person := func(name, avatar string) card.Person { return card.Person{Name: name, Avatar: avatar} }
	c := &card.Card{
		Source:  filepath.Join(dir, "index.md"),
		Authors: []card.Person{person("Ok", "ok.png"), person("Gone", "missing.png")},
		Sessions: []card.Session{
			{Title: "One", Speakers: []card.Person{person("Url", "https://example.com/a.png"), person("Up", "../outside.png")}},
			{Title: "Two", Speakers: []card.Person{person("Abs", filepath.Join(root, "outside.png")), person("Link", "link.png")}},
			{Title: "Three", Speakers: []card.Person{person("Bad", "corrupt.png"), person("Gif", "anim.gif"), person("Bomb", "bomb.png")}},
		},
		// The union of the sessions' speakers, as FromPost makes it: each
		// photo is reported once, under its session.
		Speakers: []card.Person{person("Url", "https://example.com/a.png"), person("Big", "big.png"), person("Dir", "folder.png"), person("Pipe", "pipe.png")},
	}
	want := []struct{ prefix, reason string }{
		{`authors[1].avatar "missing.png" (Gone): `, "no such file in " + dir},
		{`sessions[0].speakers[0].avatar "https://example.com/a.png" (Url): `, "is a URL, and ogcard fetches nothing"},
		{`sessions[0].speakers[1].avatar "../outside.png" (Up): `, "is outside the post's folder " + dir},
		{`sessions[1].speakers[0].avatar "` + filepath.Join(root, "outside.png") + `" (Abs): `, "is outside the post's folder"},
		{`sessions[1].speakers[1].avatar "link.png" (Link): `, "is a symbolic link that leads outside the post's folder " + dir},
		{`sessions[2].speakers[0].avatar "corrupt.png" (Bad): `, "image is corrupt"},
		{`sessions[2].speakers[1].avatar "anim.gif" (Gif): `, "not a PNG, JPEG or WebP image"},
		{`sessions[2].speakers[2].avatar "bomb.png" (Bomb): `, "image too large: 40000x40000 pixels"},
		{`speakers[1].avatar "big.png" (Big): `, "image too large: 20971521 bytes, the limit is 20971520; scale it down"},
		{`speakers[2].avatar "folder.png" (Dir): `, "is a folder"},
		{`speakers[3].avatar "pipe.png" (Pipe): `, "is a named pipe (FIFO), not an image file"},
	}
	var got []string
	within(t, "AvatarWarnings", func() { got = r.AvatarWarnings(c) })
	if len(got) != len(want) {
		t.Errorf("AvatarWarnings = %d warnings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range min(len(got), len(want)) {
		if !strings.HasPrefix(got[i], want[i].prefix) || !strings.Contains(got[i], want[i].reason) ||
			!strings.HasSuffix(got[i], "; showing initials instead") {
			t.Errorf("warning %d = %q, want %q ... %q ... showing initials", i, got[i], want[i].prefix, want[i].reason)
		}
	}
	if r.Avatar(c, c.Authors[0]) == nil {
		t.Error("Avatar(ok.png) = nil, want the photo")
	}
	for _, p := range slices.Concat(c.Authors[1:], c.Speakers, c.Sessions[2].Speakers) {
		if r.Avatar(c, p) != nil {
			t.Errorf("Avatar(%q) is an image, want nil (initials)", p.Avatar)
		}
	}
	// The card's key hashes the photos' bytes: a named pipe or a folder
	// must not block it, and fails the card with a clear error (issue #8:
	// a FIFO photo is an error in render, build and serve); a photo that is
	// merely missing, corrupt or refused only warns.
	within(t, "Key", func() {
		if _, err := r.Key(c, "og"); err == nil || !strings.Contains(err.Error(), "folder.png") {
			t.Errorf("Key with a folder as a photo: err = %v, want an error naming folder.png", err)
		}
		soft := *c
		soft.Speakers = c.Speakers[:2]
		if _, err := r.Key(&soft, "og"); err != nil {
			t.Errorf("Key without the folder and pipe: %v", err)
		}
	})
	// A second look comes from the cache and says the same.
	if again := r.AvatarWarnings(c); !slices.Equal(again, got) {
		t.Errorf("AvatarWarnings again = %q, want %q", again, got)
	}
}

// within runs f and fails the test if it has not returned after 10 seconds
// (opening a named pipe blocks until something writes to it).
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s blocked for 10s (reading a named pipe?)", what)
	}
}
