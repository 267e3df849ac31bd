package render

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ogcard/ogcard/internal/post"
)

// TestSpeakerPhotosBesideThePost: a speaker with no photo in the post
// gets the one saved beside it under their name (mahe-tardy.png); others
// keep their initials, and a post that names a photo keeps it.
func TestSpeakerPhotosBesideThePost(t *testing.T) {
	dir := t.TempDir()
	photo, err := os.ReadFile(filepath.Join("..", "..", "testdata", "site", "posts", "summit", "ada.png"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"mahe-tardy.png", "ann-lee.webp.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), photo, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src := "---\ntitle: Talks\n---\n[**Talk**](https://x.sched.com/event/1)  \n*Mahé Tardy & Ann Lee, Isovalent | 10:00 - 10:30*\n"
	path := filepath.Join(dir, "index.md")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := post.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	r := renderer(t)
	c, err := r.Card(p)
	if err != nil {
		t.Fatal(err)
	}
	ps := c.Sessions[0].Speakers
	if ps[0].Avatar != "mahe-tardy.png" || ps[1].Avatar != "" || c.Speakers[0].Avatar != "mahe-tardy.png" {
		t.Fatalf("avatars = %q, %q (speakers %q); want mahe-tardy.png and none", ps[0].Avatar, ps[1].Avatar, c.Speakers[0].Avatar)
	}
	if r.Avatar(c, ps[0]) == nil {
		t.Error("the photo found beside the post does not load")
	}
	if len(c.Warnings) != 0 {
		t.Errorf("warnings %q, want none", c.Warnings)
	}
}
